"""Inviting people and resetting passwords: the account and role now, the emailed link
after the caller commits.

    user = invite(email="dwi@probolinggokab.go.id", name="Dwi Hartono",
                  role=Role.BAPPEDA_ADMIN, tenant_id=tenant.id, invited_by_id=admin.id)
    db.session.commit()   # the worker sends the invitation once this commits

An invitation carries a single-use link `{BASE_URL}/auth/invitation/<token>` valid for 7
days, a reset link `{BASE_URL}/auth/reset/<token>` one hour; only a token's hash is stored,
and it is issued by the job that sends it (`tenants.accounts.messages`), so a token never
waits in Redis.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import has_request_context, request

from tenants.accounts.models import (
    PLATFORM_ROLES,
    TENANT_ROLES,
    Invitation,
    Membership,
    Role,
    Token,
    User,
)
from tenants.accounts.queries import find_user, normalise_email
from tenants.accounts.sessions import end_all
from tenants.audit.operations import record_platform
from tenants.config import LOCALES
from tenants.db import db, utcnow
from tenants.outbox import owe
from tenants.registry import Tenant


class InvitationError(ValueError):
    """An invitation that cannot be made as asked (a programming error of the caller)."""


def invite(*, email: str, name: str, role: str, tenant_id: int | None = None,
           unit_id: int | None = None, locale: str | None = None,
           invited_by_id: int | None = None, unit_name: str | None = None) -> User:
    """Give `email` the role (creating the account if new) and owe them an invitation email.

    Runs on `db.session` and does not commit: the caller commits, and only then is the
    email enqueued (see `tenants.outbox`). Tenant roles need `tenant_id`, an innovator
    also `unit_id` (and `unit_name` for the log); LAN roles (lan_admin, lan_coach) take no
    tenant. A coach assignment (role "coach") needs an account that is a LAN coach already.
    """
    role = Role(role)
    email = normalise_email(email)
    if not email or "@" not in email:
        raise InvitationError(f"not an email address: {email!r}")
    if role in PLATFORM_ROLES and tenant_id is not None:
        raise InvitationError(f"{role} is a LAN role; it takes no tenant")
    if role in TENANT_ROLES and tenant_id is None:
        raise InvitationError(f"{role} is a tenant role; name the tenant")
    if role == Role.INNOVATOR and unit_id is None:
        raise InvitationError("an innovator belongs to a unit; name it")
    if locale is not None and locale not in LOCALES:
        raise InvitationError(f"unknown locale {locale!r}")
    session = db.session
    if tenant_id is not None and session.get(Tenant, tenant_id) is None:
        raise InvitationError(f"no tenant {tenant_id}")

    user = find_user(email)
    if user is None:
        user = User(email=email, name=name.strip() or email, locale=locale)
        session.add(user)
    else:
        if user.locale is None and locale is not None:
            user.locale = locale  # an existing preference wins over the inviter's guess
        user.active = True  # an account deactivated when it lost its last role comes back
    if role == Role.COACH and user.platform_role != Role.LAN_COACH:
        raise InvitationError(f"{email} is not a LAN coach; invite them as one first")

    if role in PLATFORM_ROLES:
        user.platform_role = role
    else:
        session.flush()
        membership = session.scalar(sa.select(Membership).where(
            Membership.user_id == user.id, Membership.tenant_id == tenant_id,
            Membership.role == role))
        if membership is None:
            session.add(Membership(user=user, tenant_id=tenant_id, role=role,
                                   unit_id=unit_id if role == Role.INNOVATOR else None))
        elif role == Role.INNOVATOR and membership.unit_id != unit_id:
            # A move is its own, confirmed action (tenants.units.operations.move_innovator).
            raise InvitationError(f"{email} is an innovator of another unit already")

    invitation = Invitation(user=user, tenant_id=tenant_id, role=role,
                            unit_id=unit_id if role == Role.INNOVATOR else None,
                            invited_by_id=invited_by_id)
    session.add(invitation)
    session.flush()
    record_platform(session, "account.invited", actor_id=invited_by_id, tenant_id=tenant_id,
                    target=email, ip=request.remote_addr if has_request_context() else None,
                    role=str(role), unit=unit_name, unit_id=invitation.unit_id,
                    invitation_id=invitation.id)
    owe(session, invitation.mail_key, tenant_id=tenant_id)
    return user


def withdraw(user_id: int, tenant_id: int | None) -> int:
    """Withdraw the open invitations of `user_id` to `tenant_id` (None: to LAN roles)."""
    where = (Invitation.tenant_id == tenant_id if tenant_id is not None
             else Invitation.tenant_id.is_(None))
    result = db.session.execute(sa.update(Invitation).where(
        Invitation.user_id == user_id, where, Invitation.accepted_at.is_(None),
        Invitation.withdrawn_at.is_(None)).values(withdrawn_at=utcnow()))
    return result.rowcount


def request_reset(email: str) -> bool:
    """Owe a reset email to the active account of `email`; False if there is none.

    The caller answers the same whatever happens, so the form tells no one which addresses
    have accounts."""
    user = find_user(email)
    if user is None or not user.may_sign_in:
        return False  # invited and never joined, or removed from everything
    owe(db.session, f"mail:reset:{user.id}:{secrets.token_hex(8)}")
    return True


# --- Emailed links ----------------------------------------------------------------------------

LINK_UNKNOWN, LINK_USED, LINK_EXPIRED, LINK_WITHDRAWN = "unknown", "used", "expired", "withdrawn"


def find_link(session, raw: str, kind: str, *, lock: bool = False) -> Token | None:
    """The token of an emailed link; with `lock`, locked for using it.

    Locks are taken in one order, the account first: two links of one person used at the
    same moment queue on the account instead of deadlocking on each other's tokens."""
    token = session.scalar(sa.select(Token).where(Token.token_hash == Token.digest(raw),
                                                  Token.kind == kind))
    if token is not None and lock:
        session.execute(sa.select(User.id).where(User.id == token.user_id).with_for_update())
        session.refresh(token, with_for_update=True)
    return token


