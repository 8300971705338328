"""A tenant's lab. Every view here runs inside the tenant scope set up by `web.tenancy`."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, render_template
from flask_login import login_required

from tenants.db import db
from tenants.lab import Person, Unit
from web.access import roles_required

bp = Blueprint("lab", __name__, url_prefix="/<tenant:tenant>", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.get("/")
@roles_required()
def home():
    by_kind = dict(db.session.execute(
        sa.select(Unit.kind, sa.func.count()).group_by(Unit.kind)).all())
    people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
    units = db.session.scalars(sa.select(Unit).order_by(Unit.kind, Unit.name)).all()
    return render_template("lab/home.html", by_kind=by_kind, people=people, units=units,
                           roles=g.tenant_roles)
