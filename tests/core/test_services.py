"""The service fixtures work against the real thing: SMTP, S3 over HTTP, an RQ worker
subprocess, the live server in Chromium."""

from __future__ import annotations

import smtplib
import time
import urllib.request
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue
from rq.job import JobStatus

from fixtures.app import PASSWORD
from fixtures.browser import screenshot
from tenants.db import db
from tenants.registry import Tenant


def test_mail_sent_over_smtp_arrives_in_the_mailbox(mailbox, settings):
    message = EmailMessage()
    message["From"] = settings.mail_sender
    message["To"] = "Dwi Hartono <bappeda@kab-probolinggo.example>"
    message["Subject"] = "Jadwal monev: Selasa, 24 April 2018"
    message.set_content("Meja 1, pukul 09.00 WIB.")
    url = urlsplit(settings.smtp_url)
    with smtplib.SMTP(url.hostname, url.port, timeout=10) as smtp:
        smtp.send_message(message, from_addr="noreply@labinov.test")

    [received] = mailbox.wait_for(1)
    assert received["Subject"] == "Jadwal monev: Selasa, 24 April 2018"
    assert received.mail_from == "noreply@labinov.test"
    assert received.rcpt_tos == ("bappeda@kab-probolinggo.example",)
    assert received.text.strip() == "Meja 1, pukul 09.00 WIB."
    mailbox.clear()
    assert mailbox.messages == []
    with pytest.raises(AssertionError):
        mailbox.wait_for(1, timeout=0.2)


def test_s3_objects_round_trip_over_http(s3_server, settings):
    assert settings.s3_endpoint_url == s3_server.endpoint_url
    client = s3_server.client()
    key = "t1/exports/units.csv"
    client.put_object(Bucket=settings.s3_bucket, Key=key,
                      Body=b"name,kind\nPuskesmas Jenu,puskesmas\n")
    assert key in s3_server.keys("t1/")
    body = client.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read()
    assert body.startswith(b"name,kind")

    # A presigned URL works over plain HTTP and carries the download name.
    url = client.generate_presigned_url("get_object", ExpiresIn=60, Params={
        "Bucket": settings.s3_bucket, "Key": key,
        "ResponseContentDisposition": 'attachment; filename="units.csv"'})
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == body
        assert response.headers["Content-Disposition"] == 'attachment; filename="units.csv"'

    s3_server.clear()
    assert s3_server.keys() == []


def _wait_finished(job, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job.get_status(refresh=True)
        if status in (JobStatus.FINISHED, JobStatus.FAILED):
            return status
        time.sleep(0.1)
    raise AssertionError(f"job {job.id} still {job.get_status()} after {timeout} s")


def test_worker_subprocess_runs_a_job_against_the_database(ctx, rq_worker, settings):
    queue = Queue("default", connection=Redis.from_url(settings.redis_url))
    job = queue.enqueue("tenants.demo.load.load_demo", job_timeout=120)

    assert _wait_finished(job) == JobStatus.FINISHED, rq_worker.output()
    logins = job.return_value()
    assert ("admin@lan.example", "Rina Marlina", "lan_admin") in [tuple(x) for x in logins]
    db.session.rollback()
    codes = set(db.session.scalars(sa.select(Tenant.regency_code)))
    assert codes == {"35.13", "35.74", "35.23", "33.03"}
    rq_worker.check()


def test_burst_worker_empties_the_queue(ctx, run_worker_burst, settings):
    connection = Redis.from_url(settings.redis_url)
    queue = Queue("default", connection=connection)
    job = queue.enqueue("jobs.dispatcher.dispatch_once")
    assert job.get_status() == JobStatus.QUEUED

    run_worker_burst("default")

    assert job.get_status(refresh=True) == JobStatus.FINISHED
    assert isinstance(job.return_value(), dict)
    assert queue.count == 0
    assert connection.get("labinov:dispatcher") is None  # the round released its lock


@pytest.mark.browser
def test_live_server_in_chromium_sees_the_test_database(make_tenant, make_user, page,
                                                        phone_page):
    tenant = make_tenant("35.13")
    make_user("bappeda@probolinggo.example", memberships=[(tenant, "bappeda_admin")])

    response = page.goto("/")
    assert response.status == 200
    assert "Probolinggo" in page.inner_text("main")
    screenshot(page, "services-home-desktop")
    phone_page.goto("/")
    screenshot(phone_page, "services-home-phone")

    # The live server checks CSRF, unlike the test client.
    page.goto("/auth/sign-in")
    assert page.locator("article form input[name=csrf_token]").count() == 1
    forged = page.request.post("/auth/sign-in", form={
        "email": "bappeda@probolinggo.example", "password": PASSWORD})
    assert forged.status == 400

    page.fill("article input[name=email]", "bappeda@probolinggo.example")
    page.fill("article input[name=password]", PASSWORD)
    page.click("article form button[type=submit]")
    page.wait_for_url(f"**/{tenant.slug}/")
    assert tenant.name in page.inner_text("body")
    screenshot(page, "services-lab-home")
