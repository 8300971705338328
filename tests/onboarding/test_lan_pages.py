"""LAN's registry, dashboard and audit log; who sees which tenant; each lab's own log."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from fixtures.app import sign_in, text_of
from fixtures.onboarding import signed_in, start, tenant_of
from fixtures.services import ROOT
from tenants.audit.models import AuditEntry
from tenants.audit.operations import record_platform
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.registry import Tenant
from tenants.scope import tenant_session

ATTRIBUTION = ("Contains information from idn-area-data (version 3.1.2), which is made "
               "available here under the Open Database License (ODbL)")


def text(response) -> str:
    return html.unescape(text_of(response))


def rows(response) -> list[str]:
    """The region codes listed in the registry table."""
    return re.findall(r"<td class=\"nowrap\"><code>(\d\d\.\d\d)</code>",
                      response.get_data(as_text=True))


def add_agreement(tenant_id: int, kind: str, valid_until: date, number: str) -> None:
    db.session.add(Agreement(
        tenant_id=tenant_id, kind=kind, number=number, signed_on=date(2021, 1, 4),
        valid_from=date(2021, 1, 4), valid_until=valid_until,
        lan_signatory_name="Dr. Adi Suryanto", lan_signatory_title="Kepala LAN",
        regional_signatory_name="H. Puput Tantriana Sari", regional_signatory_title="Bupati"))
    db.session.commit()


# --- the regency registry ----------------------------------------------------------------

def test_registry_lists_every_regency_with_its_state(client, make_user, make_tenant):
    signed_in(client, make_user)
    make_tenant("35.13")
    start(client, "35.23")
    page = client.get("/lan/regions")
    assert page.status_code == 200
    body = text(page)
    assert "514 regencies and cities found." in body
    assert "512 not started, 1 draft, 1 active" in body
    assert len(rows(page)) == 50 and "Page 1 of 11" in body
    assert len(rows(client.get("/lan/regions?page=11"))) == 14
    assert ATTRIBUTION in body
    assert "ODbL" in (ROOT / "tenants/regions/data/README.md").read_text()
    assert ATTRIBUTION in " ".join((ROOT / "tenants/regions/data/README.md").read_text().split())


@pytest.mark.parametrize(("query", "expected"), [
    ("q=probolinggo", ["35.13", "35.74"]),
    ("q=PROBOLINGGO+kota", ["35.74"]),
    ("q=35.13", ["35.13"]),
    ("q=3513", ["35.13"]),
    ("q=91.7", ["91.71"]),
    ("q=jayapura", ["91.03", "91.71"]),
    ("q=jayapura&province=91", ["91.03", "91.71"]),
    ("q=tuban&state=active", ["35.23"]),
    ("q=tuban&state=none", []),
    ("q=probolinggo&state=none", ["35.74"]),
    ("q=nowhere-at-all", []),
])
def test_registry_search_and_filters(client, make_user, make_tenant, query, expected):
    signed_in(client, make_user)
    make_tenant("35.23")
    make_tenant("35.13")
    assert rows(client.get(f"/lan/regions?{query}")) == expected


def test_registry_filters_by_province_and_links_to_onboarding(client, make_user, make_tenant):
    signed_in(client, make_user)
    tenant_id = make_tenant("35.23").id
    page = client.get("/lan/regions?province=35")
    assert "38 regencies and cities found." in text(page)
    body = page.get_data(as_text=True)
    assert 'href="/lan/onboarding/35.13"' in body  # not started: start onboarding
    assert f'href="/lan/tenants/{tenant_id}"' in body  # onboarded: its page
    assert rows(client.get("/lan/regions?state=active")) == ["35.23"]


# --- the dashboard -----------------------------------------------------------------------

def test_dashboard_counts_states_and_flags_expiring_agreements(client, make_user, make_tenant):
    signed_in(client, make_user)
    tuban, probolinggo = make_tenant("35.23"), make_tenant("35.13")
    start(client, "33.03")
    today = date.today()
    add_agreement(tuban.id, "mou", today + timedelta(days=30), "MOU-TUBAN")
    add_agreement(tuban.id, "pks", today + timedelta(days=400), "PKS-TUBAN")
    add_agreement(probolinggo.id, "mou", today - timedelta(days=3), "MOU-PROBOLINGGO")
    page = text(client.get("/lan/"))
    assert re.search(r"2 Active", page) and re.search(r"1 Draft", page)
    assert "MoU MOU-TUBAN" in page and "30 days left" in page
    assert "MOU-PROBOLINGGO" in page and "expired 3 days ago" in page
    assert "PKS-TUBAN" not in page.split("Tenants")[0]  # 400 days: not flagged
    assert "Kabupaten Purbalingga" in page
    body = client.get("/lan/").get_data(as_text=True)
    assert 'href="/lan/regions"' in body and 'href="/lan/audit"' in body


# --- who sees which tenant ---------------------------------------------------------------

def test_a_coach_sees_only_the_tenants_assigned_to_them(client, make_user, make_tenant):
    tuban, probolinggo = make_tenant("35.23"), make_tenant("35.13")
    add_agreement(probolinggo.id, "mou", date.today() + timedelta(days=10), "MOU-P")
    coach = make_user(platform_role="lan_coach", locale="en", memberships=[(tuban, "coach")])
    tuban_id, probolinggo_id = tuban.id, probolinggo.id
    sign_in(client, coach)
    page = text(client.get("/lan/"))
    assert "Kabupaten Tuban" in page
    assert "Kabupaten Probolinggo" not in page and "MOU-P" not in page
    assert "1 Active" in page
    assert client.get(f"/lan/tenants/{tuban_id}").status_code == 200
    for url in (f"/lan/tenants/{probolinggo_id}",
                f"/lan/tenants/{probolinggo_id}/agreements/mou/document"):
        assert client.get(url).status_code == 404
    for url in ("/lan/regions", "/lan/audit", "/lan/onboarding/35.74",
                f"/lan/tenants/{tuban_id}/mou", f"/lan/tenants/{tuban_id}/admin"):
        assert client.get(url).status_code == 403, url


def test_people_without_a_lan_role_get_nothing_of_lan(client, make_user, make_tenant):
    tuban = make_tenant("35.23")
    person = make_user(memberships=[(tuban, "bappeda_admin")])
    sign_in(client, person)
    for url in ("/lan/", "/lan/regions", "/lan/audit", f"/lan/tenants/{tuban.id}",
                "/lan/onboarding/35.13"):
        assert client.get(url).status_code == 403, url
    signed_out = client.application.test_client()
    assert signed_out.get("/lan/regions").status_code == 302


def test_agreement_downloads_are_for_lan_staff_who_may_see_the_tenant(
        client, make_user, make_tenant, s3_server):
    from fixtures.onboarding import MOU, agreement

    signed_in(client, make_user)
    start(client)
    tenant_id = tenant_of().id
    agreement(client, tenant_id, "mou", MOU)
    assert client.get(f"/lan/tenants/{tenant_id}/agreements/mou/document").status_code == 302
    assert client.get(f"/lan/tenants/{tenant_id}/agreements/pks/document").status_code == 404
    assert client.get(f"/lan/tenants/{tenant_id}/agreements/xyz/document").status_code == 404
    other = client.application.test_client()
    sign_in(other, make_user(platform_role="lan_coach"))  # not assigned
    assert other.get(f"/lan/tenants/{tenant_id}/agreements/mou/document").status_code == 404


# --- audit logs --------------------------------------------------------------------------

def test_lan_audit_log_filters_and_pages(client, make_user, make_tenant):
    lan = signed_in(client, make_user)
    other = make_user(platform_role="lan_admin", name="Teguh Prasetyo")
    tuban, probolinggo = make_tenant("35.23"), make_tenant("35.13")
    for i in range(55):
        record_platform(db.session, "tenant.suspended", actor_id=lan.id, tenant_id=tuban.id,
                        target=f"kab-tuban-{i}")
    record_platform(db.session, "agreement.mou_recorded", actor_id=other.id,
                    tenant_id=probolinggo.id, target="MOU-PROB")
    old = record_platform(db.session, "tenant.archived", actor_id=None, tenant_id=None,
                          target="long-ago")
    db.session.flush()
    old.at = old.at.replace(year=2019, month=6, day=1)
    db.session.commit()
    ids = {"lan": lan.id, "other": other.id, "tuban": tuban.id, "prob": probolinggo.id}

    page = text(client.get("/lan/audit"))
    assert "57 entries" in page and "Page 1 of 2" in page
    assert "kab-tuban-54" in page and "long-ago" not in page  # newest first
    assert "long-ago" in text(client.get("/lan/audit?page=2"))

    by_action = text(client.get("/lan/audit?action=agreement.mou_recorded"))
    assert "1 entry" in by_action and "MoU recorded" in by_action and "MOU-PROB" in by_action
    by_tenant = text(client.get(f"/lan/audit?tenant={ids['prob']}"))
    assert "1 entry" in by_tenant and "Kabupaten Probolinggo" in by_tenant
    by_actor = text(client.get(f"/lan/audit?actor={ids['other']}"))
    assert "1 entry" in by_actor and "Teguh Prasetyo" in by_actor
    assert "1 entry" in text(client.get("/lan/audit?actor=system"))
    dated = text(client.get("/lan/audit?since=2019-05-01&until=2019-06-01"))
    assert "1 entry" in dated and "long-ago" in dated
    assert "0 entries" in text(client.get("/lan/audit?since=2019-06-02&until=2019-12-31"))
    bad = text(client.get("/lan/audit?since=kemarin"))
    assert "Not a valid date; this filter is ignored." in bad and "57 entries" in bad
    # The filters stay in the page links.
    body = client.get(f"/lan/audit?tenant={ids['tuban']}").get_data(as_text=True)
    assert f"/lan/audit?page=2&amp;tenant={ids['tuban']}" in body


def test_a_bappeda_admin_reads_their_own_labs_log_only(client, make_user, make_tenant):
    tuban, probolinggo = make_tenant("35.23"), make_tenant("35.13")
    lan = make_user(platform_role="lan_admin", name="Rina Marlina")
    with tenant_session(tuban.ref()) as session:
        from tenants.audit.operations import record_lab

        record_lab(session, "lab.suspended", actor_id=lan.id, reason="audit tuban")
        session.commit()
    with tenant_session(probolinggo.ref()) as session:
        from tenants.audit.operations import record_lab

        record_lab(session, "lab.suspended", actor_id=lan.id, reason="audit probolinggo")
        session.commit()
    admin_a = make_user(locale="en", memberships=[(tuban, "bappeda_admin")])
    innovator_a = make_user(locale="en", memberships=[(tuban, "innovator", 1)]).email
    sign_in(client, admin_a)
    db.session.rollback()
    own = client.get("/kab-tuban/audit")
    assert own.status_code == 200
    assert "audit tuban" in text(own) and "Rina Marlina" in text(own)
    assert "audit probolinggo" not in text(own)
    db.session.rollback()
    assert client.get("/kab-probolinggo/audit").status_code == 404  # the neighbour's log
    db.session.rollback()
    filtered = text(client.get("/kab-tuban/audit?action=lab.opened"))
    assert "0 entries" in filtered
    other = client.application.test_client()
    sign_in(other, innovator_a)
    db.session.rollback()
    assert other.get("/kab-tuban/audit").status_code == 403  # a member, not an admin


def test_tenant_page_lists_who_did_what(client, make_user):
    from fixtures.onboarding import MOU, agreement

    signed_in(client, make_user, name="Rina Lestari")
    start(client)
    tenant_id = tenant_of().id
    agreement(client, tenant_id, "mou", MOU)
    page = text(client.get(f"/lan/tenants/{tenant_id}"))
    history = page.split("History")[1]
    assert "Rina Lestari" in history and "Draft → MoU signed" in history
    assert "MoU recorded" in history and MOU["number"] in history
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 2
    assert tenant_of().status == "mou_signed"
    assert db.session.get(Tenant, tenant_id).name == "Kabupaten Tuban"
