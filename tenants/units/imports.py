"""Importing a lab's units from a CSV or XLSX file, all or nothing, after a preview.

    rows = read_units(filename, stream)            # SheetError: the file cannot be taken
    plan = plan_of(session, rows)                  # what would be created and changed,
                                                   # and every bad line (line, column, why)
    upload_id = keep(tenant_id, rows)              # between the preview and the confirmation
    import_units(session, load(tenant_id, upload_id), digest=plan.digest, actor_id=...)

A line names an existing unit by its name (case and spacing aside): a different type or
short name is a change. Without a short-name column, short names are left as they are; with
one, an empty cell clears it. The parsed rows wait for the confirmation as a small file under
the tenant's key prefix, for an hour; the confirmation plans again from them and writes only
if nothing changed since the preview (the digest of the plan shown).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.labels import UNIT_KIND
from tenants.refusal import Refused
from tenants.sheets import Problem, SheetError, read_sheet
from tenants.storage import NotFound, storage, tenant_key
from tenants.units.models import Unit, UnitKind
from tenants.units.operations import (
    changes_of,
    clean,
    lock_units,
    name_taken,
    unit_problems,
)
from tenants.units.queries import units as all_units

LIFETIME = 3600  # seconds an uploaded file waits for its confirmation
UPLOAD_ID = re.compile(r"^[0-9]{10}-[0-9a-f]{32}$")

# Header spellings accepted besides the reader's own (compared without case, spaces, dashes).
SPELLINGS = {
    "name": ("Nama", "Name", "Nama unit", "Unit name", "Unit", "Nama perangkat daerah"),
    "kind": ("Jenis", "Kind", "Type", "Jenis unit", "Unit type", "Tipe", "Kategori"),
    "short_name": ("Singkatan", "Short name", "Nama singkat", "Abbreviation", "Akronim"),
}
REQUIRED = {"name", "kind"}

# What people write in the type column, any case: codes, names, and both languages' words.
KIND_WORDS = {
    **{kind.value: kind.value for kind in UnitKind},
    "sekolah": UnitKind.SEKOLAH.value, "school": UnitKind.SEKOLAH.value,
    "lainnya": UnitKind.OTHER.value, "lain-lain": UnitKind.OTHER.value,
    "lain lain": UnitKind.OTHER.value, "others": UnitKind.OTHER.value,
}


def column_titles() -> dict[str, str]:
    """The columns' headers in the reader's language (the template's, and the messages')."""
    return {"name": _("Name"), "kind": _("Type"), "short_name": _("Short name")}


def kind_names() -> str:
    """The types a file may name, for messages: "OPD, Puskesmas, …, Lainnya"."""
    return ", ".join(str(UNIT_KIND[kind.value]) for kind in UnitKind)


def kind_of(text: str) -> str | None:
    word = " ".join(text.replace("_", " ").split()).strip(" .").casefold()
    return KIND_WORDS.get(word) or {str(label).casefold(): code
                                    for code, label in UNIT_KIND.items()}.get(word)


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    kind: str            # as written in the file
    short_name: str | None  # None: the file has no short-name column

    @property
    def with_short(self) -> bool:
        return self.short_name is not None


@dataclass
class Rows:
    filename: str
    rows: list[Row]
    with_short_name: bool


def read_units(filename: str, stream: BinaryIO) -> Rows:
    """The lines of an uploaded file; raises SheetError if the file itself cannot be taken."""
    titles = column_titles()
    columns = {key: (titles[key], *spellings) for key, spellings in SPELLINGS.items()}
    sheet = read_sheet(filename, stream, columns, REQUIRED)
    with_short = "short_name" in sheet.columns
    rows = [Row(line, values.get("name", ""), values.get("kind", ""),
                values.get("short_name", "") if with_short else None)
            for line, values in sheet.rows]
    return Rows(filename=filename, rows=rows, with_short_name=with_short)


# --- The plan -----------------------------------------------------------------------------

@dataclass
class Planned:
    line: int
    name: str
    kind: str
    short_name: str | None
    unit: Unit | None = None                       # the existing unit it names
    changes: dict[str, list] = field(default_factory=dict)


@dataclass
class Plan:
    created: list[Planned] = field(default_factory=list)
    changed: list[Planned] = field(default_factory=list)
    unchanged: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return len(self.created) + len(self.changed) + len(self.unchanged)

    @property
    def digest(self) -> str:
        """Names exactly what a confirmation of this plan would write."""
        what = [["+", p.name, p.kind, p.short_name] for p in self.created] + [
            ["~", p.unit.id, p.changes] for p in self.changed]
        return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()
                              ).hexdigest()[:32]


def plan_of(session: Session, upload: Rows) -> Plan:
    """What importing `upload` would do to the lab's units now, and every bad line."""
    titles = column_titles()
    existing = {clean(u.name).lower(): u for u in all_units(session)}
    plan, seen = Plan(), {}
    for row in upload.rows:
        name, short = clean(row.name), clean(row.short_name) if row.with_short else None
        kind = kind_of(row.kind) if row.kind.strip() else None
        problems = []
        if row.kind.strip() and kind is None:
            problems.append(("kind", _("Unknown type of unit “%(value)s”. The types are: "
                                       "%(types)s.", value=row.kind.strip(),
                                       types=kind_names())))
        elif kind is None:
            problems.append(("kind", _("The type is empty. The types are: %(types)s.",
                                       types=kind_names())))
        problems += [p for p in unit_problems(name, kind or UnitKind.OTHER.value, short)
                     if p[0] != "kind"]
        key = name.lower()
        if name and key in seen:
            problems.append(("name", _("“%(name)s” is also on line %(line)s; each unit may "
                                       "appear only once.", name=name, line=seen[key])))
        elif name:
            seen[key] = row.line
        unit = existing.get(key) if name else None
        if unit is not None and unit.retired_at is not None:
            problems.append(("name", name_taken(unit)))
        for column, message in problems:
            plan.problems.append(Problem(row.line, titles[column], message))
        if problems:
            continue
        planned = Planned(row.line, name, kind, short or None)
        if unit is None:
            plan.created.append(planned)
            continue
        planned.unit = unit
        values = {"name": name, "kind": kind}
        if row.with_short:
            values["short_name"] = short or None
        planned.changes = changes_of(unit, **values)
        (plan.changed if planned.changes else plan.unchanged).append(planned)
    return plan


