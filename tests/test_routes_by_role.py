"""Every route of the site, for every kind of visitor: the table below names what each
one gets, and a route without a row in it fails the first test, so that no page goes
without its access checked.

Codes: 200 the page; "login" a redirect to log in; "away" another redirect (a form that
sends on, or a page that does not apply to them); 400 a request refused as malformed (an
empty form); 403 forbidden; 404 not found. The tests send no CSRF token and check none.
"""

import pytest

from tests.conftest import sign_in

ROLES = ("anonymous", "learner", "manager", "trainer", "admin")


def row(anonymous, learner, manager=None, trainer=None, admin=None):
    """Codes by role; the manager as a learner, the admin as the trainer, unless given."""
    manager = learner if manager is None else manager
    trainer = learner if trainer is None else trainer
    admin = trainer if admin is None else admin
    return dict(zip(ROLES, (anonymous, learner, manager, trainer, admin), strict=True))


OPEN = row(200, 200)
MEMBERS = row("login", 200)
MEMBER_FORM = row("login", 400)
TRAINERS = row("login", 403, trainer=200)
TRAINER_FORM = row("login", 403, trainer=400)
ADMINS = row("login", 403, trainer=403, admin=200)
ADMIN_FORM = row("login", 403, trainer=403, admin=400)
NO_SUCH_PROGRAMME = row("login", 403, trainer=403, admin=404)
NO_SUCH_JOB = NO_SUCH_PROGRAMME  # an import or export the queue does not know
NO_SUCH_THING = row("login", 403, trainer=404)  # a studio page of a missing module or question
# My company: for its managers only (a trainer or an administrator is in no company)
MANAGERS = row("login", 403, manager=200, trainer=403)
NOT_THEIRS = row("login", 403, manager=404, trainer=403)  # another company's request, member

