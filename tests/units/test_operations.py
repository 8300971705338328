"""The verbs of units and people, on a real tenant schema: what they write, what they refuse
(and why, in the reader's language), and what goes into the lab's audit log."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tenants.accounts.models import Invitation, Membership, Role
from tenants.audit.models import AuditEntry, LabAuditEntry
from tenants.db import db
from tenants.lab.models import Commitment, Idea, Milestone
from tenants.refusal import Refused
from tenants.scope import tenant_scope, tenant_session
from tenants.units import operations as ops
from tenants.units.models import Person, Unit
from tenants.units.queries import belongings, overview, people_of


@pytest.fixture
def lab(make_tenant, make_user):
    tenant = make_tenant("35.13")
    tenant.actor_id = make_user("bappeda@example.go.id", memberships=[
        (tenant, Role.BAPPEDA_ADMIN)]).id  # who acts in these tests
    return tenant


def run(lab, operation, *args, **kwargs):
    """Run an operation in the lab's scope and commit, as a view does; returns its result."""
    with tenant_session(lab.ref()) as session:
        result = operation(session, *args, actor_id=lab.actor_id, ip="10.0.0.1", **kwargs)
        session.commit()
        if isinstance(result, Unit | Person):
            result = result.id
        return result


def refusal(lab, operation, *args, **kwargs) -> Refused:
    """The refusal of an operation (in English), after which nothing it began is kept."""
    with tenant_session(lab.ref()) as session, force_locale("en"):
        with pytest.raises(Refused) as caught:
            operation(session, *args, actor_id=lab.actor_id, **kwargs)
        session.rollback()
    return caught.value


def unit_of(lab, unit_id) -> Unit:
    with tenant_session(lab.ref()) as session:
        unit = session.get(Unit, unit_id)
        session.expunge_all()
        return unit


def in_lab(lab, query):
    with tenant_session(lab.ref()) as session:
        return session.execute(query).all()


def log(lab) -> list[tuple]:
    return [tuple(row) for row in in_lab(lab, sa.select(
        LabAuditEntry.action, LabAuditEntry.target, LabAuditEntry.detail)
        .order_by(LabAuditEntry.id))]


def add(lab, name, kind="opd", short_name=None) -> int:
    return run(lab, ops.add_unit, name=name, kind=kind, short_name=short_name)


def with_unit(lab, unit_id, operation, **kwargs):
    """Run `operation(session, unit, ...)` on a unit loaded in the operation's session."""
    def go(session, **kw):
        return operation(session, session.get(Unit, unit_id), **kw)
    return run(lab, go, **kwargs)


def refused_on_unit(lab, unit_id, operation, **kwargs) -> Refused:
    def go(session, **kw):
        return operation(session, session.get(Unit, unit_id), **kw)
    return refusal(lab, go, **kwargs)


# --- Adding and editing -------------------------------------------------------------------

def test_adding_a_unit_cleans_its_name_and_logs_it(lab):
    unit_id = add(lab, "  Dinas   Kesehatan ", "opd", " Dinkes ")
    unit = unit_of(lab, unit_id)
    assert (unit.name, unit.kind, unit.short_name) == ("Dinas Kesehatan", "opd", "Dinkes")
    assert log(lab) == [("units.added", "Dinas Kesehatan", {"kind": "opd",
                                                              "short_name": "Dinkes"})]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "   ", "kind": "opd"}, "name", "Enter the unit's name."),
    ({"name": "D" * 201, "kind": "opd"}, "name", "The name is too long: at most 200 characters."),
    ({"name": "Dinas Sosial", "kind": "dinas"}, "kind", "Choose the type of unit."),
    ({"name": "Dinas Sosial", "kind": ""}, "kind", "Choose the type of unit."),
    ({"name": "Dinas Sosial", "kind": "opd", "short_name": "S" * 61}, "short_name",
     "The short name is too long: at most 60 characters."),
    ({"name": "dinas  KESEHATAN", "kind": "opd"}, "name",
     "There is already a unit called “Dinas Kesehatan”."),
])
def test_adding_a_unit_refuses_bad_fields(lab, fields, field, message):
    add(lab, "Dinas Kesehatan")
    before = log(lab)
    refused = refusal(lab, ops.add_unit, **fields)
    assert (refused.field, refused.message) == (field, message)
    assert len(in_lab(lab, sa.select(Unit.id))) == 1
    assert log(lab) == before


