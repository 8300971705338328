"""The audit logs: LAN's platform-wide one (`/lan/audit`, for LAN administrators) and each
lab's own, read from its schema (`/<tenant>/audit`, for its Bappeda administrators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from tenants.accounts.models import Role
from tenants.accounts.queries import names_of
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.db import db
from tenants.registry import Tenant
from web.access import platform_role_required, roles_required
from web.audit.forms import AuditFilter
from web.audit.labels import action_label
from web.pages import requested_page

bp = Blueprint("audit", __name__, template_folder="templates")

PER_PAGE = 50


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.get("/lan/audit")
@platform_role_required(Role.LAN_ADMIN)
def lan():
    tenants = db.session.execute(sa.select(Tenant.id, Tenant.name).order_by(Tenant.name)).all()
    page = read_filters(AuditEntry, tenants=[tuple(t) for t in tenants])
    return render_template("audit/lan.html", page=page, tenant_names=dict(tenants))


@bp.get("/<tenant:tenant>/audit")
@roles_required(Role.BAPPEDA_ADMIN, Role.LAN_ADMIN)
def lab():
    return render_template("audit/lab.html", page=read_filters(LabAuditEntry))


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
    pagination = db.paginate(stmt, page=requested_page(), per_page=PER_PAGE, error_out=False)
    return AuditPage(form=form, pagination=pagination, actors=actors)


