"""The platform-level summary of one lab in one cohort (`cohorts.LabSummary`), which LAN's
cohort dashboard reads instead of 514 schemas.

Every operation that changes ideas or milestones calls `refresh` in its own transaction, so
the row commits with the change; a daily job refreshes every enrolled lab as well, since a
milestone turns late at midnight without anyone writing.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tenants.cohorts.models import STAGES, Cohort, LabSummary
from tenants.cohorts.operations import current_stage, effective_windows
from tenants.db import utcnow
from tenants.lab.models import Comment, Idea, Milestone
from tenants.scope import current_tenant
from tenants.units.models import Unit
from tenants.zones import today_in


def refresh(session: Session, cohort_id: int) -> None:
    """Recount the current tenant's lab for `cohort_id` and write its summary row."""
    tenant = current_tenant(session)
    today = today_in(tenant.timezone)
    by_stage = dict(session.execute(
        sa.select(Idea.stage, sa.func.count()).where(Idea.cohort_id == cohort_id)
        .group_by(Idea.stage)).all())
    in_cohort = sa.select(Idea.id).where(Idea.cohort_id == cohort_id)
    milestones, late = session.execute(
        sa.select(sa.func.count(),
                  sa.func.count().filter(Milestone.status != Milestone.DONE,
                                         Milestone.due_on < today))
        .where(Milestone.idea_id.in_(in_cohort))).one()
    active_units = sa.select(Unit.id).where(Unit.retired_at.is_(None))
    units = session.scalar(sa.select(sa.func.count()).select_from(active_units.subquery()))
    with_ideas = sa.select(Idea.unit_id).where(Idea.cohort_id == cohort_id)
    without = session.scalar(sa.select(sa.func.count()).select_from(
        active_units.where(Unit.id.not_in(with_ideas)).subquery()))
    last = session.scalar(sa.select(sa.func.greatest(
        sa.select(sa.func.max(Idea.updated_at)).where(Idea.cohort_id == cohort_id)
        .scalar_subquery(),
        sa.select(sa.func.max(Milestone.updated_at)).where(Milestone.idea_id.in_(in_cohort))
        .scalar_subquery(),
        sa.select(sa.func.max(Comment.created_at)).where(Comment.idea_id.in_(in_cohort))
        .scalar_subquery())))
    cohort = session.get(Cohort, cohort_id)
    stage = current_stage(effective_windows(session, cohort), today) if cohort else None
    values = dict(ideas=sum(by_stage.values()),
                  by_stage={s.value: by_stage.get(s, 0) for s in STAGES},
                  milestones=milestones, late_milestones=late, units=units,
                  units_without_ideas=without, current_stage=stage,
                  last_activity_at=last, refreshed_at=utcnow())
    stmt = insert(LabSummary).values(cohort_id=cohort_id, tenant_id=tenant.id, **values)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[LabSummary.cohort_id, LabSummary.tenant_id], set_=values))
