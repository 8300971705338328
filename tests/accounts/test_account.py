"""Signing in safely and the account page: rate limits, remember-me, headers, CSRF, settings."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest
import sqlalchemy as sa

from fixtures.app import PASSWORD, request_client, sign_in, text_of
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.db import db
from web import create_app, throttle
from web.extensions import limiter, login_manager

NEW_PASSWORD = "es-teh-manis-dingin"
EN = {"Accept-Language": "en"}


@pytest.fixture
def limits_on(monkeypatch):
    monkeypatch.setattr(limiter, "enabled", True)
    limiter.reset()
    throttle.reset()
    yield
    limiter.reset()
    throttle.reset()


def _remember_cookie(client) -> str:
    cookie = client.get_cookie("remember_token")
    assert cookie is not None, "signing in with 'keep me signed in' sets a remember cookie"
    return cookie.value


def _only_remembered(app, value: str):
    """A browser restarted: no session cookie, only the remember-me cookie."""
    browser = request_client(app)
    browser.set_cookie("remember_token", value)
    return browser


# --- rate limits ----------------------------------------------------------------------------

def test_the_sixth_wrong_password_for_one_email_within_a_minute_is_refused(
        client, world, limits_on):
    email = world.users["bappeda_a"].email
    codes = [sign_in(client, email, "wrong-password").status_code for _ in range(6)]
    assert codes == [200, 200, 200, 200, 200, 429]
    refused = sign_in(client, email, PASSWORD)  # even the right one, for now
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in text_of(refused) or "Too many attempts" in text_of(
        refused)
    english = client.post("/auth/sign-in", data={"email": email, "password": PASSWORD},
                          headers=EN)
    assert english.status_code == 429 and "Too many attempts" in text_of(english)
    # Another person on the same network can still sign in.
    assert sign_in(client, world.users["innovator_a"]).status_code == 302


def test_successful_sign_ins_do_not_count_against_the_limit(client, world, limits_on):
    for _ in range(7):
        assert sign_in(client, world.users["bappeda_a"]).status_code == 302
        client.post("/auth/sign-out")


def test_too_many_attempts_from_one_address_are_refused(client, world, limits_on):
    codes = [sign_in(client, f"guess{i}@a.example", "wrong-password").status_code
             for i in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


# --- sessions and remember-me ---------------------------------------------------------------

def test_session_protection_is_strong(ctx):
    assert login_manager.session_protection == "strong"
    assert ctx.config["SESSION_COOKIE_HTTPONLY"] and ctx.config["REMEMBER_COOKIE_HTTPONLY"]
    assert ctx.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_remember_me_survives_a_browser_restart(client, world):
    user = world.users["bappeda_a"]
    client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD,
                                       "remember": "y"})
    remembered = _only_remembered(client.application, _remember_cookie(client))
    assert remembered.get("/account/").status_code == 200


def test_a_password_change_kills_remember_me_cookies(client, world):
    user = world.users["bappeda_a"]
    client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD,
                                       "remember": "y"})
    cookie = _remember_cookie(client)
    laptop = request_client(client.application)
    sign_in(laptop, user)

    changed = client.post("/account/password", data={
        "password-current": PASSWORD, "password-password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert client.get("/account/").status_code == 200  # this session goes on
    stale = _only_remembered(client.application, cookie)
    response = stale.get("/account/")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert laptop.get("/account/").status_code == 302  # other sessions ended
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.action == "account.password_changed")) is not None


def test_sign_out_everywhere_ends_every_session_and_remember_me(client, world):
    user = world.users["innovator_a"]
    client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD,
                                       "remember": "y"})
    cookie = _remember_cookie(client)
    phone = request_client(client.application)
    sign_in(phone, user)
    assert phone.get("/account/").status_code == 200

    response = phone.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    for browser in (client, phone, _only_remembered(client.application, cookie)):
        assert browser.get("/account/").status_code == 302
    assert sign_in(request_client(client.application), user).status_code == 302


def test_a_session_moved_to_another_browser_is_dropped(client, world):
    browser_a = {"User-Agent": "Browser A"}
    client.post("/auth/sign-in", headers=browser_a, data={
        "email": world.users["bappeda_a"].email, "password": PASSWORD})
    assert client.get("/account/", headers=browser_a).status_code == 200
    moved = client.get("/account/", headers={"User-Agent": "Something else"})
    assert moved.status_code == 302


# --- headers and cookies --------------------------------------------------------------------

def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/auth/sign-in", "/auth/reset", "/no-such-page"])
def test_security_headers_are_on_every_page(client, path):
    _assert_security_headers(client.get(path))


def test_security_headers_on_signed_in_and_tenant_pages(client, world):
    sign_in(client, world.users["bappeda_a"])
    for path in ("/account/", "/kab-probolinggo/", "/kab-probolinggo/people/"):
        response = client.get(path)
        assert response.status_code == 200
        _assert_security_headers(response)
        assert "Strict-Transport-Security" not in response.headers  # not in development


@pytest.fixture
def production(settings, ctx):
    app = create_app(replace(settings, env="production", secret_key=secrets.token_hex(32),
                             base_url="https://labinov.example"))
    app.config.update(TESTING=True)
    return app


def test_production_adds_hsts_forces_https_and_secures_cookies(production, world):
    browser = request_client(production)
    plain = browser.get("/auth/sign-in", base_url="http://labinov.example")
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("https://labinov.example/auth/sign-in")

    secure = request_client(production)
    page = secure.get("/auth/sign-in", base_url="https://labinov.example")
    assert page.status_code == 200
    _assert_security_headers(page)
    assert "max-age=" in page.headers["Strict-Transport-Security"]
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    token = token.split('"')[0]
    user = world.users["bappeda_a"]
    # Over HTTPS, Flask-WTF also wants a same-origin Referer (Referrer-Policy keeps it).
    signed = secure.post("/auth/sign-in", base_url="https://labinov.example", data={
        "email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
        headers={"Referer": "https://labinov.example/auth/sign-in"})
    assert signed.status_code == 302
    cookies = signed.headers.getlist("Set-Cookie")
    for name in ("labinov_session=", "remember_token="):
        [cookie] = [c for c in cookies if c.startswith(name)]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- CSRF -----------------------------------------------------------------------------------

# RFC 8058 one-click unsubscribe: mail clients POST to the emailed link without any token of
# ours; its signature is the check.
CSRF_EXEMPT = {"reminders.unsubscribe"}


@pytest.fixture
def csrf_app(settings, ctx):
    app = create_app(settings)
    app.config.update(TESTING=True)  # WTF_CSRF_ENABLED stays on
    assert app.config.get("WTF_CSRF_ENABLED", True)
    return app


def test_every_form_post_without_a_csrf_token_is_refused(csrf_app, world):
    """Every endpoint that takes POST, as a signed-in LAN administrator (who may use them)."""
    world.users["lan_admin"].locale = "en"
    db.session.commit()
    browser = request_client(csrf_app)
    page = browser.get("/auth/sign-in")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    signed = browser.post("/auth/sign-in", data={
        "email": world.users["lan_admin"].email, "password": PASSWORD,
        "csrf_token": token.split('"')[0]})
    assert signed.status_code == 302
    values = {"tenant": world.a.slug, "tenant_id": world.a.id, "membership_id": 1,
              "user_id": world.users["bappeda_a"].id, "token": "x", "kind": "mou",
              "code": "35.13", "action": "suspend"}
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        with csrf_app.test_request_context():
            # Any other id is 1: the token is refused before anything is looked up.
            path = csrf_app.url_for(rule.endpoint,
                                    **{a: values.get(a, 1) for a in rule.arguments})
        response = browser.post(path, data={"name": "x"}, headers=EN)
        if rule.endpoint in CSRF_EXEMPT:
            assert response.status_code == 404, rule.endpoint  # an unsigned link is unknown
            continue
        assert response.status_code == 400, f"{rule.endpoint} accepted a POST without a token"
        assert "The form has expired" in text_of(response), rule.endpoint
        checked.append(rule.endpoint)
    assert {"auth.sign_in", "account.password", "members.invite_member",
            "members.lan_invite"} <= set(checked)
    assert browser.get("/account/").status_code == 200  # still signed in: nothing changed


# --- the account page -----------------------------------------------------------------------

def test_the_account_page_saves_name_and_language(client, world):
    user = world.users["innovator_a"]
    sign_in(client, user)
    page = client.get("/account/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Kabupaten Probolinggo" in text and user.email in text
    saved = client.post("/account/profile", data={"profile-name": "Siti Nurhayati, S.KM",
                                                  "profile-locale": "en"})
    assert saved.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.name, user.locale) == ("Siti Nurhayati, S.KM", "en")
    assert "Your details have been saved." in text_of(client.get("/account/"))


def test_a_wrong_current_password_changes_nothing(client, world):
    user = world.users["innovator_a"]
    user.locale = "en"
    db.session.commit()
    sign_in(client, user)
    response = client.post("/account/password", data={
        "password-current": "not-my-password", "password-password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert "This is not your current password." in text_of(response)
    bad = client.post("/account/password", data={
        "password-current": PASSWORD, "password-password": "short",
        "password-confirm": "other"})
    assert bad.status_code == 400 and "at least 10 characters" in text_of(bad)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_people_in_several_labs_can_switch_between_them(client, world):
    from tenants.accounts.models import Membership, Role

    user = world.users["innovator_a"]
    db.session.add(Membership(user_id=user.id, tenant_id=world.b.id, role=Role.BAPPEDA_ADMIN))
    db.session.commit()
    sign_in(client, user)
    home = client.get("/kab-probolinggo/").get_data(as_text=True)
    menu = home.split('class="dropdown"')[1].split("</details>")[0]
    assert 'href="/kab-probolinggo/" dir="ltr" aria-current="page"' in menu
    assert 'href="/kab-tuban/"' in menu and 'href="/account/labs"' in menu
    labs = text_of(client.get("/account/labs"))
    assert "Kabupaten Probolinggo" in labs and "Kabupaten Tuban" in labs
    assert "Puskesmas Kraksaan" in labs  # the innovator's unit
    assert client.get("/kab-tuban/").status_code == 200
