"""Outgoing mail: rendered in the recipient's language, sent over SMTP by the worker, once.

Every email is a side effect with a ledger row (`LedgerEntry`, key `mail:<kind>:<id>...`):

    send_after_commit(db.session, key, job_function, *args)   # in the caller's transaction

adds the row (status `claimed`: owed, not yet sent) and, once the caller commits, enqueues
`job_function(key, *args)` on the "mail" queue. The job calls `deliver_once(key, build)`,
which locks the row, skips it if it is already `done`, builds and sends the message, and
marks the row `done` in the same transaction as whatever `build` wrote (a token, say). A
failure keeps the row owed with its error; after the last retry it is marked `failed`. The
dispatcher re-enqueues owed rows whose job Redis has lost, so a flushed Redis loses nothing.

SMTP_URL: `smtp://host:port` (plain), `smtp://host:port?starttls=1`, `smtps://host:port`
(implicit TLS); credentials as `smtp://user:password@host:port` (percent-encoded).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from redis.exceptions import RedisError
from rq import get_current_job
from rq.job import Job
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from jobs import queues
from jobs.dispatcher import finder
from jobs.queues import MAIL, RETRY
from tenants.app import settings_of
from tenants.db import TenantAwareSession, db
from tenants.locale import localized
from tenants.platform.ledger import LedgerEntry
from tenants.platform.timestamps import utcnow

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30
# After this many attempts in all (each job run counts one), the dispatcher stops
# re-enqueueing a failed email; it stays visible as failed until someone sends it again.
MAX_ATTEMPTS = 8


class MailConfigError(ValueError):
    pass


# --- SMTP ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SMTPSettings:
    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None


def smtp_settings(url: str) -> SMTPSettings:
    """Parse SMTP_URL (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailConfigError(f"SMTP_URL must look like smtp://host:port, not {url!r}")
    query = parse_qs(parts.query)
    implicit_tls = parts.scheme == "smtps"
    starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes")
    if implicit_tls and starttls:
        raise MailConfigError("SMTP_URL: smtps:// already uses TLS; drop ?starttls")
    return SMTPSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit_tls else 25),
        implicit_tls=implicit_tls,
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def send(message: EmailMessage, url: str | None = None) -> None:
    """Hand `message` to the SMTP server of SMTP_URL; raises if it is not accepted."""
    cfg = smtp_settings(url or settings_of(current_app).smtp_url)
    context = ssl.create_default_context()
    if cfg.implicit_tls:
        client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(cfg.host, cfg.port, timeout=SMTP_TIMEOUT)
    with client:
        if cfg.starttls:
            client.starttls(context=context)
        if cfg.username:
            client.login(cfg.username, cfg.password or "")
        refused = client.send_message(message)
    if refused:  # some recipients refused while others were accepted
        raise smtplib.SMTPRecipientsRefused(refused)


# --- Composing ----------------------------------------------------------------------------

def compose(*, to: str, to_name: str | None, template: str, subject, locale: str,
            timezone: str | None = None, **context) -> EmailMessage:
    """Render `mail/<template>.txt` and `.html` and `subject` (a lazy string) in `locale`."""
    sender = settings_of(current_app).mail_sender
    with localized(locale, timezone):
        subject = str(subject)
        context.update(subject=subject, locale=locale)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=to_name or "", addr_spec=to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain(sender))
    message["Auto-Submitted"] = "auto-generated"  # no vacation replies to a robot
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after set_content, which drops Content-* headers
    return message


def _sender_domain(sender: str) -> str:
    addr = parseaddr(sender)[1]
    return addr.rpartition("@")[2] or "labinov.local"


# --- Sending once -------------------------------------------------------------------------

_AFTER_COMMIT = "labinov.mail_after_commit"


def send_after_commit(session: Session | scoped_session, key: str, func: Callable, *args,
                      tenant_id: int | None = None) -> LedgerEntry:
    """Owe an email: a ledger row now, `func(key, *args)` on the mail queue after commit.

    Nothing is sent if the caller rolls back; if the enqueue itself fails after the commit,
    the dispatcher finds the owed row and enqueues it later.
    """
    kind = _kind_of(key)
    if MAIL_JOBS.get(kind, (None,))[0] is not func:
        raise ValueError(f"{key!r}: register {func.__name__} with @mail_job({kind!r}) first")
    real = session() if isinstance(session, scoped_session) else session
    entry = LedgerEntry(key=key, tenant_id=tenant_id, status=LedgerEntry.CLAIMED, attempts=0)
    real.add(entry)
    real.info.setdefault(_AFTER_COMMIT, []).append((key, func, args))
    return entry


@event.listens_for(TenantAwareSession, "after_commit")
def _enqueue_committed(session):
    for key, func, args in session.info.pop(_AFTER_COMMIT, []):
        try:
            enqueue(key, func, *args)
        except RedisError:
            log.exception("could not enqueue %s; the dispatcher will", key)


@event.listens_for(TenantAwareSession, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_AFTER_COMMIT, None)


def job_id(key: str) -> str:
    return key.replace(":", "-")


