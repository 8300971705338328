"""Keyboard and screen-reader use, in headless Chromium: names, contrast, the skip link, focus
rings, where the focus goes after a refused form, scroll containers and the "My labs" menu.

Screenshots: test-artifacts/screenshots/a11y-focus-*.png and a11y-error-focus-*.png.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tenants.db import db
from tenants.onboarding import operations as onboarding
from tenants.onboarding.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_redis")]

PASSWORD = "correct-horse-battery"  # the fixtures' password for every account
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# WCAG's contrast ratio of two CSS colours (alpha composed over white), and the colour that
# is really behind an element (the first ancestor with a background).
CONTRAST = """
([a, b]) => {
  const rgb = (css) => {
    const m = css.match(/rgba?\\(([^)]+)\\)/)[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    const alpha = m.length > 3 ? m[3] : 1;
    return m.slice(0, 3).map(c => c * alpha + 255 * (1 - alpha));
  };
  const lum = (c) => {
    const [r, g, bl] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                   : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [l1, l2] = [lum(rgb(a)), lum(rgb(b))].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}"""
BACKGROUND = """(el) => {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) return bg;
  }
  return 'rgb(255, 255, 255)';
}"""


def contrast(page, a: str, b: str) -> float:
    return page.evaluate(CONTRAST, [a, b])


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


@pytest.fixture
def draft(world):
    """A draft for Kota Probolinggo, ready for its MoU."""
    tenant = onboarding.start(db.session, "35.74", actor_id=world.users["lan_admin"].id)
    db.session.commit()
    return tenant.id


# --- names and contrast ---------------------------------------------------------------------

def test_the_language_buttons_are_named_by_the_letters_they_show(page, world):
    page.goto("/auth/sign-in")
    buttons = page.locator("header form.locale-switcher button")
    assert buttons.count() == 2
    for i in range(2):
        button = buttons.nth(i)
        shown = button.inner_text().strip()
        name = button.get_attribute("aria-label") or shown
        assert shown in ("ID", "EN")
        assert name.lower().startswith(shown.lower()), (shown, name)  # WCAG 2.5.3
        assert len(name) > len(shown)  # and still says the language in full


@pytest.mark.parametrize(("role", "path"), [("lan_admin", "/account/"),
                                          ("bappeda_a", "/account/"),
                                          ("bappeda_a", "/kab-probolinggo/")])
def test_role_badges_have_enough_contrast(page, world, role, path):
    sign_in(page, world.users[role].email)
    page.wait_for_url(lambda url: "/auth/sign-in" not in url)
    page.goto(path)
    badges = page.locator("main .badge")
    assert badges.count() >= 1
    for i in range(badges.count()):
        badge = badges.nth(i)
        color = badge.evaluate("el => getComputedStyle(el).color")
        ratio = contrast(page, color, badge.evaluate(BACKGROUND))
        assert ratio >= 4.5, (badge.inner_text(), color, round(ratio, 2))


# --- the skip link and focus rings ----------------------------------------------------------

def test_a_skip_link_leads_to_the_main_content(page, world):
    page.goto("/no-such-page")  # no field has the focus yet; one link in the main content
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "skip-link" in focused
    box = page.locator("a.skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10  # in view once focused
    shot(page, "a11y-focus-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("() => document.getElementById('main').contains("
                         "document.activeElement)")


def _focus_ring(page, selector: str) -> dict:
    page.keyboard.press("Shift")  # keyboard use, so that :focus-visible applies
    page.focus(selector)
    element = page.locator(selector)
    style = element.evaluate("""el => { const s = getComputedStyle(el);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                color: s.outlineColor, offset: parseFloat(s.outlineOffset)}; }""")
    # The ring is drawn outside the control: it stands against what is behind the control.
    style["against"] = element.evaluate(f"el => ({BACKGROUND})(el.parentElement)")
    return style


@pytest.mark.parametrize(("name", "selector"), [
    ("language", "header button[value=en]"),
    ("sign-out", "header form[action$='sign-out'] button"),
    ("file", "input[name=document]"),
])
def test_outline_buttons_and_the_file_picker_show_a_clear_focus_ring(page, world, draft, name,
                                                                     selector):
    sign_in(page, world.users["lan_admin"].email)
    page.wait_for_url("**/lan/")
    page.goto(f"/lan/tenants/{draft}/mou")
    ring = _focus_ring(page, selector)
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= 2, ring
    assert contrast(page, ring["color"], ring["against"]) >= 3, ring
    page.locator(selector).scroll_into_view_if_needed()
    shot(page, f"a11y-focus-ring-{name}")


# --- refused forms --------------------------------------------------------------------------

def test_a_wrong_password_marks_both_fields_and_says_why(page, world):
    sign_in(page, world.users["innovator_a"].email, "not the password")
    page.wait_for_selector("[role=alert]")
    for name in ("email", "password"):
        field = page.locator(f"input[name={name}]")
        assert field.get_attribute("aria-invalid") == "true", name
        ids = (field.get_attribute("aria-describedby") or "").split()
        texts = [page.locator(f"#{i}").inner_text() for i in ids]
        assert page.locator("[role=alert]").inner_text() in texts, (name, texts)
    assert page.evaluate("() => document.activeElement.name") == "email"
    shot(page, "a11y-error-focus-sign-in")


def test_after_a_refused_form_the_focus_is_on_the_first_field_in_error(page, world, draft):
    sign_in(page, world.users["lan_admin"].email)
    page.wait_for_url("**/lan/")
    page.goto(f"/lan/tenants/{draft}/mou")
    page.fill("[name=number]", "119/1387/414.103/2018")
    page.fill("[name=signed_on]", "2018-04-03")
    page.click("form.agreement-form button[type=submit]")
    page.wait_for_selector(".field-error")
    focused = page.evaluate("() => document.activeElement.name")
    first = page.locator("[aria-invalid=true]").first.get_attribute("name")
    assert focused == first == "valid_from"
    assert page.input_value("[name=number]") == "119/1387/414.103/2018"  # kept
    shot(page, "a11y-error-focus-mou")


def test_errors_are_outside_labels_and_tied_to_their_fields(page, world, draft):
    sign_in(page, world.users["lan_admin"].email)
    page.wait_for_url("**/lan/")
    page.goto(f"/lan/tenants/{draft}/mou")
    page.click("form.agreement-form button[type=submit]")
    page.wait_for_selector(".field-error")
    errors = page.locator(".field-error")
    assert errors.count() >= 8
    for i in range(errors.count()):
        error = errors.nth(i)
        assert error.evaluate("el => el.closest('label') === null"), error.inner_text()
        error_id = error.get_attribute("id")
        field = page.locator(f"[aria-describedby~='{error_id}']")
        assert field.count() == 1, error_id
        label = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        assert error.inner_text() not in label  # read once, not as part of the name


def test_the_file_hint_is_tied_to_the_file_field(page, world, draft):
    sign_in(page, world.users["lan_admin"].email)
    page.wait_for_url("**/lan/")
    page.goto(f"/lan/tenants/{draft}/mou")
    ids = (page.get_attribute("input[name=document]", "aria-describedby") or "").split()
    hints = " ".join(page.locator(f"#{i}").inner_text() for i in ids)
    assert "PDF" in hints and "10 MB" in hints


# --- scroll containers and the menu ---------------------------------------------------------

def test_tables_that_scroll_sideways_on_a_phone_can_be_scrolled_by_keyboard(phone_page, world):
    a = world.a
    today = date.today()
    db.session.add(Agreement(
        tenant_id=a.id, kind=Agreement.MOU, number="119/1387/414.103/2018",
        signed_on=date(2018, 4, 3), valid_from=date(2018, 4, 3),
        valid_until=today - timedelta(days=40), lan_signatory_name="Dr. Adi Suryanto",
        lan_signatory_title="Kepala LAN", regional_signatory_name="Hendra Kurniawan",
        regional_signatory_title="Bupati Probolinggo"))
    db.session.commit()
    sign_in(phone_page, world.users["lan_admin"].email)
    phone_page.wait_for_url("**/lan/")
    checked = 0
    for path in (f"/lan/tenants/{a.id}", "/lan/audit", "/lan/", "/kab-probolinggo/audit"):
        phone_page.goto(path)
        wraps = phone_page.locator(".table-wrap")
        for i in range(wraps.count()):
            wrap = wraps.nth(i)
            if not wrap.evaluate("el => el.scrollWidth > el.clientWidth + 1"):
                continue
            assert wrap.get_attribute("tabindex") == "0", path
            assert wrap.get_attribute("role") == "region", path
            name = wrap.get_attribute("aria-label") or phone_page.locator(
                f"#{wrap.get_attribute('aria-labelledby')}").inner_text()
            assert name.strip(), path
            wrap.focus()
            phone_page.keyboard.press("ArrowRight")
            phone_page.keyboard.press("ArrowRight")
            # Arrow keys scroll it (smoothly: give it up to five seconds).
            assert wrap.evaluate("""el => new Promise(done => {
                const start = Date.now();
                (function poll() {
                  if (el.scrollLeft > 0 || Date.now() - start > 5000) done(el.scrollLeft);
                  else setTimeout(poll, 50);
                })(); })""") > 0, path
            checked += 1
    assert checked >= 3  # history, activity and the audit log at least


def test_escape_closes_the_my_labs_menu(page, world):
    sign_in(page, world.users["bappeda_a"].email)
    page.wait_for_url("**/kab-probolinggo/")
    page.focus("details.dropdown summary")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelector('details.dropdown').open")
    page.keyboard.press("Tab")  # into the menu
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.querySelector('details.dropdown').open")
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
