"""The lab's own stage dates: the Bappeda shifts them inside the cohort's window; refusals
beside their field with everything typed kept, in both languages; who may; the audit log;
the dashboard and LAN's summary follow; lab B's cohort in lab A's URLs."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from jobs.cohorts import refresh_lab_summary
from tenants.audit.models import LabAuditEntry
from tenants.cohorts.models import STAGES, LabSummary, StageShift
from tenants.cohorts.operations import effective_windows, windows_of
from tenants.db import db
from tenants.scope import tenant_session

from .idea_helpers import count, enrol, sign_in, text_of

A = "/kab-probolinggo"
START = date(2026, 1, 5)  # enrol(): five 60-day stages from here, to 4 Oct 2026


def _form(windows: dict) -> dict:
    """Form data from {stage: (start, end, due)}; missing stages take the cohort's dates."""
    data = {}
    for i, stage in enumerate(STAGES):
        start = START + timedelta(days=60 * i)
        own = windows.get(stage.value, (start, start + timedelta(days=59),
                                        start + timedelta(days=50)))
        for name, value in zip(("starts_on", "ends_on", "deliverable_due"), own, strict=True):
            data[f"{stage.value}-{name}"] = value.isoformat() if isinstance(value, date) \
                else value
    return data


@pytest.fixture
def cohort(world):
    return enrol(world.a, world.b, start=START)


def _error_of(html: str, field: str) -> str | None:
    found = re.search(rf'<small id="{field}-error" class="field-error">(.*?)</small>', html,
                      re.S)
    return found.group(1).strip() if found else None


