"""Activation in the background: a real RQ worker, S3 server and SMTP server, end to end."""

from __future__ import annotations

import html
import re
import time
import urllib.request

import sqlalchemy as sa
from rq import Queue, Retry
from rq.job import Job

from fixtures.app import text_of
from fixtures.onboarding import (
    ADMIN,
    MOU,
    PKS,
    activate,
    admin,
    agreement,
    signed_in,
    start,
    tenant_of,
    up_to_pks,
)
from fixtures.pdf import make_pdf
from jobs import onboarding as activation
from jobs.dispatcher import dispatch_once
from jobs.queues import redis
from tenants.accounts.models import Membership, User
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.db import db
from tenants.outbox import LedgerEntry
from tenants.provisioning import schema_exists
from tenants.registry import TenantEvent
from tenants.scope import tenant_session
from tenants.storage import content_disposition

NEW_PASSWORD = "Sumber-Air-Tuban-2018"


def text(response) -> str:
    return html.unescape(text_of(response))


def wait_for_status(tenant_id: int, status: str, worker=None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tenant = tenant_of()
        db.session.rollback()
        if tenant is not None and tenant.status == status:
            return
        if worker is not None:
            worker.check()
        time.sleep(0.2)
    raise AssertionError(f"tenant {tenant_id} did not become {status} within {timeout} s "
                         f"(it is {tenant.status})"
                         + (f"\n{worker.output()}" if worker is not None else ""))


def activation_entry(tenant_id: int) -> LedgerEntry:
    db.session.expire_all()
    return db.session.scalar(sa.select(LedgerEntry).where(
        LedgerEntry.key == f"tenant:{tenant_id}:activation"))


def test_the_whole_onboarding_path(app, client, make_user, rq_worker, s3_server, mailbox):
    lan = signed_in(client, make_user)
    pdf = make_pdf(3, title="MoU Kabupaten Tuban")
    assert start(client).status_code == 302
    tenant = tenant_of()
    name = "MoU Tuban 119-1387-2018 \u2013 bertanda tangan.pdf"
    assert agreement(client, tenant.id, "mou", MOU, pdf=pdf, filename=name).status_code == 302
    assert agreement(client, tenant.id, "pks", PKS).status_code == 302
    assert admin(client, tenant.id).status_code == 302
    assert activate(client, tenant.id).status_code == 302
    assert tenant_of().status == "provisioning"

    wait_for_status(tenant.id, "active", rq_worker)
    tenant = tenant_of()
    with db.engine.connect() as conn:
        assert schema_exists(conn, "t_3523")
    assert tenant.provisioned_at is not None
    last = db.session.scalar(sa.select(TenantEvent).order_by(TenantEvent.id.desc()).limit(1))
    assert (last.from_status, last.to_status, last.actor_id) == ("provisioning", "active", None)
    assert last.note == {"requested_by": lan.id}
    entry = activation_entry(tenant.id)
    assert (entry.status, entry.attempts, entry.error) == ("done", 1, None)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.tenant_id == tenant.id).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["tenant.activated", "account.invited"]

    # The Bappeda administrator was invited, in the language entered for them.
    [message] = mailbox.wait_for(1, timeout=30)
    assert message.rcpt_tos == (ADMIN["admin_email"],)
    assert message["Subject"] == "Your invitation to the innovation lab of Kabupaten Tuban"
    link = re.search(r"http://localhost(/auth/invitation/[A-Za-z0-9_-]+)", message.text)
    assert link, message.text
    invited = db.session.scalar(sa.select(User).where(User.email == ADMIN["admin_email"]))
    assert (invited.name, invited.locale, invited.password_hash) == (
        ADMIN["admin_name"], "en", None)
    assert db.session.scalar(sa.select(Membership.role).where(
        Membership.user_id == invited.id, Membership.tenant_id == tenant.id)) == "bappeda_admin"

    # The signed PDF comes back from the S3 server, byte for byte, under its name.
    response = client.get(f"/lan/tenants/{tenant.id}/agreements/mou/document")
    assert response.status_code == 302
    url = response.headers["Location"]
    assert url.startswith(s3_server.endpoint_url + f"/{s3_server.bucket}/platform/agreements/")
    assert "X-Amz-Expires=300" in url
    with urllib.request.urlopen(url, timeout=10) as download:
        assert download.read() == pdf
        assert download.headers["Content-Disposition"] == content_disposition(name)
        assert "filename*=UTF-8''MoU%20Tuban%20119-1387-2018%20%E2%80%93" in \
            download.headers["Content-Disposition"]

    # The invited person sets a password and lands in their lab. (The test client shares
    # this test's app context and Session, which must not hold a transaction when a tenant
    # URL enters the tenant scope.)
    db.session.rollback()
    person = app.test_client()
    page = person.get(link.group(1))
    assert page.status_code == 200
    response = person.post(link.group(1), data={
        "name": "Hendra Kurniawan", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/kab-tuban/"
    db.session.rollback()
    home = person.get("/kab-tuban/")
    assert home.status_code == 200
    assert "Kabupaten Tuban" in text(home)
    db.session.rollback()
    log = text(person.get("/kab-tuban/audit"))
    assert "Lab opened by LAN" in log and "Rina Lestari" in log
    # The link was used up.
    assert person.post(link.group(1), data={
        "name": "x", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code != 302


def test_a_failing_activation_is_retried_then_shown_with_a_retry_button(
        client, make_user, run_worker_burst, mailbox, s3_server):
    lan_id = signed_in(client, make_user).id
    tenant_id = up_to_pks(client).id
    admin(client, tenant_id)
    # A leftover schema of the same name makes provisioning fail for real.
    with db.engine.begin() as conn:
        conn.exec_driver_sql('CREATE SCHEMA "t_3523"')
    activate(client, tenant_id)
    # Two tries, without waiting between them, instead of the production back-off.
    Job.fetch(activation.job_id(tenant_id), connection=redis()).delete()
    activation.enqueue_activation(tenant_id, lan_id, retry=Retry(max=1))
    run_worker_burst()

    entry = activation_entry(tenant_id)
    assert (entry.status, entry.attempts) == ("failed", 2)
    assert "DuplicateSchema" in entry.error
    assert tenant_of().status == "provisioning"
    assert mailbox.messages == []  # nobody was invited to a lab that does not exist
    page = text(client.get(f"/lan/tenants/{tenant_id}"))
    assert "Activation failed" in page and "2 attempts" in page
    assert "DuplicateSchema" in page and "Try the activation again" in page
    # The dispatcher leaves a failed activation to a person.
    assert dispatch_once()["resume_activations"] == 0

    with db.engine.begin() as conn:
        conn.exec_driver_sql('DROP SCHEMA "t_3523"')
    response = client.post(f"/lan/tenants/{tenant_id}/activate/retry")
    assert response.status_code == 302
    assert activation_entry(tenant_id).status == "claimed"
    run_worker_burst()
    assert tenant_of().status == "active"
    assert activation_entry(tenant_id).status == "done"
    retried = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "tenant.activation_retried"))
    assert retried.actor_id == lan_id and "DuplicateSchema" in retried.detail["previous_error"]
    [message] = mailbox.wait_for(1, timeout=30)
    assert message.rcpt_tos == (ADMIN["admin_email"],)


def test_the_dispatcher_requeues_an_activation_that_redis_lost(client, make_user):
    signed_in(client, make_user)
    tenant_id = up_to_pks(client).id
    admin(client, tenant_id)
    activate(client, tenant_id)
    queue = Queue("default", connection=redis())
    assert queue.job_ids == [activation.job_id(tenant_id)]

    redis().flushdb()  # the private test Redis loses everything
    assert queue.job_ids == []
    assert dispatch_once()["resume_activations"] == 1
    assert queue.job_ids == [activation.job_id(tenant_id)]
    job = Job.fetch(activation.job_id(tenant_id), connection=redis())
    assert job.args == (tenant_id, tenant_of().events[0].actor_id)  # who asked, from history
    # A second round, or a second dispatcher, does not queue it twice.
    assert dispatch_once()["resume_activations"] == 0
    assert dispatch_once()["resume_activations"] == 0
    assert queue.job_ids == [activation.job_id(tenant_id)]


def test_the_activation_job_runs_once_even_if_queued_twice(client, make_user,
                                                           run_worker_burst, mailbox):
    lan = signed_in(client, make_user)
    tenant = up_to_pks(client)
    admin(client, tenant.id)
    activate(client, tenant.id)
    # A second copy under another id, as if two dispatchers raced an enqueue.
    Queue("default", connection=redis()).enqueue(activation.activate_tenant, tenant.id, lan.id)
    run_worker_burst()
    assert tenant_of().status == "active"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TenantEvent).where(
        TenantEvent.to_status == "active")) == 1
    mailbox.wait_for(1, timeout=30)
    time.sleep(0.5)
    assert len(mailbox.messages) == 1
    with tenant_session(tenant_of().ref()) as session:
        assert session.scalars(sa.select(LabAuditEntry.action)).all() == ["lab.opened"]
