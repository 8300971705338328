"""The RPJMD of a lab: its periods, their priorities (misi, and the sasaran under each misi)
and performance indicators (IKD), entered one by one or imported from a table.

Codes are unique within a period (priorities among priorities, indicators among
indicators, without regard to case). A sasaran belongs to a misi of its period; an indicator
measures a sasaran. What ideas link to is never deleted or moved from under them.

An import reads one sheet whose rows are misi, sasaran and indicators (`COLUMNS`), checks
every row against the file and the period, and writes nothing unless every row is good:
`plan_import` says what it would create and change (the preview), `apply_import` does it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.lab.models import Idea, RpjmdIndicator, RpjmdPeriod, RpjmdPriority
from tenants.refusal import Refused
from tenants.sheets import Problem, SheetError, read_sheet

MISI, SASARAN, INDICATOR = RpjmdPriority.MISI, RpjmdPriority.SASARAN, "indikator"
FIRST_YEAR, LAST_YEAR = 2000, 2100
CODE_MAX, SHORT_MAX = 20, 60  # the model's column widths
TITLE_MAX, REGULATION_MAX = 200, 200


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _long_text(value) -> str:
    """Text whose line breaks matter (a misi may run over several lines)."""
    return "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())


def clean_code(value) -> str:
    """A code as stored: trimmed, inner spaces single ("IKD 1.2.1")."""
    return _text(value)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def label(item: RpjmdPriority | RpjmdIndicator) -> str:
    """How the audit log names an item: its code and the start of its text."""
    text = item.text if isinstance(item, RpjmdPriority) else item.name
    text = _text(text)
    return f"{item.code} — {text[:80]}{'…' if len(text) > 80 else ''}"


# --- Periods ----------------------------------------------------------------------------------

def save_period(session: Session, period: RpjmdPeriod | None, *, title: str,
                starts_year: int | None, ends_year: int | None, regulation: str | None,
                actor_id: int | None, ip: str | None = None) -> RpjmdPeriod:
    """Create a period (`period` None) or change one.

    Two periods may share only their boundary year (an RPJMD 2016-2021 and the next,
    2021-2026), never more."""
    title, regulation = _text(title), _text(regulation) or None
    if not title:
        raise Refused(_("Give the period a title, e.g. “RPJMD 2021-2026”."), "title")
    if len(title) > TITLE_MAX:
        raise Refused(_("At most %(n)s characters.", n=TITLE_MAX), "title")
    for name, year in (("starts_year", starts_year), ("ends_year", ends_year)):
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise Refused(_("Enter a year from %(first)s to %(last)s.", first=FIRST_YEAR,
                            last=LAST_YEAR), name)
    if ends_year < starts_year:
        raise Refused(_("The period cannot end before it starts."), "ends_year")
    if regulation and len(regulation) > REGULATION_MAX:
        raise Refused(_("At most %(n)s characters.", n=REGULATION_MAX), "regulation")
    others = sa.select(RpjmdPeriod)
    if period is not None:
        others = others.where(RpjmdPeriod.id != period.id)
    for other in session.scalars(others):
        if _same(other.title, title):
            raise Refused(_("Another period already has this title."), "title")
        shared = min(ends_year, other.ends_year) - max(starts_year, other.starts_year) + 1
        boundary = (shared == 1 and ends_year == other.starts_year) \
            or (shared == 1 and other.ends_year == starts_year)
        if shared >= 1 and not boundary:
            raise Refused(_("%(title)s already covers %(start)s-%(end)s. Periods may share "
                            "only their first and last year.", title=other.title,
                            start=other.starts_year, end=other.ends_year), "starts_year")
    created = period is None
    if created:
        period = RpjmdPeriod()
        session.add(period)
    period.title, period.starts_year, period.ends_year = title, starts_year, ends_year
    period.regulation = regulation
    session.flush()
    record_lab(session, "rpjmd.period_created" if created else "rpjmd.period_changed",
               actor_id=actor_id, target=title, ip=ip,
               years=f"{starts_year}-{ends_year}", perda=regulation)
    return period


def ideas_linked_to_period(session: Session, period: RpjmdPeriod) -> int:
    priorities = sa.select(RpjmdPriority.id).where(RpjmdPriority.period_id == period.id)
    indicators = sa.select(RpjmdIndicator.id).where(RpjmdIndicator.priority_id.in_(priorities))
    return session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        sa.or_(Idea.priority_id.in_(priorities), Idea.indicator_id.in_(indicators)))) or 0


def delete_period(session: Session, period: RpjmdPeriod, *, actor_id: int | None,
                  ip: str | None = None) -> None:
    """Delete a period with its priorities and indicators, unless ideas link to them."""
    linked = ideas_linked_to_period(session, period)
    if linked:
        raise Refused(ngettext(
            "%(num)s idea is linked to this period's priorities or indicators. Link it "
            "elsewhere before deleting the period.",
            "%(num)s ideas are linked to this period's priorities or indicators. Link them "
            "elsewhere before deleting the period.", linked))
    record_lab(session, "rpjmd.period_deleted", actor_id=actor_id, target=period.title, ip=ip)
    # The database's cascades take the priorities and indicators with it, in one statement.
    session.execute(sa.delete(RpjmdPeriod).where(RpjmdPeriod.id == period.id))
    session.expire_all()


# --- Priorities (misi, sasaran) --------------------------------------------------------------

def priority_by_code(session: Session, period_id: int, code: str) -> RpjmdPriority | None:
    return session.scalar(sa.select(RpjmdPriority).where(
        RpjmdPriority.period_id == period_id,
        sa.func.lower(RpjmdPriority.code) == code.lower()))


def indicator_by_code(session: Session, period_id: int, code: str) -> RpjmdIndicator | None:
    return session.scalar(sa.select(RpjmdIndicator).join(RpjmdIndicator.priority).where(
        RpjmdPriority.period_id == period_id,
        sa.func.lower(RpjmdIndicator.code) == code.lower()))


def _next_position(session: Session, period_id: int, parent_id: int | None) -> int:
    stmt = sa.select(sa.func.coalesce(sa.func.max(RpjmdPriority.position), -1) + 1).where(
        RpjmdPriority.period_id == period_id)
    stmt = stmt.where(RpjmdPriority.parent_id.is_(None) if parent_id is None
                      else RpjmdPriority.parent_id == parent_id)
    return session.scalar(stmt)


def _check_code(code: str) -> None:
    if not code:
        raise Refused(_("Give it a code, as in the RPJMD document (e.g. M1, S1.2)."), "code")
    if len(code) > CODE_MAX:
        raise Refused(_("A code has at most %(n)s characters.", n=CODE_MAX), "code")


def ideas_linked_to_priority(session: Session, priority: RpjmdPriority) -> int:
    """Ideas linked to the priority, to one of its indicators, or to a sasaran under it."""
    ids = [priority.id, *session.scalars(sa.select(RpjmdPriority.id).where(
        RpjmdPriority.parent_id == priority.id))]
    indicators = sa.select(RpjmdIndicator.id).where(RpjmdIndicator.priority_id.in_(ids))
    return session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        sa.or_(Idea.priority_id.in_(ids), Idea.indicator_id.in_(indicators)))) or 0


def save_priority(session: Session, period: RpjmdPeriod, priority: RpjmdPriority | None, *,
                  kind: str, code: str, text: str, parent_id: int | None,
                  actor_id: int | None, ip: str | None = None) -> RpjmdPriority:
    """Add a misi or a sasaran to `period` (`priority` None) or change one."""
    code, text = clean_code(code), _long_text(text)
    if kind not in (MISI, SASARAN):
        raise Refused(_("Choose misi or sasaran."), "kind")
    _check_code(code)
    taken = priority_by_code(session, period.id, code)
    if taken is not None and taken is not priority:
        raise Refused(_("%(code)s is already the code of a %(kind)s of this period.",
                        code=taken.code, kind=taken.kind), "code")
    if not text:
        raise Refused(_("Write the text of the misi or sasaran as the RPJMD states it."),
                      "text")
    parent = None
    if kind == SASARAN:
        parent = session.get(RpjmdPriority, parent_id) if parent_id else None
        if parent is None or parent.period_id != period.id:
            raise Refused(_("A sasaran belongs to a misi: choose its misi."), "parent_id")
        if parent.kind != MISI:
            raise Refused(_("%(code)s is a sasaran; a sasaran belongs to a misi.",
                            code=parent.code), "parent_id")
    if priority is not None and kind != priority.kind:
        if priority.kind == MISI and session.scalar(sa.select(sa.func.count()).where(
                RpjmdPriority.parent_id == priority.id)):
            raise Refused(_("This misi has sasaran under it, so it cannot become a sasaran."),
                          "kind")
        if priority.kind == SASARAN and priority.indicators:
            raise Refused(_("This sasaran has indicators, which measure a sasaran; it cannot "
                            "become a misi."), "kind")
    created = priority is None
    if created:
        priority = RpjmdPriority(period=period, position=_next_position(
            session, period.id, parent.id if parent else None))
        session.add(priority)
    elif (parent.id if parent else None) != priority.parent_id:
        priority.position = _next_position(session, period.id, parent.id if parent else None)
    priority.kind, priority.code, priority.text = kind, code, text
    priority.parent_id = parent.id if parent else None
    session.flush()
    record_lab(session, "rpjmd.priority_added" if created else "rpjmd.priority_changed",
               actor_id=actor_id, target=label(priority), ip=ip, period=period.title)
    return priority


def delete_priority(session: Session, priority: RpjmdPriority, *, actor_id: int | None,
                    ip: str | None = None) -> None:
    """Delete a misi without sasaran, or a sasaran with its indicators, unless ideas link
    to it or to its indicators."""
    children = session.scalar(sa.select(sa.func.count()).where(
        RpjmdPriority.parent_id == priority.id))
    if children:
        raise Refused(ngettext(
            "This misi has %(num)s sasaran. Delete it, or move it to another misi, first.",
            "This misi has %(num)s sasaran. Delete them, or move them to another misi, first.",
            children))
    linked = ideas_linked_to_priority(session, priority)
    if linked:
        raise Refused(ngettext(
            "%(num)s idea is linked to %(code)s or its indicators. Link it elsewhere first.",
            "%(num)s ideas are linked to %(code)s or its indicators. Link them elsewhere "
            "first.", linked, code=priority.code))
    record_lab(session, "rpjmd.priority_deleted", actor_id=actor_id, target=label(priority),
               ip=ip, period=priority.period.title)
    session.delete(priority)
    session.flush()


# --- Indicators (IKD) ---------------------------------------------------------------------

def save_indicator(session: Session, period: RpjmdPeriod, indicator: RpjmdIndicator | None, *,
                   priority_id: int | None, code: str, name: str, measure: str | None,
                   baseline: str | None, target: str | None, actor_id: int | None,
                   ip: str | None = None) -> RpjmdIndicator:
    """Add an indicator of a sasaran of `period` (`indicator` None) or change one."""
    code, name = clean_code(code), _long_text(name)
    measure, baseline, target = _text(measure) or None, _text(baseline) or None, \
        _text(target) or None
    sasaran = session.get(RpjmdPriority, priority_id) if priority_id else None
    if sasaran is None or sasaran.period_id != period.id:
        raise Refused(_("Choose the sasaran this indicator measures."), "priority_id")
    if sasaran.kind != SASARAN:
        raise Refused(_("%(code)s is a misi; an indicator measures a sasaran.",
                        code=sasaran.code), "priority_id")
    _check_code(code)
    taken = indicator_by_code(session, period.id, code)
    if taken is not None and taken is not indicator:
        raise Refused(_("Another indicator of this period already has the code %(code)s.",
                        code=taken.code), "code")
    if not name:
        raise Refused(_("Write the indicator's name."), "name")
    for field_name, value in (("measure", measure), ("baseline", baseline),
                              ("target", target)):
        if value and len(value) > SHORT_MAX:
            raise Refused(_("At most %(n)s characters.", n=SHORT_MAX), field_name)
    if indicator is not None and indicator.priority_id != sasaran.id:
        linked = ideas_with_indicator(session, indicator)
        if linked:
            raise Refused(ngettext(
                "%(num)s idea links this indicator together with its sasaran %(code)s; it "
                "cannot move to another sasaran.",
                "%(num)s ideas link this indicator together with its sasaran %(code)s; it "
                "cannot move to another sasaran.", linked, code=indicator.priority.code),
                "priority_id")
    created = indicator is None
    if created:
        indicator = RpjmdIndicator()
        session.add(indicator)
    indicator.priority_id, indicator.code, indicator.name = sasaran.id, code, name
    indicator.measure, indicator.baseline, indicator.target = measure, baseline, target
    session.flush()
    session.expire(sasaran, ["indicators"])
    record_lab(session, "rpjmd.indicator_added" if created else "rpjmd.indicator_changed",
               actor_id=actor_id, target=label(indicator), ip=ip, period=period.title)
    return indicator


def ideas_with_indicator(session: Session, indicator: RpjmdIndicator) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        Idea.indicator_id == indicator.id)) or 0


def delete_indicator(session: Session, indicator: RpjmdIndicator, *, actor_id: int | None,
                     ip: str | None = None) -> None:
    linked = ideas_with_indicator(session, indicator)
    if linked:
        raise Refused(ngettext(
            "%(num)s idea is linked to the indicator %(code)s. Link it elsewhere first.",
            "%(num)s ideas are linked to the indicator %(code)s. Link them elsewhere first.",
            linked, code=indicator.code))
    record_lab(session, "rpjmd.indicator_deleted", actor_id=actor_id, target=label(indicator),
               ip=ip)
    session.delete(indicator)
    session.flush()


# --- Import ---------------------------------------------------------------------------------

# The columns of an import, each with the headers accepted for it (Indonesian first: the
# name that messages and the template use). One row per misi, sasaran or indicator.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("jenis", "kind", "tipe", "type"),
    "code": ("kode", "code"),
    "parent": ("kode induk", "induk", "parent code", "parent"),
    "text": ("uraian", "text", "nama", "name", "nama indikator"),
    "measure": ("satuan", "measure", "unit of measure"),
    "baseline": ("kondisi awal", "baseline"),
    "target": ("target", "target akhir", "kondisi akhir"),
}
REQUIRED = {"kind", "code", "parent", "text"}
KINDS = {"misi": MISI, "mission": MISI, "sasaran": SASARAN, "objective": SASARAN,
         "indikator": INDICATOR, "indicator": INDICATOR, "ikd": INDICATOR, "iku": INDICATOR}
# The template a Bappeda fills in from their RPJMD document.
TEMPLATE_ROWS = [
    ("misi", "M1", "", "Mewujudkan sumber daya manusia yang sehat, cerdas dan berdaya saing",
     "", "", ""),
    ("sasaran", "S1.1", "M1", "Meningkatnya derajat kesehatan masyarakat", "", "", ""),
    ("indikator", "IKD 1.1.1", "S1.1", "Angka harapan hidup", "tahun", "67,2", "68,5"),
    ("indikator", "IKD 1.1.2", "S1.1", "Prevalensi stunting pada balita", "%", "24,1", "14"),
    ("misi", "M2", "", "Meningkatkan kualitas pelayanan publik yang inovatif", "", "", ""),
    ("sasaran", "S2.1", "M2", "Meningkatnya kepuasan masyarakat atas pelayanan publik",
     "", "", ""),
    ("indikator", "IKD 2.1.1", "S2.1", "Indeks kepuasan masyarakat", "indeks", "78,5", "85"),
]


@dataclass
class ImportLine:
    """One row of an import as it will be written."""

    line: int
    kind: str                          # MISI, SASARAN or INDICATOR
    code: str
    parent: str | None
    text: str
    measure: str | None = None
    baseline: str | None = None
    target: str | None = None
    action: str = "create"             # create, change or same
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    lines: list[ImportLine]
    rows: list[tuple[int, dict[str, str]]]  # the rows as read, for the confirmation

    def count(self, action: str, kind: str | None = None) -> int:
        return sum(1 for x in self.lines if x.action == action and kind in (None, x.kind))


def read_import(filename: str, stream: BinaryIO) -> list[tuple[int, dict[str, str]]]:
    """The rows of an uploaded RPJMD table; raises SheetError."""
    return read_sheet(filename, stream, COLUMNS, REQUIRED).rows


def _shown(column: str) -> str:
    return COLUMNS[column][0]


def plan_import(session: Session, period: RpjmdPeriod,
                rows: list[tuple[int, dict[str, str]]]) -> ImportPlan:
    """What importing `rows` into `period` would create and change; raises SheetError naming
    every bad line and column (then nothing may be written)."""
    problems: list[Problem] = []

    def problem(line: int, column: str, message: str) -> None:
        problems.append(Problem(line, _shown(column), message))

    existing_priorities = {p.code.casefold(): p for p in session.scalars(
        sa.select(RpjmdPriority).where(RpjmdPriority.period_id == period.id))}
    existing_indicators = {i.code.casefold(): i for i in session.scalars(
        sa.select(RpjmdIndicator).join(RpjmdIndicator.priority)
        .where(RpjmdPriority.period_id == period.id))}
    codes = {p.id: p.code for p in existing_priorities.values()}
    lines: list[ImportLine] = []
    seen: dict[tuple[bool, str], int] = {}  # (is indicator, code) -> line
    for number, row in rows:
        raw_kind = _text(row.get("kind")).casefold()
        kind = KINDS.get(raw_kind)
        if not raw_kind:
            problem(number, "kind", _("Say what the row is: misi, sasaran or indikator."))
        elif kind is None:
            problem(number, "kind", _("Unknown kind “%(value)s”: write misi, sasaran or "
                                      "indikator.", value=_text(row.get("kind"))))
        code = clean_code(row.get("code"))
        if not code:
            problem(number, "code", _("Every row needs a code (e.g. M1, S1.2, IKD 1.2.1)."))
        elif len(code) > CODE_MAX:
            problem(number, "code", _("A code has at most %(n)s characters.", n=CODE_MAX))
        elif kind is not None:
            key = (kind == INDICATOR, code.casefold())
            if key in seen:
                problem(number, "code", _("The code %(code)s is also on line %(line)s.",
                                          code=code, line=seen[key]))
            else:
                seen[key] = number
        text = _long_text(row.get("text"))
        if not text:
            problem(number, "text", _("Write the text of the misi or sasaran, or the "
                                      "indicator's name."))
        parent = clean_code(row.get("parent")) or None
        extra = {c: _text(row.get(c)) or None for c in ("measure", "baseline", "target")}
        if kind in (MISI, SASARAN):
            for column, value in extra.items():
                if value:
                    problem(number, column, _("Only indicator rows have a measure, a "
                                              "baseline and a target."))
        elif kind == INDICATOR:
            for column, value in extra.items():
                if value and len(value) > SHORT_MAX:
                    problem(number, column, _("At most %(n)s characters.", n=SHORT_MAX))
        if kind == MISI and parent:
            problem(number, "parent", _("A misi has no parent code; leave it empty."))
        elif kind in (SASARAN, INDICATOR) and not parent:
            problem(number, "parent", _("A sasaran needs the code of its misi.")
                    if kind == SASARAN else _("An indicator needs the code of its sasaran."))
        if kind is not None and code:
            lines.append(ImportLine(number, kind, code, parent, text, **extra))
    # Parents: in the file or already in the period, and of the right kind.
    in_file = {x.code.casefold(): x for x in lines if x.kind != INDICATOR}
    for x in lines:
        if x.kind == MISI or not x.parent:
            continue
        wanted = MISI if x.kind == SASARAN else SASARAN
        found = in_file.get(x.parent.casefold())
        found_kind = found.kind if found else getattr(
            existing_priorities.get(x.parent.casefold()), "kind", None)
        if found_kind is None:
            problem(x.line, "parent", _("No misi with the code %(code)s in the file or in "
                                        "this RPJMD.", code=x.parent) if wanted == MISI else
                    _("No sasaran with the code %(code)s in the file or in this RPJMD.",
                      code=x.parent))
        elif found_kind != wanted:
            problem(x.line, "parent", _("%(code)s is a sasaran; a sasaran belongs to a misi.",
                                        code=x.parent) if wanted == MISI else
                    _("%(code)s is a misi; an indicator measures a sasaran.", code=x.parent))
    # Against what the period holds: a code keeps its kind; linked indicators stay put.
    for x in lines:
        if x.kind == INDICATOR:
            old = existing_indicators.get(x.code.casefold())
            if old is None:
                continue
            x.action = "change"
            if not _same(old.priority.code, x.parent):
                x.changes.append("parent")
                linked = ideas_with_indicator(session, old)
                if linked:
                    problem(x.line, "parent", ngettext(
                        "%(num)s idea links the indicator %(code)s together with its "
                        "sasaran %(sasaran)s; it cannot move to another sasaran.",
                        "%(num)s ideas link the indicator %(code)s together with its "
                        "sasaran %(sasaran)s; it cannot move to another sasaran.", linked,
                        code=old.code, sasaran=old.priority.code))
            x.changes += [c for c, new, now in (
                ("text", x.text, old.name), ("measure", x.measure, old.measure),
                ("baseline", x.baseline, old.baseline), ("target", x.target, old.target))
                if (new or None) != (now or None)]
        else:
            old = existing_priorities.get(x.code.casefold())
            if old is None:
                continue
            x.action = "change"
            if old.kind != x.kind:
                problem(x.line, "kind", _("%(code)s is a %(kind)s in this RPJMD; an import "
                                          "does not change what a code is.", code=old.code,
                                          kind=old.kind))
                continue
            old_parent = codes.get(old.parent_id)
            if not _same(old_parent, x.parent):
                x.changes.append("parent")
            if old.text != x.text:
                x.changes.append("text")
        if x.action == "change" and not x.changes:
            x.action = "same"
    if problems:
        raise SheetError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    return ImportPlan(lines=lines, rows=rows)


def apply_import(session: Session, period: RpjmdPeriod, plan: ImportPlan, *,
                 actor_id: int | None, ip: str | None = None) -> ImportPlan:
    """Write a plan that `plan_import` made in this same transaction."""
    priorities = {p.code.casefold(): p for p in session.scalars(
        sa.select(RpjmdPriority).where(RpjmdPriority.period_id == period.id))}
    indicators = {i.code.casefold(): i for i in session.scalars(
        sa.select(RpjmdIndicator).join(RpjmdIndicator.priority)
        .where(RpjmdPriority.period_id == period.id))}
    positions: dict[int | None, int] = {}

    def position(parent: RpjmdPriority | None) -> int:
        """The next place under `parent`, in the file's order after what is there."""
        key = parent.id if parent is not None else None
        if key not in positions:
            positions[key] = _next_position(session, period.id, key)
        positions[key] += 1
        return positions[key] - 1

    for kind in (MISI, SASARAN):
        for x in (x for x in plan.lines if x.kind == kind and x.action != "same"):
            parent = priorities[x.parent.casefold()] if x.parent else None
            item = priorities.get(x.code.casefold())
            if item is None:
                item = priorities[x.code.casefold()] = RpjmdPriority(
                    period_id=period.id, kind=kind, code=x.code, position=position(parent))
                session.add(item)
            elif (parent.id if parent else None) != item.parent_id:
                item.position = position(parent)
            item.text, item.parent_id = x.text, parent.id if parent else None
            session.flush()
    for x in (x for x in plan.lines if x.kind == INDICATOR and x.action != "same"):
        item = indicators.get(x.code.casefold())
        if item is None:
            item = RpjmdIndicator(code=x.code)
            session.add(item)
        item.priority_id = priorities[x.parent.casefold()].id
        item.name, item.measure, item.baseline, item.target = \
            x.text, x.measure, x.baseline, x.target
    session.flush()
    session.expire_all()
    record_lab(session, "rpjmd.imported", actor_id=actor_id, target=period.title, ip=ip,
               created=plan.count("create"), changed=plan.count("change"))
    return plan


def natural_key(code: str) -> tuple:
    """"M2" before "M10", "IKD 1.2" before "IKD 1.10"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold())
                 for part in re.split(r"(\d+)", code) if part)
