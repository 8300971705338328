"""Reminders end to end: the dispatcher, a real RQ worker process, a real SMTP server."""

from __future__ import annotations

import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis

from fixtures.mail import Mailbox
from fixtures.services import LABINOV, ROOT, free_port
from jobs import reminders as reminder_jobs
from jobs.reminders import due_reminders
from tenants.accounts.models import User
from tenants.db import db
from tenants.reminders import operations
from tenants.reminders.models import ReminderDelivery
from tenants.scope import tenant_session
from tenants.zones import today_in

from .lab_helpers import enrol, lab_with_milestones


def send_at_any_hour(tenant) -> None:
    """Send hour 00:00, so that the digest goes whatever time the test runs."""
    with tenant_session(tenant.ref()) as session:
        operations.save_settings(session, days_before=[7, 3, 1], on_the_day=True,
                                 days_overdue=[3], send_hour=0, skip_holidays=False,
                                 actor_id=None)
        session.commit()


def rows_of(tenant) -> list[ReminderDelivery]:
    with tenant_session(tenant.ref()) as session:
        rows = session.scalars(sa.select(ReminderDelivery).order_by(ReminderDelivery.id)).all()
        session.expunge_all()
    return rows


def burst(service_env, smtp_url: str | None = None, timeout: float = 120):
    env = dict(service_env)
    if smtp_url:
        env["SMTP_URL"] = smtp_url
    result = subprocess.run([str(LABINOV), "worker", "--burst", "mail"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def lab(ctx, make_tenant, fresh_redis):
    """Kab. Probolinggo with two milestones due in 7 days for Ahmad (Indonesian, no
    account) and one due in 3 days for Rina (an account that reads English)."""
    tenant = make_tenant("35.13")
    send_at_any_hour(tenant)
    cohort = enrol(tenant, "Laboratorium Inovasi 2026 \u2014 Angkatan I")
    rina = User(email="rina@bappeda.example", name="Rina Marlina", locale="en")
    db.session.add(rina)
    db.session.commit()
    today = today_in(tenant.timezone)
    lab_with_milestones(tenant, cohort, [("Ahmad Fauzi", "ahmad@dinkes.example"),
                                         ("Ahmad Fauzi", "ahmad@dinkes.example")],
                        today + timedelta(days=7))
    lab_with_milestones(tenant, cohort, [("Rina Marlina", "rina@bappeda.example")],
                        today + timedelta(days=3), account_ids={"rina@bappeda.example": rina.id},
                        title="Uji coba aplikasi")
    return tenant


def by_recipient(messages) -> dict[str, object]:
    found = {}
    for m in messages:
        [to] = m.rcpt_tos
        assert to not in found, f"{to} got two emails"
        found[to] = m
    return found


def test_one_digest_a_day_in_the_readers_language(lab, mailbox, service_env):
    assert due_reminders() == 2
    burst(service_env)
    mails = by_recipient(mailbox.wait_for(2))
    assert set(mails) == {"ahmad@dinkes.example", "rina@bappeda.example"}

    ahmad = mails["ahmad@dinkes.example"]
    assert ahmad["Subject"] == "Pengingat Labinov untuk Kabupaten Probolinggo"
    assert ahmad["Content-Language"] == "id"
    text = ahmad.text
    assert "TONGGAK RENCANA AKSI" in text and "7 hari lagi" in text
    assert text.count("Sosialisasi ke Puskesmas") == 2
    assert "/kab-probolinggo/ideas/" in text
    html = ahmad.get_body(preferencelist=("html",)).get_content()
    assert "<h2" in html and "Inol Aja" in html
    unsubscribe = ahmad["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/kab-probolinggo/reminders/unsubscribe/" in (
        unsubscribe)
    assert ahmad["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    rina = mails["rina@bappeda.example"]
    assert rina["Subject"] == "Reminder: Uji coba aplikasi 1 (Inol Aja)"
    assert rina["Content-Language"] == "en"
    assert "ACTION-PLAN MILESTONES" in rina.text and "due in 3 days" in rina.text

    rows = rows_of(lab)
    assert {r.status for r in rows} == {"sent"}
    assert {r.message_id for r in rows if r.email == "ahmad@dinkes.example"} == {
        ahmad["Message-ID"]}

    # The next round, and the day's later rounds, send nothing more.
    assert due_reminders() == 0
    burst(service_env)
    assert len(mailbox.messages) == 2


def test_two_dispatchers_at_once_send_one_email(lab, ctx, mailbox, service_env):
    # Two dispatcher processes at once: the Redis lock lets one through per round...
    procs = [subprocess.Popen([str(LABINOV), "dispatch"], env=service_env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    # ...and two finders racing past the lock still claim each reminder once.
    results = []
    app = ctx

    def find():
        with app.app_context():
            results.append(due_reminders())
            db.session.remove()

    threads = [threading.Thread(target=find) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    burst(service_env)
    mails = by_recipient(mailbox.wait_for(2))
    assert len(mails) == 2
    assert len(rows_of(lab)) == 3


def test_redis_flushed_between_rounds_loses_and_doubles_nothing(lab, mailbox, service_env,
                                                                settings):
    redis = Redis.from_url(settings.redis_url)
    assert due_reminders() == 2
    redis.flushall()                  # the queued jobs are gone
    assert due_reminders() == 2       # the ledger brings them back
    burst(service_env)
    assert len(by_recipient(mailbox.wait_for(2))) == 2
    redis.flushall()
    assert due_reminders() == 0       # sent: nothing comes back
    burst(service_env)
    assert len(mailbox.messages) == 2


class Refusing(Mailbox):
    """An SMTP server that refuses every recipient for good (550)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"


@pytest.fixture
def refusing_smtp():
    from aiosmtpd.controller import Controller

    box = Refusing(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield f"smtp://127.0.0.1:{box.port}"
    controller.stop()


def test_a_permanent_rejection_is_recorded_and_not_retried(lab, mailbox, service_env,
                                                           refusing_smtp):
    assert due_reminders() == 2
    burst(service_env, refusing_smtp)
    rows = rows_of(lab)
    assert {(r.status, r.reason, r.attempts) for r in rows} == {("failed", "rejected", 1)}
    assert "550" in rows[0].error
    assert due_reminders() == 0       # not queued again
    burst(service_env)
    assert mailbox.messages == []


def test_smtp_down_for_two_rounds_then_up_delivers_once(lab, mailbox, service_env,
                                                        monkeypatch):
    monkeypatch.setattr(reminder_jobs, "SEND_RETRY", None)  # each round is one try
    closed = f"smtp://127.0.0.1:{free_port()}"               # connection refused
    for attempt in (1, 2):
        assert due_reminders() == 2
        burst(service_env, closed)
        rows = rows_of(lab)
        assert {(r.status, r.attempts) for r in rows} == {("pending", attempt)}
        assert "Connection" in rows[0].error or "refused" in rows[0].error
    assert due_reminders() == 2
    burst(service_env)
    assert len(by_recipient(mailbox.wait_for(2))) == 2
    assert {r.status for r in rows_of(lab)} == {"sent"}
    assert due_reminders() == 0


class Slow(Mailbox):
    """An SMTP server that takes its time over each recipient (so a kill lands mid-batch)."""

    def __init__(self, port: int):
        super().__init__(port)
        self.fourth = threading.Event()  # set while the fourth message is being sent

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        if len(self.messages) >= 3:
            self.fourth.set()
        await asyncio.sleep(0.3)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(ctx, make_tenant, fresh_redis,
                                                             mailbox, service_env,
                                                             monkeypatch, tmp_path):
    import os
    import signal
    import time

    from aiosmtpd.controller import Controller

    tenant = make_tenant("35.13")
    send_at_any_hour(tenant)
    cohort = enrol(tenant, "Angkatan I")
    owners = [(f"Pemilik {n}", f"pemilik{n}@dinkes.example") for n in range(12)]
    lab_with_milestones(tenant, cohort, owners, today_in(tenant.timezone) + timedelta(days=3))
    assert due_reminders() == 12

    slow = Slow(free_port())
    controller = Controller(slow, hostname="127.0.0.1", port=slow.port)
    controller.start()
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen([str(LABINOV), "worker", "mail"], cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True,
                              env={**service_env, "SMTP_URL": f"smtp://127.0.0.1:{slow.port}"})
    try:
        assert slow.fourth.wait(timeout=60)
    finally:
        # The work horse (RQ forks one per job, in a session of its own), then the worker.
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
        for pid in [*map(int, children.split()), worker.pid]:
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)
        log.close()
        time.sleep(0.5)
        controller.stop()
    first = by_recipient(slow.messages)
    assert len(first) == 3

    monkeypatch.setattr(reminder_jobs, "ABANDONED_AFTER", timedelta(0))
    # The batches still queued stay queued; the one killed mid-job is queued again.
    assert due_reminders() == 1
    burst(service_env)
    second = by_recipient(mailbox.wait_for(12 - len(first)))
    assert not set(first) & set(second)          # nobody twice
    assert set(first) | set(second) == {email for _n, email in owners}  # nobody missed
    assert {r.status for r in rows_of(tenant)} == {"sent"}


def test_each_tenant_gets_its_digest_at_its_own_seven_oclock(ctx, make_tenant, fresh_redis,
                                                              mailbox, service_env):
    """WIB, WITA and WIT labs with a milestone due 10 December: the 7-days-before digest
    goes at 07:00 on each lab's clock (00:00, 23:00 and 22:00 UTC), not a minute before."""
    from datetime import UTC, date, datetime

    owners = {}
    for code, who in (("35.13", "wib"), ("73.71", "wita"), ("81.71", "wit")):
        tenant = make_tenant(code)
        cohort = enrol(tenant, f"Angkatan {who}")
        owners[who] = f"pemilik@{who}.example"
        lab_with_milestones(tenant, cohort, [("Pemilik", owners[who])], date(2026, 12, 10))

    def round_at(*when) -> set[str]:
        due_reminders(datetime(*when, tzinfo=UTC))
        burst(service_env)
        return {m.rcpt_tos[0] for m in mailbox.messages}

    assert round_at(2026, 12, 2, 16, 30) == set()          # WITA, WIT past midnight: claimed
    assert round_at(2026, 12, 2, 21, 59) == set()          # 06:59 WIT
    assert round_at(2026, 12, 2, 22, 0) == {owners["wit"]}
    assert round_at(2026, 12, 2, 22, 59) == {owners["wit"]}
    assert round_at(2026, 12, 2, 23, 0) == {owners["wit"], owners["wita"]}
    assert round_at(2026, 12, 3, 0, 0) == set(owners.values())
    assert round_at(2026, 12, 3, 6, 0) == set(owners.values())  # still one each
    assert len(mailbox.messages) == 3
