"""The dashboard in headless Chromium (CSRF on, as in production), at desktop and phone
widths, in Indonesian and English, and printed; screenshots in
test-artifacts/screenshots/dashboard-*.png."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tenants.db import db

from .idea_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_redis")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _sign_in(page, user):
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_dashboard(world, busy_lab, request, device, locale):
    world.users["bappeda_a"].locale = locale
    db.session.commit()
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    _sign_in(page, world.users["bappeda_a"])
    assert page.locator("nav.lab-nav a[aria-current=page]").get_attribute(
        "data-section") == "dashboard"
    chart = page.locator("svg.chart[role=img]")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 80
    assert page.locator("table.matrix tbody tr").count() == 3
    assert page.locator("ol.timeline li").count() == 5
    assert page.locator("table.overdue tbody tr").count() == 3
    assert _fits(page), "the page scrolls sideways"
    screenshot(page, f"dashboard-{device}-{locale}")
    # The navigation's row stays inside the phone's width, scrolling by itself.
    nav = page.locator("nav.lab-nav ul").bounding_box()
    assert nav["x"] >= 0 and nav["x"] + nav["width"] <= page.viewport_size["width"] + 1

    # A figure of the table opens the ideas it counts.
    page.click("table.matrix tbody tr:nth-child(3) td:nth-child(5) a")
    page.wait_for_load_state()
    assert "kind=kecamatan" in page.url and "stage=deliver" in page.url
    assert page.locator("nav.lab-nav a[aria-current=page]").get_attribute(
        "data-section") == "ideas"


def test_the_dashboard_printed(world, busy_lab, page):
    _sign_in(page, world.users["bappeda_a"])
    page.emulate_media(media="print")
    assert not page.locator("nav.lab-nav").is_visible()
    assert not page.locator("header.site").is_visible()
    assert page.locator("svg.chart").is_visible() and page.locator("table.matrix").is_visible()
    assert page.locator(".print-only").is_visible()
    screenshot(page, "dashboard-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    (SCREENSHOTS / "dashboard-print.pdf").write_bytes(pdf)


def test_the_dashboard_of_an_innovator(world, busy_lab, phone_page):
    _sign_in(phone_page, world.users["innovator_a"])
    assert phone_page.locator("table.matrix tbody tr").count() == 1
    assert phone_page.locator("nav.lab-nav a[data-section=people]").count() == 0
    assert _fits(phone_page)
    screenshot(phone_page, "dashboard-innovator-phone-id")


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_stage_dates(world, busy_lab, request, device, locale):
    world.users["bappeda_a"].locale = locale
    db.session.commit()
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    _sign_in(page, world.users["bappeda_a"])
    page.click("nav.lab-nav a[data-section=stages]")
    page.wait_for_selector("form.stages-form")
    assert page.locator("nav.lab-nav a[aria-current=page]").get_attribute(
        "data-section") == "stages"
    assert page.locator("table.stage-dates tbody tr").count() == 5
    assert _fits(page), "the page scrolls sideways"
    screenshot(page, f"stages-{device}-{locale}")
    # Drum-up a day before the cohort's window: refused beside the field, the rest kept.
    start = page.input_value("#drum_up-starts_on")
    day_before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    page.fill("#drum_up-starts_on", day_before)
    page.fill("#design-deliverable_due", page.input_value("#design-ends_on"))
    typed = page.input_value("#design-deliverable_due")
    page.click("form.stages-form button[type=submit]")
    page.wait_for_selector("#drum_up-starts_on-error")
    assert page.input_value("#drum_up-starts_on") == day_before
    assert page.input_value("#design-deliverable_due") == typed
    assert page.get_attribute("#drum_up-starts_on", "aria-invalid") == "true"
    assert _fits(page)
    screenshot(page, f"stages-refused-{device}-{locale}")
    # Put right and saved: the dashboard follows.
    page.fill("#drum_up-starts_on", start)
    page.fill("#drum_up-deliverable_due", page.input_value("#drum_up-ends_on"))
    page.click("form.stages-form button[type=submit]")
    page.wait_for_selector(".flash-success")


DEMO_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "lab-dashboard.png"


def test_the_demo_lab_of_kabupaten_probolinggo(ctx, s3_server, page):
    """Kabupaten Probolinggo's lab as the demo loads it (74 ideas at deliver): the README's
    screenshot of the dashboard, docs/screenshots/lab-dashboard.png."""
    from tenants.demo import load as demo
    from tenants.demo.regions import REGIONS
    from tenants.zones import today_in

    clock_today = today_in(demo.ZONE)
    lan = {role: demo._lan_user(email, name, role, demo.Clock(demo.ZONE))
           for email, name, role in demo.LAN_PEOPLE}
    db.session.commit()
    region = next(r for r in REGIONS if r.code == "35.13")
    logins = demo.load_region(region, {role: u.id for role, u in lan.items()}, clock_today)
    db.session.remove()
    email = next(e for e, _name, role in logins if role.startswith("bappeda_admin"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/")
    total = page.locator("table.matrix tfoot td.total").inner_text()
    assert total == "74"
    rows = {page.locator("table.matrix tbody tr").nth(i).locator("th").inner_text():
            page.locator("table.matrix tbody tr").nth(i).locator("td.total").inner_text()
            for i in range(page.locator("table.matrix tbody tr").count())}
    assert rows == {"OPD": "29", "Puskesmas": "20", "Kecamatan": "25"}
    DEMO_SHOT.parent.mkdir(parents=True, exist_ok=True)
    # The README's picture: the page's first 1,500 pixels (figures, stages, chart, table).
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.screenshot(path=str(DEMO_SHOT))
    screenshot(page, "dashboard-demo-probolinggo")
