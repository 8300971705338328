"""The public start page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, url_for

from tenants.db import db
from tenants.registry import Tenant, TenantStatus

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def index():
    labs = db.session.scalars(sa.select(Tenant).where(Tenant.status == TenantStatus.ACTIVE)
                              .order_by(Tenant.name)).all()
    return render_template("public/index.html", labs=labs)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own; the icon is the SVG that pages link."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
