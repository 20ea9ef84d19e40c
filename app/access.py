"""Who may see what: one decorator per role, checked in one place."""

from functools import wraps

from flask import abort, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, select

from app.auth.models import LoginSession, User
from app.auth.services import SESSION_TOKEN
from app.extensions import db, login_manager
from app.text import digest

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"


# Built once: the statement of every signed-in request.
_USER_OF_SESSION = (
    select(User)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(User.id == bindparam("id"), LoginSession.token_hash == bindparam("token_hash"))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of the session cookie while its LoginSession exists: a session that was
    logged out, or ended by a password change, signs nobody in however the cookie was
    kept."""
    token = session.get(SESSION_TOKEN)
    if not token or not (user_id.isascii() and user_id.isdigit()):
        return None
    return db.session.scalar(_USER_OF_SESSION, {"id": int(user_id), "token_hash": digest(token)})


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
