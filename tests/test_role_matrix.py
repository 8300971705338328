"""Every route and every role: allowed or refused, as intended; and no tenant route of lab B
answers a member of lab A with anything but 404.

ROLE_MATRIX below is the statement of who may do what. A route that is not in it fails the
test: add a row for it (and, if it takes a new URL argument, a factory in ARGUMENTS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from fixtures.app import PASSWORD, request_client
from fixtures.world import ROLES, World, add_user, build_world
from tenants.accounts.models import Invitation, Membership, Role, SignIn, Token, User
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.registry import Tenant, TenantStatus
from tenants.scope import tenant_session
from tenants.units import imports as unit_imports
from tenants.units.models import Person, Unit

OK = "allowed"       # GET: the page (200); POST: done and sent on (302/303 inside the app),
                     # or the form back with its errors beside the fields (400)
IN = "sign-in"       # redirected to the sign-in page
NO = "403"           # signed in, but the role may not
NF = "404"           # not a member of that tenant (or nothing there for anyone)

# Columns, in the order of fixtures.world.ROLES:
#     anonymous, innovator_a, bappeda_a, coach_a (assigned to A), coach_b (assigned to B
#     only: not to A), lan_admin, lan_coach (assigned nowhere)
PUBLIC = (OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = (IN, OK, OK, OK, OK, OK, OK)
NOBODY = (NF, NF, NF, NF, NF, NF, NF)
LAB_MEMBERS = (IN, OK, OK, OK, NF, OK, NF)          # anyone with a role in lab A
LAB_ADMINS = (IN, NO, OK, NO, NF, OK, NF)           # Bappeda of A, and LAN administrators
LAB_BAPPEDA = (IN, NO, OK, NO, NF, NO, NF)          # Bappeda of A only
LAN_STAFF = (IN, NO, NO, OK, OK, OK, OK)            # LAN administrators and coaches
LAN_STAFF_OF_A = (IN, NO, NO, OK, NF, OK, NF)       # coaches see only the labs they coach
LAN_ADMINS = (IN, NO, NO, NO, NO, OK, NO)
# A cohort: LAN administrators, and the coaches assigned to it (coach_a here); any other
# coach finds nothing there, and people of a lab are not LAN staff.
COHORT_READERS = (IN, NO, NO, OK, NF, OK, NF)
# Ideas: innovators (their own unit's, here unit A's) and Bappeda change; coaches and LAN
# administrators read; coaches comment; a comment is changed by its author (bappeda_a here).
LAB_EDITORS = (IN, OK, OK, NO, NF, NO, NF)
LAB_COMMENTERS = (IN, OK, OK, OK, NF, NO, NF)
COMMENT_AUTHOR = (IN, NO, OK, NO, NF, NO, NF)


@dataclass(frozen=True)
class Route:
    expect: dict[str, tuple[str, ...]]               # method -> outcome per role
    args: dict[str, Callable] = field(default_factory=dict)  # overrides of ARGUMENTS
    why: str = ""
    # What else "allowed" may look like here, beyond the rule above: e.g. {302} for a GET
    # that sends on, {"elsewhere"} for a redirect to a signed storage URL.
    also: frozenset = frozenset()


def GET(row, also=(), **kw):
    return Route({"GET": row}, also=frozenset(also), **kw)


def GET_POST(get_row, post_row=None, also=(), **kw):
    return Route({"GET": get_row, "POST": post_row or get_row}, also=frozenset(also), **kw)


def POST(row, also=(), **kw):
    return Route({"POST": row}, also=frozenset(also), **kw)


# --- URL arguments: each call makes what one request needs ------------------------------------

@dataclass
class Need:
    world: World
    tenant: str = "a"       # which lab the URL is about
    n: int = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def fresh_innovator_membership(need: Need) -> int:
    tenant = need.world.tenant(need.tenant)
    unit_id = need.world.unit_ids[need.tenant]
    user = add_user(f"fresh-{need.next()}-{need.tenant}@unit.example", "Fresh Innovator",
                    memberships=[(tenant, Role.INNOVATOR, unit_id)])
    user.password_hash = None  # invited, has not accepted yet
    db.session.commit()
    return user.memberships[0].id


def fresh_coach_assignment(need: Need) -> int:
    tenant = need.world.tenant(need.tenant)
    user = add_user(f"fresh-coach-{need.next()}@lan.example", "Fresh Coach",
                    platform_role=Role.LAN_COACH, memberships=[(tenant, Role.COACH)])
    db.session.commit()
    return user.memberships[0].id


def fresh_lan_staff(need: Need) -> int:
    user = add_user(f"fresh-staff-{need.next()}@lan.example", "Fresh Staff",
                    platform_role=Role.LAN_COACH)
    user.password_hash = None
    db.session.commit()
    return user.id


def fresh_link(kind: str):
    def make(need: Need) -> str:
        tenant = need.world.tenant(need.tenant)
        # An invitation is for someone who has not joined yet; a reset, for a member.
        user = add_user(f"link-{need.next()}@unit.example", "Link Holder", memberships=[
            (tenant, Role.BAPPEDA_ADMIN)] if kind == Token.RESET else [])
        if kind == Token.INVITE:
            user.password_hash = None
        invitation = None
        if kind == Token.INVITE:
            invitation = Invitation(user=user, tenant_id=tenant.id, role=Role.BAPPEDA_ADMIN)
            db.session.add(Membership(user=user, tenant_id=tenant.id, role=Role.BAPPEDA_ADMIN))
        token, raw = Token.issue(kind, user, timedelta(hours=1), tenant=tenant)
        token.invitation = invitation
        db.session.add(token)
        db.session.commit()
        return raw

    return make


# --- Ideas, action plans, files and comments (issue 9) ---------------------------------------
# One idea per lab and test, in unit A's (or B's) unit; each milestone, file and comment is
# made fresh on it, so a request that removes one leaves the next its own.

def _idea(need: Need) -> int:
    ideas = need.__dict__.setdefault("ideas", {})
    if need.tenant not in ideas:
        from tenants.cohorts.models import Cohort, Enrolment
        from tenants.lab.models import Idea
        from tenants.scope import tenant_session

        tenant = need.world.tenant(need.tenant)
        cohort = Cohort(name=f"Matrix cohort {need.tenant} {need.next()}", year=2026)
        db.session.add_all([cohort, Enrolment(cohort=cohort, tenant_id=tenant.id)])
        db.session.commit()
        with tenant_session(tenant.ref()) as session:
            idea = Idea(cohort_id=cohort.id, unit_id=need.world.unit_ids[need.tenant],
                        title="Inovasi Layanan Online Aja", acronym="Inol Aja",
                        problem="Antrean panjang", root_causes="Pendaftaran manual")
            session.add(idea)
            session.flush()
            ideas[need.tenant] = idea.id
            session.commit()
    return ideas[need.tenant]


def _idea_row(need: Need, make) -> int:
    from tenants.lab.models import Idea
    from tenants.scope import tenant_session

    idea_id = _idea(need)
    with tenant_session(need.world.tenant(need.tenant).ref()) as session:
        row = make(session.get(Idea, idea_id))
        session.add(row)
        session.flush()
        row_id = row.id
        session.commit()
    return row_id


# Units and people: made in the URL's lab; in lab B with ids that lab A does not have, so that
# B's ids in A's URLs name nothing there.
def _in_lab(need: Need, row) -> int:
    with tenant_session(need.world.tenant(need.tenant).ref()) as session:
        if need.tenant == "b":
            row.id = 1_000_000 + need.n
        session.add(row)
        session.flush()
        row_id = row.id
        session.commit()
    return row_id


def fresh_milestone(need: Need) -> int:
    from tenants.lab.models import Milestone

    return _idea_row(need, lambda idea: Milestone(idea_id=idea.id, title="Sosialisasi",
                                                  position=need.next()))


def fresh_attachment(need: Need) -> int:
    from tenants.lab.models import Attachment
    from tenants.storage import tenant_key

    key = tenant_key(need.world.tenant(need.tenant).id, "ideas", "x", f"{need.next()}.pdf")
    return _idea_row(need, lambda idea: Attachment(
        idea_id=idea.id, kind="evidence", key=key, filename="bukti.pdf",
        content_type="application/pdf", size=1000))


def fresh_comment(need: Need) -> int:
    from tenants.lab.models import Comment

    author = need.world.users["bappeda_a"]
    return _idea_row(need, lambda idea: Comment(idea_id=idea.id, author_id=author.id,
                                                author_name=author.name, body="Bagus.",
                                                mentions=[]))


# --- The RPJMD, drum-up commitments, launches and regulations (tests/lab/test_rpjmd.py,
# test_records.py). Lab B's rows get ids that lab A's tables do not reach, so that an id of B
# answered in A's URLs would show as a leak rather than as A's own row.

def _lab_session(need: Need):
    from tenants.scope import tenant_session

    return tenant_session(need.world.tenant(need.tenant).ref())


def _far_ids(session, need: Need, *tables: str) -> None:
    if need.tenant == "b":
        for table in tables:
            session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    "GREATEST(100000, (SELECT last_value FROM "
                                    f"{table}_id_seq)))"))


def enrolled_cohort(need: Need) -> int:
    """The lab's cohort (made and enrolled once), for the pages that work on a cohort."""
    from tenants.cohorts.models import STAGES, Cohort, CohortStage, Enrolment

    tenant = need.world.tenant(need.tenant)
    found = db.session.scalar(sa.select(Enrolment.cohort_id).where(
        Enrolment.tenant_id == tenant.id))
    if found:
        return found
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Matrix cohort"))
    if cohort is None:
        cohort = Cohort(name="Matrix cohort", year=2026)
        for n, stage in enumerate(STAGES):
            starts = date(2026, 1, 1) + timedelta(days=60 * n)
            cohort.stages.append(CohortStage(stage=stage, starts_on=starts,
                                             ends_on=starts + timedelta(days=59),
                                             deliverable_due=starts + timedelta(days=59)))
        db.session.add(cohort)
        db.session.flush()
    db.session.add(Enrolment(cohort_id=cohort.id, tenant_id=tenant.id))
    db.session.commit()
    return cohort.id


