"""The lab's sections, as the navigation on every lab page lists them.

A section is shown to the signed-in person when its page's view lets one of their roles in
(the `allowed_roles` that `web.access.roles_required` puts on it), so the menu and the
route's own check cannot disagree. A section whose page does not exist yet is left out.

    {% from "macros/lab_nav.html" import lab_nav with context %}{{ lab_nav() }}
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    name: str
    endpoint: str
    label: object                       # a lazy string, or None for a computed one
    prefixes: tuple[str, ...] = ()      # endpoints of the section's other pages
    by_cohort: bool = False             # the page works on the chosen cohort


SECTIONS = (
    Section("dashboard", "lab.home", _l("Dashboard"), by_cohort=True),
    Section("ideas", "lab.ideas.index", _l("Ideas"),
            ("lab.ideas.", "lab.plans.", "lab.evidence.", "lab.coaching."), by_cohort=True),
    Section("rpjmd", "lab.rpjmd.index", "RPJMD", ("lab.rpjmd.",)),
    Section("commitments", "lab.records.commitments", _l("Commitments"),
            ("lab.records.commitment",), by_cohort=True),
    Section("launches", "lab.records.launches", _l("Launches"),
            ("lab.records.launch", "lab.records.new_launch", "lab.records.edit_launch"),
            by_cohort=True),
    Section("regulations", "lab.records.regulations", None,
            ("lab.records.regulation", "lab.records.new_regulation",
             "lab.records.revise_regulation"), by_cohort=True),
    Section("stages", "lab.stages.index", _l("Stage dates"), ("lab.stages.",), by_cohort=True),
    Section("units", "units.index", _l("Units"), ("units.",)),
    Section("people", "members.index", _l("People"), ("members.change_unit",)),
    Section("reminders", "reminders.preferences", _l("Reminders"), ("reminders.",)),
    Section("audit", "audit.lab", _l("Audit log")),
)


@dataclass(frozen=True)
class Link:
    name: str
    label: str
    url: str
    current: str | None   # "page" on the section's own page, "true" on one of its others


def _allowed(endpoint: str, roles: frozenset[str]) -> bool:
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    allowed = getattr(view, "allowed_roles", ())
    return not allowed or bool(roles & set(allowed))


def _current(section: Section, endpoint: str | None) -> str | None:
    if endpoint == section.endpoint:
        return "page"
    if endpoint and any(endpoint.startswith(p) for p in section.prefixes):
        return "true"
    return None


def lab_sections() -> list[Link]:
    """The sections the signed-in person may open in the current lab (empty outside one)."""
    roles = g.get("tenant_roles")
    if not g.get("tenant") or not roles:
        return []
    from web.lab.records import regulation_name

    # An explicit cohort choice follows the reader from one cohort page to the next.
    cohort = request.args.get("cohort", "")
    keep = {"cohort": cohort} if cohort.isascii() and cohort.isdigit() else {}
    links = []
    for section in SECTIONS:
        if not _allowed(section.endpoint, roles):
            continue
        label = regulation_name() if section.label is None else str(section.label)
        links.append(Link(section.name, label,
                          url_for(section.endpoint, **(keep if section.by_cohort else {})),
                          _current(section, request.endpoint)))
    return links
