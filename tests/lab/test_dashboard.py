"""The Bappeda's dashboard: ideas by unit type and stage (the programme's own report: 74 ideas
= 29 from OPD + 20 from Puskesmas + 25 from Kecamatan), the chart and its table, overdue
milestones in the lab's time zone (WIT against WIB), the units without ideas or without a
signed commitment, what an innovator sees, and lab B's ids in lab A's URLs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tenants import zones
from tenants.accounts.models import Role
from tenants.db import db
from tenants.lab.models import Idea, Milestone
from tenants.lab.queries import dashboard as queries
from tenants.scope import tenant_session
from tenants.units.models import Unit
from web.charts import stacked_bars

from .idea_helpers import enrol, sign_in, text_of

A = "/kab-probolinggo"

class FrozenClock(datetime):
    """15.30 UTC on 10 March 2026: 22.30 WIB on the 10th, 00.30 WIT on the 11th."""

    instant = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.instant.astimezone(tz) if tz else cls.instant.replace(tzinfo=None)


def test_ideas_by_unit_type_and_stage(world, busy_lab):
    with tenant_session(world.a.ref()) as s:
        m = queries.stage_by_kind(s, busy_lab["cohort"])
    # The two named ideas (Si Kepho in a Puskesmas, Inol Aja in a Dinas) come on top of 74.
    assert m.total == 76
    assert (m.kind_total("opd"), m.kind_total("puskesmas"), m.kind_total("kecamatan")) == \
        (30, 21, 25)
    assert m.kinds == ["opd", "puskesmas", "kecamatan"]
    assert m.cell("opd", "design") == 9 and m.cell("kecamatan", "deliver") == 25
    assert m.stage_total("deliver") == 62 and m.stage_total("drum_up") == 0


def test_the_seeds_report_74_ideas(world, busy_lab):
    """Without the two named ideas, the lab's figures are the programme's: 74 = 29 + 20 + 25."""
    with tenant_session(world.a.ref()) as s:
        s.execute(sa.delete(Idea).where(Idea.id.in_([busy_lab["si_kepho"], busy_lab["dinas"]])))
        s.commit()
    with tenant_session(world.a.ref()) as s:
        m = queries.stage_by_kind(s, busy_lab["cohort"])
    assert (m.total, m.kind_total("opd"), m.kind_total("puskesmas"),
            m.kind_total("kecamatan")) == (74, 29, 20, 25)


def _table(html: str) -> dict[str, list[str]]:
    """The dashboard's table, row header -> the figures of the row."""
    body = re.search(r'<table class="matrix">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        head = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        cells = [re.sub(r"<[^>]+>", "", c).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:  # not the head row
            rows[re.sub(r"<[^>]+>", "", head.group(1)).strip()] = cells
    return rows


def test_the_page_shows_the_chart_and_the_table_behind_it(client, world, busy_lab):
    world.users["bappeda_a"].locale = "en"
    db.session.commit()
    sign_in(client, world.users["bappeda_a"])
    html = client.get(f"{A}/").get_data(as_text=True)
    table = _table(html)
    # Rows: types of unit; columns: drum-up, diagnose, design, deliver, display, total.
    assert table["OPD"] == ["0", "0", "9", "21", "0", "30"]
    assert table["Puskesmas"] == ["0", "2", "0", "16", "3", "21"]
    assert table["Kecamatan"] == ["0", "0", "0", "25", "0", "25"]
    assert table["Total"] == ["0", "2", "9", "62", "3", "76"]
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="ideas-chart-title ideas-chart-desc"' in svg
    assert "<title id=\"ideas-chart-title\">Ideas by type of unit and stage</title>" in svg
    assert "76 ideas: 30 from OPD, 21 from Puskesmas, 25 from Kecamatan." in svg
    # A figure links to the ideas it counts.
    assert f'href="{A}/ideas/?kind=kecamatan&amp;stage=deliver"' in html


def test_the_chart_in_indonesian(client, world, busy_lab):
    sign_in(client, world.users["bappeda_a"])
    html = client.get(f"{A}/").get_data(as_text=True)
    assert "76 gagasan: 30 dari OPD, 21 dari Puskesmas, 25 dari Kecamatan." in html


def test_the_chart_alone():
    svg = stacked_bars("c", title="T & <x>", desc="D", categories=[("a", "Alpha"), ("b", "B")],
                       series=[("s1", "one"), ("s2", "two")],
                       values={("a", "s1"): 3, ("a", "s2"): 1, ("b", "s2"): 2})
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<title id=\"c-title\">T &amp; &lt;x&gt;</title>" in svg
    # Bars scale to the largest total: Alpha's 4 fills the room, B's 2 half of it.
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" '
                                           r'height="22"', svg)]
    assert widths == [pytest.approx(180), pytest.approx(60), pytest.approx(120)]
    assert re.findall(r'font-weight="700">(\d+)<', svg) == ["4", "2"]


