"""The team's learning as a company's manager sees it: each member with what they have
completed, how many staff completed each module, sorted as asked, and as CSV."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.auth import membership
from app.auth.models import Company, Membership
from app.content.catalogue import Catalogue, ModuleView
from app.learn.services import team_learning
from app.text import spreadsheet_cell


@dataclass(frozen=True)
class Member:
    membership: Membership
    name: str
    email: str
    is_manager: bool
    joined_at: datetime | None
    last_active: datetime | None  # logged in, opened a lesson, submitted a quiz
    completed: frozenset[str]  # module slugs
    lessons_completed: int
    quizzes_passed: int


def _latest(*times: datetime | None) -> datetime | None:
    known = [time for time in times if time is not None]
    return max(known) if known else None


def team(company: Company, catalogue: Catalogue) -> list[Member]:
    """The company's active members and their learning, managers first, then by name."""
    rows = membership.members(company)
    learning = team_learning([row.user_id for row in rows if row.user_id], catalogue)
    team = []
    for row in rows:
        user = row.user
        assert user is not None  # an active membership has its account
        done = learning[user.id]
        team.append(
            Member(
                membership=row,
                name=user.name,
                email=user.email,
                is_manager=row.is_manager,
                joined_at=row.joined_at,
                last_active=_latest(user.last_login_at, done.last_activity),
                completed=done.completed,
                lessons_completed=done.lessons_completed,
                quizzes_passed=done.quizzes_passed,
            )
        )
    return team


#: how the team's table sorts, by the name in the page's address
SORTS = {
    "name": lambda m: (m.name.casefold(), m.email),
    "joined": lambda m: (m.joined_at is not None, m.joined_at),
    "active": lambda m: (m.last_active is not None, m.last_active),
    "lessons": lambda m: m.lessons_completed,
    "modules": lambda m: len(m.completed),
    "quizzes": lambda m: m.quizzes_passed,
}


def sort_team(members: Sequence[Member], key: str, descending: bool) -> list[Member]:
    """``members`` sorted by ``key`` (one of SORTS; an unknown one keeps their order);
    ties keep the order they had."""
    if key not in SORTS:
        return list(members)
    return sorted(members, key=SORTS[key], reverse=descending)


def completions(members: Sequence[Member], catalogue: Catalogue) -> list[tuple[ModuleView, int]]:
    """Each module of the catalogue with how many of ``members`` completed it."""
    return [
        (module, sum(module.slug in member.completed for member in members))
        for module in catalogue.modules
    ]


def _when(time: datetime | None) -> str:
    return time.strftime("%Y-%m-%d") if time else ""


def team_csv(
    members: Sequence[Member], catalogue: Catalogue, headings: Sequence[str], roles: Sequence[str]
) -> str:
    """The team's table as CSV: ``headings`` name the first eight columns and ``roles``
    say manager and member, in the reader's language; then one column per module, 1 when
    the member completed it. Starts with a byte-order mark so that spreadsheet programs
    read the Vietnamese letters."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*headings, *(spreadsheet_cell(module.title) for module in catalogue.modules)])
    for member in members:
        writer.writerow(
            [
                spreadsheet_cell(member.name),
                spreadsheet_cell(member.email),
                roles[0] if member.is_manager else roles[1],
                _when(member.joined_at),
                _when(member.last_active),
                member.lessons_completed,
                len(member.completed),
                member.quizzes_passed,
                *(int(module.slug in member.completed) for module in catalogue.modules),
            ]
        )
    return "\ufeff" + out.getvalue()
