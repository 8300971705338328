"""Every form, sent with over-long and malformed values by someone who reads Indonesian, answers
in Indonesian: none of WTForms' own English messages (it ships no Indonesian) comes through,
and over-long text is kept and refused with a message instead of being cut by `maxlength`.
"""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

from fixtures.pdf import make_pdf
from tenants.accounts.models import Invitation, Role, Token, User
from tenants.accounts.operations import invite
from tenants.db import db
from tenants.onboarding import operations as onboarding

pytestmark = pytest.mark.usefixtures("fresh_redis")

PASSWORD = "correct-horse-battery"  # the fixtures' password for every account
LONG = "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu " * 10  # 630 characters


def framework_messages() -> list[re.Pattern]:
    """WTForms' default English messages (its own template catalog), as patterns."""
    with (Path(messages_path()) / "wtforms.pot").open("rb") as f:
        catalog = read_po(f)
    patterns = []
    for message in catalog:
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            if not text or len(text) < 8:
                continue
            parts = re.split(r"%\(\w+\)[sd]|%[sd]", text)
            patterns.append(re.compile(r"[^<>]*?".join(re.escape(p) for p in parts)))
    return patterns


FRAMEWORK = framework_messages()


def text_of(response) -> str:
    body = response.get_data(as_text=True)
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", body)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def assert_no_framework_english(response, where: str) -> None:
    text = text_of(response)
    found = [p.pattern for p in FRAMEWORK if p.search(text)]
    assert not found, f"{where}: WTForms' English messages in an Indonesian page: {found}"


def assert_long_text_kept(response, where: str) -> None:
    body = response.get_data(as_text=True)
    assert "maxlength" not in body, f"{where}: a maxlength attribute would cut what is typed"
    assert html.escape(LONG.strip(), quote=True)[:200] in body or LONG.strip()[:200] in \
        html.unescape(body), f"{where}: the over-long text was not kept in the form"
    assert re.search(r"paling banyak \d+ karakter", text_of(response)), \
        f"{where}: no message about the length"


def sign_in(client, user) -> None:
    response = client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def indonesian(world):
    db.session.execute(sa.update(User).values(locale="id"))
    db.session.commit()
    return world


def test_signed_out_forms(client, indonesian):
    world = indonesian
    for path, data in (
        ("/auth/sign-in", {"email": "bukan-email", "password": ""}),
        ("/auth/sign-in", {"email": LONG, "password": LONG}),
        ("/auth/reset", {"email": "bukan email@"}),
    ):
        response = client.post(path, data=data)
        assert response.status_code in (200, 400), path
        assert_no_framework_english(response, path)

    user = invite(email="nur.aini@a.example", name="Nur Aini", role=Role.INNOVATOR,
                  tenant_id=world.a.id, unit_id=world.unit_ids["a"], locale="id",
                  invited_by_id=world.users["bappeda_a"].id)
    db.session.flush()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    token, raw = Token.issue(Token.INVITE, user, timedelta(days=7), tenant=world.a)
    token.invitation = invitation
    db.session.add(token)
    reset, reset_raw = Token.issue(Token.RESET, world.users["innovator_a"], timedelta(hours=1))
    db.session.add(reset)
    db.session.commit()
    response = client.post(f"/auth/invitation/{raw}", data={
        "name": LONG, "password": "x" * 300, "confirm": "y"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "invitation")
    assert_long_text_kept(response, "invitation")
    response = client.post(f"/auth/reset/{reset_raw}", data={"password": "x" * 300,
                                                             "confirm": "x" * 300})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "reset password")
    assert "paling banyak 200 karakter" in text_of(response)


def test_account_and_people_forms(client, indonesian):
    world = indonesian
    sign_in(client, world.users["bappeda_a"])
    response = client.post("/account/profile", data={"profile-name": LONG,
                                                     "profile-locale": "jv"})
    assert_no_framework_english(response, "profile")
    assert_long_text_kept(response, "profile")
    response = client.post("/account/password", data={
        "password-current": PASSWORD, "password-password": "x" * 300,
        "password-confirm": "x" * 300})
    assert_no_framework_english(response, "password")
    response = client.post("/kab-probolinggo/people/invite", data={
        "invite-name": LONG, "invite-email": "bukan-email", "invite-role": "raja",
        "invite-unit_id": "bukan-angka", "invite-locale": "jv"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "people")
    assert_long_text_kept(response, "people")


def test_lan_people_forms(client, indonesian):
    world = indonesian
    sign_in(client, world.users["lan_admin"])
    response = client.post("/lan/people/invite", data={
        "invite-name": LONG, "invite-email": "a@" + "b" * 300 + ".example",
        "invite-role": "raja", "invite-locale": "jv"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "LAN invite")
    assert_long_text_kept(response, "LAN invite")
    response = client.post("/lan/people/assign", data={"assign-coach_id": "bukan-angka",
                                                       "assign-tenant_id": "x"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "LAN assign")


def test_onboarding_forms(client, indonesian):
    world = indonesian
    admin = world.users["lan_admin"]
    sign_in(client, admin)
    response = client.post("/lan/onboarding/35.74", data={"default_locale": "jv",
                                                          "timezone": "Mars/Olympus"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "start")
    draft = onboarding.start(db.session, "35.74", actor_id=admin.id)
    db.session.commit()
    response = client.post(f"/lan/tenants/{draft.id}/settings", data={
        "default_locale": "jv", "timezone": "Mars/Olympus"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "settings")
    response = client.post(f"/lan/tenants/{draft.id}/mou", data={
        "number": LONG, "signed_on": "2018-13-45", "valid_from": "kemarin",
        "valid_until": "03/04/2023", "lan_signatory_name": LONG,
        "lan_signatory_title": LONG, "regional_signatory_name": LONG,
        "regional_signatory_title": LONG,
        "document": (io.BytesIO(make_pdf()), "MoU.pdf")}, content_type="multipart/form-data")
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "MoU")
    assert_long_text_kept(response, "MoU")
    assert "Tanggal tidak valid" in text_of(response)
    response = client.post(f"/lan/tenants/{draft.id}/admin", data={
        "admin_name": LONG, "admin_email": "bukan-email", "admin_locale": "jv"})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "administrator")
    assert_long_text_kept(response, "administrator")
    response = client.post(f"/lan/tenants/{world.a.id}/suspend", data={"reason": LONG})
    assert response.status_code in (200, 400)
    assert_no_framework_english(response, "suspend")
    assert "paling banyak 500 karakter" in text_of(response)
    assert LONG.strip()[:200] in html.unescape(response.get_data(as_text=True))
    response = client.get("/lan/audit?since=2018-13-45&until=kemarin&action=x&actor=y")
    assert_no_framework_english(response, "audit filter")


def test_the_length_limit_is_said_not_enforced_by_the_browser(client, indonesian):
    """No form field carries `maxlength` (it would cut pasted text without a word)."""
    world = indonesian
    sign_in(client, world.users["lan_admin"])
    draft = onboarding.start(db.session, "35.74", actor_id=world.users["lan_admin"].id)
    db.session.commit()
    for path in ("/auth/sign-in", "/account/", "/lan/people/", f"/lan/tenants/{draft.id}/mou",
                 f"/lan/tenants/{draft.id}/admin", f"/lan/tenants/{world.a.id}/suspend",
                 "/kab-probolinggo/people/"):
        body = client.get(path).get_data(as_text=True)
        assert "maxlength" not in body, path
