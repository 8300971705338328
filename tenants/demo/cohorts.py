"""Where each demo lab stands today: its cohort, with stage windows counted from the day the
demo is loaded, so that the labs are in their recorded stage whenever it is loaded.

    deliver   "Laboratorium Inovasi <year> — Angkatan I"   (Kab. Probolinggo, Kab. Tuban)
    display   an earlier cohort, "… Angkatan II" of the year before (Kota Probolinggo)
    diagnose  "Laboratorium Inovasi <year> — Angkatan II"  (Kab. Purbalingga)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import Membership, Role, User
from tenants.accounts.operations import invite
from tenants.audit.operations import record_lab_in
from tenants.cohorts import operations as cohorts
from tenants.cohorts.models import STAGES, Cohort, Enrolment, Stage
from tenants.cohorts.operations import Window
from tenants.demo.clock import Clock, backdating
from tenants.demo.onboarding import mark_mail_sent, stamp_lab_log
from tenants.registry import Tenant


@dataclass(frozen=True)
class Plan:
    ordinal: str
    starts_before: int                   # days before today that drum-up starts
    lengths: tuple[int, int, int, int, int]  # drum-up, diagnose, design, deliver, display
    description: str


PLANS = {
    Stage.DELIVER: Plan("I", 196, (28, 42, 42, 182, 91),
                        "Angkatan pertama tahun ini. Tahap deliver: launching inovasi, "
                        "penerapan rencana aksi dan monev oleh tim LAN (tiga meja, satu jam "
                        "per sesi, 20 menit per perangkat daerah)."),
    Stage.DISPLAY: Plan("II", 440, (28, 42, 49, 262, 180),
                        "Angkatan kedua tahun lalu. Tahap display: inovasi yang telah "
                        "diterapkan dipamerkan agar dapat direplikasi daerah lain dan "
                        "diusulkan ke IGA."),
    Stage.DIAGNOSE: Plan("II", 58, (28, 56, 49, 182, 91),
                         "Angkatan kedua tahun ini. Dibuka dengan pendampingan laboratorium "
                         "inovasi selama dua hari bersama seluruh kepala perangkat daerah dan "
                         "direktur BUMD."),
}


def windows(plan: Plan, today: date) -> list[Window]:
    start = today - timedelta(days=plan.starts_before)
    out = []
    for stage, length in zip(STAGES, plan.lengths, strict=True):
        ends = start + timedelta(days=length - 1)
        due = max(start, ends - timedelta(days=5))
        out.append(Window(stage, start, ends, due))
        start = ends + timedelta(days=1)
    return out


def name_of(plan: Plan, today: date) -> str:
    return f"Laboratorium Inovasi {windows(plan, today)[0].starts_on.year} — Angkatan " \
           f"{plan.ordinal}"


def cohort_for(session: Session, stage: Stage, today: date, *, lan_admin: User,
               coach: User, clock: Clock) -> Cohort:
    """The cohort of labs that are in `stage` today, made the first time it is asked for."""
    plan = PLANS[stage]
    name = name_of(plan, today)
    cohort = session.scalar(sa.select(Cohort).where(Cohort.name == name))
    if cohort is not None:
        return cohort
    spans = windows(plan, today)
    with backdating(session, clock):
        clock.at(spans[0].starts_on - timedelta(days=45), 10, 15)
        cohort = cohorts.save_cohort(session, None, name=name, year=spans[0].starts_on.year,
                                     description=plan.description, windows=spans,
                                     actor_id=lan_admin.id)
        clock.later(6)
        cohorts.set_coaches(session, cohort, [coach.id], actor_id=lan_admin.id)
    return cohort


def enroll(session: Session, cohort: Cohort, tenant: Tenant, *, lan_admin: User,
           coach: User, clock: Clock, on: date) -> Enrolment:
    """Enroll the tenant (its renewed agreements in force) and assign it the LAN coach."""
    with backdating(session, clock):
        clock.at(on, 10, 40)
        enrolment = cohorts.enroll(session, cohort, tenant, actor_id=lan_admin.id)
        assigned = session.scalar(sa.select(Membership.id).where(
            Membership.user_id == coach.id, Membership.tenant_id == tenant.id,
            Membership.role == Role.COACH))
        if not assigned:
            clock.later(3)
            invite(email=coach.email, name=coach.name, role=Role.COACH, tenant_id=tenant.id,
                   invited_by_id=lan_admin.id)
            record_lab_in(session, tenant.schema_name, "people.coach_assigned",
                          actor_id=lan_admin.id, target=coach.email)
            stamp_lab_log(session, tenant.schema_name, "people.coach_assigned", clock.now)
            mark_mail_sent(session, clock.later(1))
    return enrolment