def coached_cohort(need: Need) -> int:
    """Lab A's cohort, with coach_a assigned to it (again: an allowed POST of the coaches
    form may have emptied the list)."""
    from tenants.cohorts.models import CohortCoach

    cohort_id = enrolled_cohort(need)
    coach = need.world.users["coach_a"]
    if db.session.get(CohortCoach, (cohort_id, coach.id)) is None:
        db.session.add(CohortCoach(cohort_id=cohort_id, user_id=coach.id))
        db.session.commit()
    return cohort_id


def tenant_in_a_cohort(need: Need) -> str:
    enrolled_cohort(need)
    return need.world.tenant(need.tenant).slug


def fresh_rpjmd(kind: str):
    def make(need: Need) -> int:
        from tenants.lab.models import RpjmdIndicator, RpjmdPeriod, RpjmdPriority

        with _lab_session(need) as session:
            _far_ids(session, need, "rpjmd_period", "rpjmd_priority", "rpjmd_indicator")
            n = need.next()
            period = RpjmdPeriod(title=f"RPJMD matrix {n}", starts_year=2000 + n,
                                 ends_year=2000 + n)
            misi = RpjmdPriority(period=period, kind="misi", code="M1", text="Misi")
            sasaran = RpjmdPriority(period=period, kind="sasaran", code="S1.1", text="Sasaran")
            session.add_all([period, misi, sasaran])
            session.flush()
            sasaran.parent_id = misi.id
            indicator = RpjmdIndicator(priority_id=sasaran.id, code="IKD 1", name="Indikator")
            session.add(indicator)
            session.commit()
            return {"period": period.id, "priority": misi.id,
                    "indicator": indicator.id}[kind]

    return make


