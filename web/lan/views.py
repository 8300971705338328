"""LAN's own pages: every tenant from one place."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from tenants.app import settings_of
from tenants.db import db
from tenants.onboarding import today_in
from tenants.platform.accounts import Role
from tenants.platform.agreements import Agreement
from tenants.platform.regions import title_case
from tenants.platform.tenancy import Tenant, TenantStatus
from web.access import platform_role_required
from web.lan.visibility import visible

bp = Blueprint("lan", __name__, url_prefix="/lan", template_folder="templates")

EXPIRY_WARNING_DAYS = 90
AGREEMENT_NAMES = {"mou": "MoU", "pks": "PKS"}  # terms of art, the same in every language
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@bp.before_request
@login_required
def _signed_in():
    return None


# The path every tenant walks; suspended and archived are shown after it when reached.
STEPS = (TenantStatus.DRAFT, TenantStatus.MOU_SIGNED, TenantStatus.PKS_SIGNED,
         TenantStatus.PROVISIONING, TenantStatus.ACTIVE)


def steps_of(status: str) -> list[tuple[str, str]]:
    """(status, done | current | todo) for the step indicator."""
    path = list(STEPS)
    if status in (TenantStatus.SUSPENDED, TenantStatus.ARCHIVED):
        path.append(TenantStatus(status))
    where = path.index(TenantStatus(status))
    return [(s, "done" if i < where else "current" if i == where else "todo")
            for i, s in enumerate(path)]


@bp.context_processor
def _onboarding_context():
    return {"steps_for": lambda tenant: steps_of(tenant.status),
            "agreement_name": AGREEMENT_NAMES.get,
            "upload_max_bytes": settings_of(current_app).upload_max_bytes}


@bp.app_template_filter("region_name")
def region_name(name: str) -> str:
    """'JAWA TIMUR' -> 'Jawa Timur' (the registry stores official upper-case names)."""
    return title_case(name)


@bp.app_template_filter("zone_name")
def zone_name(timezone: str) -> str:
    return ZONE_NAMES.get(timezone, timezone)


def lan_today():
    return today_in(settings_of(current_app).default_timezone)


@bp.get("/")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def dashboard():
    tenants = db.session.scalars(visible(sa.select(Tenant)).order_by(Tenant.name)).all()
    counts = {status: 0 for status in TenantStatus}
    for tenant in tenants:
        counts[TenantStatus(tenant.status)] += 1
    today = lan_today()
    ids = [t.id for t in tenants]
    agreements = db.session.scalars(
        sa.select(Agreement).join(Tenant).where(Agreement.tenant_id.in_(ids))
        .order_by(Agreement.valid_until)).all()
    by_tenant: dict[int, dict[str, Agreement]] = {}
    for agreement in agreements:
        by_tenant.setdefault(agreement.tenant_id, {})[agreement.kind] = agreement
    expiring = [
        (a, (a.valid_until - today).days) for a in agreements
        if a.valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS)
        and a.tenant.status != TenantStatus.ARCHIVED
    ]
    return render_template("lan/dashboard.html", tenants=tenants, counts=counts,
                           expiring=expiring, agreements=by_tenant,
                           warning_days=EXPIRY_WARNING_DAYS,
                           is_admin=current_user.is_lan_admin)
