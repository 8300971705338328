"""Sign-in limits hold under parallel requests, count before the password is checked, key an
IPv6 client by its /64, and a missing account costs as much as a wrong password."""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from argon2 import PasswordHasher

from fixtures.app import PASSWORD
from web import throttle
from web.extensions import client_address, limiter


@pytest.fixture
def limits_on(monkeypatch):
    monkeypatch.setattr(limiter, "enabled", True)
    limiter.reset()
    throttle.reset()
    yield
    limiter.reset()
    throttle.reset()


def _attempt(base_url: str, email: str, password: str) -> int:
    """One browser's sign-in over real HTTP: fetch the form (CSRF), post it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                         _NoRedirect())
    page = opener.open(f"{base_url}/auth/sign-in").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": token}).encode()
    request = urllib.request.Request(f"{base_url}/auth/sign-in", data=body,
                                     headers={"Referer": f"{base_url}/auth/sign-in"})
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_parallel_wrong_passwords_are_checked_no_more_than_the_limit(
        live_server, world, limits_on, monkeypatch):
    checked = []
    verify = PasswordHasher.verify

    def counting(self, hash, password):
        checked.append(password)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    email = world.users["bappeda_a"].email
    with ThreadPoolExecutor(max_workers=24) as pool:
        codes = list(pool.map(lambda _i: _attempt(live_server, email, "wrong-password"),
                              range(24)))
    # 5 a minute per email: the rest are refused before their password is looked at.
    assert codes.count(429) == 19 and codes.count(200) == 5, codes
    assert len(checked) == 5


def test_a_successful_sign_in_gives_its_attempt_back(client, world, limits_on):
    email = world.users["bappeda_a"].email
    for _ in range(8):
        response = client.post("/auth/sign-in", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302
        client.post("/auth/sign-out")


def test_an_unknown_email_costs_one_password_check_like_a_known_one(client, world,
                                                                   monkeypatch):
    checked = []
    verify = PasswordHasher.verify

    def counting(self, hash, password):
        checked.append(hash)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    client.post("/auth/sign-in", data={"email": "nobody@unit.example", "password": "x" * 12})
    client.post("/auth/sign-in", data={"email": world.users["bappeda_a"].email,
                                       "password": "x" * 12})
    assert len(checked) == 2 and checked[0] != checked[1]


@pytest.mark.parametrize(("address", "key"), [
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("192.0.2.7", "192.0.2.7"),
])
def test_ipv6_clients_are_limited_by_their_64(app, address, key):
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert client_address() == key


def test_a_forwarded_request_without_trusted_proxies_is_warned_about(client, caplog,
                                                                   monkeypatch):
    from web import hardening

    monkeypatch.setattr(hardening, "_warned_about_proxies", False)
    with caplog.at_level(logging.WARNING, logger="web.hardening"):
        client.get("/", headers={"X-Forwarded-For": "198.51.100.4"})
        client.get("/", headers={"X-Forwarded-For": "198.51.100.4"})
    warnings = [r for r in caplog.records if "TRUSTED_PROXIES" in r.getMessage()]
    assert len(warnings) == 1