def pending_job(key: str) -> Job | None:
    return queues.pending_job(job_id(key))


def enqueue(key: str, func: Callable, *args) -> Job:
    """Queue `func(key, *args)` unless a copy is already waiting or running."""
    return queues.enqueue_once(MAIL, func, args=(key, *args), job_id=job_id(key), retry=RETRY,
                               timeout=120, result_ttl=24 * 3600, failure_ttl=30 * 24 * 3600,
                               description=f"mail {key}")


def deliver_once(key: str, build: Callable[[], EmailMessage | None]) -> str:
    """Send what `build()` returns unless the ledger says it went already.

    The ledger row stays locked (FOR UPDATE, on a connection of its own) from the check to
    the `done` mark, so two copies of a job never both send. `build` runs on `db.session`
    and may add rows (a token): they are committed before the message leaves, so its link
    works the moment it arrives, and removed again if sending fails. `build` returns None
    when there is nothing to send any more.
    """
    ledger = LedgerEntry.__table__
    with db.engine.connect() as lock:
        row = lock.execute(sa.select(ledger.c.status).where(ledger.c.key == key)
                           .with_for_update(skip_locked=True)).first()
        if row is None:
            exists = lock.execute(sa.select(ledger.c.id).where(ledger.c.key == key)).first()
            if exists is None:
                log.warning("mail %s has no ledger entry; nothing sent", key)
                return "unknown"
            return "busy"  # another worker holds it and will finish it
        if row.status == LedgerEntry.DONE:
            return "already sent"
        session = db.session()
        written: list = []
        try:
            with _recording_new_rows(session, written):
                message = build()
            session.commit()
            if message is not None:
                send(message)
        except Exception as exc:
            session.rollback()
            _forget(written)
            _record_failure(lock, key, exc)
            with contextlib.suppress(Exception):
                lock.commit()
            raise
        lock.execute(sa.update(ledger).where(ledger.c.key == key).values(
            status=LedgerEntry.DONE, attempts=ledger.c.attempts + 1, error=None,
            done_at=utcnow()))
        lock.commit()
    outcome = "sent" if message is not None else "nothing to send"
    log.info("mail %s: %s", key, outcome)
    return outcome


@contextlib.contextmanager
def _recording_new_rows(session: Session, into: list):
    def added(session, instance):
        into.append(instance)

    event.listen(session, "transient_to_pending", added)
    try:
        yield
    finally:
        event.remove(session, "transient_to_pending", added)


def _forget(rows: list) -> None:
    """Delete what `build` committed for a message that did not go (an unsent token)."""
    try:
        for row in rows:
            if sa.inspect(row).persistent:
                db.session.delete(row)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not remove the rows of an unsent message")


def _record_failure(lock: sa.Connection, key: str, exc: Exception) -> None:
    job = get_current_job()
    last_try = job is None or not job.retries_left
    error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:1000]
    ledger = LedgerEntry.__table__
    try:
        lock.execute(sa.update(ledger).where(ledger.c.key == key).values(
            attempts=ledger.c.attempts + 1, error=error,
            status=LedgerEntry.FAILED if last_try else ledger.c.status))
    except Exception:  # the database itself may be what failed
        log.exception("could not record the failure of mail %s", key)
    log.warning("mail %s failed%s: %s", key, " for the last time" if last_try else "", error)


# --- Kinds of mail, and the dispatcher ------------------------------------------------------

# kind -> (job function, how long an owed email of that kind is still worth sending)
MAIL_JOBS: dict[str, tuple[Callable, timedelta]] = {}


def mail_job(kind: str, max_age: timedelta):
    """Register a job `func(key, id)` for keys `mail:<kind>:<id>[:...]`."""

    def register(func):
        MAIL_JOBS[kind] = (func, max_age)
        return func

    return register


def _kind_of(key: str) -> str:
    prefix, kind, *_rest = [*key.split(":"), ""]
    if prefix != "mail" or not kind:
        raise ValueError(f"not a mail key: {key!r}")
    return kind


def _args_of(key: str) -> tuple[int]:
    return (int(key.split(":")[2]),)


@finder
def owed_mail() -> int:
    """Re-enqueue every owed email whose job Redis no longer has."""
    now = utcnow()
    entries = db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.key.like("mail:%"), LedgerEntry.status != LedgerEntry.DONE,
        sa.or_(LedgerEntry.status == LedgerEntry.CLAIMED,
               LedgerEntry.attempts < MAX_ATTEMPTS))
        .order_by(LedgerEntry.id)).all()
    due = []
    for entry in entries:
        func, max_age = MAIL_JOBS.get(_kind_of(entry.key), (None, None))
        if func is None:
            log.warning("no mail job registered for %s", entry.key)
        elif entry.created_at > now - max_age:
            due.append((entry.key, func))
    db.session.rollback()
    enqueued = 0
    for key, func in due:
        try:
            if pending_job(key) is None:
                enqueue(key, func, *_args_of(key))
                enqueued += 1
        except RedisError:
            log.exception("could not enqueue %s", key)
    return enqueued
