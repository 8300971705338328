"""Signing in and out, and the pages behind emailed links: accepting an invitation,
resetting a password.

A link that cannot be used says what happened and what to do: unknown (404), used, expired
or withdrawn (410). Opening a link changes nothing (mail scanners open links too); only
the form's POST uses the token.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import (
    current_user,
    login_required,
    login_user,
    logout_user,
    user_loaded_from_cookie,
)
from redis.exceptions import RedisError

from jobs.accounts import enqueue_reset_request
from tenants.accounts import sessions
from tenants.accounts.messages import summary, who_to_ask
from tenants.accounts.models import (
    PLATFORM_ROLES,
    RESET_LIFETIME,
    Invitation,
    Role,
    Token,
    User,
    verify_dummy,
)
from tenants.accounts.operations import (
    LINK_EXPIRED,
    LINK_UNKNOWN,
    LINK_USED,
    LINK_WITHDRAWN,
    accept_invitation,
    find_link,
    link_problem,
)
from tenants.accounts.operations import reset_password as set_new_password
from tenants.accounts.queries import find_user
from tenants.config import LOCALES
from tenants.db import db
from tenants.labels import ROLE
from tenants.registry import TenantStatus
from tenants.scope import tenant_session
from tenants.units.queries import unit_name
from web import throttle
from web.auth.forms import (
    AcceptInvitationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from web.extensions import limiter, login_manager
from web.i18n import LOCALE_COOKIE
from web.redirects import local_target

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")
log = logging.getLogger(__name__)


def load_user(key: str) -> User | None:
    """Flask-Login's loader: the account of a sign-in that still holds."""
    return sessions.load(db.session, key)


def _bind_restored_session(sender, user, **extra) -> None:
    """A session restored from the remember-me cookie belongs to this browser from now on.

    Flask-Login leaves it without the browser's identifier, so strong session protection
    would throw it out on the very next request."""
    session["_id"] = login_manager._session_identifier_generator()


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    # A session cookie carried to another browser or address is dropped, remember-me too.
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    user_loaded_from_cookie.connect(_bind_restored_session, app)


def home_for(user: User) -> str:
    """Where a person lands after signing in: LAN dashboard, or their (first) lab."""
    if user.is_lan_staff:
        return url_for("lan.dashboard")
    for membership in sorted(user.memberships, key=lambda m: m.tenant.name):
        if membership.tenant.status == TenantStatus.ACTIVE:
            return url_for("lab.home", tenant=membership.tenant.slug)
    return url_for("account.index")


def start_session(user: User, remember: bool = False) -> None:
    """Sign `user` in on this browser: a sign-in row on the server, then the cookies."""
    sessions.start(db.session, user, remember=remember, ip=request.remote_addr,
                   user_agent=request.user_agent.string)
    db.session.commit()
    login_user(user, remember=remember)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(local_target(request.args.get("next")) or home_for(current_user))
    form = SignInForm(next=request.args.get("next"))
    refused = None
    if form.validate_on_submit():
        # Counted before the password is checked, so parallel guesses cannot overshoot.
        limits = throttle.sign_in_limits(form.email.data)
        if not throttle.claim(limits):
            abort(429)
        user = find_user(form.email.data)
        # A missing or closed account costs a password check too: the timing tells nothing.
        if user is None:
            verify_dummy(form.password.data)
        elif user.check_password(form.password.data) and user.active:
            throttle.release(limits)
            start_session(user, remember=form.remember.data)
            return redirect(local_target(form.next.data) or home_for(user))
        # Said once, above the form, and both fields point to it: either may be wrong.
        refused = _("The email or password is not right.")
    return render_template("auth/sign_in.html", form=form, refused=refused)


@bp.post("/sign-out")
@login_required
def sign_out():
    sessions.end(db.session, current_user.current_sign_in)
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))


# --- Emailed links --------------------------------------------------------------------------

UNKNOWN, USED, EXPIRED, WITHDRAWN = LINK_UNKNOWN, LINK_USED, LINK_EXPIRED, LINK_WITHDRAWN


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
    link = find_link(db.session, token, Token.INVITE, lock=request.method == "POST")
    with _in_language_of(link.user if link else None):
        return _invitation(link)


def _invitation(link: Token | None):
    problem = link_problem(link)
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
        accept_invitation(db.session, link, name=form.name.data, password=form.password.data,
                          ip=request.remote_addr)
        start_session(user)
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
        try:
            enqueue_reset_request(form.email.data)
        except RedisError:
            log.exception("could not enqueue a reset request")
            abort(503)
        # The same answer, after the same work, whether or not the address has an account.
        return render_template("auth/reset_request.html", form=form,
                               sent_to=form.email.data.strip(),
                               minutes=int(RESET_LIFETIME.total_seconds() // 60))
    return render_template("auth/reset_request.html", form=form, sent_to=None)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token: str):
    link = find_link(db.session, token, Token.RESET, lock=request.method == "POST")
    with _in_language_of(link.user if link else None):
        return _reset_password(link)


def _reset_password(link: Token | None):
    problem = link_problem(link)
    if problem:
        return _refuse("reset", problem, link)
    user = link.user
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            logout_user()
        set_new_password(db.session, link, password=form.password.data,
                         ip=request.remote_addr)
        start_session(user)
        flash(_("Your new password is set. Every other device has been signed out."),
              "success")
        return redirect(home_for(user))
    return render_template("auth/reset_password.html", form=form, user=user)
