"""LAN's own people: administrators and coaches, and which labs each coach is assigned to."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jobs.invitations import find_user, invite, withdraw
from tenants.audit import record_lab_in, record_platform
from tenants.db import db
from tenants.platform.accounts import PLATFORM_ROLES, Membership, Role, User
from tenants.platform.tenancy import Tenant, TenantStatus
from web.access import platform_role_required
from web.labels import ROLE
from web.people.forms import AssignCoachForm, LanInviteForm
from web.people.standing import standings

bp = Blueprint("lan_people", __name__, url_prefix="/lan/people", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    return None


def _staff() -> list[User]:
    return db.session.scalars(sa.select(User).where(User.platform_role.in_(PLATFORM_ROLES))
                              .order_by(User.platform_role, sa.func.lower(User.name))).all()


def _assign_form() -> AssignCoachForm:
    form = AssignCoachForm(prefix="assign")
    form.coach_id.choices = [(None, "—")] + [
        (u.id, f"{u.name} ({u.email})") for u in _staff() if u.platform_role == Role.LAN_COACH]
    form.tenant_id.choices = [(None, "—")] + [
        (t.id, t.name) for t in db.session.scalars(
            sa.select(Tenant).where(Tenant.status == TenantStatus.ACTIVE).order_by(Tenant.name))]
    return form


def _render(invite_form=None, assign_form=None, status: int = 200):
    staff = _staff()
    assignments = db.session.execute(
        sa.select(Membership, Tenant).join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.role == Role.COACH, Membership.user_id.in_([u.id for u in staff]))
        .order_by(Tenant.name)).all()
    by_coach: dict[int, list] = {}
    for membership, tenant in assignments:
        by_coach.setdefault(membership.user_id, []).append((membership, tenant))
    return render_template(
        "people/lan.html", staff=staff, by_coach=by_coach, standing=standings(staff, None),
        invite_form=invite_form or LanInviteForm(prefix="invite"),
        assign_form=assign_form or _assign_form()), status


@bp.get("/")
@platform_role_required(Role.LAN_ADMIN)
def index():
    return _render()


@bp.post("/invite")
@platform_role_required(Role.LAN_ADMIN)
def invite_staff():
    form = LanInviteForm(prefix="invite")
    if not form.validate_on_submit():
        return _render(invite_form=form, status=400)
    role = Role(form.role.data)
    existing = find_user(form.email.data)
    if existing is not None and existing.platform_role == role:
        form.email.errors.append(_("%(email)s is already %(role)s.", email=existing.email,
                                   role=ROLE[role]))
        return _render(invite_form=form, status=400)
    user = invite(email=form.email.data, name=form.name.data, role=role,
                  locale=form.locale.data, invited_by_id=current_user.id)
    db.session.commit()
    flash(_("%(name)s has been invited; the email is on its way to %(email)s.",
            name=user.name, email=user.email), "success")
    return redirect(url_for(".index"))


@bp.post("/assign")
@platform_role_required(Role.LAN_ADMIN)
def assign_coach():
    form = _assign_form()
    if not form.validate_on_submit():
        return _render(assign_form=form, status=400)
    coach = db.session.get(User, form.coach_id.data)
    tenant = db.session.get(Tenant, form.tenant_id.data)
    if db.session.scalar(sa.select(Membership.id).where(
            Membership.user_id == coach.id, Membership.tenant_id == tenant.id,
            Membership.role == Role.COACH)):
        form.tenant_id.errors.append(_("%(name)s is already assigned to %(lab)s.",
                                       name=coach.name, lab=tenant.name))
        return _render(assign_form=form, status=400)
    invite(email=coach.email, name=coach.name, role=Role.COACH, tenant_id=tenant.id,
           invited_by_id=current_user.id)
    record_lab_in(db.session, tenant.schema_name, "people.coach_assigned",
                  actor_id=current_user.id, target=coach.email, ip=request.remote_addr)
    db.session.commit()
    flash(_("%(name)s now coaches %(lab)s and has been told by email.",
            name=coach.name, lab=tenant.name), "success")
    return redirect(url_for(".index"))


@bp.post("/assignments/<int:membership_id>/remove")
@platform_role_required(Role.LAN_ADMIN)
def unassign_coach(membership_id: int):
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.id == membership_id, Membership.role == Role.COACH))
    if membership is None:
        abort(404)
    coach, tenant = membership.user, membership.tenant
    db.session.delete(membership)
    record_platform(db.session, "membership.removed", actor_id=current_user.id,
                    tenant_id=tenant.id, target=coach.email, ip=request.remote_addr,
                    role=Role.COACH.value)
    if tenant.is_provisioned:
        record_lab_in(db.session, tenant.schema_name, "people.coach_unassigned",
                      actor_id=current_user.id, target=coach.email, ip=request.remote_addr)
    db.session.commit()
    flash(_("%(name)s no longer coaches %(lab)s.", name=coach.name, lab=tenant.name),
          "success")
    return redirect(url_for(".index"))


def _staff_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.platform_role not in PLATFORM_ROLES:
        abort(404)
    return user


@bp.post("/<int:user_id>/resend")
@platform_role_required(Role.LAN_ADMIN)
def resend(user_id: int):
    user = _staff_member(user_id)
    if user.password_hash is not None:
        flash(_("%(name)s has already set a password and can sign in.", name=user.name),
              "info")
        return redirect(url_for(".index"))
    invite(email=user.email, name=user.name, role=user.platform_role,
           invited_by_id=current_user.id)
    db.session.commit()
    flash(_("A new invitation is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:user_id>/remove")
@platform_role_required(Role.LAN_ADMIN)
def remove(user_id: int):
    user = _staff_member(user_id)
    if user.id == current_user.id:
        flash(_("You cannot remove your own access. Ask another administrator."), "error")
        return redirect(url_for(".index"))
    role = user.platform_role
    user.platform_role = None
    # A coach's assignments end with the coach role.
    for membership in db.session.scalars(sa.select(Membership).where(
            Membership.user_id == user.id, Membership.role == Role.COACH)):
        db.session.delete(membership)
    withdraw(user.id, None)
    record_platform(db.session, "account.lan_role_removed", actor_id=current_user.id,
                    target=user.email, ip=request.remote_addr, role=role)
    db.session.commit()
    flash(_("%(name)s is no longer %(role)s.", name=user.name, role=ROLE[role]), "success")
    return redirect(url_for(".index"))
