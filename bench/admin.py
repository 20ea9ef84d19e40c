"""The administration at the scale of a national programme: 100,000 learners in 3,000
companies over the 34 provinces, with lesson progress, quiz attempts and assessments.

Empties the PostgreSQL database of ``BENCH_DATABASE_URL`` (it must be a disposable one),
builds the schema and imports the course, then bulk-loads the programme with ``COPY``:
first 10,000 learners in 300 companies, measured, then the other 90,000, measured again.
Each page is requested through the application in this process, signed in as an
administrator, and timed as the median of a few runs; the export is read to its end while
its memory is traced. Figures are printed one per line; the targets are in the issue and
in docs/architecture.md.

Usage: BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dxa_bench \
       python bench/admin.py [--learners N] [--companies N]
"""

import argparse
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.admin import imports  # noqa: E402
from app.assessment import scoring  # noqa: E402
from app.assessment import services as assessment_services  # noqa: E402
from app.assessment.services import recount_recommendations  # noqa: E402
from app.auth.choices import PROVINCES, SECTORS, SIZE_BANDS  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.auth.services import SESSION_TOKEN, create_user, start_session  # noqa: E402
from app.content.catalogue import get_catalogue  # noqa: E402
from app.demo import demo_answer  # noqa: E402
from app.extensions import db  # noqa: E402
from app.learn.services import refresh_records  # noqa: E402
from app.text import fold  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc", "Hữu", "Thanh")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Tâm")


