"""The completion report as a table: read from the choices in an address, shown on the
page, sent as a file while it is read (CSV), or, for a large XLSX when there is a job
queue, written in the background into a file the administrator fetches when it is
ready. Files written so are kept a day."""

import io
import secrets
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as day_start
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from werkzeug.datastructures import MultiDict

from app.admin import services
from app.admin.forms import ReportForm
from app.auth.choices import SECTORS
from app.content.catalogue import get_catalogue
from app.i18n import current_locale
from app.programmes import services as programme_services
from app.text import spreadsheet_cell

#: how long a file written in the background is kept
KEPT_SECONDS = 86400


def completion(args: Mapping, limit: int | None = None):
    """The completion report that ``args`` (an address's query) asks for: (form, rows),
    or (form, None) when the choices cannot be read. By learner, the rows are read from
    the database as they are used, unless ``limit`` asks for the first few."""
    form = ReportForm(args)
    form.set_programmes(programme_services.every(), current_locale())
    if not form.validate():
        return form, None
    start = form.start.data and datetime.combine(form.start.data, day_start(), tzinfo=UTC)
    end = form.end.data and datetime.combine(form.end.data + timedelta(days=1), day_start(),
                                             tzinfo=UTC)  # fmt: skip
    programme_id = int(form.programme.data) if form.programme.data else None
    if form.by.data == "learner" and limit is None:
        scope = services.learner_scope(programme_id)
        return form, services.learner_report(scope, start or None, end or None)
    rows = services.completion_report(
        get_catalogue(current_locale()),
        form.by.data or "module",
        programme_id=programme_id,
        start=start or None,
        end=end or None,
        sector_names={key: str(label) for key, label in SECTORS.items()},
        limit=limit,
    )
    return form, rows


def completion_name(form: ReportForm) -> str:
    return f"dx-academy-completion-by-{form.by.data or 'module'}"


def headings() -> list[str]:
    return [_("Group"), _("Learners"), _("Started"), _("Completed"), _("Quiz pass rate (%)"),
            _("Median days to complete")]  # fmt: skip


def table(rows: Iterable[services.ReportRow]) -> Iterator[list]:
    """The headings, then a line per row, as they are asked for."""
    yield headings()
    for row in rows:
        figures = row.figures
        yield [spreadsheet_cell(row.key), figures.learners, figures.started, figures.completed,
               "" if figures.pass_rate is None else figures.pass_rate,
               "" if figures.median_days is None else figures.median_days]  # fmt: skip


def _write_xlsx(lines: Iterable[list], out) -> None:
    book = Workbook(write_only=True)  # rows go to a temporary file, not memory
    sheet = book.create_sheet()
    for line in lines:
        sheet.append(line)
    book.save(out)


def xlsx_of(lines: Iterable[list]) -> bytes:
    out = io.BytesIO()
    _write_xlsx(lines, out)
    return out.getvalue()


def _folder() -> Path:
    folder = Path(current_app.config["EXPORTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_completion(args: dict, locale: str, site: str) -> str:
    """A background job: write the completion report of ``args`` as an XLSX file, in
    ``locale``, as the request on ``site`` would have; the file's name. Files older
    than KEPT_SECONDS go first."""
    folder = _folder()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - KEPT_SECONDS:
            old.unlink(missing_ok=True)
    with current_app.test_request_context(base_url=site), force_locale(locale):
        form, rows = completion(MultiDict(args))
        if rows is None:
            raise ValueError("the report's choices were checked before the job was queued")
        name = f"{secrets.token_urlsafe(16)}.{completion_name(form)}.xlsx"
        _write_xlsx(table(rows), folder / name)
    return name


@dataclass(frozen=True)
class Saved:
    path: Path
    name: str  # the name to save it under


def saved(result: object) -> Saved | None:
    """The file a write_completion job wrote (``result`` is the name it returned), or
    None when there is none (a job that is not an export, or a file gone)."""
    if not isinstance(result, str) or not result.endswith(".xlsx"):
        return None
    path = _folder() / Path(result).name
    _secret, _dot, name = path.name.partition(".")
    return Saved(path, name) if path.is_file() else None
