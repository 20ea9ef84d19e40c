"""Reading a file of learners to import, as programmes keep them for Moodle's "Upload
users": CSV (UTF-8, with or without a byte-order mark, commas or semicolons) or XLSX; the
columns ``username, firstname, lastname, email, password, lang, cohort1…`` and ours
(``name, company, company_tax_code, province, sector, size_band, role, manager,
programme``). Pure: a file's bytes in, learners and problems out; finding the companies
and the accounts is the caller's."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.vn import mst

from app.auth.choices import PROVINCES, SECTORS, SIZE_BANDS
from app.auth.models import ROLES
from app.languages import LANGUAGES
from app.text import CONTROL_CHARACTER, fold

COLUMNS = frozenset(
    {
        "username", "firstname", "lastname", "name", "email", "password", "lang",
        "company", "company_tax_code", "province", "sector", "size_band", "role", "manager",
        "programme",
    }
)  # fmt: skip
#: Moodle's cohort1, cohort2…: accepted, the programme a learner is enrolled in
COHORT = re.compile(r"cohort\d+")
MAX_ROWS = 50_000
TRUE = {"1", "yes", "y", "true", "x", "có", "co"}
FALSE = {"", "0", "no", "n", "false", "không", "khong"}


class FileRefused(Exception):
    """The file as a whole cannot be read: its ``message`` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CompanyCell:
    """A company as the file names it: found by its tax code or its name and province,
    or described in full to be registered."""

    name: str
    tax_code: str | None
    province: str | None
    sector: str | None
    size_band: str | None

    @property
    def complete(self) -> bool:
        return bool(self.name and self.province and self.sector and self.size_band)


@dataclass(frozen=True)
class Learner:
    row: int  # the file's row number, the header being row 1
    email: str
    name: str
    password: str | None
    locale: str | None
    role: str
    manager: bool
    company: CompanyCell | None
    programmes: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: object  # a lazy translated text


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The file's rows as texts: XLSX by its name, anything else as CSV."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_l("The file is not in UTF-8: save it as CSV UTF-8.")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:  # a cell longer than any, a quote left open at the end
        raise FileRefused(_l("This CSV file cannot be read: check its quotes.")) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(_l("This is not an XLSX workbook that can be read.")) from None
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else _plain(value) for value in values])
    return rows


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _merged(label_sets: Iterable[dict[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for labels in label_sets:
        merged.update({fold(label): key for label, key in labels.items()})
    return merged


def read_learners(
    table: list[list[str]],
    sector_labels: Sequence[dict[str, str]] = (),
    size_labels: Sequence[dict[str, str]] = (),
) -> tuple[list[Learner], list[Problem]]:
    """The learners of ``table`` and every problem of its rows. ``sector_labels`` and
    ``size_labels`` are, per language, {label: key}, so that "Bán lẻ…" and "Retail…"
    both name a sector. Raises FileRefused for a header that cannot be read."""
    rows = [row for row in table if any(cell.strip() for cell in row)]
    if not rows:
        raise FileRefused(_l("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise FileRefused(_l("At most %(n)s learners in one file.", n=MAX_ROWS))
    header = [fold(cell.strip()) for cell in rows[0]]
    for column in header:
        if column not in COLUMNS and not COHORT.fullmatch(column):
            raise FileRefused(_l('Unknown column "%(column)s".', column=column or "?"))
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise FileRefused(_l('The column "%(column)s" is there twice.', column=repeated[0]))
    if "email" not in header:
        raise FileRefused(_l('The file needs an "email" column.'))
    if "name" not in header and not {"firstname", "lastname"} <= set(header):
        raise FileRefused(_l('The file needs a "name" column, or "firstname" and "lastname".'))
    sectors = _merged([{key: key for key in SECTORS}, *sector_labels])
    sizes = _merged([{key: key for key in SIZE_BANDS}, *size_labels])
    provinces = {fold(province): province for province in PROVINCES}
    learners: list[Learner] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, values in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in values):
            continue
        cells = {column: (values[i].strip() if i < len(values) else "")
                 for i, column in enumerate(header)}  # fmt: skip
        before = len(problems)

        def problem(column: str, message) -> None:
            problems.append(Problem(number, column, message))  # noqa: B023 - used at once

        unreadable = [column for column, cell in cells.items() if CONTROL_CHARACTER.search(cell)]
        if unreadable:
            problem(unreadable[0], _l("This cell holds a character that is not text."))
            continue

        email = _email(cells["email"])
        if email is None:
            problem("email", _l("This is not an email address."))
        elif email in seen:
            problem("email", _l("This email is on an earlier row already."))
        else:
            seen.add(email)
        if "name" in cells and cells["name"]:
            name = " ".join(cells["name"].split())
        else:
            name = " ".join(f"{cells.get('lastname', '')} {cells.get('firstname', '')}".split())
        if not name:
            problem("name" if "name" in cells else "firstname", _l("The name is empty."))
        elif len(name) > 120:
            problem("name" if "name" in cells else "firstname", _l("The name is too long."))
        locale = cells.get("lang", "").lower() or None
        if locale is not None and locale not in LANGUAGES:
            problem("lang", _l("The language is vi or en."))
        role = cells.get("role", "").lower() or "learner"
        if role not in ROLES:
            problem("role", _l("The role is learner, trainer or admin."))
        manager = cells.get("manager", "").lower()
        if manager not in TRUE | FALSE:
            problem("manager", _l("Write 1 for a manager, 0 or nothing otherwise."))
        company = None
        if cells.get("company") or cells.get("company_tax_code"):
            company = _company(cells, sectors, sizes, provinces, problem)
        elif cells.get("province") and fold(cells["province"]) not in provinces:
            problem("province", _l("No province or city has this name."))
        password = cells.get("password") or None
        programmes = tuple(
            cells[column] for column in header
            if (column == "programme" or COHORT.fullmatch(column)) and cells[column]
        )  # fmt: skip
        if len(problems) == before and email is not None:
            learners.append(
                Learner(
                    number,
                    email,
                    name,
                    password,
                    locale,
                    role,
                    manager in TRUE,
                    company,
                    programmes,
                )  # fmt: skip
            )
    return learners, problems


def _email(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _company(cells, sectors, sizes, provinces, problem) -> CompanyCell | None:
    tax_code = cells.get("company_tax_code") or None
    if tax_code:
        try:
            tax_code = mst.validate(tax_code)
        except InvalidNumber:
            problem("company_tax_code", _l("This is not a Vietnamese tax code."))
            return None
    province = None
    if cells.get("province"):
        province = provinces.get(fold(cells["province"]))
        if province is None:
            problem("province", _l("No province or city has this name."))
            return None
    sector = sectors.get(fold(cells["sector"])) if cells.get("sector") else None
    if cells.get("sector") and sector is None:
        problem("sector", _l("No sector has this name."))
        return None
    size_band = sizes.get(fold(cells["size_band"])) if cells.get("size_band") else None
    if cells.get("size_band") and size_band is None:
        problem("size_band", _l("The size is micro, small or medium."))
        return None
    name = " ".join(cells.get("company", "").split())
    return CompanyCell(name, tax_code, province, sector, size_band)
