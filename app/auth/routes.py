from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app import mail
from app.auth import browsers, membership, services
from app.auth.forms import (
    DeleteAccountForm,
    DetailsForm,
    ForgotPasswordForm,
    LanguageForm,
    LocaleSwitchForm,
    LoginForm,
    PasswordChangeForm,
    RegisterForm,
    ResetPasswordForm,
    company_of,
)
from app.auth.notices import requested_message, tell_managers_of_request
from app.errors import DomainError
from app.extensions import db, limiter
from app.forms import BaseForm, refuse
from app.i18n import LOCALE_COOKIE, current_locale
from app.languages import LANGUAGES
from app.security import is_safe_next
from app.text import comparable
from app.transactions import committed

bp = Blueprint("auth", __name__)


def auth_rate_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _setting(name: str):
    return lambda: current_app.config[name]


def _refused(response) -> bool:
    """Only a refused login counts toward the login limits."""
    return response.status_code != 302


def _account() -> str:
    """The account a login names, however its email is written."""
    return "account:" + comparable(request.form.get("email", ""))


def _account_and_address() -> str:
    return f"{_account()} from {get_remote_address()}"


def _next_url(default: str = "home.index") -> str:
    target = request.args.get("next") or request.form.get("next")
    return target if is_safe_next(target) else url_for(default)


#: session keys with this prefix hold what a visitor did before logging in (never a
#: credential), and survive the fresh session that logging in starts
KEPT_ON_LOGIN = "visitor_"


def _start_session(user) -> None:
    kept = {key: value for key, value in session.items() if key.startswith(KEPT_ON_LOGIN)}
    session.clear()  # a fresh session on login: no fixation
    session.update(kept)
    login_user(user)  # listeners may move the visitor's data onto the account
    session[services.SESSION_TOKEN] = services.start_session(user, request.user_agent.string)
    session.permanent = True


def start_signed_in(user) -> None:
    """Sign a new account in, in the language the visitor was reading."""
    if request.cookies.get(LOCALE_COOKIE) in LANGUAGES:
        user.locale = request.cookies[LOCALE_COOKIE]
    _start_session(user)


