"""People who sign in, what they may do where, their invitations and single-use tokens."""

from __future__ import annotations

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
    # Rotated on password change and sign-out everywhere; remember-me cookies carry it.
    session_token: Mapped[str] = mapped_column(sa.String(64), nullable=False,
                                               default=lambda: secrets.token_urlsafe(32))
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

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_urlsafe(32)

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)
        self.rotate_session_token()  # signs out every other session and remember-me cookie

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True

    # Flask-Login: the id in the session and the remember cookie includes the session token,
    # so rotating it invalidates both.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


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
