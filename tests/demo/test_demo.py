"""The demo data: loaded once for the module on an empty database, then checked against the
published record and against itself (LAN's tenant page, the logs, the PDFs, the summaries,
the cohorts), and loaded a second time through the command to show that nothing changes."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tenants.accounts.models import Invitation, Membership, Role, User
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.cohorts.models import Cohort, Enrolment, LabSummary, Stage
from tenants.cohorts.operations import current_stage, effective_windows
from tenants.db import db
from tenants.demo.load import DEMO_PASSWORD, load_demo
from tenants.demo.regions import REGIONS
from tenants.lab.models import (
    Commitment,
    Idea,
    IdeaEvent,
    Launch,
    Milestone,
    Regulation,
    RpjmdIndicator,
)
from tenants.lab.profile import DESIGN_MIN_WORDS, word_count
from tenants.onboarding.models import Agreement
from tenants.onboarding.queries import agreements_of
from tenants.registry import Tenant, TenantEvent
from tenants.scope import tenant_session
from tenants.storage import storage
from tenants.units.models import Unit, UnitKind
from tenants.zones import today_in

LABINOV = Path(sys.executable).with_name("labinov")
ROOT = Path(__file__).resolve().parents[2]
SLUGS = {"35.13": "kab-probolinggo", "35.74": "kota-probolinggo", "35.23": "kab-tuban",
         "33.03": "kab-purbalingga"}


def _empty(engine: sa.Engine) -> None:
    """Every tenant schema dropped and every platform table emptied but the regions."""
    with engine.begin() as conn:
        for schema in conn.execute(sa.text(
                r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\_%'")).scalars():
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        tables = conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'platform' AND tablename NOT IN "
            "('province', 'regency', 'alembic_version')")).scalars().all()
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f"platform.{t}" for t in tables)
                             + " RESTART IDENTITY CASCADE")


@pytest.fixture(scope="module")
def demo(app, s3_server):
    """The demo loaded once on an empty database; the sign-ins it returned."""
    with app.app_context():
        _empty(db.engine)
        s3_server.clear()
        logins = load_demo()
        yield logins
        db.session.remove()


@pytest.fixture
def session(app, demo):
    with app.app_context():
        yield db.session
        db.session.remove()


def _tenant(code: str) -> Tenant:
    return db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == code))


def _sign_in(client, email: str) -> None:
    response = client.post("/auth/sign-in", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _by_kind(code: str) -> tuple[Counter, Counter, Counter]:
    """(ideas by unit kind, units with ideas by kind, ideas by stage) of a tenant."""
    with tenant_session(_tenant(code).ref()) as s:
        rows = s.execute(sa.select(Unit.kind, Idea.unit_id, Idea.stage)
                         .join(Unit, Unit.id == Idea.unit_id)).all()
    return (Counter(k for k, _u, _s in rows), Counter(k for k, _u in {(k, u) for k, u, _s in rows}),
            Counter(s for _k, _u, s in rows))


def test_the_counts_follow_the_record(session):
    ideas, units, stages = _by_kind("35.13")
    assert ideas == {UnitKind.OPD: 29, UnitKind.PUSKESMAS: 20, UnitKind.KECAMATAN: 25}
    assert stages == {Stage.DELIVER: 74}

    ideas, units, stages = _by_kind("35.23")
    assert ideas == {UnitKind.OPD: 118} and units == {UnitKind.OPD: 53}
    assert stages == {Stage.DELIVER: 118}

    ideas, units, stages = _by_kind("33.03")
    assert sum(ideas.values()) == 174 and stages == {Stage.DIAGNOSE: 174}
    assert units == {UnitKind.OPD: 35, UnitKind.KECAMATAN: 18, UnitKind.PUSKESMAS: 25,
                     UnitKind.BUMD: 8}

    with tenant_session(_tenant("35.74").ref()) as s:
        rows = s.execute(sa.select(Idea.acronym, Idea.stage, Unit.name, Unit.kind)
                         .join(Unit, Unit.id == Idea.unit_id).order_by(Idea.acronym)).all()
    assert [(a, st) for a, st, _n, _k in rows] == [
        ("Inol Aja", "display"), ("Kencan Untukmu", "display"),
        ("MBS Puser Oriented", "display"), ("Si Kepho", "display"), ("Siber PAM", "display")]
    units = {a: (n, k) for a, _s, n, k in rows}
    assert units["Inol Aja"] == units["Si Kepho"] == ("Dinas Kesehatan", UnitKind.OPD)
    assert units["MBS Puser Oriented"][0] == "Dinas Pendidikan"
    assert units["Kencan Untukmu"][0] == "Dinas Perikanan"
    assert units["Siber PAM"][1] == UnitKind.BUMD


def test_each_tenant_page_agrees_with_itself(app, session):
    client = app.test_client()
    _sign_in(client, "admin@lan.example")
    today = today_in("Asia/Jakarta")
    for region in REGIONS:
        tenant = _tenant(region.code)
        assert tenant.status == "active" and tenant.admin_name == region.admin[0]
        current = agreements_of(session, tenant.id)
        for kind in (Agreement.MOU, Agreement.PKS):
            renewal = current[kind]
            assert renewal.renews is not None, "the current agreement is the renewal"
            assert renewal.valid_from <= today <= renewal.valid_until
            assert renewal.renews.valid_until < today
        assert current[Agreement.MOU].regional_signatory_title == region.head_title
        original = session.scalar(sa.select(Agreement).where(
            Agreement.tenant_id == tenant.id, Agreement.kind == Agreement.MOU,
            Agreement.renews_id.is_(None)))
        assert (original.number, original.signed_on) == (region.mou.number, region.mou.signed_on)
        steps = [e.to_status for e in sorted(tenant.events, key=lambda e: e.at)]
        assert steps == ["draft", "mou_signed", "pks_signed", "provisioning", "active"]

        html = client.get(f"/lan/tenants/{tenant.id}").get_data(as_text=True)
        assert html.count('class="step step-done"') == 4
        assert 'step step-current" aria-current="step"' in html
        assert region.admin[0] in html and f"bappeda@{tenant.slug}.example" in html
        assert current[Agreement.MOU].number in html and current[Agreement.PKS].number in html
        assert "Belum dicatat" not in html and "Bupati / Wali Kota" not in html
        # The history: every step, by the LAN administrator, on the record's dates.
        assert str(region.mou.signed_on.year) in html


def test_the_agreements_carry_real_signed_pdfs(session):
    agreements = session.scalars(sa.select(Agreement)).all()
    assert len(agreements) == 4 * len(REGIONS)
    files = storage()
    for agreement in agreements:
        assert agreement.document_key.startswith(f"platform/agreements/{agreement.tenant_id}/")
        data = files.get(agreement.document_key)
        assert data.startswith(b"%PDF-") and len(data) == agreement.document_size
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert agreement.number in text
        assert agreement.regional_signatory_title in text
        assert agreement.lan_signatory_name in text
        assert ("NOTA KESEPAHAMAN" if agreement.kind == "mou" else "PERJANJIAN KERJA SAMA") in text
        if agreement.renews_id:
            assert agreement.renews.number in text


def test_the_logs_show_what_the_real_flow_wrote(session):
    for region in REGIONS:
        tenant = _tenant(region.code)
        actions = Counter(session.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.tenant_id == tenant.id)))
        for action in ("tenant.draft_created", "agreement.mou_recorded",
                       "agreement.pks_recorded", "tenant.admin_set",
                       "tenant.activation_requested", "tenant.activated",
                       "agreement.mou_renewed", "agreement.pks_renewed", "cohort.enrolled"):
            assert actions[action] == 1, action
        assert actions["account.invitation_accepted"] == 2  # the administrator, an innovator
        first = session.scalar(sa.select(sa.func.min(AuditEntry.at)).where(
            AuditEntry.tenant_id == tenant.id))
        assert first.date() <= region.mou.signed_on  # dated as in the record
        with tenant_session(tenant.ref()) as s:
            lab = Counter(s.scalars(sa.select(LabAuditEntry.action)))
            opened = s.scalar(sa.select(LabAuditEntry.at).where(
                LabAuditEntry.action == "lab.opened"))
        assert opened.year == region.pks.signed_on.year
        for action in ("lab.opened", "people.coach_assigned", "people.invited",
                       "rpjmd.period_created", "commitment.recorded", "idea.created",
                       "comment.added"):
            assert lab[action] >= 1, (region.code, action)
        if region.stage != Stage.DIAGNOSE:
            assert lab["idea.moved"] and lab["plan.milestone_added"] and lab["plan.note_added"]
            assert lab["launch.recorded"] and lab["regulation.recorded"]


def test_the_labs_are_whole(session):
    today = today_in("Asia/Jakarta")
    for region in REGIONS:
        with tenant_session(_tenant(region.code).ref()) as s:
            ideas = s.scalars(sa.select(Idea)).all()
            units = s.scalars(sa.select(Unit)).all()
            signed = set(s.scalars(sa.select(Commitment.unit_id)))
            scan = s.scalars(sa.select(Commitment)).first()
            text = PdfReader(io.BytesIO(storage().get(scan.document_key))).pages[0].extract_text()
            assert "TRI SAKTI INAGARA" in text and scan.signatory_name.split(",")[0] in text
            assert 0 < len(units) - len(signed) <= max(3, len(units) // 10), "a few missing"
            assert all(i.innovators for i in ideas)
            assert sum(1 for i in ideas if i.indicator_id) >= len(ideas) // 2
            assert s.scalar(sa.select(sa.func.count()).select_from(RpjmdIndicator)) >= 4
            if region.stage == Stage.DIAGNOSE:
                continue
            for idea in ideas:
                assert word_count(idea.design) >= DESIGN_MIN_WORDS, idea.title
                assert idea.problem and idea.root_causes and idea.launched_on
                assert idea.trial_on <= idea.launched_on and idea.tahapan == "penerapan"
            milestones = s.scalars(sa.select(Milestone)).all()
            states = Counter("late" if m.is_late(today) else m.status for m in milestones)
            if region.stage == Stage.DELIVER:
                assert states["done"] and states["in_progress"] and states["planned"]
                assert states["late"], "some milestones are late"
            assert len({i.title for i in ideas}) == len(ideas)
            launched = {i.id for launch in s.scalars(sa.select(Launch)) for i in launch.ideas}
            assert launched == {i.id for i in ideas}
            regulations = s.scalars(sa.select(Regulation).order_by(Regulation.id)).all()
            latest = regulations[-1]
            assert {i.id for i in latest.ideas} == {i.id for i in ideas}
            assert storage().get(latest.document_key).startswith(b"%PDF-")
            if region.code == "35.23":  # a Perbup, then its revision adding the second round
                assert [r.revises_id for r in regulations] == [None, regulations[0].id]
                contracts = [i for i in ideas if "kontrak kinerja" in (i.expected_results or "")]
                assert {i.unit.short_name for i in contracts} == {"RSUD Koesma", "Dinas PUPR",
                                                                 "Disperkim"}
            if region.stage == Stage.DISPLAY:
                assert all(i.results and i.attachments for i in ideas)
                assert latest.kind == Regulation.PERWALI


def test_the_summaries_match_the_labs_and_the_cohorts_place_them_today(session):
    for region in REGIONS:
        tenant = _tenant(region.code)
        enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.tenant_id == tenant.id))
        cohort = session.get(Cohort, enrolment.cohort_id)
        summary = session.get(LabSummary, (cohort.id, tenant.id))
        today = today_in(tenant.timezone)
        with tenant_session(tenant.ref()) as s:
            ideas = s.scalars(sa.select(Idea).where(Idea.cohort_id == cohort.id)).all()
            milestones = s.scalars(sa.select(Milestone)).all()
            assert current_stage(effective_windows(s, cohort), today) == region.stage
            last = s.scalar(sa.select(sa.func.max(IdeaEvent.at)))
        assert summary.current_stage == region.stage
        assert summary.ideas == len(ideas)
        assert summary.by_stage[region.stage] == len(ideas)
        assert summary.milestones == len(milestones)
        assert summary.late_milestones == sum(m.is_late(today) for m in milestones)
        assert cohort.starts_on <= summary.last_activity_at.date() <= today
        assert summary.last_activity_at >= last
        assert [c.user_id for c in cohort.coaches] == [session.scalar(
            sa.select(User.id).where(User.email == "coach@lan.example"))]
    names = set(session.scalars(sa.select(Cohort.name)))
    assert len(names) == 3 and all(re.fullmatch(
        r"Laboratorium Inovasi 20\d\d — Angkatan (I|II)", n) for n in names)


def test_every_demo_sign_in_works(app, demo):
    assert [e for e, _n, _r in demo][:2] == ["admin@lan.example", "coach@lan.example"]
    assert len(demo) == 2 + 2 * len(REGIONS)
    for email, _name, role in demo:
        client = app.test_client()
        _sign_in(client, email)
        if role.startswith(Role.INNOVATOR):
            slug = role.split()[1]
            assert client.get(f"/{slug}/").status_code == 200


def test_lans_cohort_dashboard_shows_the_demo_labs(app, demo, session):
    """The loader counts its labs: the deliver cohort's dashboard is filled from the start."""
    tenant = _tenant("35.13")
    cohort_id = session.scalar(sa.select(Enrolment.cohort_id).where(
        Enrolment.tenant_id == tenant.id))
    client = app.test_client()
    _sign_in(client, "admin@lan.example")
    page = client.get(f"/lan/cohorts/{cohort_id}/dashboard?sort=-ideas")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kabupaten Probolinggo" in html and "Kabupaten Tuban" in html
    assert ">118<" in html and ">74<" in html  # Tuban's and Probolinggo's ideas
    assert html.index("Kabupaten Tuban") < html.index("Kabupaten Probolinggo")
    assert "Belum dihitung" not in html and "Not counted yet" not in html  # all counted


