"""The units page, a unit's page and the import preview in headless Chromium, at desktop and
phone widths, in Indonesian and in English.

Screenshots land in test-artifacts/screenshots/units-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.app import PASSWORD
from fixtures.languages import assert_single_language
from tenants.db import db
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
A = "/kab-probolinggo/units"

# A slice of Kabupaten Probolinggo's units, as its Bappeda keeps them.
UNITS = [("Badan Perencanaan Pembangunan Daerah", "opd", "Bappeda"),
         ("Dinas Kesehatan", "opd", "Dinkes"),
         ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "opd", "Disperkim"),
         ("Puskesmas Paiton", "puskesmas", None), ("Puskesmas Sumberasih", "puskesmas", None),
         ("Kecamatan Kraksaan", "kecamatan", None), ("RSUD Waluyo Jati", "rsud", None),
         ("Desa Sumberanyar", "desa", None)]
NAMES = [name for name, _k, _s in UNITS] + [
    "Puskesmas Kraksaan", "Kecamatan Paiton", "Ahmad Fauzi", "Siti Nurhayati", "Dwi Hartono",
    "Sri Wahyuni", "Bidan Koordinator", "Dinas Pendidikan", "Disdik", "PKM Kraksaan",
    "Rumah Sakit", "Kantor Kelurahan", "Semampir", "unit-kerja.csv", "innovator@a.example",
    "sri@pkm-kraksaan.example"]

CSV_WITH_PROBLEMS = ("Nama;Jenis;Singkatan\r\n"
                     "Dinas Pendidikan;OPD;Disdik\r\n"
                     "Puskesmas Kraksaan;Puskesmas;PKM Kraksaan\r\n"
                     "Puskesmas Gending;Rumah Sakit;\r\n"
                     ";Kecamatan;\r\n"
                     "dinas pendidikan;opd;\r\n")
CSV_GOOD = ("Nama;Jenis;Singkatan\r\n"
            "Dinas Pendidikan;OPD;Disdik\r\n"
            "Puskesmas Kraksaan;Puskesmas;PKM Kraksaan\r\n"
            "Kelurahan Semampir;Kelurahan;\r\n"
            "Kecamatan Paiton;Kecamatan;\r\n")


@pytest.fixture
def lab(world):
    with tenant_session(world.a.ref()) as s:
        units = [Unit(name=n, kind=k, short_name=sn) for n, k, sn in UNITS]
        s.add_all(units)
        s.flush()
        s.add_all([Person(unit_id=world.unit_ids["a"], name="Sri Wahyuni",
                          position="Bidan Koordinator", email="sri@pkm-kraksaan.example"),
                   Person(unit_id=world.unit_ids["a"], name="Siti Nurhayati",
                          email="innovator@a.example",
                          account_id=world.users["innovator_a"].id)])
        retired = Unit(name="Puskesmas Pembantu Kalibuntu", kind="puskesmas",
                       retired_at=db.func.now())
        s.add(retired)
        s.commit()
    return world


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"units-{name}.png"), full_page=True)


def fits(page) -> None:
    """Nothing scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def sign_in(page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/")


def check(page, locale: str, name: str) -> None:
    page.wait_for_load_state("load")  # the style sheets too, before anything is measured
    fits(page)
    assert_single_language(page.content(), locale, ignore=NAMES)
    shot(page, name)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_units_pages_and_the_import_preview(page, phone_page, lab, locale, tmp_path):
    lab.users["bappeda_a"].locale = locale
    db.session.commit()
    words = {"id": {"import": "Impor dari berkas", "check": "Periksa berkas",
                    "confirm": "Konfirmasi impor", "problems": "3 masalah"},
             "en": {"import": "Import from a file", "check": "Check the file",
                    "confirm": "Confirm the import", "problems": "3 problems"}}[locale]
    bad, good = tmp_path / "unit-kerja.csv", tmp_path / "unit-kerja.csv"
    for browser, size in ((page, "desktop"), (phone_page, "phone")):
        sign_in(browser, "bappeda@a.example")
        browser.click("nav.lab-nav a[data-section=units]")
        browser.wait_for_selector("#kind-opd")
        assert browser.locator("#kind-opd tr td:first-child").count() == 3
        assert browser.locator("#retired tbody tr").count() == 1
        check(browser, locale, f"list-{size}-{locale}")

        browser.click("a:has-text('Puskesmas Kraksaan')")
        browser.wait_for_selector("#people")
        assert browser.locator("table.people tbody tr").count() == 3
        check(browser, locale, f"unit-{size}-{locale}")

        browser.goto(f"{A}/")
        browser.click(f"a:has-text('{words['import']}')")
        check(browser, locale, f"import-{size}-{locale}")
        bad.write_bytes(b"\xef\xbb\xbf" + CSV_WITH_PROBLEMS.encode())
        browser.set_input_files("input[name=file]", str(bad))
        browser.click(f"button:has-text('{words['check']}')")
        browser.wait_for_selector("table.problems")
        assert words["problems"] in browser.inner_text("#problems h2")
        assert browser.locator("table.problems tbody tr").count() == 3
        assert browser.locator(f"button:has-text('{words['confirm']}')").count() == 0
        check(browser, locale, f"preview-problems-{size}-{locale}")

        browser.goto(f"{A}/import")
        good.write_bytes(b"\xef\xbb\xbf" + CSV_GOOD.encode())
        browser.set_input_files("input[name=file]", str(good))
        browser.click(f"button:has-text('{words['check']}')")
        browser.wait_for_selector(f"button:has-text('{words['confirm']}')")
        assert browser.locator("#created tbody tr").count() == 2
        assert browser.locator("#changed tbody tr").count() == 1
        check(browser, locale, f"preview-{size}-{locale}")
    # Confirmed once, from the phone.
    phone_page.click(f"button:has-text('{words['confirm']}')")
    phone_page.wait_for_selector(".flash-success")
    assert phone_page.locator("#kind-kelurahan td:first-child").count() == 1
    check(phone_page, locale, f"imported-phone-{locale}")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_unit_forms(page, phone_page, lab, locale):
    lab.users["bappeda_a"].locale = locale
    db.session.commit()
    unit = f"{A}/{lab.unit_ids['a']}"
    with tenant_session(lab.a.ref()) as s:
        sri = s.scalar(db.select(Person.id).where(Person.name == "Sri Wahyuni"))
    for browser, size in ((page, "desktop"), (phone_page, "phone")):
        sign_in(browser, "bappeda@a.example")
        # A refused unit comes back with the error beside its field and what was typed.
        browser.goto(f"{A}/new")
        browser.fill("input[name=name]", "dinas kesehatan")
        browser.fill("input[name=short_name]", "Dinkes")
        browser.click("main form button[type=submit]")
        browser.wait_for_selector("#name-error")
        assert browser.input_value("input[name=short_name]") == "Dinkes"
        check(browser, locale, f"add-refused-{size}-{locale}")
        browser.goto(f"{unit}/merge")
        assert browser.locator("select[name=into_id] option").count() == len(UNITS) + 2
        check(browser, locale, f"merge-{size}-{locale}")
        browser.goto(f"{unit}/retire")
        check(browser, locale, f"retire-{size}-{locale}")
        browser.goto(f"{unit}/people/{sri}")
        assert browser.input_value("input[name=position]") == "Bidan Koordinator"
        check(browser, locale, f"person-{size}-{locale}")
    # Invited as innovator from the unit's page, through the members page's invitation.
    page.goto(unit)
    page.click("tr:has-text('Sri Wahyuni') button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/people/")
    page.wait_for_selector(".flash-success")
    page.goto(unit)
    assert page.locator("tr:has-text('Sri Wahyuni') .badge").count() == 2  # role, standing
    # Retired from the phone: the unit's page says so and offers to bring it back.
    phone_page.goto(f"{unit}/retire")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector(".flash-success")
    assert phone_page.locator(f"form[action='{unit}/restore'] button").count() == 1
    check(phone_page, locale, f"retired-phone-{locale}")
