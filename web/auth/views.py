"""Sign-in and sign-out."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tenants.db import db
from tenants.platform.accounts import User
from tenants.platform.tenancy import TenantStatus
from tenants.platform.timestamps import utcnow
from web.auth.forms import SignInForm
from web.extensions import limiter, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

login_manager.login_view = "auth.sign_in"
login_manager.login_message = None
# A session cookie carried to another browser or address is dropped, remember-me included.
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(key: str) -> User | None:
    user_id, _sep, token = key.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not user.active:
        return None
    return user


def safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def home_for(user: User) -> str:
    """Where a person lands after signing in: LAN dashboard, or their (first) lab."""
    if user.is_lan_staff:
        return url_for("lan.dashboard")
    for membership in sorted(user.memberships, key=lambda m: m.tenant.name):
        if membership.tenant.status == TenantStatus.ACTIVE:
            return url_for("lab.home", tenant=membership.tenant.slug)
    return url_for("account.index")


def _email_key() -> str:
    return "signin:" + (request.form.get("email") or "").strip().lower()


def _failed(response) -> bool:
    # Only wrong attempts count: a successful sign-in redirects.
    return response.status_code != 302


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"], deduct_when=_failed)
@limiter.limit("5 per minute; 20 per hour", methods=["POST"], key_func=_email_key,
               deduct_when=_failed)
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or home_for(current_user))
    form = SignInForm(next=request.args.get("next"))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if user and user.active and user.check_password(form.password.data):
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or home_for(user))
        flash(_("The email or password is not right."), "error")
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))


from web.auth import links  # noqa: E402, F401 - invitation and reset pages on this blueprint