def fresh_active_unit(need: Need) -> int:
    from tenants.units.models import Unit

    enrolled_cohort(need)
    with _lab_session(need) as session:
        _far_ids(session, need, "unit")
        unit = Unit(name=f"Unit matriks {need.next()}", kind="opd")
        session.add(unit)
        session.commit()
        return unit.id


def fresh_record(kind: str):
    def make(need: Need) -> int:
        from tenants.lab.models import Commitment, Launch, Regulation
        from tenants.units.models import Unit

        cohort_id = enrolled_cohort(need)
        tenant_id = need.world.tenant(need.tenant).id
        with _lab_session(need) as session:
            _far_ids(session, need, "unit", "commitment", "launch", "regulation")
            n = need.next()
            if kind == "commitment":
                unit = Unit(name=f"Unit berkomitmen {n}", kind="opd")
                session.add(unit)
                session.flush()
                row = Commitment(cohort_id=cohort_id, unit_id=unit.id,
                                 signed_on=date(2026, 1, 5), signatory_name="Kepala",
                                 document_key=f"t{tenant_id}/commitments/{n}.pdf",
                                 document_name="deklarasi.pdf", document_size=10)
            elif kind == "launch":
                row = Launch(cohort_id=cohort_id, held_on=date(2026, 6, 1), place="Pendopo",
                             title=f"Launching {n}")
            else:
                row = Regulation(kind="perbup", number=f"{n} Tahun 2026",
                                 signed_on=date(2026, 6, 2), title="Inovasi Daerah",
                                 document_key=f"t{tenant_id}/regulations/{n}.pdf",
                                 document_name="perbup.pdf", document_size=10)
            session.add(row)
            session.commit()
            return row.id

    return make
