"""Finding accounts, and where each person stands: signed up, or invited and what became
of the invitation email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from tenants.accounts.models import INVITATION_LIFETIME, Invitation, User
from tenants.db import db, utcnow
from tenants.outbox import LedgerEntry


def normalise_email(email: str) -> str:
    return email.strip()


def names_of(user_ids) -> dict[int, str]:
    """Account names by id, for the people a page mentions."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(
        sa.func.lower(User.email) == normalise_email(email).lower()))


ACTIVE = "active"          # has a password
QUEUED = "queued"          # invitation email not sent yet
RETRYING = "retrying"      # a try failed; more to come
FAILED = "failed"          # every try failed: someone must act
SENT = "sent"              # email sent, link not used yet
EXPIRED = "expired"        # email sent, link expired unused
NOT_INVITED = "not_invited"


@dataclass(frozen=True)
class Standing:
    state: str
    at: datetime | None = None     # last sign-in, or when invited
    error: str | None = None       # why the email did not go


def standings(users: list[User], tenant_id: int | None) -> dict[int, Standing]:
    """Each user's standing in the tenant (None: as LAN staff), by user id."""
    ids = [u.id for u in users if u.password_hash is None]
    latest: dict[int, tuple[Invitation, LedgerEntry | None]] = {}
    if ids:
        key = sa.literal("mail:invitation:") + sa.cast(Invitation.id, sa.String)
        scope = (Invitation.tenant_id == tenant_id if tenant_id is not None
                 else Invitation.tenant_id.is_(None))
        rows = db.session.execute(
            sa.select(Invitation, LedgerEntry).outerjoin(LedgerEntry, LedgerEntry.key == key)
            .where(Invitation.user_id.in_(ids), scope, Invitation.withdrawn_at.is_(None))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()
        for invitation, entry in rows:
            latest.setdefault(invitation.user_id, (invitation, entry))
    result = {}
    for user in users:
        if user.password_hash is not None:
            result[user.id] = Standing(ACTIVE, user.last_login_at)
        elif user.id not in latest:
            result[user.id] = Standing(NOT_INVITED)
        else:
            result[user.id] = _of(*latest[user.id])
    return result


def _of(invitation: Invitation, entry: LedgerEntry | None) -> Standing:
    if entry is None or entry.status == LedgerEntry.CLAIMED:
        if entry is not None and entry.error:
            return Standing(RETRYING, invitation.created_at, entry.error)
        return Standing(QUEUED, invitation.created_at)
    if entry.status == LedgerEntry.FAILED:
        return Standing(FAILED, invitation.created_at, entry.error)
    sent = entry.done_at or invitation.created_at
    if sent + INVITATION_LIFETIME <= utcnow():
        return Standing(EXPIRED, sent)
    return Standing(SENT, sent)
