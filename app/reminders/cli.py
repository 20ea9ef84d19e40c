"""``flask reminders send``: the week's reminders and digests, for cron."""

import click
from flask.cli import AppGroup

from app.reminders import sending

reminders_cli = AppGroup("reminders", help="Weekly reminders to learners and digests to managers.")


@reminders_cli.command("send")
def reminders_send():
    """Send this week's reminders and digests; a second run in the same week sends only
    what the first did not (nothing, unless someone became due in between)."""
    try:
        sent = sending.send_weekly()
    except sending.NoServerName as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{sent.week}: sent {sent.reminders} reminder(s) and {sent.digests} digest(s).")
