"""LAN's cohort pages: creating and changing a cohort (the window rules, beside their fields,
with what was typed kept), its coaches, enrolling labs (only with an agreement in force),
the cohort's page, and who may see what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from fixtures.app import sign_in as sign_in_as
from tenants.accounts.models import Role
from tenants.cohorts.models import Cohort, CohortCoach, Enrolment
from tenants.db import db

from .cohort_helpers import (
    audit_actions,
    cohort_form,
    error_of,
    sign,
    text_of,
    value_of,
    windows,
)

NEW = "/lan/cohorts/new"


def sign_in(client, user, locale: str | None = "en"):
    """Signed in, reading English (the pages' msgids) unless told otherwise."""
    user.locale = locale
    db.session.commit()
    return sign_in_as(client, user)


@pytest.fixture
def admin(client, world):
    sign_in(client, world.users["lan_admin"])
    return client


def _created(admin, **form) -> Cohort:
    response = admin.post(NEW, data=cohort_form(**form))
    assert response.status_code == 302, text_of(response)
    return db.session.scalar(sa.select(Cohort).order_by(Cohort.id.desc()))


def test_a_new_cohort_is_prefilled_and_created_with_its_five_stages(admin):
    page = admin.get(NEW)
    assert page.status_code == 200
    starts = date.fromisoformat(value_of(page, "drum_up-starts_on"))
    assert starts.weekday() == 0 and starts.day <= 7  # the first Monday of next month
    for before, after in (("drum_up", "diagnose"), ("diagnose", "design"),
                          ("design", "deliver"), ("deliver", "display")):
        assert date.fromisoformat(value_of(page, f"{after}-starts_on")) == \
            date.fromisoformat(value_of(page, f"{before}-ends_on")) + timedelta(days=1)
    assert value_of(page, "year") == str(starts.year)
    cohort = _created(admin)
    assert cohort.name == "Laboratorium Inovasi 2026 — Angkatan I" and cohort.year == 2026
    assert [(s.stage, s.starts_on, s.ends_on, s.deliverable_due) for s in cohort.stages] == [
        (stage, *w) for stage, w in zip(
            ("drum_up", "diagnose", "design", "deliver", "display"), windows(), strict=True)]
    assert audit_actions() == ["cohort.created"]
    listing = text_of(admin.get("/lan/cohorts/"))
    assert "Laboratorium Inovasi 2026 — Angkatan I" in listing and "2026" in listing


@pytest.mark.parametrize("change, field, message", [
    # A gap of a day between design and deliver.
    ({"deliver-starts_on": "2026-04-29"}, "deliver-starts_on",
     "Each stage starts the day after the previous one ends (Apr 27, 2026)"),
    # Design starting inside diagnose: an overlap.
    ({"design-starts_on": "2026-03-10"}, "design-starts_on",
     "stages may neither overlap nor leave a gap"),
    ({"diagnose-ends_on": "2026-01-30"}, "diagnose-ends_on",
     "A stage cannot end before it starts."),
    ({"drum_up-deliverable_due": "2026-03-01"}, "drum_up-deliverable_due",
     "The deliverable is due inside its stage's window."),
    ({"display-ends_on": ""}, "display-ends_on", "This field is required."),
    ({"display-ends_on": "31/12/2026"}, "display-ends_on", "Not a valid date value."),
    ({"year": "2031"}, "year", "The year is one the cohort's stages run in."),
    ({"year": "dua ribu"}, "year", "Not a valid integer value."),
    ({"name": "  "}, "name", "This field is required."),
])
def test_refused_windows_say_why_beside_the_field_and_keep_what_was_typed(
        admin, change, field, message):
    data = cohort_form(**{"name": "Angkatan Uji", "description": "Untuk uji", **change})
    response = admin.post(NEW, data=data)
    assert response.status_code == 400
    assert message in (error_of(response, field) or ""), text_of(response)
    assert f'id="{field}"' in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    for kept in ("drum_up-starts_on", "design-ends_on"):
        if kept not in change:
            assert value_of(response, kept) == data[kept]
    if field != "name":
        assert value_of(response, "name") == "Angkatan Uji"
    assert "Untuk uji" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 0
    assert audit_actions() == []


def test_refusals_read_in_indonesian(client, world):
    admin = client
    sign_in(admin, world.users["lan_admin"], locale="id")
    response = admin.post(NEW, data=cohort_form(**{"deliver-starts_on": "2026-04-29"}))
    assert "Setiap tahap dimulai sehari setelah" in (error_of(response, "deliver-starts_on")
                                                    or "")
    assert "Tanggal lab" not in text_of(response)


def test_a_second_cohort_of_the_same_name_is_refused(admin):
    _created(admin)
    response = admin.post(NEW, data=cohort_form(name="laboratorium inovasi 2026 — angkatan i"))
    assert response.status_code == 400
    assert error_of(response, "name") == "Another cohort already has this name."


def test_editing_a_cohort(admin):
    cohort = _created(admin)
    page = admin.get(f"/lan/cohorts/{cohort.id}/edit")
    assert value_of(page, "design-starts_on") == windows()[2][0].isoformat()
    spans = windows(start=date(2026, 2, 2))
    response = admin.post(f"/lan/cohorts/{cohort.id}/edit", data=cohort_form(
        name="Laboratorium Inovasi 2026 — Angkatan II", spans=spans))
    assert response.status_code == 302
    db.session.expire_all()
    cohort = db.session.get(Cohort, cohort.id)
    assert cohort.name.endswith("Angkatan II") and cohort.starts_on == date(2026, 2, 2)
    assert audit_actions() == ["cohort.created", "cohort.changed"]
    log = text_of(admin.get("/lan/audit"))
    assert "Cohort created" in log and "Cohort changed" in log and "Year 2026." in log
    assert "Laboratorium Inovasi 2026 — Angkatan II" in log
    refused = admin.post(f"/lan/cohorts/{cohort.id}/edit", data=cohort_form(
        spans=spans, **{"design-starts_on": (spans[2][0] + timedelta(days=1)).isoformat()}))
    assert refused.status_code == 400
    assert "stages may neither overlap nor leave a gap" in error_of(refused,
                                                                    "design-starts_on")
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).stages[2].starts_on == spans[2][0]


