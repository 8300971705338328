"""The platform-wide audit log, for LAN administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from tenants.db import db
from tenants.platform.accounts import Role
from tenants.platform.audit import AuditEntry
from tenants.platform.tenancy import Tenant
from web.access import platform_role_required
from web.audit import read_filters
from web.lan.views import bp


@bp.get("/audit")
@platform_role_required(Role.LAN_ADMIN)
def audit():
    tenants = db.session.execute(sa.select(Tenant.id, Tenant.name).order_by(Tenant.name)).all()
    page = read_filters(AuditEntry, tenants=[tuple(t) for t in tenants])
    return render_template("lan/audit.html", page=page, tenant_names=dict(tenants))
