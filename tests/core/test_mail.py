"""Outgoing mail: SMTP_URL, the two bodies, sending once, failures that stay visible, and
owed mail that survives a flushed Redis."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask_babel import lazy_gettext as _l
from redis import Redis
from rq import Queue

from fixtures.app import sign_in, text_of
from fixtures.mail import Mailbox
from fixtures.services import LABINOV, ROOT, free_port
from jobs.accounts import send_invitation
from jobs.dispatcher import dispatch_once
from jobs.mail import MailConfigError, compose, send, smtp_settings
from jobs.queues import MAIL
from tenants.accounts.models import Invitation, Role, Token
from tenants.accounts.operations import invite
from tenants.db import db
from tenants.outbox import LedgerEntry, Mail

pytestmark = pytest.mark.usefixtures("fresh_redis")


def _entry(key):
    db.session.expire_all()
    return db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.key == key))


def _invite(world, email="owed@a.example"):
    user = invite(email=email, name="Owed", role=Role.BAPPEDA_ADMIN, tenant_id=world.a.id,
                  invited_by_id=world.users["lan_admin"].id, locale="en")
    db.session.commit()
    return db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example:2525", ("mail.example", 2525, False, False, None, None)),
    ("smtp://relay.example", ("relay.example", 25, False, False, None, None)),
    ("smtp://relay.example:587?starttls=1", ("relay.example", 587, False, True, None, None)),
    ("smtps://relay.example", ("relay.example", 465, True, False, None, None)),
    ("smtps://apikey:s%40cret%2Fx@relay.example:2465",
     ("relay.example", 2465, True, False, "apikey", "s@cret/x")),
])
def test_smtp_url(url, expected):
    s = smtp_settings(url)
    assert (s.host, s.port, s.implicit_tls, s.starttls, s.username, s.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtps://x?starttls=1"])
def test_a_bad_smtp_url_is_refused(url):
    with pytest.raises(MailConfigError):
        smtp_settings(url)


def test_credentials_in_the_url_log_in(ctx):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((mechanism, auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"p@ss word")

    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        message = compose(Mail(
            to="dwi@example.go.id", to_name="Dwi", template="accounts/password_reset",
            subject=_l("Reset your Labinov password"), locale="en",
            context=dict(name="Dwi", email="dwi@example.go.id", url="http://x/auth/reset/t",
                         expires=None)))
        send(message, f"smtp://mailer%40lan:p%40ss%20word@127.0.0.1:{box.port}")
        [received] = box.wait_for(1)
        assert seen and seen[0][1:] == ("mailer@lan", "p@ss word")
        assert received["Subject"] == "Reset your Labinov password"
    finally:
        controller.stop()


def test_a_message_has_a_text_and_an_html_body_in_the_recipients_language(ctx):
    message = compose(Mail(
        to="siti@example.go.id", to_name="Siti Nurhayati",
        template="accounts/password_reset", subject=_l("Reset your Labinov password"),
        locale="id", context=dict(name="Siti Nurhayati", email="siti@example.go.id",
                                  url="http://x/auth/reset/abc", expires=None)))
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Content-Language"] == "id"
    assert message["To"] == "Siti Nurhayati <siti@example.go.id>"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="id">' in html and "style=" not in html and "<script" not in html
    assert "http://x/auth/reset/abc" in message.get_body(preferencelist=("plain",)).get_content()


def test_an_email_is_sent_once_even_if_its_job_runs_twice(world, mailbox, run_job):
    invitation = _invite(world)
    args = (invitation.tenant_id, invitation.mail_key, invitation.id)
    assert run_job(send_invitation, *args) == "sent"
    assert run_job(send_invitation, *args) == "already sent"
    mailbox.wait_for(1)
    assert len(mailbox.messages) == 1
    entry = _entry(invitation.mail_key)
    assert (entry.status, entry.attempts, entry.error) == (LedgerEntry.DONE, 1, None)


def test_a_failed_email_is_marked_failed_visible_and_sent_again_later(
        world, client, mailbox, settings, run_worker_burst, run_job):
    invitation = _invite(world)
    key = invitation.mail_key
    Queue(MAIL, connection=Redis.from_url(settings.redis_url)).empty()  # run here instead
    app = client.application
    down = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    app.config["LABINOV"] = replace(settings, smtp_url=down)
    try:
        with pytest.raises(OSError):
            run_job(send_invitation, invitation.tenant_id, key, invitation.id)
    finally:
        app.config["LABINOV"] = settings
    entry = _entry(key)
    assert entry.status == LedgerEntry.FAILED and entry.attempts == 1
    assert "ConnectionRefusedError" in entry.error
    # The link's token stays: the message may have arrived after all, and the next try
    # sends the same link (tenants.accounts.messages.link_token).
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Token)) == 1

    # The Bappeda page shows it, with the reason.
    world.users["bappeda_a"].locale = "en"
    db.session.commit()
    sign_in(client, world.users["bappeda_a"])
    page = text_of(client.get("/kab-probolinggo/people/"))
    assert "Email not delivered" in page and "ConnectionRefusedError" in page

    # The dispatcher sends it again once the server is back.
    assert dispatch_once()["owed_mail"] == 1
    run_worker_burst("mail")
    [message] = mailbox.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "owed@a.example"
    entry = _entry(key)
    assert (entry.status, entry.attempts, entry.error) == (LedgerEntry.DONE, 2, None)
    assert "Email sent" in text_of(client.get("/kab-probolinggo/people/"))


def test_a_failing_try_before_the_last_keeps_the_email_owed(world, service_env):
    """RQ retries it later: the row stays `claimed`, with the error for whoever looks."""
    invitation = _invite(world)
    env = {**service_env, "SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
    subprocess.run([str(LABINOV), "worker", "--burst", "mail"], env=env, cwd=ROOT,
                   capture_output=True, timeout=120, check=True)
    entry = _entry(invitation.mail_key)
    assert (entry.status, entry.attempts) == (LedgerEntry.CLAIMED, 1)
    assert "ConnectionRefusedError" in entry.error


def test_a_flushed_redis_loses_no_invitation(world, settings, mailbox, run_worker_burst):
    key = _invite(world).mail_key
    redis = Redis.from_url(settings.redis_url)
    assert redis.llen("rq:queue:mail") == 1
    redis.flushdb()  # this run's private Redis
    assert dispatch_once()["owed_mail"] == 1
    assert dispatch_once()["owed_mail"] == 0  # already queued: not queued twice
    run_worker_burst("mail")
    [message] = mailbox.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "owed@a.example"
    assert _entry(key).status == LedgerEntry.DONE
    assert dispatch_once()["owed_mail"] == 0  # done: nothing more
