"""LAN's own pages: every tenant from one place."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import login_required

from tenants.db import db
from tenants.platform.accounts import Role
from tenants.platform.tenancy import Tenant
from web.access import platform_role_required

bp = Blueprint("lan", __name__, url_prefix="/lan", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.get("/")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def dashboard():
    tenants = db.session.scalars(sa.select(Tenant).order_by(Tenant.name)).all()
    return render_template("lan/dashboard.html", tenants=tenants)
