"""Onboarding a region in headless Chromium against the live server and a real worker.

Screenshots of each step land in test-artifacts/screenshots/onboarding-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures.app import PASSWORD
from fixtures.browser import screenshot
from fixtures.onboarding import ADMIN, MOU, PKS
from fixtures.pdf import make_pdf

pytestmark = pytest.mark.browser


def sign_in(page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/lan/")


def fill(page, fields: dict) -> None:
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)


@pytest.fixture
def lan_email(make_user):
    return make_user("rina@lan.example", name="Rina Lestari", platform_role="lan_admin",
                     locale="en").email


def test_onboarding_a_region_in_the_browser(page, phone_page, lan_email, rq_worker,
                                            s3_server, mailbox, tmp_path):
    scan = tmp_path / "MoU Kabupaten Tuban.pdf"
    scan.write_bytes(make_pdf(2))
    not_a_pdf = tmp_path / "foto-penandatanganan.pdf"
    not_a_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)

    sign_in(page, lan_email)
    screenshot(page, "onboarding-01-dashboard-empty")
    page.click("text=Onboard a region")
    page.fill("input[name=q]", "tuban")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("td:has-text('Kabupaten Tuban')")
    screenshot(page, "onboarding-02-registry-search")

    page.click("tr:has-text('Kabupaten Tuban') >> text=Start onboarding")
    assert page.input_value("select[name=timezone]") == "Asia/Jakarta"
    screenshot(page, "onboarding-03-start")
    page.click("text=Open the draft and continue")
    page.wait_for_selector(".step-current:has-text('Draft')")
    screenshot(page, "onboarding-04-draft")

    # The MoU, first with mistakes: the form comes back with what was typed.
    page.click("a[role=button]:has-text('Record the MoU')")
    fill(page, {**MOU, "valid_until": "2018-01-01"})
    page.set_input_files("input[name=document]", str(not_a_pdf))
    page.click("form.agreement-form button[type=submit]")
    page.wait_for_selector(".field-error")
    assert page.input_value("[name=number]") == MOU["number"]
    assert "before its start" in page.inner_text("body")
    assert "not a PDF" in page.inner_text("body")
    screenshot(page, "onboarding-05-mou-refused")
    page.fill("[name=valid_until]", MOU["valid_until"])
    page.set_input_files("input[name=document]", str(scan))
    screenshot(page, "onboarding-06-mou-filled")
    page.click("form.agreement-form button[type=submit]")
    page.wait_for_selector(".step-current:has-text('MoU signed')")

    page.click("a[role=button]:has-text('Record the PKS')")
    fill(page, PKS)
    page.set_input_files("input[name=document]", str(scan))
    page.click("form.agreement-form button[type=submit]")
    page.wait_for_selector(".step-current:has-text('PKS signed')")
    screenshot(page, "onboarding-07-pks-signed")

    page.click("a[role=button]:has-text('Enter the administrator')")
    fill(page, {"admin_name": ADMIN["admin_name"], "admin_email": ADMIN["admin_email"]})
    page.select_option("select[name=admin_locale]", "en")
    screenshot(page, "onboarding-08-administrator")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Check and activate")
    screenshot(page, "onboarding-09-review")
    page.click("button:has-text('Activate the lab')")
    page.wait_for_selector(".step-current:has-text('Provisioning'), "
                           ".step-current:has-text('Active')")
    screenshot(page, "onboarding-10-provisioning")

    # The page refreshes itself until the worker has made the lab active.
    page.wait_for_selector(".step-current:has-text('Active')", timeout=60_000)
    assert "Open the lab" in page.inner_text("main")
    screenshot(page, "onboarding-11-active")
    [message] = mailbox.wait_for(1, timeout=30)
    assert message.rcpt_tos == (ADMIN["admin_email"],)

    with page.expect_download() as download:
        page.click("text=Download the signed PDF >> nth=0")
    assert download.value.suggested_filename == "MoU Kabupaten Tuban.pdf"
    assert Path(download.value.path()).read_bytes() == scan.read_bytes()

    page.goto("/lan/")
    screenshot(page, "onboarding-12-dashboard")
    page.goto("/lan/audit")
    screenshot(page, "onboarding-13-audit")

    # The invited Bappeda administrator sets a password and reads the lab's own log.
    link = re.search(r"http://localhost(/auth/invitation/[A-Za-z0-9_-]+)", message.text)
    invited = page.context.browser.new_context(base_url=page.url.split("/lan/")[0],
                                               viewport={"width": 1280, "height": 900})
    bappeda = invited.new_page()
    bappeda.goto(link.group(1))
    bappeda.fill("input[name=password]", "Sumber-Air-Tuban-2018")
    bappeda.fill("input[name=confirm]", "Sumber-Air-Tuban-2018")
    bappeda.click("main form button[type=submit]")
    bappeda.wait_for_url("**/kab-tuban/")
    bappeda.click("text=Audit log")
    bappeda.wait_for_selector("td:has-text('Lab opened by LAN')")
    screenshot(bappeda, "onboarding-14-lab-audit")

    # Suspend (with its confirmation), then reactivate.
    page.goto("/lan/")
    page.click("td a:has-text('Kabupaten Tuban')")
    page.click("text=Suspend…")
    page.fill("[name=reason]", "Pergantian kepala Bappeda")
    screenshot(page, "onboarding-15-suspend-confirm")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".step-current:has-text('Suspended')")
    screenshot(page, "onboarding-16-suspended")
    bappeda.goto("/kab-tuban/")
    assert "suspended" in bappeda.inner_text("main")
    screenshot(bappeda, "onboarding-17-lab-suspended")
    page.click("text=Reactivate…")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".step-current:has-text('Active')")
    invited.close()

    # The key pages on a phone.
    sign_in(phone_page, lan_email)
    phone_page.goto("/lan/regions?q=probolinggo")
    screenshot(phone_page, "onboarding-phone-registry")
    phone_page.click("a:has-text('Kota Probolinggo')")
    phone_page.click("text=Open the draft and continue")
    phone_page.wait_for_selector(".step-current")
    screenshot(phone_page, "onboarding-phone-draft")
    phone_page.click("a[role=button]:has-text('Record the MoU')")
    screenshot(phone_page, "onboarding-phone-mou")
    phone_page.goto("/lan/")
    phone_page.click("text=Kabupaten Tuban >> nth=0")
    screenshot(phone_page, "onboarding-phone-tenant-active")