def welcome(user) -> None:
    """Greet a new account, and send the link that confirms its email unless it is
    confirmed already (it came through an invitation sent to it)."""
    if user.email_confirmed_at is not None:
        flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
        return
    _send_confirmation(user)
    flash(
        _(
            "Welcome, %(name)s! Your account is ready. We have sent a link to %(email)s:"
            " follow it to confirm your email.",
            name=user.name,
            email=user.email,
        ),
        "success",
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("auth/register.html", form=form), 400 if form.is_submitted() else 200
    registration = membership.Registration(
        name=form.name.data,
        email=form.email.data,
        password=form.password.data,
        company=company_of(form),
        found=form.company_choice.data == "new",
    )
    try:
        # Two registering one new company at once: the second, refused by the unique
        # index, runs again, finds the company and asks to join it.
        joined = committed(lambda: membership.register(registration))
    except DomainError as error:
        refuse(form, error)
        return render_template("auth/register.html", form=form), 400
    user = joined.user
    start_signed_in(user)
    db.session.commit()
    welcome(user)
    if joined.state == "requested":
        tell_managers_of_request(joined)
        flash(requested_message(joined.company), "info")
    return redirect(url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_setting("LOGIN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=_refused)
@limiter.limit(
    _setting("LOGIN_ACCOUNT_LIMIT"), key_func=_account, methods=["POST"], deduct_when=_refused
)
@limiter.limit(
    _setting("LOGIN_ACCOUNT_ADDRESS_LIMIT"),
    key_func=_account_and_address,
    methods=["POST"],
    deduct_when=_refused,
)
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.is_submitted() else 200
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        form.password.errors.append(_("Wrong email or password."))
        return render_template("auth/login.html", form=form), 400
    _start_session(user)
    db.session.commit()
    return redirect(_next_url())


def _mail_link(user, template: str, endpoint: str, token: str, **context) -> None:
    """E-mail ``user`` the message ``template`` with the link to ``endpoint`` for
    ``token``, in their language."""
    link = url_for(endpoint, token=token, _external=True)
    mail.send(user.email, template, user.locale or current_locale(), name=user.name, link=link,
              **context)  # fmt: skip


def send_reset_link(user, token: str) -> None:
    """E-mail ``user`` the link of the reset ``token`` (services.start_password_reset)."""
    hours = current_app.config["RESET_TOKEN_SECONDS"] // 3600
    _mail_link(user, "password_reset", "auth.reset_password", token, hours=hours)


def _send_confirmation(user) -> None:
    token = services.issue_link(user, "confirm")
    db.session.commit()
    days = current_app.config["CONFIRM_TOKEN_SECONDS"] // 86400
    _mail_link(user, "confirm_email", "auth.confirm_email", token, days=days)


@bp.get("/account/confirm/<token>")
def confirm_email(token):
    """The link of the confirmation e-mail: it works without logging in."""
    link = services.link_of(token, "confirm")
    if link is None:
        return render_template("auth/confirm_invalid.html", form=BaseForm()), 400
    services.confirm_email(link)
    db.session.commit()
    flash(_("Thank you: your email is confirmed."), "success")
    return redirect(url_for("home.index"))


@bp.post("/account/confirm")
@login_required
@limiter.limit(
    _setting("CONFIRM_RESEND_LIMIT"), key_func=lambda: f"confirm:{current_user.get_id()}"
)
def resend_confirmation():
    if not BaseForm().validate_on_submit():
        abort(400)
    if current_user.email_confirmed_at is None:
        _send_confirmation(current_user)
        flash(_("A new link is on its way to %(email)s.", email=current_user.email), "info")
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
@limiter.limit(_setting("RESET_ACCOUNT_LIMIT"), key_func=_account, methods=["POST"])
def forgot_password():
    """Ask for a link to choose a new password: the same answer whether or not the
    email has an account, so that nobody learns which emails do."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("auth/forgot_password.html", form=form), status
    started = services.start_password_reset(form.email.data)
    db.session.commit()
    if started is not None:
        send_reset_link(*started)
    flash(
        _(
            "If an account has this email, a link to choose a new password is on its way"
            " to it. The link works for an hour."
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def reset_password(token):
    link = services.link_of(token, "reset") or services.link_of(token, "welcome")
    if link is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm(link.user)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("auth/reset_password.html", form=form), status
    services.reset_password(link, form.new_password.data)
    db.session.commit()
    flash(_("Your password has been changed: log in with it."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/logout")
def logout():
    """End this session: its cookie, copied or not, signs nobody in again."""
    services.end_session(session.get(services.SESSION_TOKEN))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


def _account_page(
    password_form=None, language_form=None, details_form=None, delete_form=None, status=200
):
    password_form = password_form or PasswordChangeForm(current_user, formdata=None)
    delete_form = delete_form or DeleteAccountForm(formdata=None)
    details_form = details_form or DetailsForm(
        formdata=None, name=current_user.name, email=current_user.email
    )
    language_form = language_form or LanguageForm(
        formdata=None, locale=current_user.locale or request.cookies.get(LOCALE_COOKIE) or "vi"
    )
    token = session.get(services.SESSION_TOKEN)
    sessions = [
        (row, services.is_this_session(row, token)) for row in services.list_sessions(current_user)
    ]
    return render_template(
        "auth/account.html",
        details_form=details_form,
        delete_form=delete_form,
        password_form=password_form,
        language_form=language_form,
        sessions=sessions,
        end_form=BaseForm(),
        describe_browser=browsers.describe,
    ), status


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm(current_user)
    if not form.validate_on_submit():
        return _account_page(password_form=form, status=400)
    try:
        services.change_password(
            current_user,
            form.current_password.data,
            form.new_password.data,
            keep_token=session.get(services.SESSION_TOKEN),
        )
    except DomainError as error:
        getattr(form, error.field).errors.append(error.message)
        return _account_page(password_form=form, status=400)
    db.session.commit()
    flash(_("Your password has been changed."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/details")
@login_required
def change_details():
    form = DetailsForm()
    if not form.validate_on_submit():
        return _account_page(details_form=form, status=400)
    user = current_user._get_current_object()
    try:
        changed = services.change_details(user, form.name.data, form.email.data)
    except DomainError as error:
        refuse(form, error)
        return _account_page(details_form=form, status=400)
    db.session.commit()
    if changed:
        _send_confirmation(user)
        flash(
            _("Saved. Follow the link we sent to %(email)s to confirm it.", email=user.email),
            "info",
        )
    else:
        flash(_("Your details are saved."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/delete")
@login_required
@limiter.limit(auth_rate_limit)
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _account_page(delete_form=form, status=400)
    user = current_user._get_current_object()

    def work():
        services.require_password(user, form.password.data)
        membership.leave(user)
        services.delete_account(user)

    try:
        committed(work)
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "understood").errors.append(error.message)
        return _account_page(delete_form=form, status=400)
    logout_user()
    session.clear()
    flash(_("Your account and everything it held are deleted."), "info")
    return redirect(url_for("home.index"))


@bp.post("/account/sessions")
@login_required
def end_other_sessions():
    """Log out every other browser signed in as this user."""
    if not BaseForm().validate_on_submit():
        abort(400)
    services.end_sessions(current_user, keep_token=session.get(services.SESSION_TOKEN))
    db.session.commit()
    flash(_("Every other browser has been logged out."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/language")
@login_required
def change_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return _account_page(language_form=form, status=400)
    services.set_locale(current_user, form.locale.data)
    db.session.commit()
    response = redirect(url_for("auth.account"))
    response.set_cookie(LOCALE_COOKIE, form.locale.data, max_age=365 * 86400, samesite="Lax")
    return response


@bp.post("/locale")
def switch_locale():
    """The header's language buttons: saved on the account, and in a cookie for visitors."""
    form = LocaleSwitchForm()
    locale = form.locale.data
    if not form.validate_on_submit() or locale not in LANGUAGES:
        return redirect(url_for("home.index"))
    if current_user.is_authenticated:
        services.set_locale(current_user, locale)
        db.session.commit()
    target = form.next.data if is_safe_next(form.next.data) else url_for("home.index")
    response = redirect(target)
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 86400, samesite="Lax")
    return response
