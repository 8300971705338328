"""Outgoing mail: rendered in the recipient's language, sent over SMTP by the worker, once.

Every email is a claim in the outbox (`tenants.outbox.owe`, key `mail:<kind>:<id>...`); its
job (`jobs.outbox` says which) calls `deliver_once(key, build)`, which locks the ledger row,
skips it if it is already `done`, builds and sends the message, and marks the row `done`
in the same transaction as whatever `build` wrote (a token, say). A failure keeps the row
owed with its error; after the last retry it is marked `failed`.

SMTP_URL: `smtp://host:port` (plain), `smtp://host:port?starttls=1`, `smtps://host:port`
(implicit TLS); credentials as `smtp://user:password@host:port` (percent-encoded).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from rq import get_current_job

from tenants.config import settings_of
from tenants.db import db, utcnow
from tenants.locale import localized
from tenants.outbox import LedgerEntry, Mail

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30


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


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the system's CA certificates takes tens of milliseconds: once per process,
    # and only when the connection uses TLS.
    return ssl.create_default_context()


def send(message: EmailMessage, url: str | None = None) -> None:
    """Hand `message` to the SMTP server of SMTP_URL; raises if it is not accepted."""
    cfg = smtp_settings(url or settings_of(current_app).smtp_url)
    if cfg.implicit_tls:
        client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=SMTP_TIMEOUT,
                                  context=_tls_context())
    else:
        client = smtplib.SMTP(cfg.host, cfg.port, timeout=SMTP_TIMEOUT)
    with client:
        if cfg.starttls:
            client.starttls(context=_tls_context())
        if cfg.username:
            client.login(cfg.username, cfg.password or "")
        refused = client.send_message(message)
    if refused:  # some recipients refused while others were accepted
        raise smtplib.SMTPRecipientsRefused(refused)


# --- Composing ----------------------------------------------------------------------------

def compose(mail: Mail) -> EmailMessage:
    """Render `mail/<template>.txt` and `.html` and the subject in the mail's language."""
    sender = settings_of(current_app).mail_sender
    locale = mail.locale
    with localized(locale, mail.timezone):
        subject = str(mail.subject)
        context = {**mail.context, "subject": subject, "locale": locale}
        text = render_template(f"mail/{mail.template}.txt", **context)
        html = render_template(f"mail/{mail.template}.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=mail.to_name or "", addr_spec=mail.to)
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

def deliver_once(key: str, build: Callable[[], Mail | None]) -> str:
    """Send what `build()` returns unless the ledger says it went already.

    The ledger row stays locked (FOR UPDATE, on a connection of its own) from the check to
    the `done` mark, so two copies of a job never both send. `build` runs on `db.session`
    and may add rows (a link's token): they are committed before the message leaves, so its
    link works the moment it arrives, and they stay if sending fails, because the message
    may have arrived all the same; a retry builds the same message with the same link.
    `build` returns None when there is nothing to send any more.

    "Once" is what the application can promise: no second email from a second job, a
    retry or a second dispatcher. A crash between the SMTP server's "250 OK" and the
    `done` mark sends the same message again on the next try.
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
        try:
            mail = build()
            message = compose(mail) if mail is not None else None
            session.commit()
            if message is not None:
                send(message)
        except Exception as exc:
            session.rollback()
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
