"""The idea page and the idea form in headless Chromium (CSRF on, as in production), at
desktop and phone widths, in Indonesian and English. Screenshots go to
test-artifacts/screenshots/ideas-*.png."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from tenants.accounts.models import Role
from tenants.cohorts.operations import tenant_today
from tenants.db import db
from tenants.lab.models import (
    Attachment,
    Idea,
    Milestone,
    RpjmdIndicator,
    RpjmdPeriod,
    RpjmdPriority,
)
from tenants.lab.operations import attachments, plans
from tenants.scope import tenant_session
from tenants.units.models import Person

from .idea_helpers import PASSWORD, enrol, make_comment, make_idea, make_milestones

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_redis")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

DESIGN = ("Inovasi ini menghubungkan kader kesehatan desa, Puskesmas dan kelompok dukungan "
          "sebaya dalam satu sistem pencatatan. ") * 20  # 300 words


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def lab(world):
    """Lab A with its RPJMD, people, and one idea well under way (plan, files, comments)."""
    cohort = enrol(world.a, world.b)
    with tenant_session(world.a.ref()) as s:
        period = RpjmdPeriod(title="RPJMD Kabupaten Probolinggo 2025-2029", starts_year=2025,
                             ends_year=2029)
        misi = RpjmdPriority(period=period, kind="misi", code="M2", position=1,
                             text="Meningkatkan kualitas sumber daya manusia")
        sasaran = RpjmdPriority(period=period, kind="sasaran", code="S2.1", position=2,
                                text="Meningkatnya derajat kesehatan masyarakat")
        s.add_all([period, misi, sasaran])
        s.flush()
        sasaran.parent_id = misi.id
        s.add(RpjmdIndicator(priority_id=sasaran.id, code="IKD 2.1.1",
                             name="Cakupan layanan ODHA", measure="%", baseline="61",
                             target="90"))
        for name in ("Dewi Anggraini", "Bambang Sutrisno"):
            s.add(Person(unit_id=world.unit_ids["a"], name=name, position="Pengelola program"))
        s.commit()
        priority_id, indicator_id = sasaran.id, s.query(RpjmdIndicator.id).scalar()
    idea_id = make_idea(
        world.a, cohort.id, world.unit_ids["a"], actor_id=world.users["innovator_a"].id,
        innovator_ids=[world.person_ids["a"]], acronym="Si Kepho",
        inisiator="perangkat_daerah", jenis="digital", bentuk="pelayanan_publik",
        urusan=["kesehatan", "kominfo"], tematik="digitalisasi_layanan", tahapan="uji_coba",
        trial_on=date(2026, 2, 2),
        problem="Banyak ODHA putus pengobatan karena data pendampingan tercecer di buku "
                "catatan kader dan tidak sampai ke Puskesmas tepat waktu.",
        root_causes="Pencatatan manual di tiap desa.\nTidak ada jadwal kunjungan bersama.\n"
                    "Stigma membuat ODHA enggan datang ke Puskesmas.",
        affected="Sekitar 240 ODHA di wilayah Puskesmas Kraksaan dan keluarganya.",
        design=DESIGN, priority_id=priority_id, indicator_id=indicator_id)
    today = date.today()
    ids = make_milestones(world.a, idea_id, 4, world.person_ids["a"],
                          start=today - timedelta(days=40))
    with tenant_session(world.a.ref()) as s:
        idea = s.get(Idea, idea_id)
        first = s.get(Milestone, ids[0])
        plans.add_note(s, idea, first, status=Milestone.DONE,
                       note="Formulir pendataan disepakati bersama 12 kader.",
                       actor_id=world.users["innovator_a"].id)
        plans.add_note(s, idea, s.get(Milestone, ids[2]), status=Milestone.IN_PROGRESS,
                       note="Aplikasi diuji di dua desa.",
                       actor_id=world.users["innovator_a"].id)
        attachments.attach(s, idea, stream=io.BytesIO(_png()), filename="foto-sosialisasi.png",
                           kind=Attachment.PHOTO, description="Sosialisasi kepada kader",
                           max_bytes=10_000_000, actor_id=world.users["innovator_a"].id)
        assert tenant_today(s) >= today - timedelta(days=1)
        s.commit()
    first = make_comment(world.a, idea_id, world.users["coach_a"].id,
                         "@Siti Nurhayati tolong lengkapi jadwal tahapan 4 sebelum monev.")
    make_comment(world.a, idea_id, world.users["innovator_a"].id,
                 "Baik, @Teguh Prasetyo, kami lengkapi minggu ini.", parent_id=first)
    return idea_id


def _sign_in(page, user, locale):
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/")
    if locale == "en":
        page.click("button[name=locale][value=en]")
        page.wait_for_load_state()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_idea_page(world, lab, request, device, locale):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    _sign_in(page, world.users["innovator_a"], locale)
    page.goto(f"/kab-probolinggo/ideas/{lab}")
    main = page.inner_text("main")
    assert "Si Kepho" in main
    assert page.locator("ol.steps [aria-current=step]").inner_text().strip().endswith(
        "Diagnose") or "Diagnose" in page.locator("ol.steps [aria-current=step]").inner_text()
    # The gate to design is met: problem and root causes are there.
    assert page.locator("ul.checklist li.met").count() == 2
    assert page.locator("mark.mention").count() == 2
    assert page.locator("li.milestone-late").count() >= 1
    assert _fits(page), "the page scrolls sideways"
    screenshot(page, f"ideas-page-{device}-{locale}")

    # Typing "@Te" offers the coach's name; Enter takes it.
    box = page.locator("textarea#body")
    box.click()
    box.type("Terima kasih @Te")
    assert page.locator(".mention-list li").first.inner_text() == "Teguh Prasetyo"
    box.press("Enter")
    assert box.input_value() == "Terima kasih @Teguh Prasetyo "
    page.click("form.comment-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("mark.mention", has_text="@Teguh Prasetyo").count() >= 2

    # Moving on to design, then the gate of deliver is shown with what is missing.
    page.click("#stage form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("ol.steps [aria-current=step]").inner_text().find("Design") >= 0
    assert page.locator("ul.checklist li.unmet").count() == 0  # 4 complete milestones
    screenshot(page, f"ideas-page-design-{device}-{locale}")


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_idea_form_counts_design_words_live(world, lab, request, device, locale):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    _sign_in(page, world.users["bappeda_a"], locale)
    page.goto("/kab-probolinggo/ideas/new")
    assert _fits(page), "the form scrolls sideways"
    output = page.locator("output#design-words")
    assert output.inner_text().startswith("0 ")
    page.fill("textarea#design", "kata " * 299)
    assert output.inner_text().startswith("299 ")
    assert "words-short" in output.get_attribute("class")
    page.type("textarea#design", "lagi")
    assert output.inner_text().startswith("300 ")
    assert "words-enough" in output.get_attribute("class")
    screenshot(page, f"ideas-form-new-{device}-{locale}")

    # A refused save keeps everything typed and says what to fix.
    page.fill("input#acronym", "Inol Aja")
    page.check("input[name=urusan][value=kesehatan]")
    page.click("form.idea-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#title-error").count() == 1
    assert page.input_value("input#acronym") == "Inol Aja"
    assert page.is_checked("input[name=urusan][value=kesehatan]")
    assert page.locator("output#design-words").inner_text().startswith("300 ")
    screenshot(page, f"ideas-form-refused-{device}-{locale}")

    page.goto(f"/kab-probolinggo/ideas/{lab}/edit")
    assert page.locator("output#design-words").inner_text().startswith("300 ")
    assert _fits(page)
    screenshot(page, f"ideas-form-edit-{device}-{locale}")


def test_the_list_in_the_browser(world, lab, page, phone_page):
    for device, p in (("desktop", page), ("phone", phone_page)):
        _sign_in(p, world.users["bappeda_a"], "id")
        p.goto("/kab-probolinggo/ideas/")
        assert "Si Kepho" in p.inner_text("main")
        assert _fits(p)
        screenshot(p, f"ideas-list-{device}-id")


__all__ = ["Role", "db"]