def fresh_unit(need: Need) -> int:
    return _in_lab(need, Unit(name=f"Dinas Uji {need.next()}", kind="opd"))


def fresh_person(need: Need) -> int:
    return _in_lab(need, Person(unit_id=need.world.unit_ids[need.tenant],
                                name=f"Orang Uji {need.next()}"))


def fresh_unit_import(need: Need) -> str:
    rows = [unit_imports.Row(2, f"Kecamatan Uji {need.next()}", "Kecamatan", None)]
    return unit_imports.keep(need.world.tenant(need.tenant).id,
                             unit_imports.Rows("kecamatan.csv", rows, False))


# Reminders: a sent reminder in the URL's lab (lab B's with ids lab A's table does not reach),
# and one of LAN's agreement reminders.
def _reminder_row(**fields) -> dict:
    return {"email": "ahmad@dinkes.example", "name": "Ahmad Fauzi", "locale": "id",
            "category": "milestone", "item_key": "milestone:1", "title": "Sosialisasi",
            "path": "/", "due_on": date(2026, 12, 10), "remind_on": date(2026, 12, 3),
            "mode": "digest", "status": "sent", **fields}


def fresh_reminder(need: Need) -> int:
    from tenants.reminders.models import ReminderDelivery

    with _lab_session(need) as session:
        _far_ids(session, need, "reminder_delivery")
        row = ReminderDelivery(**_reminder_row(offset_days=need.next()))
        session.add(row)
        session.commit()
        return row.id


def fresh_agreement_reminder(need: Need) -> int:
    from tenants.reminders.models import AgreementReminder

    row = AgreementReminder(**_reminder_row(
        category="agreement", item_key="agreement:1", offset_days=need.next(),
        tenant_id=need.world.tenant(need.tenant).id))
    db.session.add(row)
    db.session.commit()
    return row.id


ARGUMENTS: dict[str, Callable[[Need], object]] = {
    "tenant": lambda need: need.world.tenant(need.tenant).slug,
    "tenant_id": lambda need: need.world.tenant(need.tenant).id,
    "membership_id": fresh_innovator_membership,
    "user_id": lambda need: fresh_lan_staff(need),
    "token": lambda need: "not-a-token",
    "kind": lambda need: "mou",
    "code": lambda need: "35.74",  # Kota Probolinggo: no tenant yet
    "action": lambda need: "suspend",
    "agreement_id": lambda need: db.session.scalar(sa.select(sa.func.min(Agreement.id)).where(
        Agreement.tenant_id == need.world.tenant(need.tenant).id)),
    "idea_id": _idea,
    "milestone_id": fresh_milestone,
    "attachment_id": fresh_attachment,
    "comment_id": fresh_comment,
    # The RPJMD, drum-up commitments, launches and regulations.
    "period_id": fresh_rpjmd("period"),
    "priority_id": fresh_rpjmd("priority"),
    "indicator_id": fresh_rpjmd("indicator"),
    "commitment_id": fresh_record("commitment"),
    "launch_id": fresh_record("launch"),
    "regulation_id": fresh_record("regulation"),
    "unit_id": fresh_unit,
    "person_id": fresh_person,
    "upload_id": fresh_unit_import,
    "job_id": lambda need: f"t0-no-such-job-{need.next()}",
    "cohort_id": coached_cohort,
    "delivery_id": fresh_reminder,
    "reminder_id": fresh_agreement_reminder,
}


ACTIVE_LAB = "lab A is active: its onboarding steps send LAN on to the lab's page"

