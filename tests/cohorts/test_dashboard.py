"""LAN's cohort dashboard: every enrolled lab side by side from LabSummary, sorted by any
column (links as headers, aria-sort), filtered by province, in one query whatever the number
of labs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fixtures.app import sign_in
from tenants.cohorts import summaries
from tenants.cohorts.models import CohortCoach, Enrolment
from tenants.db import db, utcnow

from .cohort_helpers import text_of

# code -> (ideas, by stage, late, units without ideas, stage, days since the last activity)
LABS = {
    "35.13": (74, (0, 0, 10, 60, 4), 18, 3, "deliver", 1),     # Kabupaten Probolinggo
    "35.23": (118, (0, 8, 30, 80, 0), 31, 0, "deliver", 3),    # Kabupaten Tuban
    "35.74": (5, (0, 0, 0, 0, 5), 0, 12, "display", 40),       # Kota Probolinggo
    "33.03": (174, (20, 154, 0, 0, 0), 0, 7, "diagnose", 2),   # Kabupaten Purbalingga
    "91.71": (9, (9, 0, 0, 0, 0), 2, 15, "drum_up", 9),        # Kota Jayapura
}


@pytest.fixture
def dashboard(world, make_tenant):
    """A cohort with the five labs above counted and Kota Denpasar enrolled, not yet counted."""
    from lab.idea_helpers import enrol

    tenants = {"35.13": world.a, "35.23": world.b}
    for code in ("35.74", "33.03", "91.71", "51.71"):
        tenants[code] = make_tenant(code)
    cohort = enrol(*tenants.values())
    db.session.add(CohortCoach(cohort_id=cohort.id, user_id=world.users["coach_a"].id))
    now = utcnow()
    for code, (ideas, stages, late, without, stage, days) in LABS.items():
        summaries.write(db.session, cohort_id=cohort.id, tenant_id=tenants[code].id, values=dict(
            ideas=ideas, by_stage=dict(zip(
                ("drum_up", "diagnose", "design", "deliver", "display"), stages, strict=True)),
            milestones=ideas * 3, late_milestones=late, units=40, units_without_ideas=without,
            current_stage=stage, last_activity_at=now - timedelta(days=days)), counted_at=now)
    db.session.commit()
    return cohort.id


@pytest.fixture
def admin(client, world):
    world.users["lan_admin"].locale = "en"
    db.session.commit()
    sign_in(client, world.users["lan_admin"])
    return client


def labs_in_order(response) -> list[str]:
    html = response.get_data(as_text=True)
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [re.sub(r"<[^>]+>", "", name).strip()
            for name in re.findall(r'<th scope="row" class="lab">(.*?)</th>', body, re.S)]


def header(response, label: str) -> str:
    html = response.get_data(as_text=True)
    for th in re.findall(r'<th scope="col"[^>]*>.*?</th>', html, re.S):
        if f">{label}<" in th:
            return th
    raise AssertionError(f"no column {label}")


def test_every_lab_side_by_side_by_region_name(admin, dashboard):
    page = admin.get(f"/lan/cohorts/{dashboard}/dashboard")
    assert page.status_code == 200
    assert labs_in_order(page) == ["Kabupaten Probolinggo", "Kabupaten Purbalingga",
                                   "Kabupaten Tuban", "Kota Denpasar", "Kota Jayapura",
                                   "Kota Probolinggo"]
    text = text_of(page)
    assert "Not counted yet: the figures appear within minutes." in text
    assert "Jawa Timur" in text and "Papua" in text
    assert 'aria-sort="ascending"' in header(page, "Region")
    assert "aria-sort" not in header(page, "Ideas")
    # A figure's first click sorts from the highest.
    assert f'href="/lan/cohorts/{dashboard}/dashboard?sort=-ideas"' in header(page, "Ideas")
    assert f'href="/lan/cohorts/{dashboard}/dashboard?sort=-region"' in header(page, "Region")
    # The totals of the counted labs, and a bar per lab drawn on the server.
    assert "Total of 5 labs" in text and "380" in text
    assert page.get_data(as_text=True).count('class="stage-bar"') == 5


@pytest.mark.parametrize("sort, expected", [
    ("-ideas", ["Kabupaten Purbalingga", "Kabupaten Tuban", "Kabupaten Probolinggo",
                "Kota Jayapura", "Kota Probolinggo"]),
    ("ideas", ["Kota Probolinggo", "Kota Jayapura", "Kabupaten Probolinggo",
               "Kabupaten Tuban", "Kabupaten Purbalingga"]),
    ("-late", ["Kabupaten Tuban", "Kabupaten Probolinggo", "Kota Jayapura",
               "Kabupaten Purbalingga", "Kota Probolinggo"]),
    ("stage", ["Kota Jayapura", "Kabupaten Purbalingga", "Kabupaten Probolinggo",
               "Kabupaten Tuban", "Kota Probolinggo"]),       # by the stages' order
    ("-deliver", ["Kabupaten Tuban", "Kabupaten Probolinggo", "Kabupaten Purbalingga",
                  "Kota Jayapura", "Kota Probolinggo"]),
    ("-without", ["Kota Jayapura", "Kota Probolinggo", "Kabupaten Purbalingga",
                  "Kabupaten Probolinggo", "Kabupaten Tuban"]),
    ("-activity", ["Kabupaten Probolinggo", "Kabupaten Purbalingga", "Kabupaten Tuban",
                   "Kota Jayapura", "Kota Probolinggo"]),
    ("province", ["Kabupaten Purbalingga", "Kabupaten Probolinggo", "Kabupaten Tuban",
                  "Kota Probolinggo", "Kota Jayapura"]),       # Jawa Tengah, Jawa Timur, Papua
])
def test_sorted_by_any_column(admin, dashboard, sort, expected):
    page = admin.get(f"/lan/cohorts/{dashboard}/dashboard?sort={sort}")
    if sort == "province":  # Bali first; by a figure, the lab not counted yet comes last
        assert labs_in_order(page) == ["Kota Denpasar", *expected]
    else:
        assert labs_in_order(page) == [*expected, "Kota Denpasar"]
    labels = {"ideas": "Ideas", "late": "Milestones late", "stage": "Current stage",
              "deliver": "Deliver", "without": "Units without ideas",
              "activity": "Last activity", "province": "Province"}
    th = header(page, labels[sort.lstrip("-")])
    direction = "descending" if sort.startswith("-") else "ascending"
    assert f'aria-sort="{direction}"' in th
    # Its link turns the order round.
    flipped = sort[1:] if sort.startswith("-") else f"-{sort}"
    assert f"sort={flipped}\"" in th


def test_filtered_by_province(admin, dashboard):
    page = admin.get(f"/lan/cohorts/{dashboard}/dashboard?province=35&sort=-ideas")
    assert labs_in_order(page) == ["Kabupaten Tuban", "Kabupaten Probolinggo",
                                   "Kota Probolinggo"]
    html = page.get_data(as_text=True)
    assert '<option value="35" selected>Jawa Timur</option>' in html
    assert "Purbalingga" not in text_of(page) and "Jayapura" not in text_of(page)
    # The sort links keep the filter; the filter form keeps the sort.
    assert "sort=ideas&amp;province=35" in header(page, "Ideas")
    assert '<input type="hidden" name="sort" value="-ideas">' in html
    # A province with no enrolled lab, or no such province: every lab.
    assert len(labs_in_order(admin.get(f"/lan/cohorts/{dashboard}/dashboard?province=11"))) == 6
    assert len(labs_in_order(admin.get(
        f"/lan/cohorts/{dashboard}/dashboard?province=xx&sort=nonsense"))) == 6


def test_one_query_for_the_labs_whatever_their_number(admin, dashboard, make_tenant, app):
    statements = []

    def count(*_args, **_kw):
        statements[-1] += 1

    def queries_for_page() -> int:
        statements.append(0)
        assert admin.get(f"/lan/cohorts/{dashboard}/dashboard?sort=-late").status_code == 200
        return statements[-1]

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        before = queries_for_page()
        for code in ("35.01", "35.02", "35.03", "35.04", "35.05", "35.06"):
            db.session.add(Enrolment(cohort_id=dashboard, tenant_id=make_tenant(code).id))
        db.session.commit()
        after = queries_for_page()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(labs_in_order(admin.get(f"/lan/cohorts/{dashboard}/dashboard"))) == 12
    assert before == after, (before, after)
    assert after <= 8  # sign-in check, the cohort, its stages, the provinces, the labs


def test_an_assigned_coach_reads_it_without_the_tenant_pages(client, world, dashboard):
    world.users["coach_a"].locale = "en"
    db.session.commit()
    sign_in(client, world.users["coach_a"])
    page = client.get(f"/lan/cohorts/{dashboard}/dashboard")
    assert page.status_code == 200 and len(labs_in_order(page)) == 6
    assert "/lan/tenants/" not in page.get_data(as_text=True)
    other = client.application.test_client()
    sign_in(other, world.users["coach_b"])
    refused = other.get(f"/lan/cohorts/{dashboard}/dashboard")
    assert refused.status_code == 404 and "Probolinggo" not in text_of(refused)
