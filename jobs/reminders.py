"""Deadline reminders on RQ: the dispatcher's finder and the job that sends one batch.

The finder walks every active tenant through `for_each_tenant`, claims the day's reminders
in the tenant's ledger (`tenants.reminders.operations.plan_tenant`) and enqueues one tenant
job per person and day (`t<tenant>-reminders-<date>-<mode>-<person>`), so a second
dispatcher, or the next round, queues nothing twice; if Redis lost the queue, the pending
rows bring the jobs back. The job locks its rows, sends one email and marks them.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from redis.exceptions import RedisError
from rq import Retry
from rq.job import JobStatus

from jobs import queues
from jobs.mail import compose, send
from jobs.queues import MAIL
from jobs.tenant import enqueue_for_tenant, tenant_job, tenant_job_id
from tenants.db import db, utcnow
from tenants.refusal import Refused
from tenants.registry import Tenant, TenantStatus
from tenants.reminders import operations
from tenants.reminders.messages import reminder_mail
from tenants.reminders.models import LAN_TIMEZONE, AgreementReminder, ReminderDelivery
from tenants.reminders.operations import Batch, Reason
from tenants.scope import current_tenant, for_each_tenant

log = logging.getLogger(__name__)

# Temporary SMTP failures come back after these pauses; after the last, the next
# dispatcher round queues the batch again (until MAX_ATTEMPTS).
SEND_RETRY: Retry | None = Retry(max=3, interval=[30, 120, 600])


# A started job whose worker has not beaten for this long is taken for dead (RQ's horses
# beat every 30 s or so while a job runs).
ABANDONED_AFTER = timedelta(seconds=120)


class TemporaryFailure(RuntimeError):
    """The mail server could not take the message now; RQ tries again later."""


def _person_key(email: str) -> str:
    # Job ids allow letters, digits, "-" and "_": name the person by a digest of the address.
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def batch_job_key(batch: Batch) -> str:
    return f"reminders-{batch.remind_on:%Y%m%d}-{batch.mode}-{_person_key(batch.email)}"


def enqueue_batch(tenant_id: int | None, batch: Batch):
    args = (batch.email, batch.mode, batch.remind_on.isoformat())
    options = {"queue_name": MAIL, "retry": SEND_RETRY, "timeout": 300,
               "result_ttl": 24 * 3600, "failure_ttl": 7 * 24 * 3600}
    if tenant_id is None:
        return queues.enqueue_once(
            MAIL, send_lan_batch, args=args,
            job_id=tenant_job_id(None, batch_job_key(batch)), retry=SEND_RETRY, timeout=300,
            result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600, description="[LAN] reminders")
    return enqueue_for_tenant(send_batch, tenant_id, *args, job_key=batch_job_key(batch),
                              **options)


# --- The dispatcher's finder -----------------------------------------------------------------

def due_reminders(now: datetime | None = None) -> int:
    """Claim and enqueue today's reminders in every active tenant, then LAN's."""
    now = now or utcnow()
    refs = [t.ref() for t in db.session.scalars(
        sa.select(Tenant).where(Tenant.status == TenantStatus.ACTIVE).order_by(Tenant.id))]
    db.session.rollback()
    enqueued = 0
    for ref, session in for_each_tenant(refs):
        try:
            batches = operations.plan_tenant(session, ref, now)
            session.commit()
        except Refused as refused:  # a bad time zone setting: this tenant waits, not all
            session.rollback()
            log.error("[tenant %s] reminders not planned: %s", ref.schema, refused.message)
            continue
        except Exception:
            session.rollback()
            log.exception("[tenant %s] reminders not planned", ref.schema)
            continue
        enqueued += _enqueue_all(ref.id, batches)
    try:
        batches = operations.plan_lan(db.session, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("LAN's agreement reminders not planned")
        return enqueued
    return enqueued + _enqueue_all(None, batches)


def _abandoned(job) -> bool:
    """A job that says it runs but whose worker stopped beating (killed mid-batch)."""
    if job.get_status(refresh=False) != JobStatus.STARTED:
        return False
    beat = job.last_heartbeat or job.started_at
    return beat is None or utcnow() - beat.replace(tzinfo=UTC) > ABANDONED_AFTER


def _enqueue_all(tenant_id: int | None, batches: list[Batch]) -> int:
    enqueued = 0
    for batch in batches:
        try:
            key = batch_job_key(batch)
            job = queues.pending_job(tenant_job_id(tenant_id, key))
            if job is not None and _abandoned(job):
                # Its rows are still pending, so it sent nothing it did not mark; a copy
                # that is in fact alive holds their row locks, and the new one skips them.
                job.delete()
                job = None
            if job is None:
                enqueue_batch(tenant_id, batch)
                enqueued += 1
        except RedisError:
            log.exception("could not enqueue reminders %s of tenant %s", batch, tenant_id)
    return enqueued


# --- Sending ---------------------------------------------------------------------------------

def _permanent(exc: Exception) -> bool:
    """A 5xx answer: the server will never take this message (a refused address)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:1000]


def _send_rows(session, rows: list, *, lab, timezone, slug, tenant_id) -> str:
    """Send one email for `rows` (locked by the caller) and mark them, in `session`."""
    try:
        mail = reminder_mail(rows, lab=lab, timezone=timezone, slug=slug,
                             tenant_id=tenant_id)
        message = compose(mail)
        if mail.context["unsubscribe_url"]:
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link.
            message["List-Unsubscribe"] = f"<{mail.context['unsubscribe_url']}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        send(message)
    except Exception as exc:
        if _permanent(exc):
            operations.mark_failed(rows, Reason.REJECTED, _describe(exc))
            session.commit()
            log.warning("reminders to %s refused for good: %s", rows[0].email, _describe(exc))
            return "rejected"
        operations.mark_retry(rows, _describe(exc))
        session.commit()
        raise TemporaryFailure(_describe(exc)) from exc
    operations.mark_sent(rows, message["Message-ID"])
    session.commit()
    return "sent"


def _run_batch(model, batch: Batch, *, tenant_id, lab, timezone, slug) -> str:
    session = db.session()
    outcomes = []
    while True:
        rows = operations.lock_batch(session, model, batch)
        rows = operations.drop_done(session, rows)
        if not rows:
            session.commit()
            return ", ".join(outcomes) or "nothing to send"
        if batch.mode == "immediate":
            for extra in rows[1:]:  # one email each: the others wait for the next turn
                session.expunge(extra)
            rows = rows[:1]
        outcomes.append(_send_rows(session, rows, lab=lab, timezone=timezone, slug=slug,
                                   tenant_id=tenant_id))
        if batch.mode != "immediate":
            return ", ".join(outcomes)


@tenant_job
def send_batch(tenant_id: int, email: str, mode: str, remind_on: str) -> str:
    """Send a person's reminders of the day: one digest, or one email each."""
    tenant = current_tenant()
    return _run_batch(ReminderDelivery, Batch(email, mode, date.fromisoformat(remind_on)),
                      tenant_id=tenant_id, lab=tenant.name, timezone=tenant.timezone,
                      slug=tenant.slug)


def send_lan_batch(email: str, mode: str, remind_on: str) -> str:
    """LAN's agreement reminders (platform data: no tenant scope)."""
    return _run_batch(AgreementReminder, Batch(email, mode, date.fromisoformat(remind_on)),
                      tenant_id=None, lab=None, timezone=LAN_TIMEZONE, slug=None)