# (endpoint, method, URL) -> codes; {attempt}, {snapshot} and {company} belong to another
# learner, whom no role in the table is.
TABLE = {
    ("home.index", "GET", "/"): OPEN,
    ("home.ping", "GET", "/ping"): OPEN,
    ("home.styleguide", "GET", "/styleguide"): TRAINERS,
    ("auth.login", "GET", "/login"): row(200, "away"),
    ("auth.login", "POST", "/login"): row(400, "away"),
    ("auth.register", "GET", "/register"): row(200, "away"),
    ("auth.register", "POST", "/register"): row(400, "away"),
    ("auth.logout", "POST", "/logout"): row("away", "away"),
    ("auth.forgot_password", "GET", "/password/forgot"): OPEN,
    ("auth.forgot_password", "POST", "/password/forgot"): row(400, 400),
    ("auth.reset_password", "GET", "/password/reset/not-a-link"): row(400, 400),
    ("auth.reset_password", "POST", "/password/reset/not-a-link"): row(400, 400),
    ("auth.account", "GET", "/account"): MEMBERS,
    ("auth.change_password", "POST", "/account/password"): MEMBER_FORM,
    ("auth.change_language", "POST", "/account/language"): MEMBER_FORM,
    ("auth.end_other_sessions", "POST", "/account/sessions"): row("login", "away"),
    ("auth.change_details", "POST", "/account/details"): MEMBER_FORM,
    ("mydata.download", "GET", "/account/my-data.json"): MEMBERS,
    ("auth.delete_account", "POST", "/account/delete"): MEMBER_FORM,
    ("auth.confirm_email", "GET", "/account/confirm/not-a-link"): row(400, 400),
    ("auth.resend_confirmation", "POST", "/account/confirm"): row("login", "away"),
    ("auth.switch_locale", "POST", "/locale"): row("away", "away"),
    ("reminders.unsubscribe", "GET", "/unsubscribe/not-a-link"): row(400, 400),
    ("reminders.unsubscribe", "POST", "/unsubscribe/not-a-link"): row(400, 400),
    ("reminders.change_setting", "POST", "/account/reminders"): MEMBER_FORM,
    ("companies.my_company", "GET", "/my-company"): MEMBERS,
    ("companies.team_csv", "GET", "/my-company/team.csv"): MANAGERS,
    ("companies.ask_to_join", "POST", "/my-company/join"): MEMBER_FORM,
    ("companies.register_company", "POST", "/my-company/register"): MEMBER_FORM,
    ("companies.cancel_request", "POST", "/my-company/requests/999/cancel"): row("login", 404),
    ("companies.decide", "POST", "/my-company/requests/999/approve"): NOT_THEIRS,
    ("companies.invite", "POST", "/my-company/invitations"): row("login", 403, manager=400),
    ("companies.revoke", "POST", "/my-company/invitations/999/revoke"): NOT_THEIRS,
    ("companies.shared_link", "POST", "/my-company/link/revoke"): row("login", 403, "away"),
    ("companies.remove", "POST", "/my-company/members/999/remove"): NOT_THEIRS,
    ("companies.set_manager", "POST", "/my-company/members/999/manager"): NOT_THEIRS,
    ("companies.digest", "POST", "/my-company/digest"): row("login", 403, "away"),
    ("companies.leave", "POST", "/my-company/leave"): row("login", "away"),
    ("companies.invitation", "GET", "/join/not-a-link"): row(400, 400),
    ("companies.invitation", "POST", "/join/not-a-link"): row(400, 400),
    ("companies.join_by_link", "GET", "/join/team/not-a-link"): row(400, 400),
    ("companies.join_by_link", "POST", "/join/team/not-a-link"): row(400, 400),
    ("learn.module", "GET", "/modules/basics"): OPEN,
    ("learn.lesson", "GET", "/modules/basics/first"): OPEN,  # a first lesson: for visitors too
    ("learn.lesson", "GET", "/modules/basics/second"): MEMBERS,
    ("learn.complete", "POST", "/modules/basics/first/complete"): row("login", "away"),
    ("learn.progress", "GET", "/progress"): MEMBERS,
    ("learn.glossary", "GET", "/glossary"): OPEN,
    ("search.results", "GET", "/search?q=basics"): OPEN,
    ("quizzes.take", "GET", "/modules/basics/quiz"): MEMBERS,
    ("quizzes.answer", "POST", "/attempts/{attempt}"): row("login", 403),
    ("quizzes.result", "GET", "/attempts/{attempt}"): row("login", 403, trainer=200),
    ("quizzes.manage", "GET", "/modules/basics/quiz/manage"): TRAINERS,
    ("quizzes.import_quiz", "GET", "/modules/basics/quiz/import"): TRAINERS,
    ("quizzes.import_quiz", "POST", "/modules/basics/quiz/import"): row("login", 403, trainer=400),
    ("quizzes.confirm_import", "POST", "/modules/basics/quiz/import/confirm"): row(
        "login", 403, trainer=400
    ),
    ("quizzes.export", "GET", "/modules/basics/quiz/vi.gift"): TRAINERS,
    ("quizzes.analysis", "GET", "/modules/basics/quiz/analysis"): TRAINERS,
    ("quizzes.essays", "GET", "/modules/basics/quiz/essays"): TRAINERS,
    ("assessment.start", "GET", "/assessment/"): OPEN,
    ("assessment.page", "GET", "/assessment/page/customer-marketing"): OPEN,
    ("assessment.page", "POST", "/assessment/page/customer-marketing"): row("away", "away"),
    ("assessment.review", "GET", "/assessment/review"): OPEN,
    ("assessment.submit", "POST", "/assessment/submit"): row("login", "away"),
    ("assessment.result", "GET", "/assessment/results/{snapshot}"): row("login", 403, admin=200),
    ("assessment.company", "GET", "/assessment/company"): row(
        "login", 403, manager=200, trainer=403, admin=404
    ),
    ("assessment.company", "GET", "/assessment/company/{company}"): row(
        "login", 403, manager=403, admin=200
    ),
    ("admin.dashboard", "GET", "/admin/"): ADMINS,
    ("admin.users", "GET", "/admin/users"): ADMINS,
    ("admin.user", "GET", "/admin/users/{user}"): ADMINS,
    ("admin.change_role", "POST", "/admin/users/{user}/role"): row(
        "login", 403, trainer=403, admin=400
    ),
    ("admin.set_active", "POST", "/admin/users/{user}/active"): row(
        "login", 403, trainer=403, admin=400
    ),
    ("admin.send_reset", "POST", "/admin/users/{user}/reset"): row(
        "login", 403, trainer=403, admin="away"
    ),
    ("admin.companies", "GET", "/admin/companies"): ADMINS,
    ("admin.company", "GET", "/admin/companies/{company}"): ADMINS,
    ("admin.edit_company", "POST", "/admin/companies/{company}/edit"): ADMIN_FORM,
    ("admin.set_manager", "POST", "/admin/companies/{company}/members/9/manager"): ADMIN_FORM,
    ("admin.invite", "POST", "/admin/companies/{company}/invitations"): ADMIN_FORM,
    ("admin.merge", "POST", "/admin/companies/{company}/merge"): ADMIN_FORM,
    ("admin.import_learners", "GET", "/admin/imports"): ADMINS,
    ("admin.import_learners", "POST", "/admin/imports"): ADMIN_FORM,
    ("admin.confirm_import", "POST", "/admin/imports/confirm"): ADMIN_FORM,
    ("admin.import_progress", "GET", "/admin/imports/no-such-job"): NO_SUCH_JOB,
    ("admin.export_progress", "GET", "/admin/exports/no-such-job"): NO_SUCH_JOB,
    ("admin.export_file", "GET", "/admin/exports/no-such-job/file"): NO_SUCH_JOB,
    ("admin.programmes", "GET", "/admin/programmes"): ADMINS,
    ("admin.programmes", "POST", "/admin/programmes"): ADMIN_FORM,
    ("admin.programme", "GET", "/admin/programmes/999"): NO_SUCH_PROGRAMME,
    ("admin.edit_programme", "POST", "/admin/programmes/999/edit"): NO_SUCH_PROGRAMME,
    ("admin.enrol", "POST", "/admin/programmes/999/companies"): NO_SUCH_PROGRAMME,
    ("studio.home", "GET", "/studio/"): TRAINERS,
    ("studio.lesson", "GET", "/studio/lessons/{lesson}/vi"): TRAINERS,
    ("studio.edit_lesson", "POST", "/studio/lessons/{lesson}/vi"): TRAINER_FORM,
    ("studio.publish", "POST", "/studio/lessons/{lesson}/vi/publish"): TRAINER_FORM,
    ("studio.live_preview", "POST", "/studio/lessons/{lesson}/vi/preview"): TRAINER_FORM,
    ("studio.request_review", "POST", "/studio/lessons/{lesson}/vi/review"): TRAINER_FORM,
    ("studio.schedule", "POST", "/studio/lessons/{lesson}/vi/schedule"): TRAINER_FORM,
    ("studio.unschedule", "POST", "/studio/lessons/{lesson}/vi/unschedule"): TRAINER_FORM,
    ("studio.glossary", "GET", "/studio/glossary"): TRAINERS,
    ("studio.glossary", "POST", "/studio/glossary"): TRAINER_FORM,
    ("studio.term", "GET", "/studio/glossary/999999"): row("login", 403, trainer=404),
    ("studio.term", "POST", "/studio/glossary/999999"): row("login", 403, trainer=404),
    ("studio.module", "GET", "/studio/modules/999999"): row("login", 403, trainer=404),
    ("studio.module", "POST", "/studio/modules/999999"): row("login", 403, trainer=404),
    ("studio.add_lesson", "POST", "/studio/modules/999999/lessons"): row("login", 403, trainer=404),
    ("studio.move_lesson", "POST", "/studio/lessons/{lesson}/move/down"): row(
        "login", 403, trainer="away"
    ),
    ("studio.new_module", "GET", "/studio/modules/new"): TRAINERS,
    ("studio.new_module", "POST", "/studio/modules/new"): TRAINER_FORM,
    ("studio.rename_module", "POST", "/studio/modules/999999/rename"): row(
        "login", 403, trainer=404
    ),
    ("studio.retire_module", "POST", "/studio/modules/999999/retire"): row(
        "login", 403, trainer=404
    ),
    ("studio.publish_both", "POST", "/studio/lessons/{lesson}/vi/publish-both"): TRAINER_FORM,
    ("studio.history", "GET", "/studio/lessons/{lesson}/vi/history"): TRAINERS,
    ("studio.restore", "POST", "/studio/lessons/{lesson}/vi/restore"): TRAINER_FORM,
    ("studio.confirm", "POST", "/studio/lessons/{lesson}/vi/confirm"): row(
        "login", 403, trainer="away"
    ),
    ("studio.media", "GET", "/studio/modules/999999/media"): row("login", 403, trainer=404),
    ("studio.upload_media", "POST", "/studio/modules/999999/media"): row("login", 403, trainer=404),
    ("studio.delete_media", "POST", "/studio/media/999999/delete"): row("login", 403, trainer=404),
    # a module's images and files are public, like the catalogue
    ("content.media", "GET", "/media/999999/photo.png"): row(404, 404),
    ("content.media_phone", "GET", "/media/999999/phone/photo.png"): row(404, 404),
    ("studio.questions", "GET", "/studio/modules/999999/questions"): NO_SUCH_THING,
    ("studio.new_question", "GET", "/studio/modules/999999/questions/new?kind=single"): (
        NO_SUCH_THING
    ),
    ("studio.new_question", "POST", "/studio/modules/999999/questions/new?kind=single"): (
        NO_SUCH_THING
    ),
    ("studio.question", "GET", "/studio/questions/999999"): NO_SUCH_THING,
    ("studio.question", "POST", "/studio/questions/999999"): NO_SUCH_THING,
    ("studio.retire_question", "POST", "/studio/questions/999999/retire"): NO_SUCH_THING,
    ("admin.unenrol", "POST", "/admin/programmes/999/learners/1/remove"): NO_SUCH_PROGRAMME,
    ("admin.withdraw_invitation", "POST", "/admin/programmes/999/invitations/withdraw"): (
        NO_SUCH_PROGRAMME
    ),
    ("admin.reports", "GET", "/admin/reports"): ADMINS,
    ("admin.report_file", "GET", "/admin/reports.csv"): ADMINS,
    ("admin.at_risk", "GET", "/admin/at-risk"): ADMINS,
    ("admin.maturity", "GET", "/admin/maturity"): ADMINS,
    ("admin.maturity", "GET", "/admin/maturity.csv?by=province"): ADMINS,
    ("admin.maturity", "GET", "/admin/maturity.xlsx?by=size_band"): ADMINS,
    ("admin.at_risk", "GET", "/admin/at-risk.csv"): ADMINS,
    ("admin.audit_log", "GET", "/admin/audit"): ADMINS,
    ("admin.audit_csv", "GET", "/admin/audit.csv"): ADMINS,
    # certificates: verified by anyone who has the code; a learner's own list
    ("certificates.verify_form", "GET", "/verify"): OPEN,
    ("certificates.verify", "GET", "/verify/0000-0000-0000"): row(404, 404),
    ("certificates.mine", "GET", "/certificates"): MEMBERS,
    ("certificates.pdf", "GET", "/certificates/0000-0000-0000.pdf"): row(404, 404),
    ("certificates.credential", "GET", "/certificates/0000-0000-0000/credential.jwt"): row(
        404, 404
    ),
    ("certificates.jwks", "GET", "/.well-known/jwks.json"): OPEN,
    ("certificates.did_document", "GET", "/.well-known/did.json"): OPEN,
    ("certificates.status", "GET", "/certificates/status/1"): OPEN,
    ("admin.certificates", "GET", "/admin/certificates"): ADMINS,
    ("admin.certificate", "GET", "/admin/certificates/0000-0000-0000"): NO_SUCH_PROGRAMME,
    ("admin.revoke_certificate", "POST", "/admin/certificates/0000-0000-0000/revoke"): (
        NO_SUCH_PROGRAMME
    ),
    ("admin.reissue_certificate", "POST", "/admin/certificates/0000-0000-0000/reissue"): (
        NO_SUCH_PROGRAMME
    ),
    ("admin.issue_certificate", "GET", "/admin/certificates/issue"): ADMINS,
    ("admin.issue_certificate", "POST", "/admin/certificates/issue"): ADMIN_FORM,
}


def test_every_route_has_a_row_for_every_role(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == {(endpoint, method) for endpoint, method, _url in TABLE}
    assert all(set(codes) == set(ROLES) for codes in TABLE.values())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method", "url"), list(TABLE), ids=lambda v: str(v))
def test_each_role_gets_what_the_table_says(
    client, world, make_user, make_company, login, role, endpoint, method, url
):
    sign_in(role, make_user, make_company, login)
    response = client.open(url.format(**world), method=method, data={})
    expected = TABLE[(endpoint, method, url)][role]
    if expected == "login":
        assert response.status_code == 302 and response.location.startswith("/login")
    elif expected == "away":
        assert response.status_code == 302 and not response.location.startswith("/login")
    else:
        assert response.status_code == expected
