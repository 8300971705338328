"""The lab's navigation: every lab page lists the sections the signed-in person's roles may
open, the current one marked with aria-current."""

from __future__ import annotations

import re

import pytest

from .idea_helpers import enrol, make_idea, sign_in

A = "/kab-probolinggo"


def sections(response) -> list[tuple[str, str | None]]:
    """(section, aria-current) of the lab navigation in a page."""
    html = response.get_data(as_text=True)
    nav = re.search(r'<nav class="lab-nav".*?</nav>', html, re.S)
    assert nav, "no lab navigation on the page"
    return [(m.group(1), m.group(2)) for m in re.finditer(
        r'data-section="([a-z]+)"(?: aria-current="([a-z]+)")?', nav.group(0))]


EVERY = ["dashboard", "ideas", "rpjmd", "commitments", "launches", "regulations", "stages",
         "units", "people", "reminders", "audit"]


def names(response) -> list[str]:
    return [name for name, _ in sections(response)]


@pytest.fixture
def lab(world):
    cohort = enrol(world.a, world.b)
    return make_idea(world.a, cohort.id, world.unit_ids["a"])


def test_bappeda_sees_every_section(client, world, lab):
    sign_in(client, world.users["bappeda_a"])
    page = client.get(f"{A}/")
    assert [n for n in EVERY if n in names(page)] == names(page)
    assert {"dashboard", "ideas", "rpjmd", "units", "people", "audit"} <= set(names(page))
    assert ("dashboard", "page") in sections(page)


def test_an_innovator_sees_no_administration(client, world, lab):
    sign_in(client, world.users["innovator_a"])
    got = names(client.get(f"{A}/"))
    assert "ideas" in got and "units" in got
    assert "people" not in got and "audit" not in got


@pytest.mark.parametrize(("path", "section", "current"), [
    ("/ideas/", "ideas", "page"),
    ("/ideas/{idea}", "ideas", "true"),
    ("/ideas/{idea}/edit", "ideas", "true"),
    ("/rpjmd/", "rpjmd", "page"),
    ("/commitments/", "commitments", "page"),
    ("/launches/", "launches", "page"),
    ("/regulations/", "regulations", "page"),
    ("/units/", "units", "page"),
    ("/people/", "people", "page"),
    ("/reminders/preferences", "reminders", "page"),
    ("/reminders/log", "reminders", "true"),
    ("/audit", "audit", "page"),
])
def test_the_current_section_is_marked(client, world, lab, path, section, current):
    sign_in(client, world.users["bappeda_a"])
    response = client.get(A + path.format(idea=lab))
    assert response.status_code == 200
    marked = [(n, c) for n, c in sections(response) if c]
    assert marked == [(section, current)]


def test_a_chosen_cohort_follows_the_reader(client, world, lab):
    sign_in(client, world.users["bappeda_a"])
    cohort = enrol(world.a, name="Laboratorium Inovasi 2025 — Angkatan II", year=2025,
                   start=__import__("datetime").date(2025, 1, 6))
    html = client.get(f"{A}/ideas/?cohort={cohort.id}").get_data(as_text=True)
    assert f'href="{A}/commitments/?cohort={cohort.id}"' in html
    assert f'href="{A}/rpjmd/"' in html  # the RPJMD is not a cohort's


def test_no_navigation_for_someone_who_is_not_a_member(client, world, lab):
    sign_in(client, world.users["innovator_b"])
    response = client.get(f"{A}/")
    assert response.status_code == 404
    assert 'class="lab-nav"' not in response.get_data(as_text=True)
