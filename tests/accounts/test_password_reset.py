"""Password reset: a neutral answer, a one-hour single-use link, every other session ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from fixtures.app import PASSWORD, request_client, sign_in, text_of
from fixtures.world import link_in
from tenants.accounts.models import Role, Token, User
from tenants.db import db, utcnow
from tenants.outbox import LedgerEntry
from web.extensions import limiter

pytestmark = pytest.mark.usefixtures("fresh_redis")

NEW_PASSWORD = "sate-ayam-madura-enak"
EN = {"Accept-Language": "en"}


@pytest.fixture
def innovator(make_tenant, make_user):
    lab = make_tenant("35.13")
    return make_user("siti@puskesmas.example", "Siti Nurhayati", locale="en",
                     memberships=[(lab, Role.BAPPEDA_ADMIN)])


def _request(client, email):
    return client.post("/auth/reset", data={"email": email}, headers=EN)


def test_sign_in_page_offers_a_reset(client):
    page = client.get("/auth/sign-in", headers=EN)
    assert 'href="/auth/reset"' in page.get_data(as_text=True)
    assert "Forgot your password?" in text_of(page)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, innovator, mailbox,
                                                                  run_worker_burst):
    known = _request(client, "SITI@puskesmas.example")
    unknown = _request(client, "nobody@puskesmas.example")
    assert known.status_code == unknown.status_code == 200

    def neutral(response, email):
        return text_of(response).replace(email, "<email>")

    assert neutral(known, "SITI@puskesmas.example") == neutral(unknown,
                                                               "nobody@puskesmas.example")
    assert "If <email> belongs to a Labinov account" in neutral(unknown,
                                                                "nobody@puskesmas.example")
    run_worker_burst("mail")
    [message] = mailbox.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "siti@puskesmas.example"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 1


def test_password_reset_end_to_end(client, innovator, mailbox, run_worker_burst):
    other_device = request_client(client.application)
    sign_in(other_device, innovator)
    assert other_device.get("/account/").status_code == 200

    _request(client, innovator.email)
    run_worker_burst("mail")
    [message] = mailbox.wait_for(1)
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "Reset your Labinov password"
    path = link_in(message)
    token = db.session.scalar(sa.select(Token).where(Token.kind == Token.RESET))
    assert timedelta(minutes=59) < token.expires_at - utcnow() <= timedelta(hours=1)

    page = client.get(path, headers=EN)
    assert page.status_code == 200 and innovator.email in text_of(page)
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/kab-probolinggo/"
    assert client.get("/account/").status_code == 200  # signed in

    # The other device was signed out; the old password no longer works.
    assert other_device.get("/account/").status_code == 302
    fresh = request_client(client.application)
    assert sign_in(fresh, innovator, PASSWORD).status_code == 200
    assert sign_in(fresh, innovator, NEW_PASSWORD).status_code == 302

    # The link again: used, and the page says what to do.
    client.post("/auth/sign-out")
    again = client.get(path, headers=EN)
    assert again.status_code == 410
    assert "has been used already" in text_of(again)
    assert client.post(path, data={"password": "yet-another-password",
                                   "confirm": "yet-another-password"}).status_code == 410
    db.session.expire_all()
    assert db.session.get(User, innovator.id).check_password(NEW_PASSWORD)


def test_an_expired_reset_link_says_so(client, innovator, mailbox, run_worker_burst):
    _request(client, innovator.email)
    run_worker_burst("mail")
    path = link_in(mailbox.wait_for(1)[0])
    token = db.session.scalar(sa.select(Token).where(Token.kind == Token.RESET))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.get(path, headers=EN)
    assert expired.status_code == 410
    assert "work for one hour" in text_of(expired) and "Ask for a new link" in text_of(expired)
    unknown = client.get("/auth/reset/not-a-real-token", headers=EN)
    assert unknown.status_code == 404 and "whole link" in text_of(unknown)


def test_the_request_form_is_rate_limited(client, innovator, monkeypatch):
    monkeypatch.setattr(limiter, "enabled", True)
    limiter.reset()
    try:
        responses = [_request(client, innovator.email) for _ in range(4)]
        assert [r.status_code for r in responses] == [200, 200, 200, 429]  # 3 an hour per email
        assert "Too many attempts" in text_of(responses[-1])
        codes = [_request(client, f"x{i}@else.example").status_code for i in range(3)]
        assert codes[-1] == 429  # 5 per 15 minutes from one address, whatever the email
    finally:
        limiter.reset()