def test_the_page_shows_the_cohorts_dates_and_a_form(client, world, cohort):
    sign_in(client, world.users["bappeda_a"])
    page = client.get(f"{A}/stages/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="2026-01-05"' in html and 'value="2026-10-31"' in html
    assert "Simpan jadwal lab" in text_of(page)


def test_the_bappeda_shifts_the_labs_dates(client, world, cohort, run_job):
    sign_in(client, world.users["bappeda_a"])
    # Drum-up a week shorter, diagnose a week longer; the rest as the cohort has it.
    shifted = {"drum_up": (START + timedelta(days=7), START + timedelta(days=52),
                           START + timedelta(days=45)),
               "diagnose": (START + timedelta(days=53), START + timedelta(days=119),
                            START + timedelta(days=110))}
    response = client.post(f"{A}/stages/", data=_form(shifted))
    assert response.status_code == 302
    with tenant_session(world.a.ref()) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(StageShift)) == 5
        windows = effective_windows(s, db.session.merge(cohort))
        entry = s.scalars(sa.select(LabAuditEntry)).all()[-1]
    assert (windows[0].starts_on, windows[0].ends_on) == (date(2026, 1, 12), date(2026, 2, 26))
    assert windows[1].starts_on == date(2026, 2, 27)
    assert entry.action == "cohort.dates_shifted" and entry.actor_id == \
        world.users["bappeda_a"].id and entry.target == cohort.name
    page = client.get(f"{A}/stages/")
    assert "sudah disimpan" in text_of(page)
    # The cohort's own dates stay as LAN set them; lab B keeps them.
    assert windows_of(db.session.merge(cohort))[0].starts_on == START
    with tenant_session(world.b.ref()) as s:
        assert effective_windows(s, db.session.merge(cohort))[0].starts_on == START
    # LAN's summary of the lab is recounted by the job the change queued.
    run_job(refresh_lab_summary, world.a.id)
    assert db.session.scalar(sa.select(LabSummary.tenant_id).where(
        LabSummary.tenant_id == world.a.id)) == world.a.id
    # The audit log names it.
    assert "Jadwal tahapan lab diubah" in text_of(client.get(f"{A}/audit"))


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"drum_up": (START - timedelta(days=1), START + timedelta(days=59),
                  START + timedelta(days=50))},
     "drum_up-starts_on", "harus berada dalam rentang angkatan"),
    ({"display": (START + timedelta(days=240), START + timedelta(days=300),
                  START + timedelta(days=250))},
     "display-ends_on", "harus berada dalam rentang angkatan"),
    ({"design": (START + timedelta(days=125), START + timedelta(days=179),
                 START + timedelta(days=170))},
     "design-starts_on", "sehari setelah"),
    ({"deliver": (START + timedelta(days=180), START + timedelta(days=170),
                  START + timedelta(days=175))},
     "deliver-ends_on", None),
    ({"diagnose": (START + timedelta(days=60), START + timedelta(days=119),
                   START + timedelta(days=130))},
     "diagnose-deliverable_due", None),
    ({"design": ("", START + timedelta(days=179), START + timedelta(days=170))},
     "design-starts_on", "Isi tanggal."),
    ({"design": ("31/02/2026", START + timedelta(days=179), START + timedelta(days=170))},
     "design-starts_on", "Isi tanggal."),
])
def test_refusals_are_beside_their_field_and_keep_what_was_typed(client, world, cohort, change,
                                                                  field, message):
    sign_in(client, world.users["bappeda_a"])
    data = _form(change)
    data["display-deliverable_due"] = data["display-deliverable_due"]  # typed as it was
    response = client.post(f"{A}/stages/", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = _error_of(html, field)
    assert error, f"no error beside {field}"
    if message:
        assert message in error
    for name, value in data.items():
        if value:
            assert f'name="{name}" type="date" value="{value}"' in html or \
                f'value="{value}"' in html, name
    assert count(world.a, StageShift) == 0


def test_a_refusal_in_english(client, world, cohort):
    world.users["bappeda_a"].locale = "en"
    db.session.commit()
    sign_in(client, world.users["bappeda_a"])
    response = client.post(f"{A}/stages/", data=_form({"drum_up": (
        START - timedelta(days=3), START + timedelta(days=59), START + timedelta(days=50))}))
    error = _error_of(response.get_data(as_text=True), "drum_up-starts_on")
    assert error.startswith("The lab&#39;s dates stay inside the cohort&#39;s window") or \
        error.startswith("The lab's dates stay inside the cohort's window")


@pytest.mark.parametrize("who", ["innovator_a", "coach_a", "lan_admin"])
def test_only_the_bappeda_shifts(client, world, cohort, who):
    sign_in(client, world.users[who])
    page = client.get(f"{A}/stages/")
    assert page.status_code == 200
    assert "<form method=\"post\" action=\"/kab-probolinggo/stages/\"" not in \
        page.get_data(as_text=True)
    assert client.post(f"{A}/stages/", data=_form({})).status_code == 403
    assert count(world.a, StageShift) == 0


def test_the_dashboard_follows_the_labs_dates(client, world, cohort):
    sign_in(client, world.users["bappeda_a"])
    shifted = {"drum_up": (START + timedelta(days=7), START + timedelta(days=52),
                           START + timedelta(days=45)),
               "diagnose": (START + timedelta(days=53), START + timedelta(days=119),
                            START + timedelta(days=110))}
    client.post(f"{A}/stages/", data=_form(shifted))
    text = text_of(client.get(f"{A}/"))
    assert "12 Jan 2026 \u2013 26 Feb 2026" in text
    assert "jadwalnya sendiri" in text


def test_lab_bs_cohort_in_lab_as_url(client, world, cohort):
    only_b = enrol(world.b, name="Laboratorium Inovasi 2025 — Angkatan III", year=2025,
                   start=date(2025, 1, 6))
    sign_in(client, world.users["bappeda_a"])
    response = client.get(f"{A}/stages/?cohort={only_b.id}")
    assert response.status_code == 404 and "Angkatan III" not in response.get_data(as_text=True)
    response = client.post(f"{A}/stages/?cohort={only_b.id}", data=_form({}))
    assert response.status_code == 404
    assert count(world.a, StageShift) == 0 and count(world.b, StageShift) == 0


def test_a_lab_in_no_cohort(client, world):
    sign_in(client, world.users["bappeda_a"])
    page = client.get(f"{A}/stages/")
    assert page.status_code == 200
    assert "Belum tergabung dalam angkatan" in text_of(page)


def test_a_cohort_without_dates_yet(client, world):
    from tenants.cohorts.models import Cohort, Enrolment

    cohort = Cohort(name="Laboratorium Inovasi 2027 — Angkatan I", year=2027)
    db.session.add_all([cohort, Enrolment(cohort=cohort, tenant_id=world.a.id)])
    db.session.commit()
    sign_in(client, world.users["bappeda_a"])
    assert "LAN belum menetapkan jadwal tahapan angkatan." in text_of(client.get(f"{A}/stages/"))
    assert "LAN belum menetapkan" in text_of(client.get(f"{A}/"))
    response = client.post(f"{A}/stages/", data=_form({}))
    assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)
    assert count(world.a, StageShift) == 0
