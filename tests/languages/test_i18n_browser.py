"""Switching language in a real browser, signed out and signed in, on desktop and phone."""

from __future__ import annotations

import pytest

from fixtures.app import PASSWORD
from fixtures.browser import screenshot
from fixtures.languages import assert_single_language
from tenants.accounts.models import User
from tenants.db import db
from tenants.scope import tenant_session
from tenants.units.models import Unit

pytestmark = pytest.mark.browser

SWITCHER = "header form.locale-switcher"


def _switch(page, locale: str) -> None:
    before = page.url
    page.click(f"{SWITCHER} button[value={locale}]")
    page.wait_for_function("lang => document.documentElement.lang === lang", arg=locale)
    assert page.url == before  # the same page, now in the other language


def _check(page, locale: str, ignore=()) -> None:
    assert page.get_attribute("html", "lang") == locale
    assert_single_language(page.content(), locale, ignore=ignore)


def _saved_locale(user_id: int) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user_id).locale


@pytest.fixture
def lab(make_tenant, make_user):
    tenant = make_tenant("73.71")  # Kota Makassar, WITA
    user = make_user("bappeda@makassar.example", name="Andi Pratiwi",
                     memberships=[(tenant, "bappeda_admin")])
    info = {"slug": tenant.slug, "name": tenant.name, "user_id": user.id,
            "email": user.email, "names": ["Andi Pratiwi", "Dinas Kesehatan",
                                           "Puskesmas Kassi-Kassi", "Kecamatan Tamalate"]}
    ref = tenant.ref()
    db.session.close()
    with tenant_session(ref) as session:
        session.add_all([Unit(name="Dinas Kesehatan", kind="opd"),
                         Unit(name="Puskesmas Kassi-Kassi", kind="puskesmas"),
                         Unit(name="Kecamatan Tamalate", kind="kecamatan")])
        session.commit()
    return info


def test_switching_language_signed_out_keeps_the_page(page, lab):
    page.goto("/auth/sign-in?next=%2Flan%2F")  # the browser asks for Indonesian
    _check(page, "id")
    assert page.inner_text("h1") == "Masuk"
    screenshot(page, "i18n-sign-in-id-desktop")

    _switch(page, "en")
    assert page.url.endswith("/auth/sign-in?next=%2Flan%2F")
    assert page.inner_text("h1") == "Sign in"
    _check(page, "en")
    screenshot(page, "i18n-sign-in-en-desktop")

    page.goto("/no-such-page")  # the choice holds on every page, error pages included
    _check(page, "en")
    assert page.inner_text("h1") == "Page not found"
    _switch(page, "id")
    assert page.inner_text("h1") == "Halaman tidak ditemukan"


def test_switching_language_signed_in_is_saved_to_the_account(page, browser, live_server, lab):
    page.goto("/auth/sign-in")
    page.fill("article input[name=email]", lab["email"])
    page.fill("article input[name=password]", PASSWORD)
    page.click("article form button[type=submit]")
    page.wait_for_url(f"**/{lab['slug']}/")
    _check(page, "id", ignore=lab["names"])
    assert "Unit menurut jenis" in page.inner_text("main")
    screenshot(page, "i18n-lab-home-id-desktop")

    _switch(page, "en")
    assert page.url.endswith(f"/{lab['slug']}/")
    assert "Units by type" in page.inner_text("main")
    _check(page, "en", ignore=lab["names"])
    assert _saved_locale(lab["user_id"]) == "en"
    screenshot(page, "i18n-lab-home-en-desktop")

    # Another device, whose browser asks for Indonesian: the account's choice wins.
    other = browser.new_context(base_url=live_server, locale="id-ID")
    try:
        phone = other.new_page()
        phone.goto("/auth/sign-in")
        assert phone.get_attribute("html", "lang") == "id"
        phone.fill("article input[name=email]", lab["email"])
        phone.fill("article input[name=password]", PASSWORD)
        phone.click("article form button[type=submit]")
        phone.wait_for_url(f"**/{lab['slug']}/")
        _check(phone, "en", ignore=lab["names"])
    finally:
        other.close()


def test_the_switcher_fits_and_works_on_a_phone(phone_page, lab):
    phone_page.goto("/auth/sign-in")
    width = phone_page.viewport_size["width"]
    for locale in ("id", "en"):
        box = phone_page.locator(f"{SWITCHER} button[value={locale}]").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["height"] >= 24 and box["width"] >= 24  # big enough to tap
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(phone_page, "i18n-sign-in-id-phone")
    phone_page.tap(f"{SWITCHER} button[value=en]")
    phone_page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert phone_page.inner_text("h1") == "Sign in"
    screenshot(phone_page, "i18n-sign-in-en-phone")


def test_screenshots_of_the_main_pages_in_both_languages(page, phone_page, make_user, lab):
    """Not an assertion of looks: the PNGs are for a person to look at."""
    make_user("admin@lan.example", name="Rina Wulandari", platform_role="lan_admin")
    for view, device in ((page, "desktop"), (phone_page, "phone")):
        view.goto("/auth/sign-in")
        view.fill("article input[name=email]", "admin@lan.example")
        view.fill("article input[name=password]", PASSWORD)
        view.click("article form button[type=submit]")
        view.wait_for_url("**/lan/**")
        for locale in ("id", "en"):
            if view.get_attribute("html", "lang") != locale:
                _switch(view, locale)
            for name, path in (("lan", "/lan/"), ("lab", f"/{lab['slug']}/"),
                               ("public", "/"), ("404", "/nothing-here")):
                view.goto(path)
                _check(view, locale, ignore=[*lab["names"], "Rina Wulandari"])
                screenshot(view, f"i18n-{name}-{locale}-{device}")
