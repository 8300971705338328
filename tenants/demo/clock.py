"""The demo's clock: the operations write their rows as they always do, and each row then
carries the time at which it happened in the record (a MoU in 2017, an idea last month).

While `backdating(session, clock)` is open, every row the session writes of a model below
takes `clock.now` as its time; the few times an operation sets itself (an activation, an
accepted invitation) are set again by the loader after it ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from tenants.accounts.models import Invitation, Membership, Token, User
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.cohorts.models import Cohort, Enrolment
from tenants.lab.models import (
    Attachment,
    Comment,
    Commitment,
    Idea,
    IdeaEvent,
    Launch,
    Milestone,
    MilestoneNote,
    Regulation,
    RpjmdPeriod,
)
from tenants.onboarding.models import Agreement
from tenants.outbox import LedgerEntry
from tenants.registry import Tenant, TenantEvent
from tenants.units.models import Person, Unit

STAMPED = {
    Tenant: ("created_at",), TenantEvent: ("at",), AuditEntry: ("at",),
    LabAuditEntry: ("at",), Agreement: ("created_at",), User: ("created_at",),
    Membership: ("created_at",), Invitation: ("created_at",), Token: ("created_at",),
    LedgerEntry: ("created_at",), Cohort: ("created_at",), Enrolment: ("enrolled_at",),
    Unit: ("created_at",), Person: ("created_at",), RpjmdPeriod: ("created_at",),
    Idea: ("created_at", "updated_at", "stage_changed_at"), IdeaEvent: ("at",),
    Milestone: ("created_at", "updated_at"), MilestoneNote: ("at",),
    Comment: ("created_at",), Commitment: ("created_at",), Launch: ("created_at",),
    Regulation: ("created_at",), Attachment: ("uploaded_at",),
}


class Clock:
    """Local office hours in a tenant's zone, kept as UTC."""

    def __init__(self, timezone: str):
        self.zone = ZoneInfo(timezone)
        self.now: datetime | None = None

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        self.now = datetime.combine(day, time(hour, minute), self.zone).astimezone(UTC)
        return self.now

    def later(self, minutes: int) -> datetime:
        self.now = self.now + timedelta(minutes=minutes)
        return self.now


@contextmanager
def backdating(session: Session, clock: Clock) -> Iterator[Clock]:
    def stamp(_session, obj):
        if clock.now is None:
            return
        for attr in STAMPED.get(type(obj), ()):
            setattr(obj, attr, clock.now)

    # The Session itself, never the scoped_session: a listener there would reach every
    # Session of the app.
    target = session() if isinstance(session, scoped_session) else session
    event.listen(target, "transient_to_pending", stamp)
    try:
        yield clock
    finally:
        event.remove(target, "transient_to_pending", stamp)