def test_a_retired_or_merged_name_is_taken_and_says_so(lab):
    retired = add(lab, "Puskesmas Lama", "puskesmas")
    with_unit(lab, retired, ops.retire_unit)
    merged, into = add(lab, "Kecamatan Lama", "kecamatan"), add(lab, "Kecamatan Baru",
                                                               "kecamatan")
    with_unit(lab, merged, ops.merge_units, into_id=into)
    assert refusal(lab, ops.add_unit, name="puskesmas lama", kind="puskesmas").message == (
        "A retired unit is already called “Puskesmas Lama”. Bring it back on its page "
        "instead of adding it again.")
    assert refusal(lab, ops.add_unit, name="Kecamatan Lama", kind="kecamatan").message == (
        "“Kecamatan Lama” is the name of a unit that was merged into another. Choose "
        "another name.")


def test_editing_a_unit_logs_what_changed(lab):
    unit_id = add(lab, "Dinas Kesehatan", "opd")
    changes = with_unit(lab, unit_id, ops.update_unit, name="Dinas Kesehatan",
                        kind="rsud", short_name="Dinkes")
    assert changes == {"kind": ["opd", "rsud"], "short_name": [None, "Dinkes"]}
    assert log(lab)[-1] == ("units.changed", "Dinas Kesehatan",
                            {"kind": ["opd", "rsud"], "short_name": [None, "Dinkes"]})
    # The same values again: nothing changes, nothing is logged.
    assert with_unit(lab, unit_id, ops.update_unit, name="Dinas Kesehatan", kind="rsud",
                     short_name="Dinkes") == {}
    assert len(log(lab)) == 2
    # A unit may change the case of its own name; not take another unit's.
    add(lab, "Dinas Sosial")
    assert with_unit(lab, unit_id, ops.update_unit, name="DINAS KESEHATAN", kind="rsud",
                     short_name="Dinkes") == {"name": ["Dinas Kesehatan", "DINAS KESEHATAN"]}
    refused = refused_on_unit(lab, unit_id, ops.update_unit, name="dinas sosial", kind="opd")
    assert (refused.field, refused.message) == (
        "name", "There is already a unit called “Dinas Sosial”.")
    assert unit_of(lab, unit_id).name == "DINAS KESEHATAN"


# --- Retiring and bringing back -------------------------------------------------------------

def test_retiring_and_bringing_back(lab):
    unit_id = add(lab, "Puskesmas Paiton", "puskesmas")
    with_unit(lab, unit_id, ops.retire_unit)
    assert unit_of(lab, unit_id).retired_at is not None
    assert refused_on_unit(lab, unit_id, ops.retire_unit).message == (
        "Puskesmas Paiton is already retired.")
    assert [u.unit.name for u in _overview(lab).retired] == ["Puskesmas Paiton"]
    with_unit(lab, unit_id, ops.restore_unit)
    assert unit_of(lab, unit_id).retired_at is None
    assert refused_on_unit(lab, unit_id, ops.restore_unit).message == (
        "Puskesmas Paiton is not retired.")
    assert [a for a, _t, _d in log(lab)] == ["units.added", "units.retired", "units.restored"]


def _overview(lab):
    with tenant_session(lab.ref()) as session:
        return overview(session)


def test_a_retired_unit_takes_no_new_people_or_innovators(lab, make_user):
    unit_id = add(lab, "Puskesmas Paiton", "puskesmas")
    with_unit(lab, unit_id, ops.retire_unit)
    assert refused_on_unit(lab, unit_id, ops.add_person, name="Budi").message == (
        "Puskesmas Paiton is retired and takes no new people.")
    refused = refusal(lab, ops.invite_member, email="budi@example.go.id", name="Budi",
                      role="innovator", unit_id=unit_id, locale="id")
    assert (refused.field, refused.message) == (
        "unit_id", "Puskesmas Paiton is retired and takes no new people. Choose another unit.")
    user = make_user("budi@example.go.id", memberships=[(lab, Role.INNOVATOR,
                                                          add(lab, "Dinas Sosial"))])

    def move(session, **kw):
        membership = session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        return ops.move_innovator(session, membership, unit_id, **kw)
    assert refusal(lab, move).field == "unit_id"


def test_a_merged_unit_cannot_be_brought_back(lab):
    old, new = add(lab, "Kecamatan Lama", "kecamatan"), add(lab, "Kecamatan Baru", "kecamatan")
    with_unit(lab, old, ops.merge_units, into_id=new)
    assert refused_on_unit(lab, old, ops.restore_unit).message == (
        "Kecamatan Lama was merged into Kecamatan Baru and cannot be brought back: its people "
        "and ideas are in Kecamatan Baru now.")


# --- Merging --------------------------------------------------------------------------------

