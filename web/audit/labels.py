"""Reader-facing names of recorded actions and of their details, for every audit table
(the logs, a tenant's activity on LAN's tenant page)."""

from __future__ import annotations

import contextlib
from datetime import date

from flask import Flask
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tenants import zones
from tenants.formatting import format_date, format_number
from tenants.labels import ROLE, STATUS
from web.i18n import LOCALE_NAMES

# Reader-facing names of recorded actions; an action without one shows its code.
ACTIONS = {
    "tenant.draft_created": _l("Onboarding started"),
    "tenant.settings_changed": _l("Lab settings changed"),
    "reminders.settings_changed": _l("Reminder settings changed"),
    "agreement.mou_recorded": _l("MoU recorded"),
    "agreement.pks_recorded": _l("PKS recorded"),
    "agreement.mou_renewed": _l("MoU renewed"),
    "agreement.pks_renewed": _l("PKS renewed"),
    "tenant.admin_set": _l("Bappeda administrator entered"),
    "tenant.activation_requested": _l("Activation requested"),
    "tenant.activation_retried": _l("Activation retried"),
    "tenant.activated": _l("Lab activated"),
    "tenant.suspended": _l("Lab suspended"),
    "tenant.reactivated": _l("Lab reactivated"),
    "tenant.archived": _l("Lab archived"),
    "lab.opened": _l("Lab opened by LAN"),
    "lab.suspended": _l("Lab suspended by LAN"),
    "lab.reactivated": _l("Lab reactivated by LAN"),
    "lab.archived": _l("Lab archived by LAN"),
    "account.invited": _l("Person invited"),
    "membership.unit_changed": _l("Innovator moved to another unit"),
    "people.unit_changed": _l("Innovator moved to another unit"),
    "people.coach_assigned": _l("Coach assigned"),
    "people.coach_unassigned": _l("Coach assignment ended"),
    "account.invitation_accepted": _l("Invitation accepted"),
    "account.lan_role_removed": _l("LAN role removed"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset": _l("Password reset"),
    "account.signed_out_everywhere": _l("Signed out everywhere"),
    "membership.removed": _l("Membership removed"),
    "people.invited": _l("Person invited"),
    "people.invitation_resent": _l("Invitation sent again"),
    "people.removed": _l("Person removed"),
    # Ideas, action plans and coaching.
    "cohort.dates_shifted": _l("The lab's stage dates changed"),
    "idea.created": _l("Idea entered"),
    "idea.edited": _l("Idea changed"),
    "idea.moved": _l("Idea moved to the next stage"),
    "idea.moved_back": _l("Idea moved back a stage"),
    "idea.moved_overridden": _l("Idea moved on with its gate overridden"),
    "idea.file_added": _l("File attached to an idea"),
    "idea.file_removed": _l("File removed from an idea"),
    "plan.milestone_added": _l("Milestone added"),
    "plan.milestone_changed": _l("Milestone changed"),
    "plan.milestone_moved": _l("Milestone moved in the plan"),
    "plan.milestone_removed": _l("Milestone removed"),
    "plan.note_added": _l("Progress note written"),
    "comment.added": _l("Comment posted"),
    "comment.replied": _l("Reply posted"),
    "comment.edited": _l("Comment changed"),
    # The RPJMD, drum-up commitments, launches and regulations.
    "rpjmd.period_created": _l("RPJMD period entered"),
    "rpjmd.period_changed": _l("RPJMD period changed"),
    "rpjmd.period_deleted": _l("RPJMD period deleted"),
    "rpjmd.priority_added": _l("RPJMD misi or sasaran added"),
    "rpjmd.priority_changed": _l("RPJMD misi or sasaran changed"),
    "rpjmd.priority_deleted": _l("RPJMD misi or sasaran deleted"),
    "rpjmd.indicator_added": _l("RPJMD indicator added"),
    "rpjmd.indicator_changed": _l("RPJMD indicator changed"),
    "rpjmd.indicator_deleted": _l("RPJMD indicator deleted"),
    "rpjmd.imported": _l("RPJMD imported from a file"),
    "commitment.recorded": _l("Drum-up commitment recorded"),
    "commitment.replaced": _l("Drum-up commitment replaced"),
    "launch.recorded": _l("Launch recorded"),
    "launch.changed": _l("Launch changed"),
    "regulation.recorded": _l("Perbup / Perwali recorded"),
    "regulation.revised": _l("Perbup / Perwali revised"),
    "units.added": _l("Unit added"),
    "units.changed": _l("Unit changed"),
    "units.merged": _l("Unit merged into another"),
    "units.retired": _l("Unit retired"),
    "units.restored": _l("Unit brought back"),
    "units.imported": _l("Units imported from a file"),
    "units.person_added": _l("Person added to a unit"),
    "units.person_changed": _l("Person of a unit changed"),
    # LAN's cohorts.
    "cohort.created": _l("Cohort created"),
    "cohort.changed": _l("Cohort changed"),
    "cohort.coaches_set": _l("Coaches of a cohort set"),
    "cohort.enrolled": _l("Lab enrolled in a cohort"),
}


# How each recorded detail reads, as a short sentence in the reader's language. Details
# that mean nothing to a reader (internal ids, schema names) are not shown.
SENTENCES = {
    "number": _l("Number %(value)s."),
    "signed_on": _l("Signed on %(value)s."),
    "valid_until": _l("Valid until %(value)s."),
    "document": _l("Signed document: %(value)s."),
    "name": _l("Name: %(value)s."),
    "admin": _l("Bappeda administrator: %(value)s."),
    "admin_email": _l("The invitation goes to %(value)s."),
    "default_locale": _l("Language of the lab: %(value)s."),
    "locale": _l("Language: %(value)s."),
    "timezone": _l("Time zone: %(value)s."),
    "role": _l("Role: %(value)s."),
    "unit": _l("Unit: %(value)s."),
    "previous_unit": _l("Previous unit: %(value)s."),
    "previous": _l("State before: %(value)s."),
    "reason": _l("Reason: %(value)s"),
    "requested_by": _l("Requested by %(value)s."),
    "previous_error": _l("Error of the previous try: %(value)s"),
    # The RPJMD, drum-up commitments, launches and regulations.
    "years": _l("Years %(value)s."),
    "perda": _l("Set by %(value)s."),
    "period": _l("RPJMD period: %(value)s."),
    "created": _l("New: %(value)s."),
    "changed": _l("Changed: %(value)s."),
    "signatory": _l("Signed by %(value)s."),
    "held_on": _l("Held on %(value)s."),
    "place": _l("Place: %(value)s."),
    "ideas": _l("Innovations: %(value)s."),
    "added": _l("Innovations added: %(value)s."),
    "revises": _l("Revises number %(value)s."),
    "year": _l("Year %(value)s."),
    "coaches": _l("Coaches: %(value)s."),
}
HIDDEN = {"invitation_id", "schema", "unit_id", "size"}  # size is told with the document


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def _value(key: str, value, names: dict[int, str]) -> str:
    if isinstance(value, list):  # a change: [before, after]
        return " → ".join(_value(key, v, names) for v in value)
    if key in ("signed_on", "valid_until", "held_on") and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return format_date(date.fromisoformat(value))
    if key in ("locale", "default_locale"):
        return LOCALE_NAMES.get(value, value)
    if key == "timezone":
        return zones.abbreviation(value)
    if key == "role":
        return str(ROLE.get(value, value))
    if key == "previous":
        return str(STATUS.get(value, value))
    if key.endswith("_by") and isinstance(value, int):
        return names.get(value, _("someone who is no longer registered"))
    return str(value)


def describe(detail: dict | None, names: dict[int, str] | None = None) -> list[str]:
    """An entry's details as sentences for a table cell, in the reader's language: dates,
    languages, zones, roles and states as everywhere else, people by name."""
    detail = detail or {}
    names = names or {}
    sentences = []
    for key, value in detail.items():
        if value is None or value == "" or value == [] or key in HIDDEN:
            continue
        text = _value(key, value, names)
        if key == "document" and isinstance(detail.get("size"), int):
            text = _("%(name)s (%(size)s)", name=text, size=file_size(detail["size"]))
        template = SENTENCES.get(key)
        sentences.append(str(template) % {"value": text} if template else text)
    return sentences


def file_size(size: int) -> str:
    """"820 KB" / "1,4 MB" in the reader's locale."""
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_number(max(1, round(size / 1024))))
    return _("%(n)s MB", n=format_decimal(size / (1024 * 1024), format="#,##0.#"))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(action_label=action_label, audit_details=describe)
