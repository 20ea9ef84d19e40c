"""Command line: ``flask content check|import|export``, ``flask users create|deactivate``,
``flask companies invite``, ``flask reports recount``, ``flask studio publish-due``,
``flask search reindex``, ``flask demo``. Commands call services, commit once and report
with click.echo."""

from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup, with_appcontext

from app import course
from app.assessment.services import recount_recommendations
from app.auth import services as auth_services
from app.auth.models import ROLES
from app.auth.passwords import password_problem
from app.content.catalogue import get_catalogue
from app.db_types import utcnow
from app.errors import DomainError
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE
from app.learn.services import refresh_records
from app.search.services import index_everything
from app.studio.services import publish_due

content_cli = AppGroup("content", help="Check, import and export the course files.")
users_cli = AppGroup("users", help="Manage user accounts.")

PATH_ARGUMENT = click.argument(
    "path", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def _root(path: Path | None) -> Path:
    return path or Path(current_app.config["CONTENT_DIR"])


@content_cli.command("check")
@PATH_ARGUMENT
def content_check(path):
    """Validate courses/ and quizzes/ under PATH; report each problem as file:line."""
    files = course.read(_root(path))
    for problem in files.problems:
        click.echo(str(problem))
    if files.problems:
        raise click.ClickException(f"{len(files.problems)} problem(s) found.")
    click.echo(
        f"OK: {len(files.modules)} modules, {files.lessons} lessons, {len(files.terms)} glossary "
        f"terms{', the assessment' if files.instrument else ''}."
    )


@content_cli.command("import")
@PATH_ARGUMENT
@click.option("--force", is_flag=True, help="Overwrite edits made in the browser.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Leave out the quiz questions that have a problem and import the rest.",
)
@click.option(
    "--list", "listing", is_flag=True, help="Name each thing created, updated or removed."
)
def content_import(path, force, keep_going, listing):
    """Load the files under PATH into the database, in one transaction."""
    files = course.read(_root(path), keep_going=keep_going)
    for problem in files.problems:
        click.echo(str(problem), err=True)
    if files.problems:
        raise click.ClickException(f"{len(files.problems)} problem(s) found; nothing was imported.")
    for problem in files.left_out:
        click.echo(f"left out: {problem}", err=True)
    report = course.import_files(files, force=force)
    db.session.commit()
    if listing:
        for kind in ("created", "updated", "removed"):
            for name in getattr(report, kind):
                click.echo(f"{kind}: {name}")
    for line in report.kept + report.conflicts:
        click.echo(f"warning: {line}", err=True)
    click.echo(f"Content: {report.summary()}." if report.changed else "Nothing changed.")


@content_cli.command("export")
@PATH_ARGUMENT
def content_export(path):
    """Write the database's modules, lessons, quizzes, glossary and assessment as files."""
    changed = course.export(_root(path))
    for written in changed:
        click.echo(f"{'wrote' if written.exists() else 'removed'} {written}")
    click.echo(f"{len(changed)} file(s) written." if changed else "Nothing changed.")


@users_cli.command("create")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.password_option()
def users_create(email, name, role, password):
    """Create an account (an administrator with --role admin)."""
    problem = password_problem(password, email, name)
    if problem is not None:
        message, params = problem
        raise click.ClickException(message % params)
    try:
        user = auth_services.create_user(email=email, name=name, password=password, role=role)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    user.email_confirmed_at = utcnow()  # the administrator who creates it vouches for it
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("deactivate")
@click.argument("email")
@click.option("--reactivate", is_flag=True, help="Let the account log in again.")
def users_deactivate(email, reactivate):
    """Stop an account from logging in, and end every session it has."""
    user = auth_services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    auth_services.set_active(user, reactivate)
    db.session.commit()
    click.echo(f"{'Reactivated' if reactivate else 'Deactivated'} {user.email}.")


companies_cli = AppGroup("companies", help="Manage member companies.")


@companies_cli.command("invite")
@click.argument("company_id", type=int)
@click.argument("emails", nargs=-1, required=True)
@click.option("--by", "by_email", required=True, help="The email of the administrator inviting.")
@click.option("--manager", is_flag=True, help="Invite them to manage the company.")
def companies_invite(company_id, emails, by_email, manager):
    """E-mail an invitation to join company COMPANY_ID to each of EMAILS (set
    SERVER_NAME: the links need the site's address); print each link."""
    from app.auth import membership
    from app.auth.models import Company
    from app.auth.notices import send_invitation

    if not current_app.config.get("SERVER_NAME"):
        raise click.ClickException("Set SERVER_NAME (DXA_SERVER_NAME=academy.example.vn).")
    company = db.session.get(Company, company_id) if 0 < company_id < 2**31 else None
    if company is None:
        raise click.ClickException(f"No company has the id {company_id}.")
    admin = auth_services.get_user_by_email(by_email)
    if admin is None or admin.role != "admin":
        raise click.ClickException(f"{by_email} is not an administrator's account.")
    wrong = [email for email in emails if not auth_services.is_email(email)]
    if wrong:
        raise click.ClickException(f"Not email addresses: {', '.join(wrong)}")
    addresses = membership.split_addresses(" ".join(emails))
    sent = [(email, membership.invite(company, admin, email, manager)) for email in addresses]
    db.session.commit()
    for email, invited in sent:
        if invited is None:
            click.echo(f"{email} is a member already.")
            continue
        row, token = invited
        send_invitation(row, token, admin.name)
        click.echo(f"Invited {email}: {url_for('companies.invitation', token=token)}")


@users_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be done; change nothing.")
@click.option("--update", is_flag=True, help="Update the accounts whose email exists.")
def users_import(path, dry_run, update):
    """Create learners (and their companies) from a CSV or XLSX file in Moodle's "Upload
    users" columns, all or none; new accounts are e-mailed a link to choose a password."""
    from app.admin import imports
    from app.admin.importing import FileRefused

    try:
        plan = imports.plan(path.read_bytes(), path.name, update)
    except FileRefused as error:
        raise click.ClickException(str(error.message)) from error
    for problem in plan.problems:
        click.echo(f"row {problem.row}, {problem.column}: {problem.message}")
    if not dry_run and not plan.problems:
        if plan.create and not current_app.config.get("SERVER_NAME"):
            raise click.ClickException("Set SERVER_NAME (DXA_SERVER_NAME=academy.example.vn).")
        welcome = imports.apply(plan, None)
        db.session.commit()
        for user, token in welcome:
            imports.send_welcome(user, token)
    click.echo(plan.summary)
    if plan.problems:
        raise SystemExit(1)


@click.command("demo")
@with_appcontext
def demo():
    """Create a demo company whose three staff took the assessment, a trainer and an
    administrator; print their logins."""
    from app import demo as demo_data

    logins = demo_data.create_demo()
    db.session.commit()
    click.echo("Demo accounts (email / password); the first learner manages the company:")
    for role, email, password in logins:
        click.echo(f"  {role:<8} {email} / {password}")


jobs_cli = AppGroup("jobs", help="Run the background jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def jobs_worker(burst):
    """Run the queued jobs (e-mail, and later imports and exports); needs REDIS_URL."""
    from app import jobs

    try:
        jobs.work(current_app._get_current_object(), burst=burst)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error


studio_cli = AppGroup("studio", help="The trainers' studio.")


@studio_cli.command("publish-due")
def studio_publish_due():
    """Publish the drafts scheduled for now or earlier (from cron, every minute)."""
    published = publish_due(utcnow())
    db.session.commit()
    click.echo(f"published {published}")


reports_cli = AppGroup("reports", help="What the administration's reports keep.")


@reports_cli.command("recount")
def reports_recount():
    """Count again every learner's record in each module and the modules each person's
    latest assessment recommends (after upgrading a database that has learners)."""
    refresh_records(get_catalogue(DEFAULT_LANGUAGE))
    recount_recommendations()
    db.session.commit()
    click.echo("counted again")


search_cli = AppGroup("search", help="Search's index of the course.")


@search_cli.command("reindex")
def search_reindex():
    """Index every lesson, module and glossary term learners can read again (after
    changing the database by other means than the import and the studio)."""
    entries = index_everything()
    db.session.commit()
    click.echo(f"indexed {entries} entries")


def init_app(app: Flask) -> None:
    app.cli.add_command(search_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(studio_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(companies_cli)
    app.cli.add_command(demo)
