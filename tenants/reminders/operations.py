"""The verbs of reminders, shared by the dispatcher's jobs, the web pages and the CLI.

    plan_tenant(session, tenant, now)   # claim today's reminders, say which batches to send
    lock_batch(session, batch)          # the rows one email carries, locked until it is sent
    mark_sent / mark_failed / mark_retry

A batch is what one email carries: a person's daily digest, or (for someone who chose
"immediately") one reminder per email, sent from local midnight on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.config import settings_of
from tenants.db import utcnow
from tenants.refusal import Refused
from tenants.reminders import due
from tenants.reminders.models import (
    AGREEMENT_OFFSETS,
    DEFAULT_OFFSETS,
    DEFAULT_SEND_HOUR,
    LAN_TIMEZONE,
    MAX_OFFSET_DAYS,
    AgreementReminder,
    Category,
    Mode,
    ReminderDelivery,
    ReminderPreference,
    ReminderSettings,
    Status,
)
from tenants.scope import TenantRef

# A temporary failure is retried this many times in all before the row is marked failed.
MAX_ATTEMPTS = 8
# A reminder still unsent after this many days is no longer worth sending.
STALE_AFTER = timedelta(days=1)


class Reason:
    """Why a reminder was skipped or failed (labels in `tenants.reminders.queries`)."""

    NO_EMAIL = "no_email"
    BAD_ADDRESS = "bad_address"
    OFF = "off"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    DONE = "done"
    STALE = "stale"
    REJECTED = "rejected"      # a permanent (5xx) SMTP rejection
    GAVE_UP = "gave_up"        # temporary failures, MAX_ATTEMPTS times


# --- Settings --------------------------------------------------------------------------------

def parse_days(text: str | None, field: str) -> list[int]:
    """"7, 3, 1" -> [7, 3, 1]; refuses what is not a list of whole days."""
    days = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            days.append(int(part))
        except ValueError:
            raise Refused(_("Write whole numbers of days separated by commas, such as "
                            "\u201c7, 3, 1\u201d."), field) from None
    return days


def check_offsets(days_before: list[int], on_the_day: bool, days_overdue: list[int]
                  ) -> list[int]:
    """The signed offsets (days before > 0, the day itself 0, overdue < 0), or a refusal."""
    for days, field in ((days_before, "days_before"), (days_overdue, "days_overdue")):
        if any(d < 0 for d in days):
            raise Refused(_("A number of days cannot be negative."), field)
        if len(set(days)) != len(days):
            raise Refused(_("Each number of days may appear only once."), field)
        if any(d > MAX_OFFSET_DAYS for d in days):
            raise Refused(_("Reminders go out at most %(days)d days before or after.",
                            days=MAX_OFFSET_DAYS), field)
        if 0 in days:
            raise Refused(_("Use \u201con the day\u201d for the day itself."), field)
    offsets = sorted(days_before, reverse=True) + ([0] if on_the_day else []) + sorted(
        -d for d in days_overdue)[::-1]
    if not offsets:
        raise Refused(_("Choose at least one day to send reminders."), "days_before")
    return offsets


def current_settings(session: Session) -> ReminderSettings:
    """The tenant's settings (unsaved defaults when it never changed them)."""
    found = session.get(ReminderSettings, 1)
    return found or ReminderSettings(id=1, offsets=list(DEFAULT_OFFSETS),
                                     send_hour=DEFAULT_SEND_HOUR, skip_holidays=True)


def save_settings(session: Session, *, days_before: list[int], on_the_day: bool,
                  days_overdue: list[int], send_hour: int, skip_holidays: bool,
                  actor_id: int | None) -> ReminderSettings:
    offsets = check_offsets(days_before, on_the_day, days_overdue)
    if not 0 <= send_hour <= 23:
        raise Refused(_("Choose an hour between 00 and 23."), "send_hour")
    row = session.get(ReminderSettings, 1)
    if row is None:
        row = ReminderSettings(id=1)
        session.add(row)
    row.offsets, row.send_hour, row.skip_holidays = offsets, send_hour, skip_holidays
    row.updated_by_id = actor_id
    record_lab(session, "reminders.settings_changed", actor_id=actor_id,
               target=", ".join(str(o) for o in offsets))
    return row


# --- Preferences -----------------------------------------------------------------------------

