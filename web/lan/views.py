"""LAN's dashboard: every tenant it may see from one place, and agreements running out."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from tenants.accounts.models import Role
from tenants.config import settings_of
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.onboarding.queries import visible
from tenants.registry import Tenant, TenantStatus
from tenants.zones import today_in
from web.access import platform_role_required

bp = Blueprint("lan", __name__, url_prefix="/lan", template_folder="templates")

EXPIRY_WARNING_DAYS = 90


@bp.before_request
@login_required
def _signed_in():
    return None


def lan_today():
    return today_in(settings_of(current_app).default_timezone)


@bp.get("/")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def dashboard():
    tenants = db.session.scalars(
        visible(sa.select(Tenant), current_user).order_by(Tenant.name)).all()
    counts = {status: 0 for status in TenantStatus}
    for tenant in tenants:
        counts[TenantStatus(tenant.status)] += 1
    today = lan_today()
    ids = [t.id for t in tenants]
    agreements = db.session.scalars(
        sa.select(Agreement).join(Tenant).where(Agreement.tenant_id.in_(ids))
        .order_by(Agreement.valid_from, Agreement.id)).all()
    # A tenant's current agreement of each kind is its latest; a renewed one is history.
    by_tenant: dict[int, dict[str, Agreement]] = {}
    for agreement in agreements:
        by_tenant.setdefault(agreement.tenant_id, {})[agreement.kind] = agreement
    current = sorted((a for kinds in by_tenant.values() for a in kinds.values()),
                     key=lambda a: a.valid_until)
    expiring = [
        (a, (a.valid_until - today).days) for a in current
        if a.valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS)
        and a.tenant.status != TenantStatus.ARCHIVED
    ]
    return render_template("lan/dashboard.html", tenants=tenants, counts=counts,
                           expiring=expiring, agreements=by_tenant,
                           warning_days=EXPIRY_WARNING_DAYS,
                           is_admin=current_user.is_lan_admin)
