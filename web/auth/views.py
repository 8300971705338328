"""Signing in and out, and the pages behind emailed links: accepting an invitation,
resetting a password.

A link that cannot be used says what happened and what to do: unknown (404), used, expired
or withdrawn (410). Opening a link changes nothing (mail scanners open links too); only
the form's POST uses the token.
"""

from __future__ import annotations

from contextlib import nullcontext

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tenants.accounts.messages import summary, who_to_ask
from tenants.accounts.models import PLATFORM_ROLES, RESET_LIFETIME, Invitation, Role, Token, User
from tenants.accounts.operations import request_reset
from tenants.audit.operations import record_platform
from tenants.config import LOCALES
from tenants.db import db, utcnow
from tenants.labels import ROLE
from tenants.registry import TenantStatus
from tenants.scope import tenant_session
from tenants.units.queries import unit_name
from web.auth.forms import (
    AcceptInvitationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from web.extensions import limiter, login_manager
from web.i18n import LOCALE_COOKIE

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
    refused = None
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if user and user.active and user.check_password(form.password.data):
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or home_for(user))
        # Said once, above the form, and both fields point to it: either may be wrong.
        refused = _("The email or password is not right.")
    return render_template("auth/sign_in.html", form=form, refused=refused)


@bp.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))


# --- Emailed links --------------------------------------------------------------------------

UNKNOWN, USED, EXPIRED, WITHDRAWN = "unknown", "used", "expired", "withdrawn"


def _find(raw: str, kind: str, lock: bool = False) -> Token | None:
    query = sa.select(Token).where(Token.token_hash == Token.digest(raw), Token.kind == kind)
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def _problem(token: Token | None) -> str | None:
    if token is None:
        return UNKNOWN
    if token.used_at is not None:
        return USED
    invitation = token.invitation
    if not token.user.active or (invitation is not None and invitation.withdrawn_at):
        return WITHDRAWN
    if token.expired:
        return EXPIRED
    return None


def _refuse(kind: str, problem: str, token: Token | None):
    invitation = token.invitation if token is not None else None
    ask = who_to_ask(invitation) if invitation is not None else None
    home = home_for(current_user) if current_user.is_authenticated else None
    return render_template("auth/link_problem.html", kind=kind, problem=problem, token=token,
                           who_to_ask=ask, home=home), 404 if problem == UNKNOWN else 410


def _in_language_of(user: User | None):
    """An emailed link opens in its recipient's saved language, unless the reader chose one."""
    if (user is None or user.locale not in LOCALES or current_user.is_authenticated
            or request.cookies.get(LOCALE_COOKIE)):
        return nullcontext()
    return force_locale(user.locale)


def _ip() -> str | None:
    return request.remote_addr


def _use_up(user: User, kind: str) -> None:
    """Every open link of `kind` for `user` dies with the one just used."""
    db.session.execute(sa.update(Token).where(
        Token.user_id == user.id, Token.kind == kind, Token.used_at.is_(None))
        .values(used_at=utcnow()))


def _unit_of(invitation: Invitation) -> str | None:
    """An innovator's unit, read from the lab the invitation is to."""
    tenant = invitation.tenant
    if tenant is None or invitation.unit_id is None or not tenant.is_provisioned:
        return None
    with tenant_session(tenant.ref()) as session:
        return unit_name(session, invitation.unit_id)


def landing(invitation: Invitation) -> str:
    tenant = invitation.tenant
    if tenant is not None and tenant.status == TenantStatus.ACTIVE:
        return url_for("lab.home", tenant=tenant.slug)
    if invitation.role in PLATFORM_ROLES and invitation.user.is_lan_staff:
        return url_for("lan.dashboard")
    return home_for(invitation.user)


# --- Invitations ----------------------------------------------------------------------------

@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def invitation(token: str):
    link = _find(token, Token.INVITE, lock=request.method == "POST")
    with _in_language_of(link.user if link else None):
        return _invitation(link)


def _invitation(link: Token | None):
    problem = _problem(link)
    if problem:
        return _refuse("invite", problem, link)
    invite, user = link.invitation, link.user
    context = {"invite": invite, "user": user, "role": ROLE[Role(invite.role)],
               "summary": summary(invite, _unit_of(invite)),
               "landing": landing(invite)}
    if user.password_hash is not None:
        # An account that has a password already: the invitation only tells them where to go.
        return render_template("auth/invitation_known.html", **context)
    form = AcceptInvitationForm(name=user.name)
    if form.validate_on_submit():
        if current_user.is_authenticated and current_user.id != user.id:
            logout_user()
        user.name = form.name.data.strip()
        user.set_password(form.password.data)
        user.last_login_at = utcnow()
        _use_up(user, Token.INVITE)
        invite.accepted_at = utcnow()
        record_platform(db.session, "account.invitation_accepted", actor_id=user.id,
                        tenant_id=invite.tenant_id, target=user.email, ip=_ip(),
                        invitation_id=invite.id)
        db.session.commit()
        login_user(user)
        flash(_("Welcome, %(name)s. Your password is set and you are signed in.",
                name=user.name), "success")
        return redirect(landing(invite))
    return render_template("auth/invitation.html", form=form, **context)


# --- Password reset -------------------------------------------------------------------------

def _reset_email_key() -> str:
    return "reset:" + (request.form.get("email") or "").strip().lower()


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes; 20 per day", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_reset_email_key)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        request_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render_template("auth/reset_request.html", form=form,
                               sent_to=form.email.data.strip(),
                               minutes=int(RESET_LIFETIME.total_seconds() // 60))
    return render_template("auth/reset_request.html", form=form, sent_to=None)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token: str):
    link = _find(token, Token.RESET, lock=request.method == "POST")
    with _in_language_of(link.user if link else None):
        return _reset_password(link)


def _reset_password(link: Token | None):
    problem = _problem(link)
    if problem:
        return _refuse("reset", problem, link)
    user = link.user
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            logout_user()
        user.set_password(form.password.data)  # rotates the session token: other sessions end
        user.last_login_at = utcnow()
        _use_up(user, Token.RESET)
        record_platform(db.session, "account.password_reset", actor_id=user.id,
                        target=user.email, ip=_ip())
        db.session.commit()
        login_user(user)
        flash(_("Your new password is set. Every other device has been signed out."),
              "success")
        return redirect(home_for(user))
    return render_template("auth/reset_password.html", form=form, user=user)