ROLE_MATRIX: dict[str, Route] = {
    # Public pages and the way in.
    "public.index": GET(PUBLIC),
    "public.favicon": GET(PUBLIC, also={301}, why="browsers ask for it; it is the SVG icon"),
    "i18n.switch": POST(PUBLIC),
    "auth.sign_in": GET_POST(PUBLIC, also={"redirect", 200},
                             why="signed-in people are sent on to their lab; an empty form "
                                 "comes back with its error"),
    "auth.sign_out": POST(SIGNED_IN),
    "auth.reset_request": GET_POST(PUBLIC, also={200},
                                   why="the same answer whoever asks, so it tells nothing"),
    "auth.reset_password": GET_POST(PUBLIC, args={"token": fresh_link(Token.RESET)}, also={200},
                                    why="the emailed link is the permission"),
    "auth.invitation": GET_POST(PUBLIC, args={"token": fresh_link(Token.INVITE)}, also={200},
                                why="the emailed link is the permission"),
    "files.download": GET(NOBODY, why="only signed links work; a made-up one is unknown"),
    # A person's own account.
    "account.index": GET(SIGNED_IN),
    "account.labs": GET(SIGNED_IN),
    "account.profile": POST(SIGNED_IN),
    "account.password": POST(SIGNED_IN),
    "account.sign_out_everywhere": POST(SIGNED_IN),
    # Inside lab A.
    "lab.home": GET(LAB_MEMBERS),
    "audit.lab": GET(LAB_ADMINS),
    "members.index": GET(LAB_ADMINS),
    "members.invite_member": POST(LAB_ADMINS),
    "members.resend": POST(LAB_ADMINS),
    "members.remove": POST(LAB_ADMINS),
    "members.change_unit": GET_POST(LAB_ADMINS),
    # Ideas, action plans, files and comments (issue 9).
    "lab.ideas.index": GET(LAB_MEMBERS),
    "lab.ideas.new": GET_POST(LAB_EDITORS),
    "lab.ideas.show": GET(LAB_MEMBERS),
    "lab.ideas.edit": GET_POST(LAB_EDITORS),
    "lab.ideas.move": POST(LAB_EDITORS),
    "lab.evidence.upload": POST(LAB_EDITORS),
    "lab.evidence.download": GET(LAB_MEMBERS, also={"elsewhere"},
                                 why="a storage link that expires in minutes"),
    "lab.evidence.delete": POST(LAB_EDITORS),
    "lab.plans.add": POST(LAB_EDITORS),
    "lab.plans.edit": GET_POST(LAB_EDITORS),
    "lab.plans.delete": POST(LAB_EDITORS),
    "lab.plans.order": POST(LAB_EDITORS, also={400}, why="a move without a direction"),
    "lab.plans.note": POST(LAB_EDITORS),
    "lab.coaching.add": POST(LAB_COMMENTERS),
    "lab.coaching.edit": GET_POST(COMMENT_AUTHOR, why="only the author changes a comment"),
    # The RPJMD, drum-up commitments, launches and regulations: the lab's members read, its
    # Bappeda records (LAN administrators read a lab's plan and records, they do not edit).
    "lab.rpjmd.index": GET(LAB_MEMBERS),
    "lab.rpjmd.new_period": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.edit_period": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.delete_period": POST(LAB_BAPPEDA),
    "lab.rpjmd.new_priority": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.edit_priority": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.delete_priority": POST(LAB_BAPPEDA),
    "lab.rpjmd.new_indicator": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.edit_indicator": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.delete_indicator": POST(LAB_BAPPEDA),
    "lab.rpjmd.import_sheet": GET_POST(LAB_BAPPEDA),
    "lab.rpjmd.template": GET(LAB_BAPPEDA),
    "lab.records.commitments": GET(LAB_MEMBERS, args={"tenant": tenant_in_a_cohort}),
    "lab.records.commitment": GET_POST(LAB_BAPPEDA, args={"unit_id": fresh_active_unit}),
    "lab.records.commitment_document": GET(LAB_MEMBERS, also={"elsewhere"}),
    "lab.records.launches": GET(LAB_MEMBERS, args={"tenant": tenant_in_a_cohort}),
    "lab.records.new_launch": GET_POST(LAB_BAPPEDA, args={"tenant": tenant_in_a_cohort}),
    "lab.records.launch": GET(LAB_MEMBERS),
    "lab.records.edit_launch": GET_POST(LAB_BAPPEDA),
    "lab.records.regulations": GET(LAB_MEMBERS, args={"tenant": tenant_in_a_cohort}),
    "lab.records.new_regulation": GET_POST(LAB_BAPPEDA, args={"tenant": tenant_in_a_cohort}),
    "lab.records.regulation": GET(LAB_MEMBERS),
    "lab.records.revise_regulation": GET_POST(LAB_BAPPEDA),
    # The lab's own stage dates: every member reads them, its Bappeda shifts them.
    "lab.stages.index": GET_POST(LAB_MEMBERS, LAB_BAPPEDA, args={"tenant": tenant_in_a_cohort}),
    "lab.records.regulation_document": GET(LAB_MEMBERS, also={"elsewhere"}),
    # Units and people (issue 9): every member reads, Bappeda manages.
    "units.index": GET(LAB_MEMBERS),
    "units.unit": GET(LAB_MEMBERS),
    "units.add": GET_POST(LAB_ADMINS),
    "units.edit": GET_POST(LAB_ADMINS),
    "units.merge": GET_POST(LAB_ADMINS),
    "units.retire": GET_POST(LAB_ADMINS),
    "units.restore": POST(LAB_ADMINS),
    "units.add_person_to": POST(LAB_ADMINS),
    "units.edit_person": GET_POST(LAB_ADMINS, args={
        "unit_id": lambda need: need.world.unit_ids[need.tenant]}),
    "units.import_upload": GET_POST(LAB_ADMINS),
    "units.import_preview": GET_POST(LAB_ADMINS, also={409},
                                     why="an empty confirmation is not the preview shown"),
    "units.template_csv": GET(LAB_ADMINS),
    "units.template_xlsx": GET(LAB_ADMINS),
    # Reminders (issue 11): each member chooses for themself; Bappeda sets the lab's days and
    # reads its log; the emailed unsubscribe link is the permission (a made-up one is unknown).
    "reminders.preferences": GET_POST(LAB_MEMBERS),
    "reminders.unsubscribe": GET_POST(NOBODY, why="only signed links work"),
    "reminders.settings": GET_POST(LAB_ADMINS),
    "reminders.log": GET(LAB_ADMINS),
    "reminders.send": POST(LAB_ADMINS),
    "lan_reminders.lan_log": GET(LAN_ADMINS),
    "lan_reminders.lan_send": POST(LAN_ADMINS),
    # LAN.
    "lan.dashboard": GET(LAN_STAFF),
    "onboarding.tenant": GET(LAN_STAFF_OF_A),
    "onboarding.agreement_document": GET(LAN_STAFF_OF_A, also={"elsewhere"}),
    "onboarding.agreement_file": GET(LAN_STAFF_OF_A, also={"elsewhere"}),
    "onboarding.renew": GET_POST(LAN_ADMINS),
    "audit.lan": GET(LAN_ADMINS),
    "onboarding.regions": GET(LAN_ADMINS),
    "onboarding.start": GET_POST(LAN_ADMINS),
    "onboarding.agreement_mou": GET_POST(LAN_ADMINS, also={"redirect"}, why=ACTIVE_LAB),
    "onboarding.agreement_pks": GET_POST(LAN_ADMINS, also={"redirect"}, why=ACTIVE_LAB),
    "onboarding.admin": GET_POST(LAN_ADMINS, also={"redirect"}, why=ACTIVE_LAB),
    "onboarding.settings": GET_POST(LAN_ADMINS, also={"redirect"}, why=ACTIVE_LAB),
    "onboarding.activate": GET_POST(LAN_ADMINS, also={"redirect"}, why=ACTIVE_LAB),
    "onboarding.retry_activation": POST(LAN_ADMINS),
    "onboarding.lifecycle": GET_POST(LAN_ADMINS),
    # LAN's cohorts (issue 9): administrators manage, assigned coaches read.
    "cohorts.index": GET(LAN_STAFF, why="a coach sees only the cohorts he is assigned to"),
    "cohorts.show": GET(COHORT_READERS),
    "cohorts.dashboard": GET(COHORT_READERS),
    "cohorts.new": GET_POST(LAN_ADMINS),
    "cohorts.edit": GET_POST(LAN_ADMINS),
    "cohorts.coaches": GET_POST(LAN_ADMINS),
    "cohorts.enrol": GET_POST(LAN_ADMINS),
    "members.lan_index": GET(LAN_ADMINS),
    "members.lan_invite": POST(LAN_ADMINS),
    "members.lan_assign_coach": POST(LAN_ADMINS),
    "members.lan_unassign_coach": POST(LAN_ADMINS, args={"membership_id": fresh_coach_assignment}),
    "members.lan_resend": POST(LAN_ADMINS),
    "members.lan_remove": POST(LAN_ADMINS),
    # The job monitor (operations): LAN administrators only; an unknown job changes nothing.
    "ops.jobs": GET(LAN_ADMINS),
    "ops.retry": POST(LAN_ADMINS),
    "ops.cancel": POST(LAN_ADMINS),
}

