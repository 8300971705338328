"""Sign-ins live on the server: signing out ends them for good, remember-me cookies expire on
the server, and "keep me signed in" survives a browser restart for more than one request."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from fixtures.app import PASSWORD
from tenants.accounts.models import SignIn
from tenants.db import db, utcnow


def _client(app):
    return app.test_client()


def _sign_in(client, email, remember=False):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/sign-in", data=data)
    assert response.status_code == 302, "the test user signs in"
    return response


def _restarted(app, client):
    """The same browser after a restart: only its remember-me cookie is left."""
    browser = _client(app)
    browser.set_cookie("remember_token", client.get_cookie("remember_token").value)
    return browser


def _thief(app, client, *names):
    """Another browser, elsewhere, holding copies of `client`'s cookies."""
    browser = _client(app)
    for name in names:
        browser.set_cookie(name, client.get_cookie(name).value)
    return browser


def test_signing_out_ends_the_remember_me_cookie_on_the_server(client, world):
    app = client.application
    _sign_in(client, world.users["bappeda_a"].email, remember=True)
    copy = _thief(app, client, "remember_token")
    assert copy.get("/account/").status_code == 200  # the copy works while signed in
    client.post("/auth/sign-out")
    replayed = _thief(app, client, "remember_token") if client.get_cookie(
        "remember_token") else copy
    for browser in (copy, replayed):
        response = browser.get("/account/", headers={"User-Agent": "another browser"},
                               environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert response.status_code == 302
        assert "/auth/sign-in" in response.headers["Location"]


def test_signing_out_ends_a_copied_session_cookie(client, world):
    app = client.application
    _sign_in(client, world.users["innovator_a"].email)
    copy = _thief(app, client, "labinov_session")
    assert copy.get("/account/").status_code == 200
    client.post("/auth/sign-out")
    assert copy.get("/account/").status_code == 302
    [row] = db.session.scalars(sa.select(SignIn)).all()
    assert row.revoked_at is not None


def test_keep_me_signed_in_lasts_after_a_browser_restart(client, world):
    app = client.application
    _sign_in(client, world.users["bappeda_a"].email, remember=True)
    browser = _restarted(app, client)
    codes = [browser.get("/account/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 200]


def test_a_remember_me_cookie_expires_on_the_server_after_14_days(client, world):
    app = client.application
    _sign_in(client, world.users["bappeda_a"].email, remember=True)
    row = db.session.scalars(sa.select(SignIn)).one()
    assert timedelta(days=13, hours=23) < row.expires_at - utcnow() <= timedelta(days=14)
    row.expires_at = utcnow() - timedelta(seconds=1)  # fourteen days later
    db.session.commit()
    assert _restarted(app, client).get("/account/").status_code == 302


def test_a_session_without_remember_me_expires_on_the_server_within_a_day(client, world):
    _sign_in(client, world.users["innovator_a"].email)
    row = db.session.scalars(sa.select(SignIn)).one()
    assert not row.remember and row.expires_at - utcnow() <= timedelta(days=1)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/account/").status_code == 302


def test_only_a_hash_of_the_sign_in_token_is_stored(client, world):
    _sign_in(client, world.users["innovator_a"].email, remember=True)
    row = db.session.scalars(sa.select(SignIn)).one()
    cookie = client.get_cookie("remember_token").value
    assert row.token_hash not in cookie and len(row.token_hash) == 64
