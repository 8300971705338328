"""The lab's home page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, render_template

from tenants.accounts.models import Membership
from tenants.db import db
from tenants.units.queries import count_by_kind
from tenants.units.queries import units as lab_units
from web.access import roles_required


@roles_required()
def home():
    units = sorted(lab_units(db.session), key=lambda u: (u.kind, u.name))
    # The people who may sign in, as the members page lists them.
    members = db.session.scalar(sa.select(sa.func.count(sa.distinct(Membership.user_id)))
                                .where(Membership.tenant_id == g.tenant.id))
    return render_template("lab/home.html", by_kind=count_by_kind(db.session),
                           members=members, units=units, roles=g.tenant_roles)
