"""Reading cohorts for LAN's pages: which cohorts a person may see, the list with its counts,
the labs that may be enrolled, and the cohort dashboard's rows.

The dashboard reads platform tables only (`LabSummary` beside the tenant, its regency and
province), every enrolled lab in one query: it never opens a tenant schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tenants.accounts.models import Role, User
from tenants.cohorts.models import STAGES, Cohort, CohortCoach, Enrolment, LabSummary, Stage
from tenants.cohorts.operations import agreement_problem, current_stage, windows_of
from tenants.onboarding.models import Agreement
from tenants.regions.models import Province, Regency
from tenants.registry import Tenant, TenantStatus


def visible(stmt: sa.Select, user) -> sa.Select:
    """Narrow a select over Cohort to what `user` may read: LAN administrators every
    cohort, LAN coaches the cohorts they are assigned to, anyone else none."""
    if user.is_lan_admin:
        return stmt
    if user.platform_role == Role.LAN_COACH:
        return stmt.where(Cohort.id.in_(
            sa.select(CohortCoach.cohort_id).where(CohortCoach.user_id == user.id)))
    return stmt.where(sa.false())


@dataclass(frozen=True)
class Listed:
    cohort: Cohort
    enrolled: int
    stage: Stage | None       # the stage by the cohort's own dates, today
    started: bool             # False before drum-up starts, True once it has (even if over)


def cohort_list(session: Session, user, today: date) -> list[Listed]:
    """The cohorts `user` may read, the latest first, with their number of enrolled labs."""
    enrolled = (sa.select(sa.func.count()).where(Enrolment.cohort_id == Cohort.id)
                .correlate(Cohort).scalar_subquery())
    rows = session.execute(visible(
        sa.select(Cohort, enrolled).options(selectinload(Cohort.stages)), user)
        .order_by(Cohort.year.desc(), Cohort.name)).all()
    listed = []
    for cohort, count in rows:
        windows = windows_of(cohort)
        listed.append(Listed(cohort, count, current_stage(windows, today),
                             bool(windows) and windows[0].starts_on <= today))
    # Within a year, the cohort that starts latest first (a cohort without dates last).
    listed.sort(key=lambda row: (-row.cohort.year, -(row.cohort.starts_on or date.min)
                                 .toordinal(), row.cohort.name))
    return listed


def lan_coaches(session: Session) -> list[User]:
    """Everyone who holds the LAN coach role, by name."""
    return list(session.scalars(sa.select(User).where(User.platform_role == Role.LAN_COACH)
                                .order_by(User.name, User.id)))


def coaches_of(session: Session, cohort: Cohort) -> list[User]:
    return list(session.scalars(
        sa.select(User).join(CohortCoach, CohortCoach.user_id == User.id)
        .where(CohortCoach.cohort_id == cohort.id).order_by(User.name, User.id)))


@dataclass(frozen=True)
class Candidate:
    tenant: Tenant
    problem: str | None       # why it may not be enrolled today, or None
    agreements: dict[str, Agreement]


def candidates(session: Session, cohort: Cohort, on_for) -> list[Candidate]:
    """Every active lab not yet in the cohort, by province and name, with the reason it may
    not be enrolled (`on_for(tenant)`: today in the tenant's time zone)."""
    tenants = session.scalars(
        sa.select(Tenant).join(Regency).join(Province)
        .where(Tenant.status == TenantStatus.ACTIVE,
               Tenant.id.not_in(sa.select(Enrolment.tenant_id)
                                .where(Enrolment.cohort_id == cohort.id)))
        .order_by(Province.name, Tenant.name)).all()
    current: dict[int, dict[str, Agreement]] = {t.id: {} for t in tenants}
    for agreement in session.scalars(
            sa.select(Agreement).where(Agreement.tenant_id.in_(list(current)))
            .order_by(Agreement.valid_from, Agreement.id)):
        current[agreement.tenant_id][agreement.kind] = agreement  # the latest of each kind
    return [Candidate(t, agreement_problem(session, t, on_for(t), current[t.id]), current[t.id])
            for t in tenants]


def enrolled_labs(session: Session, cohort: Cohort) -> list[tuple[Tenant, Enrolment]]:
    return list(session.execute(
        sa.select(Tenant, Enrolment).join(Enrolment, Enrolment.tenant_id == Tenant.id)
        .join(Regency).join(Province).where(Enrolment.cohort_id == cohort.id)
        .order_by(Province.name, Tenant.name)).all())


# --- The cohort dashboard -------------------------------------------------------------------

def _count_of(stage: str):
    return sa.cast(LabSummary.by_stage[stage].astext, sa.Integer)


STAGE_ORDER = sa.case({s.value: i for i, s in enumerate(STAGES)},
                      value=LabSummary.current_stage)

# ?sort=<key> (ascending) or ?sort=-<key> (descending); every column of the dashboard.
SORTS = {
    "region": Tenant.name,
    "province": Province.name,
    "stage": STAGE_ORDER,
    "ideas": LabSummary.ideas,
    **{s.value: _count_of(s.value) for s in STAGES},
    "late": LabSummary.late_milestones,
    "without": LabSummary.units_without_ideas,
    "activity": LabSummary.last_activity_at,
}
DEFAULT_SORT = "region"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """(key, descending) from `?sort=`; anything unknown sorts by region."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value[1:] if descending else value
    return (key, descending) if key in SORTS else (DEFAULT_SORT, False)


def dashboard_rows(session: Session, cohort_id: int, *, sort: str = DEFAULT_SORT,
                   descending: bool = False, province: str | None = None) -> list[sa.Row]:
    """Every lab enrolled in the cohort with its summary, sorted and filtered by SQL: one
    query whatever the number of labs. Labs not counted yet (`counted` false, their figures
    None) come last in the order of a figure.

    Rows of tenant_id, slug, name, timezone, province_code, province, counted and the
    summary's figures (`by_stage`: stage -> ideas there), read as they come: building an
    object per lab costs more than the query."""
    column = SORTS[sort]
    order = column.desc() if descending else column.asc()
    stmt = (
        sa.select(Tenant.id.label("tenant_id"), Tenant.slug, Tenant.name, Tenant.timezone,
                  Province.code.label("province_code"), Province.name.label("province"),
                  LabSummary.tenant_id.is_not(None).label("counted"),
                  LabSummary.current_stage, LabSummary.ideas, LabSummary.by_stage,
                  LabSummary.milestones, LabSummary.late_milestones, LabSummary.units,
                  LabSummary.units_without_ideas, LabSummary.last_activity_at,
                  LabSummary.refreshed_at)
        .select_from(Enrolment)
        .join(Tenant, Tenant.id == Enrolment.tenant_id)
        .join(Regency, Regency.code == Tenant.regency_code)
        .join(Province, Province.code == Regency.province_code)
        .outerjoin(LabSummary, sa.and_(LabSummary.cohort_id == Enrolment.cohort_id,
                                       LabSummary.tenant_id == Enrolment.tenant_id))
        .where(Enrolment.cohort_id == cohort_id)
        .order_by(order.nulls_last(), Tenant.name, Tenant.id))
    if province:
        stmt = stmt.where(Province.code == province)
    return list(session.execute(stmt))


def dashboard_provinces(session: Session, cohort_id: int) -> list[tuple[str, str]]:
    """(code, name) of the provinces the cohort's labs are in, for the filter."""
    return list(session.execute(
        sa.select(Province.code, Province.name).distinct()
        .join(Regency, Regency.province_code == Province.code)
        .join(Tenant, Tenant.regency_code == Regency.code)
        .join(Enrolment, Enrolment.tenant_id == Tenant.id)
        .where(Enrolment.cohort_id == cohort_id).order_by(Province.name)).all())