IGNORED = {"static"}


def _routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in IGNORED]


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_in_the_matrix(app):
    missing = []
    for rule in _routes(app):
        route = ROLE_MATRIX.get(rule.endpoint)
        if route is None:
            missing.append(f"  {rule.endpoint}  ({', '.join(_methods(rule))} {rule.rule})")
            continue
        if set(route.expect) != set(_methods(rule)):
            missing.append(f"  {rule.endpoint}: the matrix covers {sorted(route.expect)}, "
                           f"the route takes {_methods(rule)}")
        for arg in rule.arguments - set(route.args) - set(ARGUMENTS):
            missing.append(f"  {rule.endpoint}: no factory for the URL argument <{arg}> "
                           "(add one to ARGUMENTS)")
    assert not missing, (
        "Routes not in ROLE_MATRIX of tests/test_role_matrix.py; add a row saying which "
        "roles may use each (columns: " + ", ".join(ROLES) + "):\n" + "\n".join(missing))
    stale = set(ROLE_MATRIX) - {r.endpoint for r in _routes(app)}
    assert not stale, f"ROLE_MATRIX names routes that no longer exist: {sorted(stale)}"


# --- making the requests --------------------------------------------------------------------

@pytest.fixture
def world(make_tenant, make_user):
    world = build_world(make_tenant, make_user)
    for tenant in (world.a, world.b):
        for kind in (Agreement.MOU, Agreement.PKS):
            db.session.add(Agreement(
                tenant_id=tenant.id, kind=kind, number=f"{kind}/{tenant.regency_code}/2017",
                signed_on=date(2017, 3, 16), valid_from=date(2017, 3, 16),
                valid_until=date(2027, 3, 15), lan_signatory_name="Kepala Pusat",
                lan_signatory_title="Kepala Pusat Inovasi", regional_signatory_name="Bupati",
                regional_signatory_title="Bupati",
                document_key=f"t{tenant.id}/agreements/{kind}.pdf",
                document_name=f"{kind}.pdf", document_size=1000))
    db.session.commit()
    return world