def preferences_of(session: Session, email: str) -> dict[str, str]:
    """How `email` hears of each tenant category (the daily digest unless they chose)."""
    chosen = dict(session.execute(sa.select(ReminderPreference.category, ReminderPreference.mode)
                                  .where(ReminderPreference.email == email.lower())).all())
    return {c: chosen.get(c, Mode.DIGEST) for c in Category.TENANT}


def set_preference(session: Session, email: str, category: str, mode: str) -> None:
    if category == Category.AGREEMENT:
        raise Refused(_("Agreement reminders to LAN cannot be switched off."), category)
    if category not in Category.TENANT or mode not in Mode.ALL:
        raise Refused(_("Choose one of the options."), category)
    stmt = insert(ReminderPreference).values(email=email.lower(), category=category, mode=mode,
                                             updated_at=utcnow())
    session.execute(stmt.on_conflict_do_update(
        index_elements=["email", "category"],
        set_={"mode": stmt.excluded.mode, "updated_at": stmt.excluded.updated_at}))


def unsubscribe(session: Session, email: str) -> None:
    """One click: every category off for `email` in this tenant."""
    for category in Category.TENANT:
        set_preference(session, email, category, Mode.OFF)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings_of(current_app).secret_key, salt="reminders-unsubscribe")


def unsubscribe_token(tenant_id: int, email: str) -> str:
    return _serializer().dumps({"t": tenant_id, "e": email.lower()})


def unsubscribe_email(token: str, tenant_id: int) -> str | None:
    """The address a signed link unsubscribes, if it was signed for this tenant."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") != tenant_id:
        return None
    return data.get("e") if isinstance(data.get("e"), str) else None


# --- Planning: what goes out today, claimed in the ledger ------------------------------------

@dataclass(frozen=True)
class Batch:
    email: str
    mode: str        # digest or immediate
    remind_on: date  # the local date it is for


def local_now(timezone: str, now: datetime) -> datetime:
    """`now` on the tenant's clock; a Refused for a zone that does not exist."""
    try:
        return now.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise Refused(f"unknown time zone {timezone!r}") from None


@functools.lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


def day_off(day: date) -> str | None:
    """Why `day` is no working day in Indonesia (weekend, public holiday), or None."""
    if day.weekday() >= 5:
        return Reason.WEEKEND
    if day in _holidays(day.year):
        return Reason.HOLIDAY
    return None


