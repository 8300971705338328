"""A tenant's people: who may sign in to the lab, in which role; invitations and removal.

For the tenant's Bappeda administrators (and LAN administrators). Memberships live in the
platform schema; every query here is filtered by the tenant of the URL, so an id from
another tenant is simply not found.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jobs.invitations import find_user, invite, withdraw
from tenants.audit import record_lab, record_platform
from tenants.db import db
from tenants.lab.units import Unit
from tenants.platform.accounts import Membership, Role, User
from web.access import roles_required
from web.labels import ROLE
from web.people.forms import TenantInviteForm
from web.people.standing import standings

bp = Blueprint("people", __name__, url_prefix="/<tenant:tenant>/people",
               template_folder="templates")

MANAGERS = (Role.BAPPEDA_ADMIN, Role.LAN_ADMIN)


@bp.before_request
@login_required
def _signed_in():
    return None


def _units() -> list[Unit]:
    return db.session.scalars(sa.select(Unit).order_by(Unit.name)).all()


def _form(units: list[Unit]) -> TenantInviteForm:
    form = TenantInviteForm(prefix="invite")
    form.unit_id.choices = [(None, "—")] + [(u.id, u.name) for u in units]
    if request.method == "GET":
        form.locale.data = g.tenant.default_locale
    return form


def _render(form: TenantInviteForm, units: list[Unit], status: int = 200):
    rows = db.session.execute(
        sa.select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == g.tenant.id)
        .order_by(sa.func.lower(User.name), Membership.role)).all()
    users = list({user.id: user for _m, user in rows}.values())
    unit_names = {u.id: u.name for u in units}
    return render_template(
        "people/tenant.html", rows=rows, form=form, units=units, unit_names=unit_names,
        standing=standings(users, g.tenant.id), roles=g.tenant_roles), status


@bp.get("/")
@roles_required(*MANAGERS)
def index():
    units = _units()
    return _render(_form(units), units)


@bp.post("/invite")
@roles_required(*MANAGERS)
def invite_person():
    units = _units()
    form = _form(units)
    if not form.validate_on_submit():
        return _render(form, units, 400)
    role = Role(form.role.data)
    unit_id = form.unit_id.data if role == Role.INNOVATOR else None
    existing = find_user(form.email.data)
    same = existing and db.session.scalar(sa.select(Membership).where(
        Membership.user_id == existing.id, Membership.tenant_id == g.tenant.id,
        Membership.role == role))
    if same and same.unit_id == unit_id:  # an innovator may move to another unit
        form.email.errors.append(_("%(email)s is already %(role)s in this lab.",
                                   email=existing.email, role=ROLE[role]))
        return _render(form, units, 400)
    user = invite(email=form.email.data, name=form.name.data, role=role,
                  tenant_id=g.tenant.id, unit_id=unit_id, locale=form.locale.data,
                  invited_by_id=current_user.id)
    record_lab(db.session, "people.invited", actor_id=current_user.id, target=user.email,
               ip=request.remote_addr, role=str(role), unit_id=unit_id)
    db.session.commit()
    flash(_("%(name)s has been invited; the email is on its way to %(email)s.",
            name=user.name, email=user.email), "success")
    return redirect(url_for(".index"))


def _membership(membership_id: int) -> Membership:
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.id == membership_id, Membership.tenant_id == g.tenant.id))
    if membership is None:
        abort(404)
    return membership


@bp.post("/<int:membership_id>/resend")
@roles_required(*MANAGERS)
def resend(membership_id: int):
    membership = _membership(membership_id)
    user = membership.user
    if user.password_hash is not None:
        flash(_("%(name)s has already set a password and can sign in.", name=user.name),
              "info")
        return redirect(url_for(".index"))
    invite(email=user.email, name=user.name, role=membership.role, tenant_id=g.tenant.id,
           unit_id=membership.unit_id, invited_by_id=current_user.id)
    record_lab(db.session, "people.invitation_resent", actor_id=current_user.id,
               target=user.email, ip=request.remote_addr, role=membership.role)
    db.session.commit()
    flash(_("A new invitation is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:membership_id>/remove")
@roles_required(*MANAGERS)
def remove(membership_id: int):
    membership = _membership(membership_id)
    user = membership.user
    if membership.role == Role.COACH and Role.LAN_ADMIN not in g.tenant_roles:
        abort(403)  # coach assignments are LAN's to make and end
    if user.id == current_user.id:
        flash(_("You cannot remove your own access. Ask another administrator."), "error")
        return redirect(url_for(".index"))
    role = membership.role
    db.session.delete(membership)
    db.session.flush()
    still_member = db.session.scalar(sa.select(Membership.id).where(
        Membership.user_id == user.id, Membership.tenant_id == g.tenant.id))
    if still_member is None:
        withdraw(user.id, g.tenant.id)
    record_platform(db.session, "membership.removed", actor_id=current_user.id,
                    tenant_id=g.tenant.id, target=user.email, ip=request.remote_addr, role=role)
    record_lab(db.session, "people.removed", actor_id=current_user.id, target=user.email,
               ip=request.remote_addr, role=role)
    db.session.commit()
    flash(_("%(name)s is no longer %(role)s in this lab.", name=user.name, role=ROLE[role]),
          "success")
    return redirect(url_for(".index"))