def test_merging_moves_people_ideas_commitments_and_memberships(lab, make_user):
    old, new = add(lab, "Puskesmas Kraksaan Lama", "puskesmas"), add(lab, "Puskesmas Kraksaan",
                                                                      "puskesmas")
    other = add(lab, "Dinas Kesehatan")
    with tenant_session(lab.ref()) as s:
        budi = Person(unit_id=old, name="Budi Santoso")
        ani = Person(unit_id=new, name="Ani Wijaya")
        s.add_all([budi, ani, Person(unit_id=other, name="Citra Dewi")])
        s.flush()
        ideas = [Idea(cohort_id=1, unit_id=old, title=f"Ide {n}") for n in range(3)]
        s.add_all([*ideas, Idea(cohort_id=1, unit_id=other, title="Ide dinas")])
        s.flush()
        s.add(Milestone(idea_id=ideas[0].id, title="Uji coba", owner_id=budi.id))
        # A commitment per cohort: cohort 1 signed by both units, cohort 2 by the old only.
        for cohort, unit in ((1, old), (1, new), (2, old)):
            s.add(Commitment(cohort_id=cohort, unit_id=unit, signed_on=date(2024, 2, 1),
                             signatory_name="Kepala"))
        s.commit()
        budi_id = budi.id
    innovator = make_user("siti@example.go.id", memberships=[(lab, Role.INNOVATOR, old)])
    elsewhere = make_user("rudi@example.go.id", memberships=[(lab, Role.INNOVATOR, other)])
    invited = make_user("wati@example.go.id", memberships=[(lab, Role.INNOVATOR, old)])
    db.session.add(Invitation(user_id=invited.id, tenant_id=lab.id, role=Role.INNOVATOR,
                              unit_id=old))
    db.session.commit()
    with tenant_session(lab.ref()) as s:
        before = belongings(s, s.get(Unit, old))
    assert before.rows == {"commitment": 2, "idea": 3, "person": 1}
    assert before.memberships == 2

    merged = with_unit(lab, old, ops.merge_units, into_id=new)

    assert merged.moved == {"commitment": 1, "idea": 3, "person": 1}
    assert merged.kept == {"commitment": 1}  # cohort 1: the new unit's own stays in force
    assert merged.memberships == 2
    retired = unit_of(lab, old)
    assert retired.merged_into_id == new and retired.retired_at is not None
    assert sorted(in_lab(lab, sa.select(Idea.title).where(Idea.unit_id == new))) == [
        ("Ide 0",), ("Ide 1",), ("Ide 2",)]
    assert in_lab(lab, sa.select(Idea.unit_id).where(Idea.title == "Ide dinas")) == [(other,)]
    assert sorted(in_lab(lab, sa.select(Person.name).where(Person.unit_id == new))) == [
        ("Ani Wijaya",), ("Budi Santoso",)]
    # The milestone keeps its owner, who now belongs to the new unit.
    assert in_lab(lab, sa.select(Milestone.owner_id)) == [(budi_id,)]
    assert sorted(in_lab(lab, sa.select(Commitment.cohort_id, Commitment.unit_id))) == [
        (1, old), (1, new), (2, new)]
    db.session.expire_all()
    units = dict(db.session.execute(sa.select(Membership.user_id, Membership.unit_id).where(
        Membership.role == Role.INNOVATOR)).all())
    assert units == {innovator.id: new, elsewhere.id: other, invited.id: new}
    assert db.session.scalar(sa.select(Invitation.unit_id)) == new
    assert log(lab)[-1] == ("units.merged", "Puskesmas Kraksaan Lama",
                            {"unit": "Puskesmas Kraksaan"})
    moves = db.session.execute(sa.select(AuditEntry.target, AuditEntry.detail).where(
        AuditEntry.action == "membership.unit_changed").order_by(AuditEntry.target)).all()
    assert moves == [(e, {"unit": "Puskesmas Kraksaan",
                          "previous_unit": "Puskesmas Kraksaan Lama"})
                     for e in ("siti@example.go.id", "wati@example.go.id")]


@pytest.mark.parametrize("case", ["itself", "retired", "unknown", "already", "none"])
def test_merging_refusals(lab, case):
    unit, into = add(lab, "Desa Sumberanyar", "desa"), add(lab, "Desa Sukodadi", "desa")
    with tenant_session(lab.ref()) as s:
        s.add(Person(unit_id=unit, name="Budi"))
        s.commit()
    expected = {
        "itself": (unit, "into_id", "A unit cannot be merged into itself. Choose another unit."),
        "retired": (into, "into_id", "Desa Sukodadi is retired, so nothing can be merged "
                    "into it. Bring it back first, or choose another unit."),
        "unknown": (999_999, "into_id", "Choose a unit from the list."),
        "none": (None, "into_id", "Choose a unit from the list."),
        "already": (into, None, "Desa Sumberanyar has already been merged into another unit."),
    }
    target, field, message = expected[case]
    if case == "retired":
        with_unit(lab, into, ops.retire_unit)
    if case == "already":
        third = add(lab, "Desa Ketiga", "desa")
        with_unit(lab, unit, ops.merge_units, into_id=third)
    before = in_lab(lab, sa.select(Person.unit_id))
    refused = refused_on_unit(lab, unit, ops.merge_units, into_id=target)
    assert (refused.field, refused.message) == (field, message)
    assert in_lab(lab, sa.select(Person.unit_id)) == before


