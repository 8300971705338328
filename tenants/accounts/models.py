"""People who sign in, what they may do where, their invitations and single-use tokens."""

from __future__ import annotations

import contextlib
import enum
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import PlatformModel, created_at, utcnow
from tenants.registry import Tenant


class Role(enum.StrEnum):
    # Platform-wide, on the account.
    LAN_ADMIN = "lan_admin"
    LAN_COACH = "lan_coach"
    # Per tenant, on a membership.
    BAPPEDA_ADMIN = "bappeda_admin"
    INNOVATOR = "innovator"
    COACH = "coach"  # a LAN coach assigned to the tenant


_hasher = PasswordHasher()

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
REMEMBER_LIFETIME = timedelta(days=14)  # "keep me signed in"
SESSION_LIFETIME = timedelta(days=1)    # a browser session without it

PLATFORM_ROLES = (Role.LAN_ADMIN, Role.LAN_COACH)
TENANT_ROLES = (Role.BAPPEDA_ADMIN, Role.INNOVATOR, Role.COACH)


class User(PlatformModel):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))  # None until invited
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    platform_role: Mapped[str | None] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    created_at: Mapped[datetime] = created_at()
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    __table_args__ = (
        sa.Index("uq_account_email_lower", sa.func.lower(email), unique=True),
        sa.CheckConstraint("platform_role IN ('lan_admin', 'lan_coach')", name="platform_role"),
        sa.CheckConstraint("locale IN ('id', 'en')", name="locale"),
    )

    @property
    def is_lan_admin(self) -> bool:
        return self.platform_role == Role.LAN_ADMIN

    @property
    def is_lan_staff(self) -> bool:
        return self.platform_role in PLATFORM_ROLES

    def set_password(self, password: str) -> None:
        """Set a new password; the caller ends the account's other sign-ins."""
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            verify_dummy(password)  # as slow as a real check: the timing tells nothing
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True

    @property
    def may_sign_in(self) -> bool:
        """Active, with a password, and a role somewhere: LAN's, or a lab's."""
        return bool(self.active and self.password_hash
                    and (self.platform_role or self.memberships))

    # Flask-Login: a signed-in person is an account seen through one of its sign-ins
    # (`SignIn`); the id in the session and the remember cookie names that sign-in.
    is_authenticated = True
    is_anonymous = False
    current_sign_in = None  # the SignIn this request came through (not a column)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        if self.current_sign_in is None or self.current_sign_in.raw is None:
            raise RuntimeError("sign the account in first (tenants.accounts.sessions)")
        return f"{self.id}:{self.current_sign_in.raw}"


_DUMMY_HASH = None


def verify_dummy(password: str) -> None:
    """Spend the time of one password check, against a hash nobody's password matches."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


class SignIn(PlatformModel):
    """One signed-in browser: what the session and the remember-me cookie point to.

    Signing out revokes it, so a copied session or remember-me cookie stops working the
    moment its owner signs out; it also expires on the server (14 days with "keep me
    signed in", a day without). Only the token's hash is stored.
    """

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    remember: Mapped[bool] = mapped_column(nullable=False, default=False)
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))

    user: Mapped[User] = relationship()

    raw = None  # the token itself (not a column): known only in the request that made it


class Membership(PlatformModel):
    """A role in one tenant. An innovator's membership names their unit (a tenant row id)."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey(Tenant.id, ondelete="CASCADE"),
                                           nullable=False, index=True)
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)  # no FK across schemas
    created_at: Mapped[datetime] = created_at()

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "tenant_id", "role"),
        sa.CheckConstraint("role IN ('bappeda_admin', 'innovator', 'coach')", name="role"),
        sa.CheckConstraint("role <> 'innovator' OR unit_id IS NOT NULL", name="innovator_unit"),
    )


class Token(PlatformModel):
    """A single-use, expiring link token (invitation or password reset); only its hash is kept."""

    __tablename__ = "token"

    INVITE = "invite"
    RESET = "reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey(Tenant.id, ondelete="CASCADE"))
    # The invitation an invite link answers (None for reset links).
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("platform.invitation.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()

    user: Mapped[User] = relationship()
    tenant: Mapped[Tenant | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()

    __table_args__ = (sa.CheckConstraint("kind IN ('invite', 'reset')", name="kind"),)

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, kind: str, user: User, lifetime: timedelta,
              tenant: Tenant | None = None) -> tuple[Token, str]:
        raw = secrets.token_urlsafe(32)
        token = cls(kind=kind, token_hash=cls.digest(raw), user=user, tenant=tenant,
                    expires_at=utcnow() + lifetime)
        return token, raw

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()


class Invitation(PlatformModel):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"),
                                         nullable=False, index=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey(Tenant.id, ondelete="CASCADE"),
                                                  index=True)  # None: a LAN role
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)  # an innovator's unit; no FK
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"))  # None: the system
    created_at: Mapped[datetime] = created_at()
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    tenant: Mapped[Tenant | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('lan_admin', 'lan_coach', 'bappeda_admin', 'innovator', 'coach')",
            name="role"),
        sa.CheckConstraint("(tenant_id IS NULL) = (role IN ('lan_admin', 'lan_coach'))",
                           name="role_scope"),
    )

    @property
    def mail_key(self) -> str:
        """The ledger key of this invitation's email."""
        return f"mail:invitation:{self.id}"