def run_flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def reset(url: str) -> None:
    """Empty the database, build the schema and import the course."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "bench"}
    run_flask(env, "db", "upgrade")
    run_flask(env, "content", "import")


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


class Programme:
    """Generates the rows of companies and learners, numbered from where it left off."""

    def __init__(self, course: list[tuple[int, list[int]]], results: list[tuple[dict, dict]]):
        self.course = course  # (module id, its lesson ids), in course order
        self.results = results  # (answers, stored result) to draw assessments from
        self.random = random.Random(7)
        self.companies = 0
        self.learners = 0

    def copy(self, conn, table: str, columns: str, rows) -> None:
        with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def load(self, conn, companies: int, learners: int) -> None:
        rnd = self.random
        first_company, first_user = (
            conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
            for table in ("companies", "users")
        )
        company_rows = []
        for n in range(first_company, first_company + companies):
            name = f"Công ty {rnd.choice(GIVEN)} {rnd.choice(MIDDLE)} số {n}"
            company_rows.append((n, name, fold(name), rnd.choice(list(SECTORS)),
                                 rnd.choice(list(SIZE_BANDS)), rnd.choice(PROVINCES),
                                 ago(rnd.uniform(120, 400)), f"{n:010d}"))  # fmt: skip
        self.copy(conn, "companies",
                  "id, name, name_key, sector, size_band, province, created_at, tax_code",
                  company_rows)  # fmt: skip
        users, members, progress, attempts, assessments = [], [], [], [], []
        for n in range(first_user, first_user + learners):
            company = first_company + (n - first_user) % companies
            name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            email = f"hoc.vien{n}@example.vn"
            created = ago(rnd.uniform(30, 300))
            idle = rnd.choice((1, 3, 10, 20, 40, 90))  # days since they last did anything
            last = max(created, ago(idle))
            users.append((n, email, name, "!", "learner", "vi", True, created, last, created,
                          True, f"{fold(name)} {email}"))  # fmt: skip
            members.append((company, n, "active", "import", n % 40 == 1, False, created, created))
            self.reading(n, created, last, progress, attempts)
            if rnd.random() < 0.6:
                for at in sorted(rnd.uniform(created.timestamp(), last.timestamp())
                                 for _ in range(rnd.choice((1, 1, 2)))):  # fmt: skip
                    answers, result = rnd.choice(self.results)
                    moment = datetime.fromtimestamp(at, UTC)
                    assessments.append((n, company, json.dumps(answers), moment, moment, moment,
                                        result["placement"], result["crm_level"],
                                        json.dumps(result), "bench"))  # fmt: skip
        self.copy(conn, "users", "id, email, name, password_hash, role, locale, active, "
                  "created_at, last_login_at, email_confirmed_at, reminders, search_key",
                  users)  # fmt: skip
        self.copy(conn, "memberships",
                  "company_id, user_id, state, source, is_manager, digest, created_at, joined_at",
                  members)  # fmt: skip
        self.copy(conn, "lesson_progress", "user_id, lesson_id, opened_at, completed_at",
                  progress)  # fmt: skip
        self.copy(conn, "quiz_attempts", "user_id, module_id, number, seed, layout, responses, "
                  "started_at, submitted_at, score, passed", attempts)  # fmt: skip
        self.copy(conn, "assessments", "user_id, company_id, answers, started_at, updated_at, "
                  "submitted_at, placement, crm_level, result, instrument_digest",
                  assessments)  # fmt: skip
        self.company_results(conn, first_company, companies)
        for table in ("companies", "users"):
            conn.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
        conn.execute("ANALYZE")
        self.companies += companies
        self.learners += learners

    def reading(self, user: int, start: datetime, end: datetime, progress, attempts) -> None:
        """A learner's lessons and quizzes: modules in course order, most finished, the
        last one often left half-read."""
        rnd = self.random
        modules = rnd.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 7, 11))
        span = max((end - start).total_seconds(), 60.0)
        for position, (module_id, lessons) in enumerate(self.course[:modules]):
            last_module = position == modules - 1
            read = rnd.randint(1, len(lessons)) if last_module else len(lessons)
            for lesson in lessons[:read]:
                opened = start + timedelta(seconds=rnd.uniform(0, span))
                done = opened + timedelta(minutes=rnd.uniform(5, 40))
                finished = done if done <= end and rnd.random() < 0.9 else None
                progress.append((user, lesson, opened, finished))
            if read == len(lessons) and rnd.random() < 0.8:
                for number in range(1, rnd.choice((2, 2, 3)) + 1):
                    at = start + timedelta(seconds=rnd.uniform(0, span))
                    score = rnd.uniform(30, 100)
                    attempts.append((user, module_id, number, number, "[]", "{}", at, at,
                                     round(score, 1), score >= 70))  # fmt: skip
                    if score >= 70:
                        break

    def company_results(self, conn, first: int, count: int) -> None:
        rows = []
        for company in range(first, first + count):
            _answers, result = self.random.choice(self.results)
            rows.append(
                (
                    company,
                    result["placement"],
                    result["crm_level"],
                    json.dumps(result["dimensions"]),
                    self.random.randint(1, 20),
                    NOW,
                )
            )
        self.copy(conn, "company_results",
                  "company_id, placement, crm_level, dimensions, respondents, updated_at",
                  rows)  # fmt: skip


def answer_pool(instrument, size: int = 200) -> list[tuple[dict, dict]]:
    """Answer sets of companies on every step, with some noise, and their results."""
    rnd = random.Random(11)
    pool = []
    for n in range(size):
        reached = n % 8
        answers = {}
        for question in instrument.questions:
            belief = reached + rnd.choice((-1, 0, 0, 0, 1))
            answers[question.id] = demo_answer(question, belief)
        result = scoring.assess(instrument, assessment_services.clean_answers(instrument, answers))
        pool.append((answers, scoring.result_to_dict(result)))
    return pool


def timed(fetch, runs: int = 5) -> float:
    """The median milliseconds of ``fetch()``, after one untimed warm-up."""
    fetch()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page(client, address: str):
    def fetch():
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        return response

    return fetch


def measure(app, client, learners: int) -> None:
    label = f"{learners} learners"
    print(f"completion report by company, {label}: "
          f"{timed(page(client, '/admin/reports?by=company')):.0f} ms", flush=True)  # fmt: skip
    if learners < 15_000:
        export(client, "/admin/reports.csv?by=learner", learners)
        return
    for name, address in (
        ("completion report by module", "/admin/reports?by=module"),
        ("completion report by province", "/admin/reports?by=province"),
        ("dashboard", "/admin/"),
        ("maturity distribution", "/admin/maturity?by=sector"),
        ("learners at risk", "/admin/at-risk"),
        ("users list, search and filter, page 1", "/admin/users?q=nguyen+an&status=active"),
        ("users list, search and filter, page 500", "/admin/users?q=hoc&status=active&page=500"),
        ("companies list, page 30", "/admin/companies?page=30"),
    ):
        print(f"{name}, {label}: {timed(page(client, address)):.0f} ms", flush=True)
    export(client, "/admin/reports.csv?by=learner", learners)


def export(client, address: str, learners: int) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(address, buffered=False)
    rows = sum(chunk.count(b"\n") for chunk in response.response)
    seconds = time.perf_counter() - start
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    assert rows > learners, rows
    print(f"export {learners} learners CSV: {seconds:.1f} s, peak memory {peak / 2**20:.0f} MB")


def import_rows(app, count: int) -> None:
    """Import ``count`` new learners into existing companies and new ones."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lastname", "firstname", "email", "company", "province", "sector",
                     "size_band", "lang"])  # fmt: skip
    rnd = random.Random(3)
    for n in range(count):
        company = f"Hợp tác xã mới {n // 25}"
        writer.writerow([f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)}", rnd.choice(GIVEN),
                         f"moi{n}@example.vn", company, PROVINCES[n // 25 % len(PROVINCES)],
                         "food", "small", "vi"])  # fmt: skip
    data = out.getvalue().encode("utf-8")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        start = time.perf_counter()
        plan = imports.plan(data, "learners.csv", False)
        assert not plan.problems, plan.problems[:3]
        imports.apply(plan, admin)
        db.session.commit()
        seconds = time.perf_counter() - start
    print(f"import {count} rows: {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=3_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        sys.exit("Set BENCH_DATABASE_URL to a disposable PostgreSQL database.")
    raw_url = url.replace("postgresql+psycopg://", "postgresql://")
    start = time.perf_counter()
    reset(raw_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": raw_url.replace("postgresql://",
                                                                 "postgresql+psycopg://"),
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench"})  # fmt: skip
    with app.app_context():
        instrument = assessment_services.get_instrument()
        catalogue = get_catalogue("vi")
        course = [(m.id, [lesson.id for lesson in m.lessons]) for m in catalogue.modules]
        admin = create_user(email="admin@example.vn", name="Quản trị", password="bench-admin-1",
                            role="admin")  # fmt: skip
        token = start_session(admin)
        db.session.commit()
        admin_id = admin.id
    programme = Programme(course, answer_pool(instrument))
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": str(admin_id), "_fresh": True, SESSION_TOKEN: token})
    first = options.learners // 10
    with psycopg.connect(raw_url) as conn:
        programme.load(conn, options.companies // 10, first)
    rebuild(app)
    print(f"loaded {first} learners in {time.perf_counter() - start:.0f} s", flush=True)
    measure(app, client, first)
    with psycopg.connect(raw_url) as conn:
        programme.load(conn, options.companies - options.companies // 10,
                       options.learners - first)  # fmt: skip
    rebuild(app)
    print(f"loaded {options.learners} learners in {time.perf_counter() - start:.0f} s",
          flush=True)  # fmt: skip
    measure(app, client, options.learners)
    import_rows(app, options.import_rows)


def rebuild(app) -> None:
    """Count the loaded learners' records, as a course import does; print how long."""
    start = time.perf_counter()
    with app.app_context():
        refresh_records(get_catalogue("vi"))
        recount_recommendations()
        db.session.commit()
    with psycopg.connect(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", "")) as conn:
        conn.execute("ANALYZE module_records")
    print(f"module records counted again: {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