# --- People ---------------------------------------------------------------------------------

def test_adding_and_editing_people(lab):
    unit_id = add(lab, "Puskesmas Paiton", "puskesmas")
    person_id = with_unit(lab, unit_id, ops.add_person, name=" Ani  Wijaya ",
                          position="Kepala Puskesmas", email="ani@example.go.id")
    assert log(lab)[-1] == ("units.person_added", "Ani Wijaya", {"unit": "Puskesmas Paiton"})

    def edit(session, **kw):
        return ops.update_person(session, session.get(Person, person_id), **kw)
    assert run(lab, edit, name="Ani Wijaya", position="Bidan", email="ani@example.go.id") == {
        "position": ["Kepala Puskesmas", "Bidan"]}
    assert log(lab)[-1] == ("units.person_changed", "Ani Wijaya",
                            {"unit": "Puskesmas Paiton", "position": ["Kepala Puskesmas",
                                                                      "Bidan"]})
    # Refusals, each beside its field.
    with_unit(lab, unit_id, ops.add_person, name="Budi", email="budi@example.go.id")
    for fields, field, message in [
        ({"name": " "}, "name", "Enter the person's name."),
        ({"name": "N" * 121}, "name", "The name is too long: at most 120 characters."),
        ({"name": "Ani", "position": "P" * 161}, "position",
         "The position is too long: at most 160 characters."),
        ({"name": "Ani", "email": "ani at example"}, "email",
         "Enter an email address like name@example.go.id."),
        ({"name": "Ani", "email": "BUDI@example.go.id"}, "email",
         "Budi (Puskesmas Paiton) already has this email address."),
    ]:
        refused = refusal(lab, edit, **fields)
        assert (refused.field, refused.message) == (field, message)


def test_someone_with_an_account_keeps_the_email_they_sign_in_with(lab, make_user):
    unit_id = add(lab, "Puskesmas Paiton", "puskesmas")
    user = make_user("siti@example.go.id", memberships=[(lab, Role.INNOVATOR, unit_id)])
    with tenant_session(lab.ref()) as s:
        person = Person(unit_id=unit_id, name="Siti", email=user.email, account_id=user.id)
        s.add(person)
        s.commit()
        person_id = person.id

    def edit(session, **kw):
        return ops.update_person(session, session.get(Person, person_id), **kw)
    refused = refusal(lab, edit, name="Siti", email="siti.baru@example.go.id")
    assert (refused.field, refused.message) == (
        "email", "Siti signs in with siti@example.go.id; that address can only be changed on "
        "their own account.")
    assert run(lab, edit, name="Siti Nurhayati", email="SITI@example.go.id") == {
        "name": ["Siti", "Siti Nurhayati"], "email": ["siti@example.go.id",
                                                      "SITI@example.go.id"]}


def test_inviting_a_person_as_innovator_links_their_record(lab, app):
    unit_id = add(lab, "Puskesmas Paiton", "puskesmas")
    person_id = with_unit(lab, unit_id, ops.add_person, name="Ani Wijaya",
                          position="Bidan", email="Ani@Example.go.id")
    # As in a request: the app's Session, bound to the lab (accounts are written through it).
    ref, actor_id = lab.ref(), lab.actor_id
    db.session.commit()  # the scope is entered before the Session begins
    with app.test_request_context(), tenant_scope(ref):
        ops.invite_member(db.session, email="ani@example.go.id", name="Ani Wijaya",
                          role="innovator", unit_id=unit_id, locale="id", actor_id=actor_id)
        db.session.commit()
    with tenant_session(ref) as s:
        people = s.scalars(sa.select(Person)).all()
        assert [(p.id, p.name, p.position, p.email) for p in people] == [
            (person_id, "Ani Wijaya", "Bidan", "ani@example.go.id")]
        [row] = people_of(s, s.get(Unit, unit_id))
        assert row.user.email == "ani@example.go.id"
        assert row.roles == ["innovator"]
        assert row.standing.state == "queued"
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.tenant_id == ref.id, Membership.role == Role.INNOVATOR))
    assert (membership.role, membership.unit_id) == ("innovator", unit_id)