class Browsers:
    """One signed-in browser per role, signed in again when a request ended its sessions."""

    def __init__(self, app, world: World):
        self.app, self.world = app, world
        self.cookies: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    def _sign_in(self, role: str) -> None:
        browser = request_client(self.app)
        user = self.world.users[role]
        response = browser.post("/auth/sign-in", data={"email": user.email,
                                                       "password": PASSWORD})
        assert response.status_code == 302, f"{role} could not sign in"
        self.cookies[role] = browser.get_cookie("labinov_session").value
        self.tokens[role] = self._token(role)

    def _token(self, role: str) -> str:
        """Whether the role's sign-in still holds: the newest live sign-in of the account."""
        return db.session.scalar(sa.select(sa.func.max(SignIn.id)).where(
            SignIn.user_id == self.world.users[role].id, SignIn.revoked_at.is_(None)))

    def __call__(self, role: str):
        browser = request_client(self.app)
        if role == "anonymous":
            return browser
        if role not in self.cookies or self.tokens[role] != self._token(role):
            self._sign_in(role)
        browser.set_cookie("labinov_session", self.cookies[role])
        return browser


def _outcome(response, method: str, route: Route) -> str:
    code = response.status_code
    location = urlsplit(response.location or "")
    # Flask-Login's refusal names the page to come back to; a page that merely sends
    # someone to sign in (after signing out everywhere) does not.
    if code in (301, 302, 303) and location.path == "/auth/sign-in" and "next=" in (
            location.query):
        return IN
    if code == 403:
        return NO
    if code == 404:
        return NF
    if code in route.also:
        return OK
    if code in (302, 303):
        inside = not location.netloc or location.netloc == "localhost"
        if inside and (method == "POST" or "redirect" in route.also):
            return OK
        if not inside and "elsewhere" in route.also:
            return OK
        return f"HTTP {code} to {response.location}"
    if code == 200 and method == "GET":
        return OK
    if code == 400 and method == "POST" and (
            'aria-invalid="true"' in _text(response) or 'role="alert"' in _text(response)):
        return OK  # the form came back with what was wrong
    return f"HTTP {code}"


# Lab B's people and units: none of them may show on any page that a member of lab A reads.
B_MARKERS = ("Ratna Dewi", "Puskesmas Jenu", "Wulan Sari", "Hendra Kurniawan")
A_MEMBERS = ("innovator_a", "bappeda_a", "coach_a")


def _text(response) -> str:
    return response.get_data().decode(errors="replace")


def _heal(world: World) -> None:
    """Undo what an allowed request may have changed that the next requests rely on."""
    db.session.execute(sa.update(Tenant).where(Tenant.id.in_([world.a.id, world.b.id]))
                       .values(status=TenantStatus.ACTIVE))
    db.session.commit()


