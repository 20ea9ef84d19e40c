"""Who may see what: one decorator per role, checked in one place."""

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, select

from app.auth.models import User
from app.extensions import db, login_manager

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"


# Built once: on every signed-in request, cheaper to run than Session.get's own query.
_USER_BY_ID = select(User).where(User.id == bindparam("id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.scalar(_USER_BY_ID, {"id": int(user_id)})


def roles_required(*roles: str):
    """Anonymous users are sent to log in; a signed-in user without one of ``roles`` gets
    403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


trainer_required = roles_required("trainer", "admin")
admin_required = roles_required("admin")
