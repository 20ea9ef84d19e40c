"""The e-mails that memberships send: a request to a company's managers, the answer to
the person who asked, an invitation. Each goes in its recipient's language (an address
without an account gets the sender's)."""

from flask import current_app, url_for
from flask_babel import gettext as _

from app import mail
from app.auth import membership
from app.auth.models import Company, Membership
from app.auth.services import get_user_by_email
from app.i18n import current_locale


def requested_message(company: Company) -> str:
    return _(
        "%(company)s is registered already: we have asked its managers to let you in. Until"
        " one does, your assessment answers do not count in its result.",
        company=company.name,
    )


def tell_managers_of_request(row: Membership) -> None:
    """E-mail each manager of the company that ``row``'s person asks to join."""
    link = url_for("companies.my_company", _external=True, _anchor="requests")
    for manager in membership.managers(row.company):
        mail.send(
            manager.email,
            "join_request",
            manager.locale or current_locale(),
            name=manager.name,
            person=row.user.name,
            email=row.user.email,
            company=row.company.name,
            link=link,
        )


def tell_of_decision(row: Membership, approved: bool) -> None:
    """E-mail the person who asked whether a manager let them in."""
    person = row.user
    mail.send(
        person.email,
        "join_approved" if approved else "join_refused",
        person.locale or current_locale(),
        name=person.name,
        company=row.company.name,
        link=url_for("companies.my_company", _external=True),
    )


def send_invitation(row: Membership, token: str, inviter_name: str) -> None:
    """E-mail the invitation's link to its address."""
    account = get_user_by_email(row.email or "")
    mail.send(
        row.email or "",
        "invitation",
        (account and account.locale) or current_locale(),
        inviter=inviter_name,
        company=row.company.name,
        link=url_for("companies.invitation", token=token, _external=True),
        days=current_app.config["INVITE_TOKEN_SECONDS"] // 86400,
    )
