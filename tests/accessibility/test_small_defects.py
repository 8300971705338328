"""Small defects of the LAN pages and the onboarding forms: the favicon, step numbers, expired
agreements on the dashboard, the signatory example, all of a form's problems at once; and, on a
phone, counters that keep their words whole and the registry's action in view.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from fixtures.pdf import make_pdf
from tenants.accounts.models import User
from tenants.db import db
from tenants.onboarding import operations as onboarding
from tenants.onboarding.models import Agreement
from tenants.onboarding.operations import Document

pytestmark = pytest.mark.usefixtures("fresh_redis")

PASSWORD = "correct-horse-battery"  # the fixtures' password for every account
MOU = {
    "number": "119/1387/414.103/2018", "signed_on": "2018-04-03", "valid_from": "2018-04-03",
    "valid_until": "2023-04-02", "lan_signatory_name": "Dr. Adi Suryanto",
    "lan_signatory_title": "Kepala LAN", "regional_signatory_name": "Fathul Huda",
    "regional_signatory_title": "Bupati Tuban",
}


def text_of(response) -> str:
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def lan(client, world):
    """The world, its LAN administrator signed in on `client`, everyone reading English."""
    db.session.execute(sa.update(User).values(locale="en"))
    db.session.commit()
    response = client.post("/auth/sign-in", data={"email": world.users["lan_admin"].email,
                                                   "password": PASSWORD})
    assert response.status_code == 302
    return world


def _draft(world, code: str) -> int:
    tenant = onboarding.start(db.session, code, actor_id=world.users["lan_admin"].id)
    db.session.commit()
    return tenant.id


def _post_mou(client, tenant_id: int, **fields):
    data = {**MOU, **fields, "document": (io.BytesIO(make_pdf()), "MoU.pdf")}
    return client.post(f"/lan/tenants/{tenant_id}/mou", data=data,
                       content_type="multipart/form-data")


def _errors(response) -> dict[str, str]:
    """Each field's error text, by the field's name."""
    body = response.get_data(as_text=True)
    errors = {}
    for field_id, message in re.findall(
            r'<small id="([\w-]+)-error" class="field-error">(.*?)</small>', body, re.S):
        errors[field_id] = " ".join(message.split())
    return errors


# --- favicon --------------------------------------------------------------------------------

def test_every_page_links_a_favicon_and_favicon_ico_answers(client):
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link, "no favicon link"
    icon = client.get(link.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.get_data()
    answer = client.get("/favicon.ico")
    assert answer.status_code in (301, 302, 308)
    assert answer.location.endswith(link.group(1))


# --- the onboarding steps -------------------------------------------------------------------

def test_the_steps_show_their_numbers_done_or_not(client, lan):
    for tenant_id in (lan.a.id, _draft(lan, "35.74")):
        body = client.get(f"/lan/tenants/{tenant_id}").get_data(as_text=True)
        marks = re.findall(r'<span class="step-mark" aria-hidden="true">([^<]*)</span>', body)
        assert marks == ["1", "2", "3", "4", "5"], marks
    body = client.get(f"/lan/tenants/{lan.a.id}").get_data(as_text=True)
    assert body.count("(done)") == 4  # and the steps done still say so


# --- the dashboard --------------------------------------------------------------------------

def test_the_dashboard_says_which_agreements_have_expired(client, lan):
    today = date.today()
    for tenant, kind, days, number in ((lan.a, Agreement.MOU, -40, "MOU-PROBOLINGGO"),
                                       (lan.b, Agreement.MOU, 25, "MOU-TUBAN")):
        db.session.add(Agreement(
            tenant_id=tenant.id, kind=kind, number=number, signed_on=date(2018, 4, 3),
            valid_from=date(2018, 4, 3), valid_until=today + timedelta(days=days),
            lan_signatory_name="Dr. Adi Suryanto", lan_signatory_title="Kepala LAN",
            regional_signatory_name="Fathul Huda", regional_signatory_title="Bupati"))
    db.session.commit()
    page = text_of(client.get("/lan/"))
    expired, _, rest = page.partition("Agreements ending within 90 days")
    assert "Expired agreements" in expired
    assert "MOU-PROBOLINGGO" in expired and "expired 40 days ago" in expired
    assert "MOU-TUBAN" not in expired
    ending = rest.split("Tenants")[0]
    assert "MOU-TUBAN" in ending and "25 days left" in ending
    assert "MOU-PROBOLINGGO" not in ending  # expired: not under "ending within 90 days"


# --- the MoU / PKS form ---------------------------------------------------------------------

@pytest.mark.parametrize(("code", "example"), [
    ("35.74", "e.g. Wali Kota Probolinggo"), ("35.13", "e.g. Bupati Probolinggo"),
    ("33.03", "e.g. Bupati Purbalingga")])
def test_the_regional_signatory_example_fits_the_region(client, lan, code, example):
    if code == "35.13":  # Kabupaten Probolinggo is lab A of the world: use another draft
        code, example = "35.12", "e.g. Bupati Situbondo"
    tenant_id = _draft(lan, code)
    body = client.get(f"/lan/tenants/{tenant_id}/mou").get_data(as_text=True)
    assert f'placeholder="{example}"' in body
    assert "Bupati Tuban" not in body


def test_every_problem_of_the_agreement_shows_at_once(client, lan):
    tenant_id = _draft(lan, "35.74")
    future = (date.today() + timedelta(days=30)).isoformat()
    response = _post_mou(client, tenant_id, signed_on=future, valid_from="2023-04-02",
                         valid_until="2018-04-03", lan_signatory_name="",
                         regional_signatory_title="")
    assert response.status_code == 400
    errors = _errors(response)
    assert "required" in errors.get("lan_signatory_name", "")  # missing fields...
    assert "required" in errors.get("regional_signatory_title", "")
    assert "before its start" in errors.get("valid_until", "")  # ...and the rules, in one go
    assert "in the future" in errors.get("signed_on", "")
    assert set(errors) == {"lan_signatory_name", "regional_signatory_title", "valid_until",
                           "signed_on"}


def test_a_duplicate_number_and_a_pks_before_the_mou_show_with_missing_fields(client, lan):
    admin = lan.users["lan_admin"]
    taken = onboarding.start(db.session, "35.12", actor_id=admin.id)
    fields = {**MOU, "signed_on": date(2018, 4, 3), "valid_from": date(2018, 4, 3),
              "valid_until": date(2023, 4, 2)}
    onboarding.record_agreement(db.session, taken, Agreement.MOU, fields,
                                Document(key="platform/x.pdf", name="x.pdf", size=1),
                                actor_id=admin.id)
    db.session.commit()
    tenant_id = _draft(lan, "35.74")
    response = _post_mou(client, tenant_id, lan_signatory_title="")
    errors = _errors(response)
    assert "Another MoU already has this number" in errors.get("number", "")
    assert "required" in errors.get("lan_signatory_title", "")

    tenant = onboarding.start(db.session, "35.74", actor_id=admin.id)
    onboarding.record_agreement(db.session, tenant, Agreement.MOU,
                                {**fields, "number": "MOU-KOTA-PROBOLINGGO"},
                                Document(key="platform/y.pdf", name="y.pdf", size=1),
                                actor_id=admin.id)
    db.session.commit()
    data = {**MOU, "number": "PKS-1", "signed_on": "2017-01-02", "regional_signatory_name": "",
            "document": (io.BytesIO(make_pdf()), "PKS.pdf")}
    response = client.post(f"/lan/tenants/{tenant_id}/pks", data=data,
                           content_type="multipart/form-data")
    errors = _errors(response)
    assert "cannot be signed before the MoU" in errors.get("signed_on", "")
    assert "required" in errors.get("regional_signatory_name", "")


def test_a_complete_agreement_is_still_recorded(client, lan):
    tenant_id = _draft(lan, "35.74")
    response = _post_mou(client, tenant_id)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 1


# --- on a phone -----------------------------------------------------------------------------

WORDS_BROKEN = """(el) => {
  const broken = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


def _phone_sign_in(page, email):
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/lan/")


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 320])
def test_dashboard_counters_keep_their_words_whole_on_a_phone(phone_page, world, width):
    for code in ("35.74", "33.03"):
        _draft(world, code)
    phone_page.set_viewport_size({"width": width, "height": 844})
    _phone_sign_in(phone_page, world.users["lan_admin"].email)  # reads Indonesian
    counters = phone_page.locator(".stats article")
    assert counters.count() == 7
    texts = counters.all_inner_texts()
    assert any("Ditangguhkan" in t for t in texts) and any("ditandatangani" in t for t in texts)
    for i in range(counters.count()):
        assert counters.nth(i).evaluate(WORDS_BROKEN) == [], texts[i]


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 320])
def test_the_registry_action_is_in_view_on_a_phone(phone_page, world, width):
    phone_page.set_viewport_size({"width": width, "height": 844})
    _phone_sign_in(phone_page, world.users["lan_admin"].email)
    phone_page.goto("/lan/regions?q=probolinggo")
    for label in ("Mulai pendaftaran", "Buka"):
        action = phone_page.locator("table.regions td.action a", has_text=label).first
        assert action.is_visible(), label
        box = action.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= width
