"""Stopping the weekly messages: the link in each of them, which works without logging
in, and the setting on the account page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.extensions import csrf, db
from app.languages import DEFAULT_LANGUAGE
from app.reminders import services
from app.reminders.forms import ReminderSettingForm

bp = Blueprint("reminders", __name__)


# The token in the URL is the proof, as for any link sent by e-mail; mail clients send
# the one-click POST of RFC 8058 without a CSRF token. A GET only shows the button, so
# that a mail scanner following the link unsubscribes nobody.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    found = services.unsubscribe_target(token)
    if found is None:
        return render_template("reminders/unsubscribe_invalid.html"), 400
    kind, target = found
    person = target if isinstance(target, User) else target.user
    done = False
    if request.method == "POST":
        services.unsubscribe(target)
        db.session.commit()
        done = True
    # The page speaks the language of the e-mail whose link was followed.
    with force_locale(person.locale or DEFAULT_LANGUAGE):
        return render_template(
            "reminders/unsubscribe.html",
            kind=kind,
            email=person.email,
            company=None if isinstance(target, User) else target.company.name,
            done=done,
        )


@bp.post("/account/reminders")
@login_required
def change_setting():
    form = ReminderSettingForm()
    if not form.validate_on_submit():
        abort(400)
    on = form.reminders.data == "on"
    services.set_reminders(current_user, on)
    db.session.commit()
    if on:
        flash(
            _("Reminders are on: we will e-mail you when you have a module to finish."), "success"
        )
    else:
        flash(_("Reminders are off: we will not e-mail you about your modules."), "success")
    return redirect(url_for("auth.account", _anchor="reminders-heading"))