class PlanChanged(Refused):
    """The lab's units changed between the preview and the confirmation."""

    def __init__(self):
        super().__init__(_("The units have changed since this preview was made. Check the "
                           "preview again and confirm it if it is still right."))


def import_units(session: Session, upload: Rows, *, digest: str, actor_id: int | None,
                 ip: str | None = None) -> Plan:
    """Write the plan of `upload`, all of it, if it is still the one previewed (`digest`)."""
    lock_units(session)
    plan = plan_of(session, upload)
    if plan.problems:
        raise SheetError(plan.problems)
    if plan.digest != digest:
        raise PlanChanged()
    for p in plan.created:
        session.add(Unit(name=p.name, kind=p.kind, short_name=p.short_name))
        record_lab(session, "units.added", actor_id=actor_id, target=p.name, ip=ip,
                   kind=p.kind, short_name=p.short_name)
    for p in plan.changed:
        for key, (_before, after) in p.changes.items():
            setattr(p.unit, key, after)
        record_lab(session, "units.changed", actor_id=actor_id, target=p.name, ip=ip,
                   **p.changes)
    session.flush()
    record_lab(session, "units.imported", actor_id=actor_id, target=upload.filename, ip=ip)
    return plan


# --- Between the preview and the confirmation ---------------------------------------------

def _key(tenant_id: int, upload_id: str) -> str:
    return tenant_key(tenant_id, "imports", "units", f"{upload_id}.json")


def keep(tenant_id: int, upload: Rows) -> str:
    """Store the parsed rows for the confirmation; returns the upload's id."""
    upload_id = f"{int(time.time()):010d}-{secrets.token_hex(16)}"
    data = {"filename": upload.filename, "with_short_name": upload.with_short_name,
            "rows": [[r.line, r.name, r.kind, r.short_name] for r in upload.rows]}
    backend = storage()
    backend.put(_key(tenant_id, upload_id), io.BytesIO(json.dumps(data).encode()),
                "application/json")
    _forget_old(tenant_id)
    return upload_id


def load(tenant_id: int, upload_id: str) -> Rows | None:
    """The rows kept under `upload_id` for this tenant; None if unknown or expired."""
    if not UPLOAD_ID.match(upload_id or "") or expired(upload_id):
        return None
    try:
        data = json.loads(storage().get(_key(tenant_id, upload_id)))
    except NotFound:
        return None
    rows = [Row(line, name, kind, short) for line, name, kind, short in data["rows"]]
    return Rows(filename=data["filename"], rows=rows, with_short_name=data["with_short_name"])


def forget(tenant_id: int, upload_id: str) -> None:
    if UPLOAD_ID.match(upload_id or ""):
        storage().delete(_key(tenant_id, upload_id))


def expired(upload_id: str) -> bool:
    return int(upload_id.split("-", 1)[0]) < time.time() - LIFETIME


def _forget_old(tenant_id: int) -> None:
    backend = storage()
    for key in backend.keys(tenant_key(tenant_id, "imports", "units") + "/"):
        upload_id = key.rsplit("/", 1)[-1].removesuffix(".json")
        if UPLOAD_ID.match(upload_id) and expired(upload_id):
            backend.delete(key)


# --- The template -------------------------------------------------------------------------

def template_rows() -> list[list[str]]:
    titles = column_titles()
    return [[titles["name"], titles["kind"], titles["short_name"]],
            ["Dinas Kesehatan", "OPD", "Dinkes"],
            ["Puskesmas Sukamaju", "Puskesmas", ""]]


def template_csv() -> bytes:
    """The template as Excel writes "CSV UTF-8": with a byte-order mark, comma-separated."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(template_rows())
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = _("Units")
    for row in template_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 48), ("B", 16), ("C", 16)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    # A list to choose the type from (typing another word still works, and is checked).
    kinds = DataValidation(type="list", formula1='"{}"'.format(",".join(
        str(UNIT_KIND[k.value]) for k in UnitKind)), allow_blank=True, showErrorMessage=False)
    sheet.add_data_validation(kinds)
    kinds.add("B2:B2000")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
