"""Reading a table that a person uploads: CSV (UTF-8, with or without Excel's byte-order
mark, comma, semicolon or tab separated) or XLSX (the first sheet).

    sheet = read_sheet(name, stream, COLUMNS, required={"name", "kind"})
    for line, row in sheet.rows:       # the line number a person sees in Excel
        ...                            # row["name"], row["kind"], ...

Anything unreadable raises `SheetError` with every problem found, each with its line (and
column where it has one), in the reader's language: a wrong encoding (latin-1, UTF-16), an
empty file, a file too large, merged or missing header cells, unknown or missing columns.
An import built on this checks every row too and writes nothing unless all are good.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from tenants.refusal import Refused

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str | None
    message: str


@dataclass
class Sheet:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class SheetError(Refused):
    """The file, or some of its rows, cannot be taken; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(ngettext(
            "Nothing was imported: the file has %(num)s problem. Correct it and upload the "
            "file again.",
            "Nothing was imported: the file has %(num)s problems. Correct them and upload the "
            "file again.", len(problems)), "file")
        self.problems = problems


def _megabytes(n: int) -> str:
    return format_decimal(n / (1024 * 1024), format="#,##0.#")


def _normal(header: str) -> str:
    return "_".join(str(header or "").strip().lower().replace("-", " ").split())


def read_sheet(filename: str, stream: BinaryIO, columns: dict[str, tuple[str, ...]],
               required: set[str], max_bytes: int = MAX_BYTES) -> Sheet:
    """The rows of an uploaded table, by column name; raises SheetError.

    `columns` maps each column's name to the header spellings accepted for it (the first is
    the one messages name; give both languages'); headers are compared without case, spaces
    or dashes."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SheetError([Problem(None, None, _(
            "The file is larger than %(limit)s MB. Split it into smaller files.",
            limit=_megabytes(max_bytes)))])
    if not data.strip():
        raise SheetError([Problem(None, None, _("The file is empty."))])
    if data.startswith(XLSX_MAGIC):
        header, rows = _xlsx(data)
    elif filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise SheetError([Problem(None, None, _(
            "This is not an Excel workbook that can be read (.xlsx). Save it again from "
            "Excel as “Excel Workbook (.xlsx)” or “CSV UTF-8”."))])
    else:
        header, rows = _csv(data)
    return _by_column(header, rows, columns, required)


def _csv(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        raise SheetError([Problem(None, None, _(
            "The file is in UTF-16, which cannot be read here. In Excel, save it as "
            "“CSV UTF-8 (Comma delimited)”."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SheetError([Problem(line, None, _(
            "The file is not in UTF-8 (perhaps Windows or latin-1 encoding). In Excel, save "
            "it as “CSV UTF-8 (Comma delimited)”."))]) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    lines = [(reader.line_num, row) for row in reader]
    if not lines:
        raise SheetError([Problem(None, None, _("The file is empty."))])
    (_n, header), *rows = lines
    return header, [(n, row) for n, row in rows]


def _xlsx(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError([Problem(None, None, _(
            "This Excel file is damaged and cannot be read. Save it again from Excel."))]
        ) from exc
    sheet = book.worksheets[0]
    merged = [str(r) for r in sheet.merged_cells.ranges if r.min_row == 1]
    if merged:
        raise SheetError([Problem(1, None, _(
            "The header row has merged cells (%(cells)s). Give every column its own header "
            "cell.", cells=", ".join(merged)))])
    lines = [(row[0].row, [_cell(c.value) for c in row])
             for row in sheet.iter_rows() if row]
    if not lines:
        raise SheetError([Problem(None, None, _("The file is empty."))])
    (_n, header), *rows = lines
    return header, rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _by_column(header: list[str], rows: list[tuple[int, list[str]]],
               columns: dict[str, tuple[str, ...]], required: set[str]) -> Sheet:
    accepted = {_normal(spelling): name for name, spellings in columns.items()
                for spelling in (name, *spellings)}
    shown = {name: (spellings[0] if spellings else name) for name, spellings in columns.items()}
    problems, names = [], []
    for position, title in enumerate(header, start=1):
        key = _normal(title)
        if not key:
            if any(len(r) >= position and r[position - 1].strip() for _n, r in rows):
                problems.append(Problem(1, str(position), _(
                    "Column %(n)s has values but no header.", n=position)))
            names.append(None)
        elif key not in accepted:
            problems.append(Problem(1, title, _(
                "Unknown column “%(column)s”. The columns are: %(columns)s.",
                column=title, columns=", ".join(shown.values()))))
            names.append(None)
        elif accepted[key] in names:
            problems.append(Problem(1, title, _("The column “%(column)s” appears twice.",
                                                column=title)))
            names.append(None)
        else:
            names.append(accepted[key])
    for name in sorted(required - set(names)):
        problems.append(Problem(1, shown[name], _("The column “%(column)s” is missing.",
                                                  column=shown[name])))
    if problems:
        raise SheetError(problems)
    sheet = Sheet(columns=[n for n in names if n])
    for line, values in rows:
        if not any(str(v).strip() for v in values):
            continue  # a blank line in the middle is not a row
        row = {name: (str(values[i]).strip() if i < len(values) else "")
               for i, name in enumerate(names) if name}
        sheet.rows.append((line, row))
    if not sheet.rows:
        raise SheetError([Problem(None, None, _("The file has a header but no rows."))])
    if len(sheet.rows) > MAX_ROWS:
        raise SheetError([Problem(None, None, _(
            "The file has more than %(n)s rows. Split it into smaller files.", n=MAX_ROWS))])
    return sheet