def test_overdue_milestones_most_late_first(client, world, busy_lab):
    sign_in(client, world.users["bappeda_a"])
    page = client.get(f"{A}/")
    text = text_of(page)
    html = page.get_data(as_text=True)
    overdue = re.search(r'<table class="stack overdue">(.*?)</table>', html, re.S).group(1)
    titles = [re.search(r"<td[^>]*>([^<]+)</td>", row).group(1)
              for row in re.findall(r"<tr>(.*?)</tr>", overdue, re.S)[1:]]
    assert titles == ["Pelatihan kader", "Uji coba aplikasi", "Peluncuran aplikasi"]
    assert "12 hari" in text and "Dewi Anggraini" in text
    assert f'href="{A}/ideas/{busy_lab["si_kepho"]}#plan"' in html
    assert "Sosialisasi" not in overdue and "Evaluasi" not in overdue  # done; not yet due


def test_late_follows_the_labs_time_zone(client, world, make_tenant, make_user, monkeypatch):
    """A milestone due on 10 March is late in Kota Jayapura (WIT, already the 11th) and not
    yet in Kab. Probolinggo (WIB, still the 10th)."""
    jayapura = make_tenant("91.71")
    cohort = enrol(world.a, jayapura)
    with tenant_session(jayapura.ref()) as s:
        s.add(Unit(name="Puskesmas Hamadi", kind="puskesmas"))
        s.commit()
    admin = make_user("bappeda@jayapura.example", "Yohanes Wenda",
                      memberships=[(jayapura, Role.BAPPEDA_ADMIN)])
    for tenant in (world.a, jayapura):
        with tenant_session(tenant.ref()) as s:
            unit_id = s.scalar(sa.select(sa.func.min(Unit.id)))
            idea = Idea(cohort_id=cohort.id, unit_id=unit_id, stage="deliver",
                        title="Ide dengan tenggat")
            s.add(idea)
            s.flush()
            s.add(Milestone(idea_id=idea.id, title="Rapat koordinasi",
                            due_on=date(2026, 3, 10)))
            s.commit()
    monkeypatch.setattr(zones, "datetime", FrozenClock)
    seen = {}
    for tenant, user in ((world.a, world.users["bappeda_a"]), (jayapura, admin)):
        c = client.application.test_client()
        sign_in(c, user)
        html = c.get(f"/{tenant.slug}/").get_data(as_text=True)
        seen[tenant.slug] = ("Rapat koordinasi" in html, "1 hari" in text_of_html(html))
    assert seen == {world.a.slug: (False, False), jayapura.slug: (True, True)}


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_units_without_ideas_and_without_a_commitment(client, world, busy_lab):
    sign_in(client, world.users["bappeda_a"])
    html = client.get(f"{A}/").get_data(as_text=True)
    idle = re.search(r'id="idle".*?</section>', html, re.S).group(0)
    uncommitted = re.search(r'id="uncommitted".*?</section>', html, re.S).group(0)
    assert "RSUD Waluyo Jati" in idle
    assert "Kecamatan Lama" not in idle  # retired: takes part no more
    assert "Dinas Kesehatan" not in idle
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', uncommitted)
    # By type of unit, then name.
    assert names == ["Puskesmas Gending", "Puskesmas Paiton", "Kecamatan Kraksaan",
                     "Kecamatan Leces", "Kecamatan Paiton", "RSUD Waluyo Jati"]
    # The Bappeda goes straight to recording the commitment.
    assert f'href="{A}/commitments/units/{busy_lab["idle"]}"' in uncommitted
    with tenant_session(world.a.ref()) as s:
        board = queries.dashboard(s, busy_lab["cohort"], date.today())
    assert [u.name for u in board.without_ideas] == ["RSUD Waluyo Jati"]
    assert len(board.without_commitment) == 6 and len(board.units) == 10


