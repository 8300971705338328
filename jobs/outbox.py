"""Carrying out the outbox's claims (`tenants.outbox`): which job does each kind of effect,
enqueueing it once the claiming transaction commits, and again if Redis lost it.

Keys are `mail:<kind>:<id>[:...]`; a job is `func(tenant_id, key, id)` on the mail queue,
with a tenant-keyed id (`t3-mail-invitation-12`; `platform-mail-reset-...` for LAN's).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from redis.exceptions import RedisError
from rq.job import Job
from sqlalchemy import event

from jobs import accounts, queues
from jobs.queues import MAIL, RETRY
from jobs.tenant import tenant_job_id
from tenants.accounts.models import INVITATION_LIFETIME, RESET_LIFETIME
from tenants.db import TenantAwareSession, db, utcnow
from tenants.outbox import LedgerEntry, take_claims

log = logging.getLogger(__name__)

# After this many attempts in all (each job run counts one), the dispatcher stops
# re-enqueueing a failed email; it stays visible as failed until someone sends it again.
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Kind:
    job: Callable
    max_age: timedelta  # how long an owed effect is still worth carrying out


KINDS: dict[str, Kind] = {
    "invitation": Kind(accounts.send_invitation, INVITATION_LIFETIME),
    "reset": Kind(accounts.send_password_reset, RESET_LIFETIME),
}


def kind_of(key: str) -> Kind:
    prefix, name, *_rest = [*key.split(":"), ""]
    if prefix != "mail" or name not in KINDS:
        raise ValueError(f"no job carries out {key!r}: add its kind to jobs.outbox.KINDS")
    return KINDS[name]


def job_id(key: str, tenant_id: int | None) -> str:
    return tenant_job_id(tenant_id, key.replace(":", "-"))


def pending_job(key: str, tenant_id: int | None) -> Job | None:
    return queues.pending_job(job_id(key, tenant_id))


def enqueue(key: str, tenant_id: int | None) -> Job:
    """Queue the job of `key` unless a copy is already waiting or running."""
    func = kind_of(key).job
    return queues.enqueue_once(
        MAIL, func, args=(tenant_id, key, int(key.split(":")[2])),
        job_id=job_id(key, tenant_id), retry=RETRY, timeout=120, result_ttl=24 * 3600,
        failure_ttl=30 * 24 * 3600, description=f"[tenant {tenant_id}] {key}")


def _enqueue_committed(session) -> None:
    for key, tenant_id in take_claims(session):
        try:
            enqueue(key, tenant_id)
        except RedisError:
            log.exception("could not enqueue %s; the dispatcher will", key)


def _forget_rolled_back(session) -> None:
    take_claims(session)


def install() -> None:
    """Enqueue each claim once its transaction commits (every Session of the app)."""
    for name, listener in (("after_commit", _enqueue_committed),
                           ("after_rollback", _forget_rolled_back)):
        if not event.contains(TenantAwareSession, name, listener):
            event.listen(TenantAwareSession, name, listener)


def owed_mail() -> int:
    """The dispatcher's finder: re-enqueue every owed effect whose job Redis no longer has."""
    now = utcnow()
    entries = db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.key.like("mail:%"), LedgerEntry.status != LedgerEntry.DONE,
        sa.or_(LedgerEntry.status == LedgerEntry.CLAIMED,
               LedgerEntry.attempts < MAX_ATTEMPTS))
        .order_by(LedgerEntry.id)).all()
    due = []
    for entry in entries:
        try:
            kind = kind_of(entry.key)
        except ValueError:
            log.warning("no job registered for %s", entry.key)
            continue
        if entry.created_at > now - kind.max_age:
            due.append((entry.key, entry.tenant_id))
    db.session.rollback()
    enqueued = 0
    for key, tenant_id in due:
        try:
            if pending_job(key, tenant_id) is None:
                enqueue(key, tenant_id)
                enqueued += 1
        except RedisError:
            log.exception("could not enqueue %s", key)
    return enqueued
