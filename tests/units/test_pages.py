"""The units pages: who sees what, the forms (errors beside the field, what was typed kept),
merging, retiring, people and their invitation, and that no page of one lab shows or touches
another lab's units or people."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from fixtures.app import PASSWORD
from jobs.cohorts import refresh_lab_summary
from tenants.accounts.models import Invitation, Membership, Role
from tenants.cohorts.models import Cohort, Enrolment, LabSummary
from tenants.db import db
from tenants.lab.models import Idea
from tenants.scope import tenant_session
from tenants.units import imports
from tenants.units.models import Person, Unit

A, B = "/kab-probolinggo/units", "/kab-tuban/units"


def sign_in(client, world, role: str, locale: str | None = "en"):
    world.users[role].locale = locale
    db.session.commit()
    response = client.post("/auth/sign-in", data={"email": world.users[role].email,
                                                  "password": PASSWORD})
    assert response.status_code == 302
    return client


def text(response) -> str:
    page = response.get_data(as_text=True)
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def field_error(response, field: str) -> str:
    match = re.search(rf'<small id="{field}-error" class="field-error">(.*?)</small>',
                      response.get_data(as_text=True))
    assert match, f"no error beside {field}"
    return html.unescape(match.group(1))


def in_lab(tenant, query):
    with tenant_session(tenant.ref()) as s:
        return s.execute(query).all()


def add_units(tenant, *units) -> list[int]:
    with tenant_session(tenant.ref()) as s:
        rows = [Unit(name=name, kind=kind) for name, kind in units]
        s.add_all(rows)
        s.commit()
        return [u.id for u in rows]


# --- Reading ------------------------------------------------------------------------------

def test_the_list_groups_units_by_type_with_counts_and_retired_apart(client, world):
    tuban = add_units(world.a, ("Dinas Kesehatan", "opd"), ("Bappeda", "opd"),
                      ("RSUD Waluyo Jati", "rsud"), ("Puskesmas Lama", "puskesmas"))
    with tenant_session(world.a.ref()) as s:
        s.get(Unit, tuban[3]).retired_at = sa.func.now()
        s.commit()
    page = text(sign_in(client, world, "bappeda_a").get(f"{A}/"))
    assert "5 units take part in the lab of Kabupaten Probolinggo." in page
    # In the order of the types, each with its count; names in order inside a type.
    assert re.search(r"OPD 2 Puskesmas 1 Kecamatan 1 RSUD 1 Retired 1", page)
    assert re.search(r"Name Short name Personnel OPD · 2 units Bappeda 0 people · 0 "
                     r"innovators Dinas Kesehatan 0 people · 0 innovators Puskesmas · 1 unit "
                     r"Puskesmas Kraksaan 1 person · 1 innovator", page)  # Ahmad, and Siti
    assert re.search(r"Retired units · 1 unit .* Puskesmas Lama Puskesmas", page)
    assert "Add a unit" in page and "Import from a file" in page


@pytest.mark.parametrize("role", ["innovator_a", "coach_a"])
def test_members_read_the_units_but_change_nothing(client, world, role):
    with tenant_session(world.a.ref()) as s:
        s.add(Person(unit_id=world.unit_ids["a"], name="Sri Wahyuni", position="Bidan",
                     email="sri@pkm.example"))
        s.commit()
    sign_in(client, world, role)
    page = text(client.get(f"{A}/"))
    assert "Puskesmas Kraksaan" in page
    assert "Add a unit" not in page and "Import from a file" not in page
    unit = text(client.get(f"{A}/{world.unit_ids['a']}"))
    assert "Ahmad Fauzi" in unit and "Sri Wahyuni Bidan" in unit
    assert "sri@pkm.example" not in unit and "No account" not in unit  # for administrators
    assert "Edit" not in unit and "Merge" not in unit and "Add a person" not in unit
    assert client.get(f"{A}/{world.unit_ids['a']}/edit").status_code == 403


def test_the_lab_home_links_to_the_units_for_its_administrators(client, world):
    home = sign_in(client, world, "bappeda_a").get("/kab-probolinggo/")
    assert f'href="{A}/"' in home.get_data(as_text=True)


# --- Adding, editing ------------------------------------------------------------------------

def test_adding_a_unit_keeps_what_was_typed_when_refused(client, world):
    sign_in(client, world, "bappeda_a")
    refused = client.post(f"{A}/new", data={"name": "puskesmas  kraksaan", "kind": "puskesmas",
                                            "short_name": "PKM"})
    assert refused.status_code == 400
    assert field_error(refused, "name") == "There is already a unit called “Puskesmas Kraksaan”."
    page = refused.get_data(as_text=True)
    assert 'value="puskesmas  kraksaan"' in page and 'value="PKM"' in page
    assert field_error(client.post(f"{A}/new", data={"name": "Dinas Sosial", "kind": "dinas"}),
                       "kind") == "Choose the type of unit."
    done = client.post(f"{A}/new", data={"name": "Dinas Sosial", "kind": "opd",
                                         "short_name": "Dinsos"})
    assert done.status_code == 302
    [(unit_id,)] = in_lab(world.a, sa.select(Unit.id).where(Unit.name == "Dinas Sosial"))
    assert done.location.endswith(f"{A}/{unit_id}")
    assert "Dinas Sosial is added." in text(client.get(done.location))


def test_editing_a_unit(client, world):
    sign_in(client, world, "bappeda_a")
    url = f"{A}/{world.unit_ids['a']}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Puskesmas Kraksaan"' in form
    refused = client.post(url, data={"name": "Kecamatan Paiton", "kind": "puskesmas"})
    assert field_error(refused, "name") == "There is already a unit called “Kecamatan Paiton”."
    done = client.post(url, data={"name": "UPT Puskesmas Kraksaan", "kind": "puskesmas",
                                  "short_name": "PKM Kraksaan"})
    assert "The changes are saved." in text(client.get(done.location))
    assert in_lab(world.a, sa.select(Unit.name, Unit.short_name).where(
        Unit.id == world.unit_ids["a"])) == [("UPT Puskesmas Kraksaan", "PKM Kraksaan")]


# --- Merging, retiring ----------------------------------------------------------------------

def test_merging_through_the_pages(client, world):
    sign_in(client, world, "bappeda_a")
    new, retired = add_units(world.a, ("UPT Puskesmas Kraksaan", "puskesmas"),
                             ("Puskesmas Tutup", "puskesmas"))
    with tenant_session(world.a.ref()) as s:
        s.get(Unit, retired).retired_at = sa.func.now()
        s.add(Idea(cohort_id=1, unit_id=world.unit_ids["a"], title="Si Kepho"))
        s.commit()
    url = f"{A}/{world.unit_ids['a']}/merge"
    page = client.get(url)
    shown = text(page)
    assert "1 person" in shown and "1 idea" in shown
    assert "1 innovator with access to the lab" in shown
    options = re.findall(r'<option value="(\d+)"', page.get_data(as_text=True))
    assert str(new) in options
    assert str(retired) not in options and str(world.unit_ids["a"]) not in options
    refused = client.post(url, data={"into_id": str(retired)})
    assert refused.status_code == 400
    assert field_error(refused, "into_id") == (
        "Puskesmas Tutup is retired, so nothing can be merged into it. Bring it back first, "
        "or choose another unit.")
    assert client.post(url, data={"into_id": str(world.unit_ids["a"])}).status_code == 400
    done = client.post(url, data={"into_id": str(new)})
    assert done.location.endswith(f"{A}/{new}")
    merged_page = text(client.get(done.location))
    assert "Puskesmas Kraksaan is merged into UPT Puskesmas Kraksaan" in merged_page
    assert "Ahmad Fauzi" in merged_page
    assert in_lab(world.a, sa.select(Idea.unit_id)) == [(new,)]
    assert db.session.scalar(sa.select(Membership.unit_id).where(
        Membership.user_id == world.users["innovator_a"].id)) == new
    old_page = text(client.get(f"{A}/{world.unit_ids['a']}"))
    assert "Merged into UPT Puskesmas Kraksaan on" in old_page
    assert "Bring it back" not in old_page
    # A merged unit cannot be merged again: the page says so and sends back.
    again = client.get(url)
    assert again.status_code == 302


def test_retiring_and_bringing_back_through_the_pages(client, world):
    sign_in(client, world, "bappeda_a")
    unit_id = world.unit_ids["a"]
    confirm = text(client.get(f"{A}/{unit_id}/retire"))
    assert "1 person" in confirm and "Its innovators keep their access." in confirm
    done = client.post(f"{A}/{unit_id}/retire")
    assert "Puskesmas Kraksaan is retired." in text(client.get(done.location))
    page = text(client.get(f"{A}/{unit_id}"))
    assert "Retired on" in page and "Add a person" not in page
    assert "Invite as innovator" not in page
    assert text(client.get(f"{A}/")).count("Puskesmas Kraksaan") == 1  # among the retired
    assert client.get(f"{A}/{unit_id}/retire").status_code == 302  # already retired
    client.post(f"{A}/{unit_id}/restore")
    assert in_lab(world.a, sa.select(Unit.retired_at).where(Unit.id == unit_id)) == [(None,)]
    again = client.post(f"{A}/{unit_id}/restore", follow_redirects=True)
    assert "Puskesmas Kraksaan is not retired." in text(again)


def test_unit_changes_recount_lans_summary_of_the_lab(client, world, run_job):
    cohort = Cohort(name="Laboratorium Inovasi 2026 — Angkatan I", year=2026)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(Enrolment(cohort_id=cohort.id, tenant_id=world.a.id))
    db.session.commit()
    cohort_id = cohort.id
    sign_in(client, world, "bappeda_a")

    def summary():
        run_job(refresh_lab_summary, world.a.id)  # queued by the request (tests/cohorts)
        db.session.expire_all()
        row = db.session.get(LabSummary, (cohort_id, world.a.id))
        return (row.units, row.units_without_ideas) if row else None

    client.post(f"{A}/new", data={"name": "Dinas Sosial", "kind": "opd"})
    assert summary() == (3, 3)
    client.post(f"{A}/{world.unit_ids['a']}/retire")
    assert summary() == (2, 2)


# --- People ---------------------------------------------------------------------------------

def test_adding_and_editing_a_person(client, world):
    sign_in(client, world, "bappeda_a")
    unit = f"{A}/{world.unit_ids['a']}"
    refused = client.post(f"{unit}/people", data={"person-name": "Budi Santoso",
                                                  "person-position": "Perawat",
                                                  "person-email": "budi at puskesmas"})
    assert refused.status_code == 400
    assert field_error(refused, "person-email") == (
        "Enter an email address like name@example.go.id.")
    assert 'value="Budi Santoso"' in refused.get_data(as_text=True)
    done = client.post(f"{unit}/people", data={"person-name": "Budi Santoso",
                                               "person-position": "Perawat",
                                               "person-email": "budi@puskesmas.example"})
    assert done.location.endswith(f"{unit}#people")
    [(person_id,)] = in_lab(world.a, sa.select(Person.id).where(Person.name == "Budi Santoso"))
    page = text(client.get(unit))
    assert "Budi Santoso budi@puskesmas.example Perawat No account" in page
    assert "Invite as innovator" in page
    edited = client.post(f"{unit}/people/{person_id}", data={
        "name": "Budi Santoso", "position": "Kepala Puskesmas",
        "email": "budi@puskesmas.example"})
    assert edited.status_code == 302
    assert in_lab(world.a, sa.select(Person.position).where(Person.id == person_id)) == [
        ("Kepala Puskesmas",)]
    # A person of another unit is not found under this one.
    other = add_units(world.a, ("Dinas Sosial", "opd"))[0]
    assert client.get(f"{A}/{other}/people/{person_id}").status_code == 404


def test_inviting_a_person_as_innovator_goes_through_the_members_page(client, world):
    sign_in(client, world, "bappeda_a")
    unit = f"{A}/{world.unit_ids['a']}"
    client.post(f"{unit}/people", data={"person-name": "Budi Santoso",
                                        "person-email": "budi@puskesmas.example"})
    page = client.get(unit).get_data(as_text=True)
    form = re.search(r'(?s)<form method="post" action="(/kab-probolinggo/people/invite)"'
                     r'.*?</form>', page)
    assert form, "the unit page has no invitation form"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))
    assert fields["invite-role"] == "innovator"
    assert fields["invite-unit_id"] == str(world.unit_ids["a"])
    done = client.post(form.group(1), data={k: html.unescape(v) for k, v in fields.items()})
    assert done.status_code == 302 and done.location.endswith("/kab-probolinggo/people/")
    # One person still, now with the account; the membership in the same unit.
    people = in_lab(world.a, sa.select(Person.name, Person.account_id).where(
        Person.email == "budi@puskesmas.example"))
    assert len(people) == 1 and people[0].account_id is not None
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.user_id == people[0].account_id))
    assert (membership.role, membership.unit_id) == (Role.INNOVATOR, world.unit_ids["a"])
    assert db.session.scalar(sa.select(Invitation.unit_id).where(
        Invitation.user_id == membership.user_id)) == world.unit_ids["a"]
    after = text(client.get(unit))
    assert "Budi Santoso budi@puskesmas.example Innovator Invited" in after


# --- Tenant isolation -------------------------------------------------------------------------

def _b_ids(world) -> dict:
    """Ids that exist in lab B only (A's own ids are lower)."""
    with tenant_session(world.b.ref()) as s:
        unit = Unit(id=900_001, name="Dinas Kesehatan Tuban", kind="opd")
        s.add(unit)
        s.flush()
        s.add(Person(id=900_002, unit_id=unit.id, name="Ratna Dewi Lestari"))
        s.commit()
    upload_id = imports.keep(world.b.id, imports.Rows(
        "tuban.csv", [imports.Row(2, "Kecamatan Jenu Baru", "Kecamatan", None)], False))
    return {"unit_id": 900_001, "person_id": 900_002, "upload_id": upload_id}


def _every_units_url(slug: str, ids: dict) -> list[tuple[str, str]]:
    base, u, p = f"/{slug}/units", ids["unit_id"], ids["person_id"]
    return [("GET", f"{base}/"), ("GET", f"{base}/new"), ("POST", f"{base}/new"),
            ("GET", f"{base}/{u}"), ("GET", f"{base}/{u}/edit"), ("POST", f"{base}/{u}/edit"),
            ("GET", f"{base}/{u}/merge"), ("POST", f"{base}/{u}/merge"),
            ("GET", f"{base}/{u}/retire"), ("POST", f"{base}/{u}/retire"),
            ("POST", f"{base}/{u}/restore"), ("POST", f"{base}/{u}/people"),
            ("GET", f"{base}/{u}/people/{p}"), ("POST", f"{base}/{u}/people/{p}"),
            ("GET", f"{base}/import"), ("POST", f"{base}/import"),
            ("GET", f"{base}/import/{ids['upload_id']}"),
            ("POST", f"{base}/import/{ids['upload_id']}"),
            ("GET", f"{base}/import/template.csv"), ("GET", f"{base}/import/template.xlsx")]


def _b_state(world):
    with tenant_session(world.b.ref()) as s:
        return (s.execute(sa.select(Unit.id, Unit.name, Unit.kind, Unit.short_name,
                                    Unit.retired_at, Unit.merged_into_id)
                          .order_by(Unit.id)).all(),
                s.execute(sa.select(Person.id, Person.unit_id, Person.name, Person.email)
                          .order_by(Person.id)).all())


@pytest.mark.parametrize("role", ["bappeda_a", "innovator_a", "coach_a"])
def test_lab_b_answers_nothing_to_members_of_lab_a(client, world, role):
    ids = _b_ids(world)
    before = _b_state(world)
    sign_in(client, world, role)
    form = {"name": "Dinas Penyusup", "kind": "opd", "into_id": str(world.unit_ids["a"]),
            "person-name": "Penyusup", "digest": "0" * 32}
    urls = _every_units_url("kab-tuban", ids)
    if role == "bappeda_a":  # and B's ids in A's own URLs, for A's administrator
        urls += [(m, u) for m, u in _every_units_url("kab-probolinggo", ids)
                 if re.search(r"/(900001|900002|\d{10}-)", u)]
    for method, url in urls:
        response = client.open(url, method=method, data=form)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        body = response.get_data(as_text=True)
        for secret in ("Dinas Kesehatan Tuban", "Ratna Dewi", "Puskesmas Jenu",
                       "Kecamatan Jenu Baru"):
            assert secret not in body, f"{method} {url} shows {secret}"
    assert _b_state(world) == before
    assert imports.load(world.b.id, ids["upload_id"]) is not None  # still B's, unconfirmed


def test_the_same_requests_reach_lab_b_for_its_own_administrator(client, world):
    """The control for the test above: the URLs are right, only the member differs."""
    ids = _b_ids(world)
    sign_in(client, world, "bappeda_b")
    for method, url in _every_units_url("kab-tuban", ids):
        if method == "GET":
            assert client.get(url).status_code == 200, url
    assert "Ratna Dewi Lestari" in text(client.get(f"{B}/{ids['unit_id']}"))