def _snapshot(engine: sa.Engine) -> dict:
    """Row counts of every table of every schema, and the stored files."""
    out = {}
    with engine.connect() as conn:
        for schema, table in conn.execute(sa.text(
                "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'platform' "
                "OR schemaname LIKE 't\\_%' ORDER BY 1, 2")).all():
            out[f"{schema}.{table}"] = conn.exec_driver_sql(
                f'SELECT count(*) FROM "{schema}"."{table}"').scalar()
        out["agreements"] = conn.execute(sa.text(
            "SELECT string_agg(number || valid_until, ',' ORDER BY id) FROM platform.agreement"
        )).scalar()
        out["summaries"] = conn.execute(sa.text(
            "SELECT string_agg(ideas || '/' || late_milestones || '/' || refreshed_at, ',' "
            "ORDER BY tenant_id) FROM platform.lab_summary")).scalar()
    out["files"] = sorted(storage().keys("platform/")) + sorted(
        k for code in SLUGS for k in storage().keys(f"t{_tenant(code).id}/"))
    return out


def test_loading_again_through_the_command_changes_nothing(app, session, service_env):
    before = _snapshot(db.engine)
    result = subprocess.run([str(LABINOV), "demo", "load"], env=service_env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    # The embedded run prints the lines that start with two spaces as the sign-ins.
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in lines] == [
        "admin@lan.example", "coach@lan.example",
        *(f"{who}@{SLUGS[r.code]}.example" for r in REGIONS for who in ("bappeda", "inovator"))]
    assert DEMO_PASSWORD in result.stdout
    db.session.remove()
    assert _snapshot(db.engine) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(Invitation).where(
        Invitation.accepted_at.is_(None), Invitation.role != Role.COACH)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Membership)) == before[
        "platform.membership"]
    assert session.scalar(sa.select(sa.func.count()).select_from(TenantEvent)) == 5 * len(REGIONS)


