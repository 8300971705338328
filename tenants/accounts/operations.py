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
    INVITATION_LIFETIME,
    PLATFORM_ROLES,
    RESET_LIFETIME,
    TENANT_ROLES,
    Invitation,
    Membership,
    Role,
    User,
)
from tenants.accounts.queries import find_user, normalise_email
from tenants.audit.operations import record_platform
from tenants.config import LOCALES
from tenants.db import db, utcnow
from tenants.outbox import owe
from tenants.registry import Tenant

__all__ = ["INVITATION_LIFETIME", "RESET_LIFETIME", "InvitationError", "invite",
           "request_reset", "withdraw"]


class InvitationError(ValueError):
    """An invitation that cannot be made as asked (a programming error of the caller)."""


def invite(*, email: str, name: str, role: str, tenant_id: int | None = None,
           unit_id: int | None = None, locale: str | None = None,
           invited_by_id: int | None = None) -> User:
    """Give `email` the role (creating the account if new) and owe them an invitation email.

    Runs on `db.session` and does not commit: the caller commits, and only then is the
    email enqueued (see `tenants.outbox`). Tenant roles need `tenant_id`, an
    innovator also `unit_id`; LAN roles (lan_admin, lan_coach) take no tenant. A coach
    assignment (role "coach") needs an account that is a LAN coach already.
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
    elif user.locale is None and locale is not None:
        user.locale = locale  # an existing preference wins over the inviter's guess
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
        elif role == Role.INNOVATOR:
            membership.unit_id = unit_id

    invitation = Invitation(user=user, tenant_id=tenant_id, role=role,
                            unit_id=unit_id if role == Role.INNOVATOR else None,
                            invited_by_id=invited_by_id)
    session.add(invitation)
    session.flush()
    record_platform(session, "account.invited", actor_id=invited_by_id, tenant_id=tenant_id,
                    target=email, ip=request.remote_addr if has_request_context() else None,
                    role=str(role), unit_id=invitation.unit_id, invitation_id=invitation.id)
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
    if user is None or not user.active:
        return False
    owe(db.session, f"mail:reset:{user.id}:{secrets.token_hex(8)}")
    return True