def link_problem(token: Token | None) -> str | None:
    """Why a link cannot be used (one of LINK_*), or None."""
    if token is None:
        return LINK_UNKNOWN
    if token.used_at is not None:
        return LINK_USED
    invitation = token.invitation
    if not token.user.active or (invitation is not None and invitation.withdrawn_at):
        return LINK_WITHDRAWN
    if token.kind == Token.RESET and not token.user.may_sign_in:
        return LINK_WITHDRAWN
    if token.expired:
        return LINK_EXPIRED
    return None


def _use_up(session, user: User, kind: str) -> None:
    """Every open link of `kind` for `user` dies with the one just used."""
    session.execute(sa.update(Token).where(
        Token.user_id == user.id, Token.kind == kind, Token.used_at.is_(None))
        .values(used_at=utcnow()))


def accept_invitation(session, link: Token, *, name: str, password: str,
                      ip: str | None = None) -> User:
    """Set the invitee's name and password through a (locked, usable) invitation link."""
    user, invitation = link.user, link.invitation
    user.name = name.strip()
    user.set_password(password)
    _use_up(session, user, Token.INVITE)
    invitation.accepted_at = utcnow()
    record_platform(session, "account.invitation_accepted", actor_id=user.id,
                    tenant_id=invitation.tenant_id, target=user.email, ip=ip,
                    invitation_id=invitation.id)
    return user


def reset_password(session, link: Token, *, password: str, ip: str | None = None) -> User:
    """Set a new password through a (locked, usable) reset link; every sign-in ends."""
    user = link.user
    user.set_password(password)
    end_all(session, user)
    _use_up(session, user, Token.RESET)
    record_platform(session, "account.password_reset", actor_id=user.id, target=user.email,
                    ip=ip)
    return user


def change_password(session, user: User, password: str, *, ip: str | None = None) -> None:
    """A new password; every sign-in of the account ends, this browser's too (the caller
    signs it in afresh, so a copy of its old cookies is worth nothing)."""
    user.set_password(password)
    end_all(session, user)
    record_platform(session, "account.password_changed", actor_id=user.id, target=user.email,
                    ip=ip)


def sign_out_everywhere(session, user: User, *, ip: str | None = None) -> None:
    end_all(session, user)
    record_platform(session, "account.signed_out_everywhere", actor_id=user.id,
                    target=user.email, ip=ip)


def deactivate_if_unused(session, user: User) -> bool:
    """An account left with no lab and no LAN role can no longer sign in (or reset its
    password) until someone invites it again; True if it was deactivated."""
    session.flush()
    has_membership = session.scalar(sa.select(Membership.id).where(
        Membership.user_id == user.id).limit(1))
    if user.platform_role or has_membership:
        return False
    user.active = False
    end_all(session, user)
    return True
