"""Reminder settings, preferences and the delivery ledger.

One row of `ReminderDelivery` per (recipient, item, due date, offset) is the once-only key:
it is claimed (`pending`) before any email leaves and marked `sent` with the SMTP
Message-ID after, so neither a second dispatcher nor a retry sends it twice. Agreement
expiry reminders go to LAN and live in the platform schema (`AgreementReminder`); everything
else lives in the tenant's schema.

Offsets are signed days before the due date: 7 is a week before, 0 the day itself, -3 three
days overdue.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import PlatformModel, TenantModel, created_at, utcnow

DEFAULT_OFFSETS = (7, 3, 1, 0, -3)
DEFAULT_SEND_HOUR = 7
MAX_OFFSET_DAYS = 60
# LAN hears of an agreement running out 90, 30 and 7 days before, always.
AGREEMENT_OFFSETS = (90, 30, 7)
LAN_TIMEZONE = "Asia/Jakarta"


class Category:
    """What a reminder is about; people choose how they hear of each."""

    STAGE = "stage"          # a cohort stage's deliverable (the lab's own dates)
    MILESTONE = "milestone"  # an action-plan milestone
    AGREEMENT = "agreement"  # an MoU / PKS running out (LAN only; cannot be switched off)

    TENANT = (STAGE, MILESTONE)
    ALL = (STAGE, MILESTONE, AGREEMENT)


class Mode:
    DIGEST = "digest"
    IMMEDIATE = "immediate"
    OFF = "off"

    ALL = (DIGEST, IMMEDIATE, OFF)


class Status:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"

    ALL = (PENDING, SENT, FAILED, SKIPPED)


STATUS_CHECK = "status IN ('pending', 'sent', 'failed', 'skipped')"
MODE_CHECK = "mode IN ('digest', 'immediate', 'off')"


class ReminderSettings(TenantModel):
    """The tenant's one row: when reminders go out (absent: the defaults)."""

    __tablename__ = "reminder_settings"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    offsets: Mapped[list] = mapped_column(JSONB, nullable=False,
                                          default=lambda: list(DEFAULT_OFFSETS))
    send_hour: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False,
                                           default=DEFAULT_SEND_HOUR)
    skip_holidays: Mapped[bool] = mapped_column(nullable=False, default=True)
    updated_by_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False,
                                                 default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single"),
        sa.CheckConstraint("send_hour BETWEEN 0 AND 23", name="send_hour"),
    )


class ReminderPreference(TenantModel):
    """How one person (by email address) hears of one category; absent: the daily digest."""

    __tablename__ = "reminder_preference"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    category: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    mode: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False,
                                                 default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("email", "category"),
        sa.CheckConstraint(MODE_CHECK, name="mode"),
        sa.CheckConstraint("category IN ('stage', 'milestone')", name="category"),
    )


class _Delivery:
    """Columns shared by the tenant's ledger and LAN's."""

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    name: Mapped[str | None] = mapped_column(sa.String(120))
    account_id: Mapped[int | None] = mapped_column(sa.Integer)  # platform account; no FK
    locale: Mapped[str] = mapped_column(sa.String(5), nullable=False)
    category: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    item_key: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    path: Mapped[str] = mapped_column(sa.String(200), nullable=False)  # the item's page
    due_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    offset_days: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    remind_on: Mapped[date] = mapped_column(sa.Date, nullable=False)  # local date
    mode: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=Status.PENDING)
    reason: Mapped[str | None] = mapped_column(sa.String(40))
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    message_id: Mapped[str | None] = mapped_column(sa.String(250))
    created_at: Mapped[datetime] = created_at()
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def is_overdue(self) -> bool:
        return self.offset_days < 0


class ReminderDelivery(_Delivery, TenantModel):
    __tablename__ = "reminder_delivery"

    __table_args__ = (
        sa.UniqueConstraint("email", "item_key", "due_on", "offset_days"),
        sa.CheckConstraint(STATUS_CHECK, name="status"),
        sa.CheckConstraint(MODE_CHECK, name="mode"),
        sa.Index("ix_reminder_delivery_status_remind_on", "status", "remind_on"),
        sa.Index("ix_reminder_delivery_remind_on", "remind_on"),
    )


class AgreementReminder(_Delivery, PlatformModel):
    """LAN's ledger: an agreement's expiry reminder to one LAN administrator."""

    __tablename__ = "agreement_reminder"

    tenant_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, index=True)

    __table_args__ = (
        sa.UniqueConstraint("email", "item_key", "due_on", "offset_days"),
        sa.CheckConstraint(STATUS_CHECK, name="status"),
        sa.CheckConstraint(MODE_CHECK, name="mode"),
        sa.Index("ix_agreement_reminder_status_remind_on", "status", "remind_on"),
    )