def test_the_demo_is_refused_in_production(service_env):
    env = {**service_env, "LABINOV_ENV": "production", "SECRET_KEY": "x" * 48,
           "BASE_URL": "https://labinov.example"}
    result = subprocess.run([str(LABINOV), "demo", "load"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "refused" in result.stderr + result.stdout


def test_a_region_from_an_earlier_demo_is_named_then_replaced(session):
    """Runs last: it drops and rebuilds Kota Probolinggo."""
    from tenants.demo.load import OutdatedDemo, drop_outdated

    tenant_id = _tenant("35.74").id
    old_keys = storage().keys(f"t{tenant_id}/")
    session.execute(sa.delete(Agreement).where(Agreement.tenant_id == tenant_id,
                                               Agreement.renews_id.is_not(None)))
    session.commit()
    with pytest.raises(OutdatedDemo, match="kota-probolinggo"):
        load_demo()
    db.session.rollback()
    assert drop_outdated() == ["kota-probolinggo"]
    assert old_keys and storage().keys(f"t{tenant_id}/") == []
    assert storage().keys(f"platform/agreements/{tenant_id}/") == []
    load_demo()
    db.session.remove()
    _ideas, _units, stages = _by_kind("35.74")
    assert stages == {Stage.DISPLAY: 5}
    assert len(agreements_of(db.session, _tenant("35.74").id)) == 2
