"""The completion report's figures, counted by the database, against the same figures
counted by hand in Python from the same module records, for random records."""

from datetime import UTC, datetime, timedelta
from statistics import median

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.admin import services
from app.auth.models import User
from app.content.models import Module
from app.extensions import db
from app.learn.models import ModuleRecord

DAY0 = datetime(2026, 9, 1, tzinfo=UTC)
START, END = DAY0 + timedelta(days=10), DAY0 + timedelta(days=40)


def moment(days: int | None) -> datetime | None:
    return None if days is None else DAY0 + timedelta(days=days)


record = st.tuples(
    st.integers(0, 2),  # which learner
    st.integers(0, 1),  # which module
    st.one_of(st.none(), st.integers(0, 60)),  # started, days after DAY0
    st.one_of(st.none(), st.integers(0, 30)),  # completed, days after the start
    st.booleans(),  # attempted
    st.booleans(),  # passed, if attempted
)


def by_hand(rows, learners: int, start, end) -> dict[int, services.GroupFigures]:
    """The figures of each module from rows (user, module, started, completed, attempted,
    passed), as the report defines them."""

    def within(at):
        return at is not None and (start is None or at >= start) and (end is None or at < end)

    figures = {}
    for module in {row[1] for row in rows}:
        mine = [row for row in rows if row[1] == module]
        done = [row for row in mine if within(row[3])]
        days = [(row[3] - row[2]).total_seconds() / 86400 for row in done if row[2]]
        figures[module] = services.GroupFigures(
            learners,
            sum(1 for row in mine if within(row[2])),
            len(done),
            sum(1 for row in mine if row[4]),
            sum(1 for row in mine if row[5]),
            round(median(days), 1) if days else None,
        )
    return figures


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(record, max_size=6, unique_by=lambda row: row[:2]), st.booleans())
def test_the_database_counts_the_report_as_it_is_defined(app, course, make_user, drawn, ranged):
    with app.app_context():
        people = list(db.session.scalars(select(User.id).where(User.role == "learner")))
    while len(people) < 3:
        people.append(make_user().id)
    with app.app_context():
        modules = list(db.session.scalars(select(Module.id).order_by(Module.position)))
        db.session.execute(delete(ModuleRecord))
        rows = []
        for who, which, started, after, attempted, passed in drawn:
            at = moment(started)
            done = at + timedelta(days=after) if at is not None and after is not None else None
            rows.append((people[who], modules[which], at, done, attempted, attempted and passed))
            db.session.add(ModuleRecord(user_id=people[who], module_id=modules[which],
                                        started_at=at, completed_at=done, attempted=attempted,
                                        passed=attempted and passed))  # fmt: skip
        db.session.flush()
        start, end = (START, END) if ranged else (None, None)
        scope = services.learner_scope(None)
        found = services.report_figures("module", scope, start, end)
        expected = by_hand(rows, 3, start, end)
        for module in modules:
            assert found[module] == expected.get(module, services.GroupFigures(3, 0, 0, 0, 0, None))
        db.session.rollback()