def test_coaches_are_people_who_hold_the_lan_coach_role(admin, world):
    cohort = _created(admin)
    page = text_of(admin.get(f"/lan/cohorts/{cohort.id}/coaches"))
    assert "Teguh Prasetyo" in page and "Bayu Saputra" in page  # the LAN coaches
    assert "Dwi Hartono" not in page and "Rina Marlina" not in page
    coach = world.users["coach_a"]
    response = admin.post(f"/lan/cohorts/{cohort.id}/coaches", data={"coaches": [coach.id]})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(CohortCoach.user_id)).all() == [coach.id]
    shown = text_of(admin.get(f"/lan/cohorts/{cohort.id}"))
    assert "Teguh Prasetyo" in shown
    # Someone who is no LAN coach (a Bappeda administrator) is refused, nothing changes.
    refused = admin.post(f"/lan/cohorts/{cohort.id}/coaches",
                         data={"coaches": [coach.id, world.users["bappeda_a"].id]})
    assert refused.status_code == 400
    assert error_of(refused, "coaches") == "Choose LAN coaches from the list."
    assert db.session.scalars(sa.select(CohortCoach.user_id)).all() == [coach.id]
    # None at all.
    assert admin.post(f"/lan/cohorts/{cohort.id}/coaches", data={}).status_code == 302
    assert db.session.scalars(sa.select(CohortCoach.user_id)).all() == []
    assert audit_actions() == ["cohort.created", "cohort.coaches_set", "cohort.coaches_set"]


def test_only_labs_with_an_agreement_in_force_are_enrolled(admin, world, make_tenant,
                                                           fresh_redis):
    cohort = _created(admin)
    sign(world.a)                                     # in force
    sign(world.b, until=date(2020, 3, 15))            # ended
    jayapura = make_tenant("91.71")
    sign(jayapura, kinds=("mou",))                    # no PKS
    page = admin.get(f"/lan/cohorts/{cohort.id}/enrol")
    body = text_of(page)
    assert f'value="{world.a.id}"' in page.get_data(as_text=True)
    assert f'value="{world.b.id}"' not in page.get_data(as_text=True)
    assert "The PKS of Kabupaten Tuban ended on" not in body  # the MoU is checked first
    assert "The MoU of Kabupaten Tuban ended on Mar 15, 2020; record its renewal first." in body
    assert "Kota Jayapura has no signed PKS." in body
    # Posting a lab that may not be enrolled: refused with the reason, nothing enrolled.
    for tenant, reason in ((world.b, "The MoU of Kabupaten Tuban ended on Mar 15, 2020"),
                           (jayapura, "Kota Jayapura has no signed PKS.")):
        refused = admin.post(f"/lan/cohorts/{cohort.id}/enrol",
                             data={"tenant_id": [world.a.id, tenant.id]})
        assert refused.status_code == 400
        assert reason in error_of(refused, "tenant_id")
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0
    nothing = admin.post(f"/lan/cohorts/{cohort.id}/enrol", data={})
    assert error_of(nothing, "tenant_id") == "Choose at least one lab."
    done = admin.post(f"/lan/cohorts/{cohort.id}/enrol", data={"tenant_id": [world.a.id]},
                      follow_redirects=True)
    assert "1 lab is enrolled in Laboratorium Inovasi 2026 — Angkatan I." in text_of(done)
    assert db.session.scalars(sa.select(Enrolment.tenant_id)).all() == [world.a.id]
    assert audit_actions() == ["cohort.created", "cohort.enrolled"]
    again = admin.post(f"/lan/cohorts/{cohort.id}/enrol", data={"tenant_id": [world.a.id]})
    assert "Kabupaten Probolinggo is already enrolled in this cohort." in error_of(
        again, "tenant_id")
    # The new lab's figures are counted at once: its recount is queued.
    from rq.job import Job

    from jobs.queues import redis
    with admin.application.app_context():
        job = Job.fetch(f"t{world.a.id}-lab-summary", connection=redis())
    assert job.func_name == "jobs.cohorts.refresh_lab_summary" and job.args == (world.a.id,)
    shown = text_of(admin.get(f"/lan/cohorts/{cohort.id}"))
    assert "Kabupaten Probolinggo" in shown and "Jawa Timur" in shown


