"""Members: who may sign in, in which role. A lab's members (`/<tenant>/people/`, for its
Bappeda administrators and LAN administrators) and LAN's own staff (`/lan/people/`, for
LAN administrators): invitations, resending them, coach assignments and removal.

Memberships live in the platform schema; every query of a lab's members is filtered by the
tenant of the URL, so an id from another tenant is simply not found.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tenants.accounts.models import PLATFORM_ROLES, Membership, Role, User
from tenants.accounts.operations import deactivate_if_unused, invite, withdraw
from tenants.accounts.queries import find_user, standings
from tenants.audit.operations import record_lab, record_lab_in, record_platform
from tenants.db import db
from tenants.registry import Tenant, TenantStatus
from tenants.units.models import Unit
from tenants.units.operations import invite_member as invite_into_lab
from tenants.units.operations import move_innovator
from tenants.units.queries import units as lab_units
from web.access import platform_role_required, roles_required
from web.forms import attempt
from web.labels import ROLE
from web.members.forms import AssignCoachForm, ChangeUnitForm, LanInviteForm, TenantInviteForm

bp = Blueprint("members", __name__, template_folder="templates")
LAB = "/<tenant:tenant>/people"

MANAGERS = (Role.BAPPEDA_ADMIN, Role.LAN_ADMIN)


@bp.before_request
@login_required
def _signed_in():
    return None


# --- A lab's members -----------------------------------------------------------------------

def _units() -> list[Unit]:
    return lab_units(db.session)


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
        "members/tenant.html", rows=rows, form=form, units=units, unit_names=unit_names,
        standing=standings(users, g.tenant.id), roles=g.tenant_roles), status


@bp.get(f"{LAB}/")
@roles_required(*MANAGERS)
def index():
    units = _units()
    return _render(_form(units), units)


@bp.post(f"{LAB}/invite")
@roles_required(*MANAGERS)
def invite_member():
    units = _units()
    form = _form(units)
    if not form.validate_on_submit():
        return _render(form, units, 400)
    done, error = attempt(invite_into_lab, form=form, email=form.email.data,
                          name=form.name.data, role=form.role.data,
                          unit_id=form.unit_id.data, locale=form.locale.data)
    if not done:
        if error:
            flash(error, "error")
        return _render(form, units, 400)
    flash(_("%(name)s has been invited; the email is on its way to %(email)s.",
            name=form.name.data.strip(), email=form.email.data.strip()), "success")
    return redirect(url_for(".index"))


def _membership(membership_id: int) -> Membership:
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.id == membership_id, Membership.tenant_id == g.tenant.id))
    if membership is None:
        abort(404)
    return membership


@bp.post(f"{LAB}/<int:membership_id>/resend")
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


@bp.route(f"{LAB}/<int:membership_id>/unit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def change_unit(membership_id: int):
    """Move an innovator to another unit: a page to choose it and confirm, then the move."""
    membership = _membership(membership_id)
    if membership.role != Role.INNOVATOR:
        abort(404)
    units = _units()
    form = ChangeUnitForm(unit_id=membership.unit_id)
    form.unit_id.choices = [(u.id, u.name) for u in units]
    error = None
    if form.validate_on_submit():
        done, error = attempt(move_innovator, membership, form.unit_id.data, form=form)
        if done:
            flash(_("%(name)s now belongs to %(unit)s.", name=membership.user.name,
                    unit=dict(form.unit_id.choices)[form.unit_id.data]), "success")
            return redirect(url_for(".index"))
    current = next((u for u in units if u.id == membership.unit_id), None)
    status = 400 if request.method == "POST" else 200
    return render_template("members/change_unit.html", form=form, membership=membership,
                           current=current, error=error), status


@bp.post(f"{LAB}/<int:membership_id>/remove")
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
        deactivate_if_unused(db.session, user)
    record_platform(db.session, "membership.removed", actor_id=current_user.id,
                    tenant_id=g.tenant.id, target=user.email, ip=request.remote_addr, role=role)
    record_lab(db.session, "people.removed", actor_id=current_user.id, target=user.email,
               ip=request.remote_addr, role=role)
    db.session.commit()
    flash(_("%(name)s is no longer %(role)s in this lab.", name=user.name, role=ROLE[role]),
          "success")
    return redirect(url_for(".index"))


# --- LAN's staff ---------------------------------------------------------------------------

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


def _render_lan(invite_form=None, assign_form=None, status: int = 200):
    staff = _staff()
    assignments = db.session.execute(
        sa.select(Membership, Tenant).join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.role == Role.COACH, Membership.user_id.in_([u.id for u in staff]))
        .order_by(Tenant.name)).all()
    by_coach: dict[int, list] = {}
    for membership, tenant in assignments:
        by_coach.setdefault(membership.user_id, []).append((membership, tenant))
    return render_template(
        "members/lan.html", staff=staff, by_coach=by_coach, standing=standings(staff, None),
        invite_form=invite_form or LanInviteForm(prefix="invite"),
        assign_form=assign_form or _assign_form()), status


@bp.get("/lan/people/")
@platform_role_required(Role.LAN_ADMIN)
def lan_index():
    return _render_lan()


@bp.post("/lan/people/invite")
@platform_role_required(Role.LAN_ADMIN)
def lan_invite():
    form = LanInviteForm(prefix="invite")
    if not form.validate_on_submit():
        return _render_lan(invite_form=form, status=400)
    role = Role(form.role.data)
    existing = find_user(form.email.data)
    if existing is not None and existing.platform_role == role:
        form.email.errors.append(_("%(email)s is already %(role)s.", email=existing.email,
                                   role=ROLE[role]))
        return _render_lan(invite_form=form, status=400)
    user = invite(email=form.email.data, name=form.name.data, role=role,
                  locale=form.locale.data, invited_by_id=current_user.id)
    db.session.commit()
    flash(_("%(name)s has been invited; the email is on its way to %(email)s.",
            name=user.name, email=user.email), "success")
    return redirect(url_for(".lan_index"))


@bp.post("/lan/people/assign")
@platform_role_required(Role.LAN_ADMIN)
def lan_assign_coach():
    form = _assign_form()
    if not form.validate_on_submit():
        return _render_lan(assign_form=form, status=400)
    coach = db.session.get(User, form.coach_id.data)
    tenant = db.session.get(Tenant, form.tenant_id.data)
    if db.session.scalar(sa.select(Membership.id).where(
            Membership.user_id == coach.id, Membership.tenant_id == tenant.id,
            Membership.role == Role.COACH)):
        form.tenant_id.errors.append(_("%(name)s is already assigned to %(lab)s.",
                                       name=coach.name, lab=tenant.name))
        return _render_lan(assign_form=form, status=400)
    invite(email=coach.email, name=coach.name, role=Role.COACH, tenant_id=tenant.id,
           invited_by_id=current_user.id)
    record_lab_in(db.session, tenant.schema_name, "people.coach_assigned",
                  actor_id=current_user.id, target=coach.email, ip=request.remote_addr)
    db.session.commit()
    flash(_("%(name)s now coaches %(lab)s and has been told by email.",
            name=coach.name, lab=tenant.name), "success")
    return redirect(url_for(".lan_index"))


@bp.post("/lan/people/assignments/<int:membership_id>/remove")
@platform_role_required(Role.LAN_ADMIN)
def lan_unassign_coach(membership_id: int):
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
    return redirect(url_for(".lan_index"))


def _staff_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.platform_role not in PLATFORM_ROLES:
        abort(404)
    return user


@bp.post("/lan/people/<int:user_id>/resend")
@platform_role_required(Role.LAN_ADMIN)
def lan_resend(user_id: int):
    user = _staff_member(user_id)
    if user.password_hash is not None:
        flash(_("%(name)s has already set a password and can sign in.", name=user.name),
              "info")
        return redirect(url_for(".lan_index"))
    invite(email=user.email, name=user.name, role=user.platform_role,
           invited_by_id=current_user.id)
    db.session.commit()
    flash(_("A new invitation is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for(".lan_index"))


@bp.post("/lan/people/<int:user_id>/remove")
@platform_role_required(Role.LAN_ADMIN)
def lan_remove(user_id: int):
    user = _staff_member(user_id)
    if user.id == current_user.id:
        flash(_("You cannot remove your own access. Ask another administrator."), "error")
        return redirect(url_for(".lan_index"))
    role = user.platform_role
    user.platform_role = None
    # A coach's assignments end with the coach role.
    for membership in db.session.scalars(sa.select(Membership).where(
            Membership.user_id == user.id, Membership.role == Role.COACH)):
        db.session.delete(membership)
    withdraw(user.id, None)
    deactivate_if_unused(db.session, user)
    record_platform(db.session, "account.lan_role_removed", actor_id=current_user.id,
                    target=user.email, ip=request.remote_addr, role=role)
    db.session.commit()
    flash(_("%(name)s is no longer %(role)s.", name=user.name, role=ROLE[role]), "success")
    return redirect(url_for(".lan_index"))
