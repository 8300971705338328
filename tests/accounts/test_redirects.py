"""A target taken from the request never sends the reader to another site."""

from __future__ import annotations

import pytest

from fixtures.app import PASSWORD
from web.redirects import local_target

ELSEWHERE = ["/%09/evil.example/", "/\t/evil.example/", "/\n/evil.example", "/\r/evil.example",
             "/\\evil.example", "/\\/evil.example", "//evil.example/", "https://evil.example/",
             "http:evil.example", "javascript:alert(1)", " /x", "/\x00/x", "\\\\evil.example"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_targets_that_could_leave_the_site_are_refused(target):
    assert local_target(target) is None


@pytest.mark.parametrize(("target", "kept"), [
    ("/kab-probolinggo/people/", "/kab-probolinggo/people/"),
    ("/lan/regions?q=tuban&page=2", "/lan/regions?q=tuban&page=2"),
    ("/account/#labs", "/account/"),
])
def test_paths_on_this_site_are_kept(target, kept):
    assert local_target(target) == kept


@pytest.mark.parametrize("raw", ["/%09/evil.example/", "/%0a/evil.example/", "/%0d/evil.example/",
                                 "//evil.example/", "/%5Cevil.example", "https://evil.example/"])
def test_signed_in_readers_of_a_sign_in_link_stay_here(client, world, raw):
    user = world.users["bappeda_a"]
    client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD})
    response = client.get(f"/auth/sign-in?next={raw}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil.example" not in location


@pytest.mark.parametrize("raw", ["/%09/evil.example/", "/%0a/x", "//evil.example/"])
def test_signing_in_with_such_a_next_lands_at_home(client, world, raw):
    user = world.users["bappeda_a"]
    response = client.post(f"/auth/sign-in?next={raw}", data={
        "email": user.email, "password": PASSWORD, "next": raw.replace("%09", "\t")
        .replace("%0a", "\n")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/kab-probolinggo/"


def test_the_language_switch_goes_back_only_to_this_site(client):
    for raw in ("/\t/evil.example/", "//evil.example/", "https://evil.example/"):
        response = client.post("/locale", data={"locale": "en", "next": raw})
        assert response.status_code == 302 and response.headers["Location"] == "/"
    back = client.post("/locale", data={"locale": "en", "next": "/auth/reset?x=1"})
    assert back.headers["Location"] == "/auth/reset?x=1"
