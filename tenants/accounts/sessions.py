"""Signing in and out on the server: each signed-in browser is a `SignIn` row.

    sign_in = start(session, user, remember=True, ip=..., user_agent=...)
    login_user(user)                 # Flask-Login stores f"{user.id}:{sign_in.raw}"
    ...
    user = load(session, key)        # the request's account, or None (revoked, expired)
    end(session, user.current_sign_in)           # "Sign out"
    end_all(session, user, keep=...)             # password change, "sign out everywhere"
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import REMEMBER_LIFETIME, SESSION_LIFETIME, SignIn, User
from tenants.db import utcnow

# last_seen_at is written at most this often, so that reading pages does not write rows.
SEEN_EVERY = timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start(session: Session, user: User, *, remember: bool = False, ip: str | None = None,
          user_agent: str | None = None) -> SignIn:
    """A new sign-in for `user`, made current on it; the caller commits."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    row = SignIn(user=user, token_hash=_digest(raw), remember=remember, last_seen_at=now,
                 expires_at=now + (REMEMBER_LIFETIME if remember else SESSION_LIFETIME),
                 ip=ip, user_agent=(user_agent or "")[:200] or None)
    session.add(row)
    row.raw = raw
    user.current_sign_in = row
    user.last_login_at = now
    return row


def load(session: Session, key: str) -> User | None:
    """The account behind a session key `"<user id>:<token>"`, if that sign-in still holds."""
    user_id, _sep, raw = (key or "").partition(":")
    if not user_id.isdigit() or not raw:
        return None
    row = session.scalar(sa.select(SignIn).where(SignIn.token_hash == _digest(raw)))
    now = utcnow()
    if (row is None or row.user_id != int(user_id) or row.revoked_at is not None
            or row.expires_at <= now or not row.user.active):
        return None
    if row.last_seen_at is None or row.last_seen_at < now - SEEN_EVERY:
        # On a connection of its own: the request's transaction is not this loader's to end.
        with session.get_bind(mapper=sa.inspect(SignIn)).begin() as conn:
            conn.execute(sa.update(SignIn).where(SignIn.id == row.id)
                         .values(last_seen_at=now))
    row.raw = raw
    row.user.current_sign_in = row
    return row.user


def end(session: Session, row: SignIn | None) -> None:
    """Sign one browser out for good (its cookies are worth nothing after this)."""
    if row is not None and row.revoked_at is None:
        session.execute(sa.update(SignIn).where(SignIn.id == row.id)
                        .values(revoked_at=utcnow()))


def end_all(session: Session, user: User, keep: SignIn | None = None) -> int:
    """Sign every browser of `user` out (but `keep`); returns how many were signed in."""
    stmt = sa.update(SignIn).where(SignIn.user_id == user.id, SignIn.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(SignIn.id != keep.id)
    return session.execute(stmt.values(revoked_at=utcnow())).rowcount