def test_an_innovator_sees_their_own_units_figures(client, world, busy_lab):
    sign_in(client, world.users["innovator_a"])
    page = client.get(f"{A}/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    table = _table(html)
    # Puskesmas Kraksaan: a third of the Puskesmas' 20 (7, by the fixture's round robin) and
    # Si Kepho.
    assert list(table) == ["Puskesmas", "Jumlah"]
    with tenant_session(world.a.ref()) as s:
        own = s.scalar(sa.select(sa.func.count()).select_from(Idea).where(
            Idea.unit_id == world.unit_ids["a"]))
    assert table["Puskesmas"][-1] == str(own)
    assert "Dinas Kesehatan" not in html and "Peluncuran aplikasi" not in html
    assert "Pelatihan kader" in html
    assert "RSUD Waluyo Jati" not in html
    assert "angka unit Anda sendiri" in text_of(page)
    assert 'data-section="people"' not in html


@pytest.mark.parametrize("who", ["coach_a", "lan_admin"])
def test_coaches_and_lan_see_the_whole_lab(client, world, busy_lab, who):
    sign_in(client, world.users[who])
    assert _table(client.get(f"{A}/").get_data(as_text=True))["Jumlah"][-1] == "76"


def test_lab_b_stays_out_of_lab_a(client, world, busy_lab):
    """B's cohort id, idea and milestone never show in A; a cohort A is not in is 404."""
    only_b = enrol(world.b, name="Laboratorium Inovasi 2025 — Angkatan III", year=2025,
                   start=date(2025, 1, 6))
    sign_in(client, world.users["bappeda_a"])
    html = client.get(f"{A}/").get_data(as_text=True)
    assert "Rahasia Tuban" not in html and "Tugas Tuban" not in html
    assert _table(html)["Jumlah"][-1] == "76"
    response = client.get(f"{A}/?cohort={only_b.id}")
    assert response.status_code == 404
    assert "Angkatan III" not in response.get_data(as_text=True)
    assert client.get(f"/kab-tuban/?cohort={busy_lab['cohort']}").status_code == 404


def test_a_lab_in_no_cohort(client, world):
    sign_in(client, world.users["bappeda_a"])
    text = text_of(client.get(f"{A}/"))
    assert "belum terdaftar dalam angkatan" in text or "Belum" in text


def test_the_dashboard_stays_few_queries(client, world, busy_lab):
    """The page's queries do not grow with the ideas, milestones or units."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sign_in(client, world.users["bappeda_a"])
    client.get(f"{A}/")  # warm: the app's first request loads its catalogs
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(f"{A}/").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    print(len(statements), "statements")
    assert len(statements) <= 25, "\n".join(statements)


def test_the_labels_are_translated(world, busy_lab):
    with force_locale("en"):
        from web.lab.views import ideas_chart

        with tenant_session(world.a.ref()) as s:
            m = queries.stage_by_kind(s, busy_lab["cohort"])
        assert "By stage: Diagnose 2, Design 9, Deliver 62, Display 3." in str(ideas_chart(m))


def test_long_lists_stop_at_thirty_with_a_link_to_the_rest(client, world, busy_lab):
    with tenant_session(world.a.ref()) as s:
        s.add_all([Unit(name=f"Desa Uji {n:02d}", kind="desa") for n in range(30)])
        s.commit()
    sign_in(client, world.users["bappeda_a"])
    html = client.get(f"{A}/").get_data(as_text=True)
    uncommitted = re.search(r'id="uncommitted".*?</section>', html, re.S).group(0)
    idle = re.search(r'id="idle".*?</section>', html, re.S).group(0)
    assert uncommitted.count("<li>") == 30 and "Dan 6 lainnya." in uncommitted
    assert f'href="{A}/commitments/?state=unsigned"' in uncommitted
    assert idle.count("<li>") == 30 and "Dan 1 lainnya." in idle
