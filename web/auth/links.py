"""Pages behind emailed links: accepting an invitation, resetting a password.

A link that cannot be used says what happened and what to do: unknown (404), used, expired
or withdrawn (410). Opening a link changes nothing (mail scanners open links too); only
the form's POST uses the token.
"""

from __future__ import annotations

from contextlib import nullcontext

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from jobs.invitations import summary, unit_name, who_to_ask
from jobs.passwords import RESET_LIFETIME, request_reset
from tenants.audit import record_platform
from tenants.db import db
from tenants.labels import ROLE
from tenants.locale import LOCALES
from tenants.platform.accounts import PLATFORM_ROLES, Role, Token, User
from tenants.platform.invitations import Invitation
from tenants.platform.tenancy import TenantStatus
from tenants.platform.timestamps import utcnow
from web.auth.forms import AcceptInvitationForm, ResetPasswordForm, ResetRequestForm
from web.auth.views import bp, home_for
from web.extensions import limiter
from web.i18n import LOCALE_COOKIE

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
               "summary": summary(invite, unit_name(invite.tenant, invite.unit_id)),
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
