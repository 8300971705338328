"""Reading reminders: the delivery log (filterable) and the labels of its codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from tenants.reminders.models import Category, Mode, Status

STATUS_LABEL = {
    Status.PENDING: _l("Pending"),
    Status.SENT: _l("Sent"),
    Status.FAILED: _l("Failed"),
    Status.SKIPPED: _l("Skipped"),
}

CATEGORY_LABEL = {
    Category.STAGE: _l("Cohort stage deadlines"),
    Category.MILESTONE: _l("Action-plan milestones"),
    Category.AGREEMENT: _l("Agreements running out"),
}

MODE_LABEL = {
    Mode.DIGEST: _l("In the daily digest"),
    Mode.IMMEDIATE: _l("Immediately, one email each"),
    Mode.OFF: _l("Off"),
}

REASON_LABEL = {
    "no_email": _l("No email address"),
    "bad_address": _l("The email address is not valid"),
    "off": _l("Switched off by the person"),
    "weekend": _l("Weekend (\u201con the day\u201d skipped)"),
    "holiday": _l("Public holiday (\u201con the day\u201d skipped)"),
    "done": _l("Done before the reminder went out"),
    "stale": _l("Not sent in time"),
    "rejected": _l("Refused by the mail server"),
    "gave_up": _l("The mail server could not be reached"),
}


@dataclass(frozen=True)
class LogFilter:
    status: str | None = None
    category: str | None = None
    email: str | None = None
    since: date | None = None
    until: date | None = None


def delivery_log(session: Session, model, f: LogFilter, *, limit: int = 200,
                 tenant_id: int | None = None) -> list:
    """The newest reminders first, filtered."""
    stmt = sa.select(model)
    if f.status in Status.ALL:
        stmt = stmt.where(model.status == f.status)
    if f.category in Category.ALL:
        stmt = stmt.where(model.category == f.category)
    if f.email:
        stmt = stmt.where(model.email.contains(f.email.strip().lower(), autoescape=True))
    if f.since:
        stmt = stmt.where(model.remind_on >= f.since)
    if f.until:
        stmt = stmt.where(model.remind_on <= f.until)
    if tenant_id is not None:
        stmt = stmt.where(model.tenant_id == tenant_id)
    return session.scalars(stmt.order_by(model.remind_on.desc(), model.id.desc())
                           .limit(limit)).all()


def counts(session: Session, model) -> dict[str, int]:
    """How many reminders are in each status."""
    found = dict(session.execute(sa.select(model.status, sa.func.count())
                                 .group_by(model.status)).all())
    return {s: found.get(s, 0) for s in Status.ALL}
