"""The reminder pages and the digest email in headless Chromium, at desktop and phone widths,
in Indonesian and in English.

Screenshots land in test-artifacts/screenshots/reminders-*.png.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from fixtures.app import PASSWORD
from fixtures.languages import assert_single_language
from jobs.mail import compose
from tenants.db import db, utcnow
from tenants.reminders.messages import reminder_mail
from tenants.reminders.models import AgreementReminder, ReminderDelivery
from tenants.scope import tenant_session

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
A = "/kab-probolinggo/reminders"
NAMES = ["Ahmad Fauzi", "Sri Wahyuni", "Dwi Hartono", "Siti Nurhayati", "Rina Marlina",
         "Inol Aja", "Si Kepho", "Sosialisasi ke Puskesmas", "Uji coba aplikasi",
         "Laboratorium Inovasi 2026", "Angkatan I", "Drum-up", "Deliver", "ahmad@dinkes.example",
         "sri@pkm-kraksaan.example", "innovator@a.example", "bappeda@a.example",
         "admin@lan.example", "Labinov", "550 5.1.1", "SMTPRecipientsRefused",
         "No such user here", "MOU", "119/1387/2018", "PKS", "Kabupaten Probolinggo",
         "Kabupaten Tuban", "WIB", "Asia/Jakarta"]
TODAY = date(2026, 12, 3)


def row(**fields) -> dict:
    return {"email": "ahmad@dinkes.example", "name": "Ahmad Fauzi", "locale": "id",
            "category": "milestone", "item_key": "milestone:1",
            "title": "Sosialisasi ke Puskesmas (Inol Aja)", "path": "/kab-probolinggo/ideas/1",
            "due_on": TODAY + timedelta(days=7), "offset_days": 7, "remind_on": TODAY,
            "mode": "digest", "status": "sent", "attempts": 1, **fields}


@pytest.fixture
def lab(world):
    sent_at = utcnow()
    with tenant_session(world.a.ref()) as s:
        s.add_all([ReminderDelivery(**row(message_id="<1@labinov.test>", sent_at=sent_at)),
                   ReminderDelivery(**row(item_key="milestone:2", offset_days=3,
                                          title="Uji coba aplikasi (Si Kepho)",
                                          due_on=TODAY + timedelta(days=3),
                                          message_id="<1@labinov.test>", sent_at=sent_at)),
                   ReminderDelivery(**row(email="sri@pkm-kraksaan.example", name="Sri Wahyuni",
                                          status="failed", reason="rejected",
                                          error="SMTPRecipientsRefused: 550 5.1.1 No such "
                                                "user here")),
                   ReminderDelivery(**row(email="(none):7", name="Siti Nurhayati",
                                          status="skipped", reason="no_email")),
                   ReminderDelivery(**row(email="bappeda@a.example", name="Dwi Hartono",
                                          category="stage", item_key="stage:1:deliver",
                                          title="Laboratorium Inovasi 2026 — Angkatan I: "
                                                "Deliver", offset_days=0, due_on=TODAY,
                                          status="pending", attempts=2,
                                          error="ConnectionRefusedError: [Errno 111] "
                                                "Connection refused")),
                   ReminderDelivery(**row(email="bappeda@a.example", name="Dwi Hartono",
                                          category="stage", item_key="stage:1:drum_up",
                                          title="Laboratorium Inovasi 2026 — Angkatan I: "
                                                "Drum-up", offset_days=-3,
                                          due_on=TODAY - timedelta(days=3), status="skipped",
                                          reason="done"))])
        s.commit()
    db.session.add(AgreementReminder(**row(
        email="admin@lan.example", name="Rina Marlina", category="agreement",
        item_key="agreement:1", title="MOU 119/1387/2018 — Kabupaten Tuban",
        path=f"/lan/tenants/{world.b.id}", due_on=TODAY + timedelta(days=30), offset_days=30,
        tenant_id=world.b.id, message_id="<2@labinov.test>", sent_at=sent_at)))
    db.session.commit()
    return world


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reminders-{name}.png"), full_page=True)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def sign_in(page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def check(page, locale: str, name: str) -> None:
    page.wait_for_load_state("load")
    fits(page)
    assert_single_language(page.content(), locale, ignore=NAMES)
    shot(page, name)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_reminder_pages(page, phone_page, lab, locale):
    for who in ("bappeda_a", "innovator_a", "lan_admin"):
        lab.users[who].locale = locale
    db.session.commit()
    words = {"id": {"saved": "Pilihan pengingat Anda telah disimpan."},
             "en": {"saved": "Your reminder choices are saved."}}[locale]
    for browser, size in ((page, "desktop"), (phone_page, "phone")):
        sign_in(browser, "innovator@a.example")
        browser.goto(f"{A}/preferences")
        browser.check("input[name=milestone][value=immediate]")
        browser.click("main form button[type=submit]")
        browser.wait_for_selector(".flash-success")
        assert words["saved"] in browser.inner_text(".flash-success")
        assert browser.is_checked("input[name=milestone][value=immediate]")
        check(browser, locale, f"preferences-{size}-{locale}")
        browser.context.clear_cookies()

        sign_in(browser, "bappeda@a.example")
        browser.goto(f"{A}/log")
        assert browser.locator("table.reminder-log tbody tr").count() == 6
        check(browser, locale, f"log-{size}-{locale}")
        browser.goto(f"{A}/log?status=failed")
        assert browser.locator("table.reminder-log tbody tr").count() == 1
        browser.goto(f"{A}/settings")
        browser.fill("input[name=days_before]", "7, 3, -1")
        browser.click("main form button[type=submit]")
        browser.wait_for_selector("#days_before-error")
        assert browser.input_value("input[name=days_before]") == "7, 3, -1"
        check(browser, locale, f"settings-refused-{size}-{locale}")
        browser.context.clear_cookies()

        sign_in(browser, "admin@lan.example")
        browser.goto("/lan/reminders/")
        assert browser.locator("table.reminder-log tbody tr").count() == 1
        check(browser, locale, f"lan-log-{size}-{locale}")
        browser.context.clear_cookies()


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_digest_email_rendered(ctx, browser, lab, locale):
    with tenant_session(lab.a.ref()) as s:
        rows = s.query(ReminderDelivery).order_by(ReminderDelivery.id).all()
        for r in rows:
            r.locale, r.email, r.name = locale, "ahmad@dinkes.example", "Ahmad Fauzi"
        with ctx.test_request_context():
            message = compose(reminder_mail(rows[:2] + rows[4:], lab=lab.a.name,
                                            timezone=lab.a.timezone, slug=lab.a.slug,
                                            tenant_id=lab.a.id))
        s.rollback()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert_single_language(html, locale, ignore=NAMES)
    for width, size in ((1280, "desktop"), (390, "phone")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_content(html)
        assert page.locator("h2").count() == 2           # grouped by kind
        assert page.locator("ul.items a").count() == 4   # a link to each item
        fits(page)
        shot(page, f"digest-{size}-{locale}")
        context.close()
