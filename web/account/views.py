"""A person's own account: name, language, password, sessions, and the labs they belong to."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from tenants.accounts.models import Membership, Role
from tenants.accounts.operations import change_password
from tenants.accounts.operations import sign_out_everywhere as sign_out_everywhere_op
from tenants.db import db
from tenants.registry import Tenant, TenantStatus
from tenants.scope import for_each_tenant
from tenants.units.queries import unit_name
from web.account.forms import ChangePasswordForm, ProfileForm
from web.auth.views import start_session
from web.extensions import limiter

bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    return None


@dataclass
class Lab:
    tenant: Tenant
    roles: list[str] = field(default_factory=list)
    unit: str | None = None

    @property
    def open(self) -> bool:
        return self.tenant.status == TenantStatus.ACTIVE


def my_labs(user) -> list[Lab]:
    """The labs `user` is a member of, with their roles there (and an innovator's unit)."""
    rows = db.session.execute(
        sa.select(Membership, Tenant).join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.user_id == user.id).order_by(Tenant.name, Membership.role)).all()
    labs: dict[int, Lab] = {}
    units: dict[int, int] = {}  # tenant id -> an innovator's unit there
    for membership, tenant in rows:
        lab = labs.setdefault(tenant.id, Lab(tenant))
        lab.roles.append(membership.role)
        if membership.role == Role.INNOVATOR and tenant.is_provisioned:
            units[tenant.id] = membership.unit_id
    for ref, session in for_each_tenant(labs[i].tenant.ref() for i in units):
        labs[ref.id].unit = unit_name(session, units[ref.id])
    return list(labs.values())


def _render(profile=None, password=None, status=200):
    profile = profile or ProfileForm(prefix="profile", name=current_user.name,
                                     locale=current_user.locale or _current_locale())
    password = password or ChangePasswordForm(prefix="password")
    return render_template("account/index.html", profile=profile, password=password,
                           labs=my_labs(current_user)), status


def _current_locale() -> str:
    return str(get_locale())


@bp.get("/")
def index():
    return _render()


@bp.post("/profile")
def profile():
    form = ProfileForm(prefix="profile")
    if not form.validate_on_submit():
        return _render(profile=form, status=400)
    current_user.name = form.name.data.strip()
    current_user.locale = form.locale.data
    db.session.commit()
    flash(_("Your details have been saved."), "success")
    return redirect(url_for(".index"))


def _user_key() -> str:
    return f"password-change:{current_user.id}"


@bp.post("/password")
@limiter.limit("10 per hour", key_func=_user_key)
def password():
    form = ChangePasswordForm(prefix="password")
    if not form.validate_on_submit():
        return _render(password=form, status=400)
    if not current_user.check_password(form.current.data):
        form.current.errors.append(_("This is not your current password."))
        return _render(password=form, status=400)
    user = current_user._get_current_object()
    remembered = bool(user.current_sign_in and user.current_sign_in.remember)
    change_password(db.session, user, form.password.data, ip=request.remote_addr)
    start_session(user, remember=remembered)  # this browser goes on under a new sign-in
    flash(_("Your password has been changed. Every other device has been signed out."),
          "success")
    return redirect(url_for(".index"))


@bp.post("/sign-out-everywhere")
def sign_out_everywhere():
    sign_out_everywhere_op(db.session, current_user._get_current_object(),
                           ip=request.remote_addr)
    db.session.commit()
    logout_user()
    flash(_("You have been signed out on every device, this one included."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.get("/labs")
def labs():
    return render_template("account/labs.html", labs=my_labs(current_user))