def valid_address(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _rows_for(items: list[due.DueItem], today: date, offsets: set[int],
              prefs: dict[tuple[str, str], str], default_locale: str,
              skip_days_off: bool) -> list[dict]:
    rows = []
    for item in items:
        offset = (item.due_on - today).days
        if offset not in offsets:
            continue
        for person in item.recipients:
            email = (person.email or "").strip().lower()
            mode = prefs.get((email, item.category), Mode.DIGEST)
            status, reason = Status.PENDING, None
            if not email:
                status, reason = Status.SKIPPED, Reason.NO_EMAIL
                email = f"(none):{person.account_id or person.name or '?'}"[:254]
            elif not valid_address(email):
                status, reason = Status.FAILED, Reason.BAD_ADDRESS
            elif mode == Mode.OFF:
                status, reason = Status.SKIPPED, Reason.OFF
            elif offset == 0 and skip_days_off and (off := day_off(today)):
                status, reason = Status.SKIPPED, off
            rows.append({"email": email, "name": person.name, "account_id": person.account_id,
                         "locale": person.locale or default_locale,
                         "category": item.category, "item_key": item.key,
                         "title": item.title, "path": item.path, "due_on": item.due_on,
                         "offset_days": offset,
                         "remind_on": today, "mode": mode, "status": status,
                         "reason": reason, "attempts": 0, "created_at": utcnow()})
    return rows


def _claim(session: Session, model, rows: list[dict]) -> None:
    # The unique key makes a second dispatcher's claim (or a second round's) a no-op.
    if rows:
        session.execute(insert(model).on_conflict_do_nothing(
            index_elements=["email", "item_key", "due_on", "offset_days"]), rows)


def _batches(session: Session, model, today: date, send_now: bool) -> list[Batch]:
    # Whatever is still pending from an earlier day is past its use.
    session.execute(sa.update(model).where(
        model.status == Status.PENDING, model.remind_on < today - STALE_AFTER)
        .values(status=Status.SKIPPED, reason=Reason.STALE))
    modes = [Mode.IMMEDIATE, Mode.DIGEST] if send_now else [Mode.IMMEDIATE]
    found = session.execute(
        sa.select(model.email, model.mode, sa.func.max(model.remind_on))
        .where(model.status == Status.PENDING, model.mode.in_(modes),
               model.remind_on >= today - STALE_AFTER)
        .group_by(model.email, model.mode).order_by(model.email)).all()
    return [Batch(email, mode, day) for email, mode, day in found]


def plan_tenant(session: Session, tenant: TenantRef, now: datetime) -> list[Batch]:
    """Claim today's reminders of the tenant in its ledger; the batches to send now.

    Runs in the tenant's scope and commits nothing (the caller commits). Idempotent: a
    second call the same day claims nothing new and names the same batches until they go.
    """
    local = local_now(tenant.timezone, now)
    today = local.date()
    settings = current_settings(session)
    offsets = {int(o) for o in settings.offsets}
    dates = {today + timedelta(days=o) for o in offsets}
    items = due.tenant_items(session, tenant.id, tenant.slug, dates)
    prefs = {(e, c): m for e, c, m in session.execute(sa.select(
        ReminderPreference.email, ReminderPreference.category, ReminderPreference.mode))}
    _claim(session, ReminderDelivery, _rows_for(items, today, offsets, prefs,
                                                tenant.default_locale, settings.skip_holidays))
    return _batches(session, ReminderDelivery, today, local.hour >= settings.send_hour)


def plan_lan(session: Session, now: datetime, send_hour: int = DEFAULT_SEND_HOUR
             ) -> list[Batch]:
    """The same for LAN: agreements running out, on Jakarta's clock, never switched off."""
    local = local_now(LAN_TIMEZONE, now)
    today = local.date()
    dates = {today + timedelta(days=o) for o in AGREEMENT_OFFSETS}
    rows = []
    for tenant_id, item in due.agreements_due(session, dates):
        for row in _rows_for([item], today, set(AGREEMENT_OFFSETS), {}, "id", False):
            row["tenant_id"] = tenant_id
            rows.append(row)
    _claim(session, AgreementReminder, rows)
    return _batches(session, AgreementReminder, today, local.hour >= send_hour)


# --- Sending a batch -------------------------------------------------------------------------

def lock_batch(session: Session, model, batch: Batch) -> list:
    """The pending rows of `batch`, locked (FOR UPDATE SKIP LOCKED) until the transaction
    ends: a second copy of the job finds none and sends nothing."""
    return session.scalars(
        sa.select(model).where(model.email == batch.email, model.mode == batch.mode,
                               model.status == Status.PENDING,
                               model.remind_on >= batch.remind_on - STALE_AFTER,
                               model.remind_on <= batch.remind_on)
        .order_by(model.category, model.due_on, model.id)
        .with_for_update(skip_locked=True)).all()


def drop_done(session: Session, rows: list) -> list:
    """Mark the rows whose item is done as skipped; the rest."""
    open_keys = due.open_items(session, {row.item_key for row in rows})
    keep = []
    for row in rows:
        if row.item_key in open_keys:
            keep.append(row)
        else:
            row.status, row.reason = Status.SKIPPED, Reason.DONE
    return keep


def mark_sent(rows: list, message_id: str) -> None:
    now = utcnow()
    for row in rows:
        row.status, row.reason, row.error = Status.SENT, None, None
        row.message_id, row.sent_at = message_id[:250], now
        row.attempts += 1


def mark_failed(rows: list, reason: str, error: str) -> None:
    for row in rows:
        row.status, row.reason, row.error = Status.FAILED, reason, error[:1000]
        row.attempts += 1


def mark_retry(rows: list, error: str) -> None:
    """A temporary failure: the rows stay pending for the next try, unless it was the last."""
    for row in rows:
        row.attempts += 1
        row.error = error[:1000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status, row.reason = Status.FAILED, Reason.GAVE_UP


# --- The delivery log's buttons --------------------------------------------------------------

def resend(session: Session, model, row_id: int, today: date) -> object | None:
    """Send one reminder (again) now, on its own: a sent, failed or skipped row becomes
    pending for today; a pending one goes out without waiting for the digest hour."""
    row = session.get(model, row_id)
    if row is None:
        return None
    if row.email.startswith("(none)"):
        raise Refused(_("This person has no email address."))
    row.status, row.reason, row.error, row.mode = Status.PENDING, None, None, Mode.IMMEDIATE
    row.attempts, row.message_id, row.sent_at, row.remind_on = 0, None, None, today
    return row
