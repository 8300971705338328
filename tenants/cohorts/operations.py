"""The verbs of cohorts: LAN creates a cohort with its five stage windows, assigns coaches
and enrolls tenants; a tenant's Bappeda shifts its own stage dates inside the window.

Stage windows follow one another without gaps or overlaps: each stage starts the day after
the previous one ends. Every refusal is a `Refused` naming the field it belongs to.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.accounts.models import Role, User
from tenants.audit.operations import record_lab, record_platform
from tenants.cohorts.models import (
    STAGES,
    Cohort,
    CohortCoach,
    CohortStage,
    Enrolment,
    Stage,
    StageShift,
)
from tenants.formatting import format_date
from tenants.onboarding.queries import agreements_of
from tenants.refusal import Refused
from tenants.registry import Tenant, TenantStatus
from tenants.scope import current_tenant
from tenants.zones import today_in


@dataclass(frozen=True)
class Window:
    """One stage's dates: its start, its end and the deadline of its deliverable."""

    stage: Stage
    starts_on: date
    ends_on: date
    deliverable_due: date


def check_windows(windows: list[Window], within: tuple[date, date] | None = None) -> None:
    """Refuse windows that are out of order, overlap, leave a gap, or leave `within`."""
    if [w.stage for w in windows] != list(STAGES):
        raise Refused(_("Give the dates of all five stages, in their order."))
    for w in windows:
        if w.ends_on < w.starts_on:
            raise Refused(_("A stage cannot end before it starts."), f"{w.stage}-ends_on")
        if not w.starts_on <= w.deliverable_due <= w.ends_on:
            raise Refused(_("The deliverable is due inside its stage's window."),
                          f"{w.stage}-deliverable_due")
    for before, after in itertools.pairwise(windows):
        if after.starts_on != before.ends_on + timedelta(days=1):
            raise Refused(
                _("Each stage starts the day after the previous one ends (%(date)s): stages "
                  "may neither overlap nor leave a gap.",
                  date=format_date(before.ends_on + timedelta(days=1))),
                f"{after.stage}-starts_on")
    if within is not None:
        first, last = within
        for outside, field in ((windows[0].starts_on < first, f"{windows[0].stage}-starts_on"),
                               (windows[-1].ends_on > last, f"{windows[-1].stage}-ends_on")):
            if outside:
                raise Refused(_("The lab's dates stay inside the cohort's window, %(start)s "
                                "to %(end)s.", start=format_date(first),
                                end=format_date(last)), field)


def windows_of(cohort: Cohort) -> list[Window]:
    by_stage = {s.stage: s for s in cohort.stages}
    return [Window(Stage(s), by_stage[s].starts_on, by_stage[s].ends_on,
                   by_stage[s].deliverable_due) for s in STAGES if s in by_stage]


def save_cohort(session: Session, cohort: Cohort | None, *, name: str, year: int,
                description: str | None, windows: list[Window], actor_id: int | None,
                ip: str | None = None) -> Cohort:
    """Create a cohort (`cohort` None) or change one, with its five stage windows."""
    name = name.strip()
    taken = session.scalar(sa.select(Cohort.id).where(sa.func.lower(Cohort.name) == name.lower()))
    if taken is not None and (cohort is None or taken != cohort.id):
        raise Refused(_("Another cohort already has this name."), "name")
    check_windows(windows)
    if not windows[0].starts_on.year <= year <= windows[-1].ends_on.year:
        raise Refused(_("The year is one the cohort's stages run in."), "year")
    created = cohort is None
    if created:
        cohort = Cohort(created_by_id=actor_id)
        session.add(cohort)
    cohort.name, cohort.year, cohort.description = name, year, (description or "").strip() or None
    by_stage = {s.stage: s for s in cohort.stages}
    for w in windows:
        row = by_stage.get(w.stage) or CohortStage(stage=w.stage)
        if row.stage not in by_stage:
            cohort.stages.append(row)
        row.starts_on, row.ends_on, row.deliverable_due = w.starts_on, w.ends_on, w.deliverable_due
    session.flush()
    record_platform(session, "cohort.created" if created else "cohort.changed",
                    actor_id=actor_id, target=cohort.name, ip=ip, year=year)
    return cohort


def set_coaches(session: Session, cohort: Cohort, user_ids: list[int], *,
                actor_id: int | None, ip: str | None = None) -> None:
    """The LAN coaches of the cohort (replacing the list)."""
    coaches = session.scalars(sa.select(User).where(User.id.in_(user_ids))).all()
    if any(u.platform_role != Role.LAN_COACH for u in coaches) or len(coaches) != len(
            set(user_ids)):
        raise Refused(_("Choose LAN coaches from the list."), "coaches")
    cohort.coaches = [CohortCoach(user_id=u.id) for u in coaches]
    record_platform(session, "cohort.coaches_set", actor_id=actor_id, target=cohort.name,
                    ip=ip, coaches=", ".join(sorted(u.name for u in coaches)) or None)