def _url(app, rule, route: Route, need: Need) -> str:
    values = {arg: (route.args.get(arg) or ARGUMENTS[arg])(need) for arg in rule.arguments}
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def test_every_route_answers_every_role_as_intended(client, world):
    app = client.application
    browsers = Browsers(app, world)
    need = Need(world)
    wrong = []
    for rule in sorted(_routes(app), key=lambda r: r.endpoint):
        route = ROLE_MATRIX.get(rule.endpoint)
        if route is None:
            continue  # reported by test_every_route_is_in_the_matrix
        for method, row in sorted(route.expect.items()):
            for role, expected in zip(ROLES, row, strict=True):
                url = _url(app, rule, route, need)
                response = browsers(role).open(url, method=method, data={})
                got = _outcome(response, method, route)
                if got != expected:
                    wrong.append(f"  {rule.endpoint} {method} {url} as {role}: "
                                 f"expected {expected}, got {got}")
                body = _text(response)
                if role in A_MEMBERS and any(marker in body for marker in B_MARKERS):
                    wrong.append(f"  {rule.endpoint} {method} {url} as {role}: "
                                 "lab B's data in the answer")
                _heal(world)
    assert not wrong, "Routes that do not answer as the matrix says:\n" + "\n".join(wrong)


# --- cross-tenant ---------------------------------------------------------------------------

def test_no_tenant_route_of_lab_b_answers_a_member_of_lab_a(client, world):
    """GET and POST, with ids that exist in B, on B's URLs and on A's: always 404, B unchanged.

    Ids come from the argument factories run for lab B (a membership, a unit, ... of B),
    plus every existing membership of B.
    """
    app = client.application
    browsers = Browsers(app, world)
    tenant_rules = [r for r in _routes(app) if "<tenant:tenant>" in r.rule]
    assert {r.endpoint for r in tenant_rules} >= {"lab.home", "members.index", "members.remove"}
    b_memberships = db.session.scalars(sa.select(Membership.id).where(
        Membership.tenant_id == world.b.id)).all()
    in_b = Need(world, tenant="b")
    before = db.session.execute(sa.select(Membership.id, Membership.role, Membership.unit_id)
                                .where(Membership.tenant_id == world.b.id)).all()
    form = {"invite-email": "intruder@a.example", "invite-name": "Intruder",
            "invite-role": "bappeda_admin", "invite-locale": "id"}
    leaks = []
    for rule in tenant_rules:
        route = ROLE_MATRIX.get(rule.endpoint, Route({}))
        id_args = sorted(a for a in rule.arguments if a != "tenant")
        variants = [{arg: (route.args.get(arg) or ARGUMENTS[arg])(in_b) for arg in id_args}]
        if "membership_id" in id_args:
            variants += [{**variants[0], "membership_id": m} for m in b_memberships]
        # B's URLs for A's members; and, for routes that take ids, A's URL with B's ids
        # for A's own administrator.
        attempts = [(world.b.slug, member) for member in ("innovator_a", "bappeda_a",
                                                          "coach_a")]
        if id_args:
            attempts.append((world.a.slug, "bappeda_a"))
        for slug, member in attempts:
            for method in _methods(rule):
                for values in variants:
                    with app.test_request_context():
                        url = app.url_for(rule.endpoint, tenant=slug, **values)
                    response = browsers(member).open(url, method=method, data=form)
                    if response.status_code != 404:
                        leaks.append(f"  {method} {url} as {member}: "
                                     f"HTTP {response.status_code}")
                    body = _text(response)
                    if any(marker in body for marker in B_MARKERS):
                        leaks.append(f"  {method} {url} as {member}: B's data in the answer")
    assert not leaks, "Lab B answered a member of lab A:\n" + "\n".join(leaks)
    db.session.expire_all()
    after = db.session.execute(sa.select(Membership.id, Membership.role, Membership.unit_id)
                               .where(Membership.tenant_id == world.b.id)).all()
    assert set(before) <= set(after)  # nothing of B removed or changed
    assert db.session.scalar(sa.select(User.id).where(
        User.email == "intruder@a.example")) is None


def test_the_same_requests_reach_lab_a_for_its_administrator(client, world):
    """The control for the test above: the URLs are right, only the tenant differs."""
    browsers = Browsers(client.application, world)
    [membership_id] = db.session.scalars(sa.select(Membership.id).where(
        Membership.user_id == world.users["innovator_a"].id)).all()
    admin = browsers("bappeda_a")
    assert admin.get("/kab-probolinggo/people/").status_code == 200
    assert admin.post(f"/kab-probolinggo/people/{membership_id}/resend").status_code == 302
    assert browsers("bappeda_a").get("/kab-tuban/people/").status_code == 404
