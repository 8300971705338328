"""Reading the audit logs: the filters, the page of entries and the names of actions.

Used by LAN's platform-wide log (`/lan/audit`) and each lab's own log (`/<tenant>/audit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional

from tenants.db import db
from tenants.platform.accounts import User

PER_PAGE = 50

# Reader-facing names of recorded actions; an action without one shows its code.
ACTIONS = {
    "tenant.draft_created": _l("Onboarding started"),
    "tenant.settings_changed": _l("Lab settings changed"),
    "agreement.mou_recorded": _l("MoU recorded"),
    "agreement.pks_recorded": _l("PKS recorded"),
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
    "account.invitation_accepted": _l("Invitation accepted"),
    "account.lan_role_removed": _l("LAN role removed"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset": _l("Password reset"),
    "account.signed_out_everywhere": _l("Signed out everywhere"),
    "membership.removed": _l("Membership removed"),
    "people.invited": _l("Person invited"),
    "people.invitation_resent": _l("Invitation sent again"),
    "people.removed": _l("Person removed"),
}


# Names of the details recorded with an entry; a detail without one shows its key.
DETAILS = {
    "admin": _l("administrator"),
    "admin_email": _l("administrator's email"),
    "default_locale": _l("language"),
    "document": _l("document"),
    "invitation_id": _l("invitation"),
    "locale": _l("language"),
    "name": _l("name"),
    "previous": _l("previous state"),
    "previous_error": _l("previous error"),
    "reason": _l("reason"),
    "requested_by": _l("requested by"),
    "role": _l("role"),
    "schema": _l("schema"),
    "signed_on": _l("signed on"),
    "size": _l("size (bytes)"),
    "timezone": _l("time zone"),
    "unit_id": _l("unit"),
    "valid_until": _l("valid until"),
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


class AuditFilter(Form):
    """The query-string filters (a GET form: no CSRF, nothing changes)."""

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    actor = SelectField(_l("By"), choices=[], validate_choice=False)
    tenant = SelectField(_l("Region"), choices=[], validate_choice=False)
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])


@dataclass
class AuditPage:
    form: AuditFilter
    pagination: object
    actors: dict[int, str]


def _day_start(day, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def read_filters(model, *, tenants: list[tuple[int, str]] | None = None) -> AuditPage:
    """Filter and page `model` (AuditEntry or LabAuditEntry) by the request's arguments."""
    form = AuditFilter(request.args)
    form.validate()
    actions = db.session.scalars(sa.select(model.action).distinct().order_by(model.action))
    form.action.choices = [("", _l("All actions"))] + [(a, action_label(a)) for a in actions]
    actor_ids = db.session.scalars(sa.select(model.actor_id).distinct()
                                   .where(model.actor_id.is_not(None))).all()
    actors = names_of(actor_ids)
    people = sorted(((str(i), n) for i, n in actors.items()), key=lambda c: c[1].lower())
    form.actor.choices = [("", _l("Anyone")), ("system", _l("The system")), *people]
    if tenants is not None:
        form.tenant.choices = [("", _l("All regions")), *((str(i), n) for i, n in tenants)]

    stmt = sa.select(model)
    if form.action.data:
        stmt = stmt.where(model.action == form.action.data)
    if form.actor.data == "system":
        stmt = stmt.where(model.actor_id.is_(None))
    elif (form.actor.data or "").isdigit():
        stmt = stmt.where(model.actor_id == int(form.actor.data))
    if tenants is not None and (form.tenant.data or "").isdigit():
        stmt = stmt.where(model.tenant_id == int(form.tenant.data))
    tz = ZoneInfo(str(get_timezone()))
    if form.since.data and not form.since.errors:
        stmt = stmt.where(model.at >= _day_start(form.since.data, tz))
    if form.until.data and not form.until.errors:
        stmt = stmt.where(model.at < _day_start(form.until.data + timedelta(days=1), tz))
    stmt = stmt.order_by(model.at.desc(), model.id.desc())
    page = request.args.get("page", "1")
    pagination = db.paginate(stmt, page=int(page) if page.isdigit() else 1,
                             per_page=PER_PAGE, error_out=False)
    return AuditPage(form=form, pagination=pagination, actors=actors)


def names_of(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def describe(detail: dict | None, names: dict[int, str] | None = None) -> list[tuple[str, str]]:
    """The entry's details as short key/value pairs for a table cell.

    Role and state codes read as their names, and the ids of people (`requested_by`, `invited_by`)
    as their names when `names` knows them."""
    from web.labels import ROLE, STATUS

    pairs = []
    for key, value in (detail or {}).items():
        if value is None or value == "" or value == []:
            continue
        if key == "role":
            value = ROLE.get(value, value)
        elif key == "previous":
            value = STATUS.get(value, value)
        elif key.endswith("_by") and isinstance(value, int) and names:
            value = names.get(value, value)
        elif isinstance(value, list):
            value = " → ".join(str(v) for v in value)
        pairs.append((str(DETAILS.get(key, key.replace("_", " "))), str(value)))
    return pairs


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(action_label=action_label, audit_details=describe)