def agreement_problem(session: Session, tenant: Tenant, on: date,
                      agreements: dict | None = None) -> str | None:
    """Why `tenant` may not be enrolled on `on` (no signed MoU and PKS in force), or None.
    `agreements` (kind -> the current one, as `agreements_of` gives) saves the query when a
    page asks for many tenants at once."""
    if agreements is None:
        agreements = agreements_of(session, tenant.id)
    for kind, label in (("mou", "MoU"), ("pks", "PKS")):
        agreement = agreements.get(kind)
        if agreement is None:
            return _("%(lab)s has no signed %(kind)s.", lab=tenant.name, kind=label)
        if agreement.valid_until < on:
            return _("The %(kind)s of %(lab)s ended on %(date)s; record its renewal first.",
                     kind=label, lab=tenant.name, date=format_date(agreement.valid_until))
    return None


def enroll(session: Session, cohort: Cohort, tenant: Tenant, *, actor_id: int | None,
           ip: str | None = None) -> Enrolment:
    """Enroll an active tenant whose MoU and PKS are signed and in force today."""
    if tenant.status != TenantStatus.ACTIVE:
        raise Refused(_("Only an active lab can be enrolled."), "tenant_id")
    problem = agreement_problem(session, tenant, today_in(tenant.timezone))
    if problem:
        raise Refused(problem, "tenant_id")
    if session.scalar(sa.select(Enrolment.id).where(Enrolment.cohort_id == cohort.id,
                                                    Enrolment.tenant_id == tenant.id)):
        raise Refused(_("%(lab)s is already enrolled in this cohort.", lab=tenant.name),
                      "tenant_id")
    enrolment = Enrolment(cohort=cohort, tenant_id=tenant.id, enrolled_by_id=actor_id)
    session.add(enrolment)
    record_platform(session, "cohort.enrolled", actor_id=actor_id, tenant_id=tenant.id,
                    target=cohort.name, ip=ip)
    return enrolment


def enroll_all(session: Session, cohort: Cohort, tenant_ids: list[int | None], *,
               actor_id: int | None, ip: str | None = None) -> list[Enrolment]:
    """Enroll every chosen tenant, or none: the first refusal names the lab and says why."""
    if not tenant_ids:
        raise Refused(_("Choose at least one lab."), "tenant_id")
    found = {t.id: t for t in session.scalars(
        sa.select(Tenant).where(Tenant.id.in_([i for i in tenant_ids if i is not None]))
        .with_for_update(of=Tenant))}
    enrolments = []
    for tenant_id in tenant_ids:
        tenant = found.get(tenant_id)
        if tenant is None:
            raise Refused(_("Choose labs from the list."), "tenant_id")
        try:
            enrolments.append(enroll(session, cohort, tenant, actor_id=actor_id, ip=ip))
        except Refused as refusal:
            if tenant.name in refusal.message:
                raise
            raise Refused(_("%(lab)s: %(reason)s", lab=tenant.name, reason=refusal.message),
                          refusal.field) from refusal
    return enrolments


def effective_windows(session: Session, cohort: Cohort) -> list[Window]:
    """The current tenant's dates for the cohort: its own where it shifted them, else the
    cohort's (`session` inside the tenant's scope)."""
    shifts = {s.stage: s for s in session.scalars(
        sa.select(StageShift).where(StageShift.cohort_id == cohort.id))}
    windows = windows_of(cohort)
    if len(shifts) != len(STAGES):
        return windows
    return [Window(w.stage, shifts[w.stage].starts_on, shifts[w.stage].ends_on,
                   shifts[w.stage].deliverable_due) for w in windows]


def shift_stages(session: Session, cohort: Cohort, windows: list[Window], *,
                 actor_id: int | None, ip: str | None = None) -> None:
    """The lab's own stage dates, inside the cohort's window (stored in the tenant)."""
    check_windows(windows, within=(cohort.starts_on, cohort.ends_on))
    shifts = {s.stage: s for s in session.scalars(
        sa.select(StageShift).where(StageShift.cohort_id == cohort.id))}
    for w in windows:
        row = shifts.get(w.stage)
        if row is None:
            row = StageShift(cohort_id=cohort.id, stage=w.stage)
            session.add(row)
        row.starts_on, row.ends_on, row.deliverable_due = w.starts_on, w.ends_on, w.deliverable_due
        row.changed_by_id = actor_id
    record_lab(session, "cohort.dates_shifted", actor_id=actor_id, target=cohort.name, ip=ip)


def current_stage(windows: list[Window], today: date) -> Stage | None:
    """The stage whose window holds `today` (None before the first or after the last)."""
    for w in windows:
        if w.starts_on <= today <= w.ends_on:
            return w.stage
    return None


def tenant_today(session: Session) -> date:
    """Today in the current tenant's time zone (a stage turns at its local midnight)."""
    return today_in(current_tenant(session).timezone)
