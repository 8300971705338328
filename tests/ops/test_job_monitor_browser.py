"""The job monitor in headless Chromium: a failed tenant job retried, in Indonesian and
English, on desktop and phone (screenshots: test-artifacts/screenshots/ops-*.png)."""

from __future__ import annotations

import subprocess

import pytest
from redis import Redis
from rq import Queue

from fixtures.app import PASSWORD
from fixtures.browser import screenshot
from fixtures.languages import assert_single_language
from fixtures.services import LABINOV, ROOT
from jobs.tenant import tenant_job_id
from tenants.db import db

pytestmark = pytest.mark.browser
SAMPLE = "tests.ops.sample_jobs"


def _sign_in(page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/lan/")


def test_the_job_monitor_in_the_browser(page, phone_page, world, settings, fresh_redis,
                                        service_env):
    connection = Redis.from_url(settings.redis_url)
    default = Queue("default", connection=connection)
    default.enqueue(f"{SAMPLE}.fail", "SMTPRecipientsRefused: 550 mailbox unavailable",
                    job_id=tenant_job_id(world.a.id, "mail-invitation-17"),
                    description=f"[tenant {world.a.id}] fail")
    default.enqueue(f"{SAMPLE}.fail", "TenantNotAvailable: tenant 9 is not active",
                    job_id="t9-activation")
    subprocess.run([str(LABINOV), "worker", "--burst", "default"],
                   env={**service_env, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    Queue("mail", connection=connection).enqueue(
        f"{SAMPLE}.succeed", job_id=tenant_job_id(world.b.id, "mail-reset-3"),
        description=f"[tenant {world.b.id}] succeed")
    admin = world.users["lan_admin"]

    for locale, shown in (("id", page), ("en", phone_page)):
        admin.locale = locale
        db.session.commit()
        _sign_in(shown, admin.email)
        shown.goto("/lan/jobs/")
        assert shown.get_attribute("html", "lang") == locale
        assert_single_language(shown.content(), locale,
                               ignore=["SMTPRecipientsRefused", "TenantNotAvailable",
                                       "mailbox unavailable", "tenant 9 is not active",
                                       "default", "mail", "fail", "succeed"])
        width = "desktop" if shown is page else "phone"
        screenshot(shown, f"ops-jobs-{width}-{locale}")
    # Retry from the desktop page: the failed job leaves the list, one job waits more.
    page.goto("/lan/jobs/")
    row = page.locator("#failed ~ .table-wrap tr", has_text="Kabupaten Probolinggo")
    row.get_by_role("button").click()
    page.wait_for_url("**/lan/jobs/")
    assert page.locator(".flash-success").count() == 1
    screenshot(page, "ops-jobs-retried-en")