def test_a_suspended_lab_is_not_enrolled(admin, world):
    from tenants.registry import TenantStatus

    cohort = _created(admin)
    sign(world.a)
    world.a.status = TenantStatus.SUSPENDED
    db.session.commit()
    assert f'value="{world.a.id}"' not in admin.get(
        f"/lan/cohorts/{cohort.id}/enrol").get_data(as_text=True)
    refused = admin.post(f"/lan/cohorts/{cohort.id}/enrol", data={"tenant_id": [world.a.id]})
    assert error_of(
        refused, "tenant_id") == "Kabupaten Probolinggo: Only an active lab can be enrolled."


# --- Who sees what ----------------------------------------------------------------------------

@pytest.fixture
def two_cohorts(world):
    """Cohort I coached by coach_a with lab A enrolled; cohort II coached by coach_b."""
    from .cohort_helpers import START

    made = []
    for name, coach in (("Angkatan Satu", "coach_a"), ("Angkatan Dua", "coach_b")):
        cohort = Cohort(name=name, year=2026)
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortCoach(cohort_id=cohort.id, user_id=world.users[coach].id))
        made.append(cohort)
    db.session.add(Enrolment(cohort_id=made[0].id, tenant_id=world.a.id))
    db.session.commit()
    assert START
    return made


def test_a_coach_reads_only_the_cohorts_he_is_assigned_to(client, world, two_cohorts):
    mine, other = two_cohorts
    sign_in(client, world.users["coach_a"])
    listing = text_of(client.get("/lan/cohorts/"))
    assert "Angkatan Satu" in listing and "Angkatan Dua" not in listing
    assert "New cohort" not in listing
    page = client.get(f"/lan/cohorts/{mine.id}")
    assert page.status_code == 200 and "Edit the cohort" not in text_of(page)
    assert client.get(f"/lan/cohorts/{mine.id}/dashboard").status_code == 200
    for url in (f"/lan/cohorts/{other.id}", f"/lan/cohorts/{other.id}/dashboard"):
        response = client.get(url)
        assert response.status_code == 404 and "Angkatan Dua" not in text_of(response)
    for url in (NEW, f"/lan/cohorts/{mine.id}/edit", f"/lan/cohorts/{mine.id}/coaches",
                f"/lan/cohorts/{mine.id}/enrol"):
        assert client.get(url).status_code == 403
        assert client.post(url, data=cohort_form()).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 2
    # A coach assigned nowhere sees an empty list.
    unassigned = client.application.test_client()
    sign_in(unassigned, world.users["lan_coach"])
    assert "You are not assigned to any cohort yet." in text_of(unassigned.get("/lan/cohorts/"))


@pytest.mark.parametrize("member", ["innovator_a", "bappeda_a"])
def test_a_lab_member_gets_nothing_of_lans_cohort_pages(client, world, two_cohorts, member):
    mine, _other = two_cohorts
    sign_in(client, world.users[member])
    home = client.get(f"/{world.a.slug}/").get_data(as_text=True)
    assert "/lan/cohorts" not in home  # no link in the header
    for url in ("/lan/cohorts/", f"/lan/cohorts/{mine.id}", f"/lan/cohorts/{mine.id}/dashboard",
                NEW, f"/lan/cohorts/{mine.id}/enrol"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Angkatan Satu" not in text_of(response)
        assert "Not allowed" in text_of(response)


def test_the_lan_header_links_to_the_cohorts(admin):
    html = admin.get("/lan/").get_data(as_text=True)
    assert 'href="/lan/cohorts/"' in html
    assert Role.LAN_ADMIN
