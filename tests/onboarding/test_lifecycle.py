"""Suspend, reactivate, archive: from the tenant's LAN page, recorded with the actor."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from fixtures.app import sign_in, text_of
from fixtures.onboarding import signed_in
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.db import db
from tenants.registry import Tenant, TenantEvent
from tenants.scope import tenant_session
from tenants.units.models import Unit


def text(response) -> str:
    return html.unescape(text_of(response))


@pytest.fixture
def lab(make_tenant):
    """An active tenant with a unit in it, and its id."""
    tenant = make_tenant("35.23")
    with tenant_session(tenant.ref()) as session:
        session.add(Unit(name="Puskesmas Jenu", kind="puskesmas"))
        session.commit()
    return tenant.id


def status(tenant_id: int) -> str:
    db.session.expire_all()
    value = db.session.get(Tenant, tenant_id).status
    db.session.rollback()
    return value


def lab_log(tenant_id: int) -> list[tuple[str, int | None, dict]]:
    db.session.rollback()
    with tenant_session(db.session.get(Tenant, tenant_id).ref()) as session:
        rows = session.execute(sa.select(LabAuditEntry.action, LabAuditEntry.actor_id,
                                         LabAuditEntry.detail).order_by(LabAuditEntry.id))
        return [tuple(r) for r in rows]


def test_suspend_reactivate_archive(client, make_user, lab):
    lan = signed_in(client, make_user)
    bappeda = make_user(memberships=[(db.session.get(Tenant, lab), "bappeda_admin")],
                        locale="en")
    lan_id, bappeda_email = lan.id, bappeda.email

    page = text(client.get(f"/lan/tenants/{lab}/suspend"))
    assert "every page of its lab shows a notice" in page
    response = client.post(f"/lan/tenants/{lab}/suspend", data={"reason": "Pergantian pejabat"})
    assert response.status_code == 302
    assert status(lab) == "suspended"
    assert "is suspended. Its pages show a notice" in text(client.get(f"/lan/tenants/{lab}"))

    # Every tenant URL shows the clear page; the data stays.
    member = client.application.test_client()
    sign_in(member, bappeda_email)
    db.session.rollback()
    blocked = member.get("/kab-tuban/")
    assert blocked.status_code == 403 and "suspended" in text(blocked)
    assert member.get("/kab-tuban/audit").status_code == 403

    response = client.post(f"/lan/tenants/{lab}/reactivate", data={})
    assert status(lab) == "active"
    db.session.rollback()
    home = member.get("/kab-tuban/")
    assert home.status_code == 200 and "Puskesmas" in text(home)

    confirm = text(client.get(f"/lan/tenants/{lab}/archive"))
    assert "Archiving closes the lab of Kabupaten Tuban for good" in confirm
    assert status(lab) == "active"  # asking is not doing
    client.post(f"/lan/tenants/{lab}/archive", data={"reason": "Program selesai"})
    assert status(lab) == "archived"
    db.session.rollback()
    gone = member.get("/kab-tuban/")
    assert gone.status_code == 410 and "archived" in text(gone)

    events = db.session.execute(sa.select(
        TenantEvent.from_status, TenantEvent.to_status, TenantEvent.actor_id, TenantEvent.note)
        .where(TenantEvent.tenant_id == lab).order_by(TenantEvent.id)).all()
    assert [tuple(e) for e in events[1:]] == [
        ("active", "suspended", lan_id, {"reason": "Pergantian pejabat"}),
        ("suspended", "active", lan_id, {}),
        ("active", "archived", lan_id, {"reason": "Program selesai"}),
    ]
    audit = db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor_id,
                                         AuditEntry.detail["previous"].astext)
                               .where(AuditEntry.tenant_id == lab)
                               .order_by(AuditEntry.id)).all()
    assert [tuple(a) for a in audit] == [("tenant.suspended", lan_id, "active"),
                                        ("tenant.reactivated", lan_id, "suspended"),
                                        ("tenant.archived", lan_id, "active")]
    # The lab's own log tells its administrators what LAN did; the data is all still there.
    assert [(a, who) for a, who, _ in lab_log(lab)] == [
        ("lab.suspended", lan_id), ("lab.reactivated", lan_id), ("lab.archived", lan_id)]
    with tenant_session(db.session.get(Tenant, lab).ref()) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 1
    db.session.rollback()
    # Archived is final: no lifecycle buttons, and the URLs refuse.
    page = text(client.get(f"/lan/tenants/{lab}"))
    assert "Reactivate…" not in page and "Suspend…" not in page
    before = status(lab)
    response = client.post(f"/lan/tenants/{lab}/reactivate", data={})
    assert "This change is not possible" in text(client.get(response.headers["Location"]))
    assert status(lab) == before


def test_changes_that_the_state_does_not_allow_are_refused(client, make_user, lab):
    signed_in(client, make_user)
    events = db.session.scalar(sa.select(sa.func.count()).select_from(TenantEvent))
    response = client.post(f"/lan/tenants/{lab}/reactivate", data={})  # it is active
    assert "This change is not possible" in text(client.get(response.headers["Location"]))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TenantEvent)) == events
    assert status(lab) == "active"


def test_a_draft_cannot_be_suspended(client, make_user):
    from fixtures.onboarding import start, tenant_of

    signed_in(client, make_user)
    start(client)
    tenant_id = tenant_of().id
    client.post(f"/lan/tenants/{tenant_id}/suspend", data={})
    assert status(tenant_id) == "draft"


def test_only_lan_administrators_change_the_lifecycle(client, make_user, lab):
    coach = make_user(platform_role="lan_coach", locale="en",
                      memberships=[(db.session.get(Tenant, lab), "coach")])
    sign_in(client, coach)
    for action in ("suspend", "archive"):
        assert client.get(f"/lan/tenants/{lab}/{action}").status_code == 403
        assert client.post(f"/lan/tenants/{lab}/{action}", data={}).status_code == 403
    assert status(lab) == "active"
    page = text(client.get(f"/lan/tenants/{lab}"))  # the assigned coach reads the page
    assert "Kabupaten Tuban" in page and "Suspend…" not in page
