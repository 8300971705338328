"""LAN's cohort pages in headless Chromium, at desktop and phone widths, in Indonesian and in
English: the cohort dashboard (sorted and filtered by following its own links and form) and
the cohort form with a refused window.

Screenshots land in test-artifacts/screenshots/cohorts-*.png; the English desktop dashboard
is also kept as docs/screenshots/cohort-dashboard.png for the README.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fixtures.app import PASSWORD
from fixtures.languages import assert_single_language
from tenants.cohorts import summaries
from tenants.cohorts.models import CohortCoach
from tenants.db import db, utcnow

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
README_SHOT = ROOT / "docs" / "screenshots" / "cohort-dashboard.png"

# Ten labs of one cohort: code -> (ideas by stage, milestones, late, units, without, stage,
# days since the last activity). Probolinggo, Tuban and Purbalingga as the record has them.
LABS = {
    "35.13": ((0, 0, 0, 70, 4), 296, 18, 74, 3, "deliver", 1),
    "35.23": ((0, 0, 12, 106, 0), 472, 31, 53, 0, "deliver", 0),
    "35.74": ((0, 0, 0, 0, 5), 20, 0, 31, 26, "display", 12),
    "33.03": ((0, 174, 0, 0, 0), 0, 0, 86, 0, "diagnose", 2),
    "91.71": ((6, 3, 0, 0, 0), 4, 2, 24, 17, "diagnose", 9),
    "73.71": ((0, 12, 33, 0, 0), 61, 7, 46, 11, "design", 3),
    "51.71": ((0, 0, 4, 38, 0), 150, 12, 33, 6, "deliver", 5),
    "32.73": ((2, 25, 14, 0, 0), 35, 0, 64, 29, "design", 1),
    "34.71": ((0, 0, 0, 21, 9), 118, 4, 30, 8, "deliver", 21),
    "63.71": ((11, 0, 0, 0, 0), 0, 0, 27, 19, "drum_up", 44),
}
NAMES = ["Laboratorium Inovasi 2027 — Angkatan I", "Rina Marlina", "Teguh Prasetyo",
         "Jawa Timur", "Jawa Tengah", "Papua", "Sulawesi Selatan", "Bali", "Jawa Barat",
         "DI Yogyakarta", "Di Yogyakarta",
         "Kalimantan Selatan", "Laboratorium Inovasi 2026 — Angkatan I", "Angkatan Uji"]


@pytest.fixture
def cohort(world, make_tenant):
    from lab.idea_helpers import enrol

    tenants = {"35.13": world.a, "35.23": world.b}
    for code in LABS:
        if code not in tenants:
            tenants[code] = make_tenant(code)
    made = enrol(*tenants.values())
    db.session.add(CohortCoach(cohort_id=made.id, user_id=world.users["coach_a"].id))
    now = utcnow()
    for code, (stages, milestones, late, units, without, stage, days) in LABS.items():
        summaries.write(db.session, cohort_id=made.id, tenant_id=tenants[code].id, values=dict(
            ideas=sum(stages), by_stage=dict(zip(
                ("drum_up", "diagnose", "design", "deliver", "display"), stages, strict=True)),
            milestones=milestones, late_milestones=late, units=units,
            units_without_ideas=without, current_stage=stage,
            last_activity_at=now - timedelta(days=days, hours=3)), counted_at=now)
    db.session.commit()
    return made.id


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"cohorts-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check(page, locale: str, name: str) -> Path:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"
    assert_single_language(page.content(), locale, ignore=NAMES)
    return shot(page, name)


def sign_in(page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/lan/")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_cohort_dashboard(page, phone_page, world, cohort, locale):
    world.users["lan_admin"].locale = locale
    db.session.commit()
    words = {"id": {"cohorts": "Angkatan", "ideas": "Gagasan", "show": "Tampilkan",
                    "dashboard": "Dasbor"},
             "en": {"cohorts": "Cohorts", "ideas": "Ideas", "show": "Show",
                    "dashboard": "Dashboard"}}[locale]
    for browser, size in ((page, "desktop"), (phone_page, "phone")):
        sign_in(browser, "admin@lan.example")
        browser.click(f"header.site a:text-is('{words['cohorts']}')")
        browser.wait_for_selector("table.cohorts")
        check(browser, locale, f"list-{size}-{locale}")
        browser.click("table.cohorts a:has-text('Angkatan I')")
        browser.wait_for_selector("#labs")
        check(browser, locale, f"show-{size}-{locale}")
        browser.click(f"nav.area-nav a:text-is('{words['dashboard']}')")
        browser.wait_for_selector("table.cohort-dashboard")
        rows = browser.locator("table.cohort-dashboard tbody tr")
        assert rows.count() == 10
        path = check(browser, locale, f"dashboard-{size}-{locale}")
        if size == "desktop" and locale == "en":
            README_SHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, README_SHOT)
        # Sorted by ideas, the most first, by following the column's link.
        browser.click(f"table.cohort-dashboard thead a:text-is('{words['ideas']}')")
        browser.wait_for_url("**sort=-ideas")
        assert browser.get_attribute("th[aria-sort]", "aria-sort") == "descending"
        assert rows.first.locator("th").inner_text().strip() == "Kabupaten Purbalingga"
        # Filtered by province through the form; the order is kept.
        browser.select_option("select[name=province]", "35")
        browser.click(f"form.cohort-filter button:text-is('{words['show']}')")
        browser.wait_for_url("**province=35**")
        assert rows.count() == 3
        assert rows.first.locator("th").inner_text().strip() == "Kabupaten Tuban"
        check(browser, locale, f"dashboard-filtered-{size}-{locale}")
        if size == "phone":  # the table scrolls inside its frame, the page does not
            wrap = browser.locator(".table-wrap").first
            assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_cohort_form(page, phone_page, world, cohort, locale):
    from datetime import date

    from lab.idea_helpers import enrol

    from .cohort_helpers import sign

    world.users["lan_admin"].locale = locale
    db.session.commit()
    # A second cohort, empty: Probolinggo may be enrolled, Tuban's MoU has ended.
    sign(world.a)
    sign(world.b, until=date(2020, 3, 15))
    second = enrol(name="Laboratorium Inovasi 2027 — Angkatan I", year=2027).id
    for browser, size in ((page, "desktop"), (phone_page, "phone")):
        sign_in(browser, "admin@lan.example")
        browser.goto(f"/lan/cohorts/{second}/enrol")
        assert browser.locator("input[name=tenant_id]").count() == 1
        assert browser.locator("table.stack tbody tr").count() == 9
        check(browser, locale, f"enrol-{size}-{locale}")
    for browser, size in ((page, "desktop"), (phone_page, "phone")):
        browser.goto("/lan/cohorts/new")
        first = browser.input_value("input[name='drum_up-starts_on']")
        assert first  # prefilled
        check(browser, locale, f"form-{size}-{locale}")
        browser.fill("input[name=name]", "Angkatan Uji")
        gap = browser.input_value("input[name='deliver-starts_on']")
        day = int(gap[-2:])
        browser.fill("input[name='deliver-starts_on']",
                     gap[:-2] + (f"{day + 1:02d}" if day < 28 else f"{day - 1:02d}"))
        browser.click("main form button[type=submit]")
        browser.wait_for_selector("#deliver-starts_on-error")
        assert browser.input_value("input[name=name]") == "Angkatan Uji"
        # The first field in error has the focus (web/static/js/keyboard.js, once loaded).
        expect(browser.locator("#deliver-starts_on")).to_be_focused()
        check(browser, locale, f"form-refused-{size}-{locale}")
