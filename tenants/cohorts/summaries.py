"""LAN's summary rows of the enrolled labs (`LabSummary`, in `platform`): the cohorts a lab
is enrolled in, writing what was counted in the lab, and which labs are due for a recount.

The counting reads the lab's ideas, milestones and units, so it lives beside them
(`tenants.lab.summary.refresh_lab`, a layer above this one); everything here works on a
platform Session only. A lab's writes queue its recount (`jobs.cohorts`), and the dispatcher
recounts every enrolled lab once a day after its local midnight, since a milestone turns
late and a stage begins without anyone writing.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, selectinload

from tenants.cohorts.models import Cohort, Enrolment, LabSummary
from tenants.registry import Tenant, TenantStatus

FIELDS = ("ideas", "by_stage", "milestones", "late_milestones", "units",
          "units_without_ideas", "current_stage", "last_activity_at")


def enrolled_cohorts(session: Session, tenant_id: int) -> list[Cohort]:
    """The cohorts the tenant is enrolled in, with their stages loaded."""
    return list(session.scalars(
        sa.select(Cohort).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.tenant_id == tenant_id)
        .options(selectinload(Cohort.stages)).order_by(Cohort.id)))


def write(session: Session, *, cohort_id: int, tenant_id: int, values: dict,
          counted_at: datetime) -> None:
    """Upsert one lab's summary in one cohort. `counted_at` is when the counting began: a
    recount that began earlier never overwrites one that began later (two jobs may
    overlap when a write arrives while one is running)."""
    values = {key: values[key] for key in FIELDS} | {"refreshed_at": counted_at}
    stmt = insert(LabSummary).values(cohort_id=cohort_id, tenant_id=tenant_id, **values)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[LabSummary.cohort_id, LabSummary.tenant_id], set_=values,
        where=LabSummary.refreshed_at <= stmt.excluded.refreshed_at))


def local_midnight(timezone_column) -> sa.ColumnElement:
    """The latest midnight in the time zone named by `timezone_column`, as a timestamptz."""
    local_now = sa.func.timezone(timezone_column, sa.func.now())
    return sa.func.timezone(timezone_column, sa.func.date_trunc("day", local_now))


def due_for_recount(session: Session) -> list[int]:
    """Active tenants enrolled in a cohort whose summary there is missing or was counted
    before their latest local midnight."""
    stale = sa.or_(LabSummary.tenant_id.is_(None),
                   LabSummary.refreshed_at < local_midnight(Tenant.timezone))
    return list(session.scalars(
        sa.select(Tenant.id).distinct()
        .join(Enrolment, Enrolment.tenant_id == Tenant.id)
        .outerjoin(LabSummary, sa.and_(LabSummary.cohort_id == Enrolment.cohort_id,
                                       LabSummary.tenant_id == Enrolment.tenant_id))
        .where(Tenant.status == TenantStatus.ACTIVE, stale).order_by(Tenant.id)))
