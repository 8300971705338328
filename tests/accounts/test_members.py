"""Inviting someone who is already a member says so; moving an innovator to another unit is
its own confirmed action, in the audit log, with membership and person record in step."""

from __future__ import annotations

import sqlalchemy as sa

from fixtures.app import PASSWORD
from tenants.accounts.models import Membership
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.db import db
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit


def _as_bappeda(client, world):
    client.post("/auth/sign-in", data={"email": world.users["bappeda_a"].email,
                                       "password": PASSWORD})


def _unit(tenant, name: str) -> int:
    with tenant_session(tenant.ref()) as session:
        return session.scalar(sa.select(Unit.id).where(Unit.name == name))


def _invite(client, email, unit_id, role="innovator", name="Siti Nurhayati"):
    return client.post("/kab-probolinggo/people/invite", data={
        "invite-email": email, "invite-name": name, "invite-role": role,
        "invite-unit_id": str(unit_id), "invite-locale": "id"})


def test_inviting_an_active_innovator_into_another_unit_says_so_and_moves_nothing(
        client, world):
    _as_bappeda(client, world)
    innovator = world.users["innovator_a"]
    other_unit = _unit(world.a, "Kecamatan Paiton")
    response = _invite(client, innovator.email, other_unit, name="Another Name")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "sudah menjadi inovator Puskesmas Kraksaan" in page and "Ganti unit" in page
    db.session.expire_all()
    [membership] = db.session.scalars(sa.select(Membership).where(
        Membership.user_id == innovator.id)).all()
    assert membership.unit_id == world.unit_ids["a"]
    assert db.session.get(type(innovator), innovator.id).name == "Siti Nurhayati"


def test_inviting_a_bappeda_administrator_again_says_so(client, world):
    _as_bappeda(client, world)
    response = _invite(client, world.users["bappeda_a"].email, "", role="bappeda_admin")
    assert response.status_code == 400
    assert "bappeda@a.example sudah menjadi Administrator Bappeda di lab ini." in \
        response.get_data(as_text=True)


def test_changing_an_innovators_unit_is_confirmed_recorded_and_kept_in_step(client, world):
    _as_bappeda(client, world)
    innovator = world.users["innovator_a"]
    [membership] = innovator.memberships
    other_unit = _unit(world.a, "Kecamatan Paiton")
    page = client.get(f"/kab-probolinggo/people/{membership.id}/unit")
    assert page.status_code == 200 and "Puskesmas Kraksaan" in page.get_data(as_text=True)
    moved = client.post(f"/kab-probolinggo/people/{membership.id}/unit",
                        data={"unit_id": str(other_unit)})
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).unit_id == other_unit
    with tenant_session(world.a.ref()) as session:
        person = session.scalar(sa.select(Person).where(Person.account_id == innovator.id))
        assert person.unit_id == other_unit
        entry = session.scalars(sa.select(LabAuditEntry).where(
            LabAuditEntry.action == "people.unit_changed")).one()
        assert entry.detail == {"unit": "Kecamatan Paiton", "previous_unit": "Puskesmas Kraksaan"}
    assert db.session.scalar(sa.select(AuditEntry.id).where(
        AuditEntry.action == "membership.unit_changed")) is not None


def test_a_unit_of_another_lab_cannot_be_chosen(client, world):
    _as_bappeda(client, world)
    [membership] = world.users["innovator_a"].memberships
    response = client.post(f"/kab-probolinggo/people/{membership.id}/unit",
                           data={"unit_id": str(world.unit_ids["b"] + 1000)})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).unit_id == world.unit_ids["a"]
