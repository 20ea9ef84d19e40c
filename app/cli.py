"""Command line: ``flask content check|import|export``, ``flask users create``,
``flask demo``. Commands call services, commit once and report with click.echo."""

from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.assessment import services as assessment_services
from app.assessment.instrument import read_instrument, write_instrument
from app.auth import services as auth_services
from app.auth.models import ROLES
from app.content import services as content_services
from app.content.files import read_course, write_course
from app.content.glossary import read_glossary, write_glossary
from app.extensions import db

content_cli = AppGroup("content", help="Check, import and export the course files.")
users_cli = AppGroup("users", help="Manage user accounts.")

PATH_ARGUMENT = click.argument(
    "path", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def _root(path: Path | None) -> Path:
    return path or Path(current_app.config["CONTENT_DIR"])


@dataclass
class CourseFiles:
    modules: list
    terms: list
    instrument: str | None
    problems: list


def _read(root: Path) -> CourseFiles:
    """Everything under ``root``: modules, glossary and assessment, and their problems."""
    modules, problems = read_course(root)
    known = {m.slug for m in modules} | {p.name[3:] for p in (root / "courses").glob("??-*")}
    terms, glossary_problems = read_glossary(root, known)
    instrument, instrument_problems = read_instrument(root, known)
    return CourseFiles(
        modules, terms, instrument, problems + glossary_problems + instrument_problems
    )


@content_cli.command("check")
@PATH_ARGUMENT
def content_check(path):
    """Validate courses/ and quizzes/ under PATH; report each problem as file:line."""
    files = _read(_root(path))
    for problem in files.problems:
        click.echo(str(problem))
    if files.problems:
        raise click.ClickException(f"{len(files.problems)} problem(s) found.")
    lessons = sum(len(m.lessons) for m in files.modules)
    click.echo(
        f"OK: {len(files.modules)} modules, {lessons} lessons, {len(files.terms)} glossary "
        f"terms{', the assessment' if files.instrument else ''}."
    )


@content_cli.command("import")
@PATH_ARGUMENT
@click.option("--force", is_flag=True, help="Overwrite edits made in the browser.")
def content_import(path, force):
    """Load the files under PATH into the database, in one transaction."""
    files = _read(_root(path))
    for problem in files.problems:
        click.echo(str(problem), err=True)
    if files.problems:
        raise click.ClickException(f"{len(files.problems)} problem(s) found; nothing was imported.")
    reports = [
        content_services.import_course(files.modules, force=force),
        content_services.import_glossary(files.terms),
    ]
    instrument_changed = files.instrument is not None and assessment_services.import_instrument(
        files.instrument
    )
    db.session.commit()
    for report in reports:
        for kind in ("created", "updated", "removed"):
            for name in getattr(report, kind):
                click.echo(f"{kind}: {name}")
        for line in report.kept + report.conflicts:
            click.echo(f"warning: {line}", err=True)
    if instrument_changed:
        click.echo("updated: assessment")
    if not instrument_changed and not any(report.changed for report in reports):
        click.echo("Nothing changed.")


@content_cli.command("export")
@PATH_ARGUMENT
def content_export(path):
    """Write the database's modules, lessons, glossary and assessment as files."""
    root = _root(path)
    changed = write_course(content_services.export_course(), root)
    changed += write_glossary(content_services.export_glossary(), root)
    changed += write_instrument(assessment_services.export_instrument(), root)
    for written in changed:
        click.echo(f"wrote {written}")
    click.echo(f"{len(changed)} file(s) written." if changed else "Nothing changed.")


@users_cli.command("create")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.password_option()
def users_create(email, name, role, password):
    """Create an account (an administrator with --role admin)."""
    if len(password) < 8:
        raise click.ClickException("The password needs at least 8 characters.")
    try:
        user = auth_services.create_user(email=email, name=name, password=password, role=role)
    except auth_services.DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


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


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo)
