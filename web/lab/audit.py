"""The lab's own audit log, read from the tenant schema, for its Bappeda administrators."""

from __future__ import annotations

from flask import render_template

from tenants.lab.audit import LabAuditEntry
from tenants.platform.accounts import Role
from web.access import roles_required
from web.audit import read_filters
from web.lab.views import bp


@bp.get("/audit")
@roles_required(Role.BAPPEDA_ADMIN, Role.LAN_ADMIN)
def audit():
    return render_template("lab/audit.html", page=read_filters(LabAuditEntry))
