"""Counting one lab for LAN's cohort dashboard (`cohorts.LabSummary`), which reads one
platform row per enrolled lab instead of 514 schemas.

`refresh_lab` counts the lab in its own tenant Session, once for each cohort it is enrolled
in, then writes the platform rows through a platform Session of its own: no statement
reaches two schemas, and the lab's writes never wait on a platform row lock. It runs in
`jobs.cohorts.refresh_lab_summary`, which a lab request that wrote queues after its commit,
the dispatcher once a day after the lab's midnight, an enrolment, and the demo loader.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.cohorts import summaries
from tenants.cohorts.models import STAGES, Cohort
from tenants.cohorts.operations import current_stage, effective_windows
from tenants.db import db, utcnow
from tenants.lab.models import Comment, Idea, Milestone
from tenants.scope import current_tenant
from tenants.units.models import Unit
from tenants.zones import today_in


def count(session: Session, cohort: Cohort, today: date) -> dict:
    """The lab's figures in `cohort` (`session` in the lab's scope; `today` in its zone).

    A milestone is late once its due date has passed in the lab's own time zone; units
    are the lab's active units (not retired, not merged away)."""
    by_stage = dict(session.execute(
        sa.select(Idea.stage, sa.func.count()).where(Idea.cohort_id == cohort.id)
        .group_by(Idea.stage)).all())
    in_cohort = sa.select(Idea.id).where(Idea.cohort_id == cohort.id)
    milestones, late = session.execute(
        sa.select(sa.func.count(),
                  sa.func.count().filter(Milestone.status != Milestone.DONE,
                                         Milestone.due_on < today))
        .where(Milestone.idea_id.in_(in_cohort))).one()
    active = sa.select(Unit.id).where(Unit.retired_at.is_(None))
    with_ideas = sa.select(Idea.unit_id).where(Idea.cohort_id == cohort.id)
    units, without = session.execute(sa.select(
        sa.select(sa.func.count()).select_from(active.subquery()).scalar_subquery(),
        sa.select(sa.func.count()).select_from(
            active.where(Unit.id.not_in(with_ideas)).subquery()).scalar_subquery())).one()
    last = session.scalar(sa.select(sa.func.greatest(
        sa.select(sa.func.max(Idea.updated_at)).where(Idea.cohort_id == cohort.id)
        .scalar_subquery(),
        sa.select(sa.func.max(Milestone.updated_at)).where(Milestone.idea_id.in_(in_cohort))
        .scalar_subquery(),
        sa.select(sa.func.max(Comment.created_at)).where(Comment.idea_id.in_(in_cohort))
        .scalar_subquery())))
    stage = current_stage(effective_windows(session, cohort), today)
    return dict(ideas=sum(by_stage.values()),
                by_stage={s.value: by_stage.get(s, 0) for s in STAGES},
                milestones=milestones, late_milestones=late, units=units,
                units_without_ideas=without, current_stage=stage, last_activity_at=last)


def refresh_lab(session: Session) -> dict[int, dict]:
    """Recount the lab `session` is bound to for every cohort it is enrolled in, and write
    LAN's summary rows. Returns the figures by cohort id."""
    tenant = current_tenant(session)
    if tenant is None:
        raise RuntimeError("refresh_lab needs a session inside a tenant scope")
    platform = db.session.session_factory()
    try:
        cohorts = summaries.enrolled_cohorts(platform, tenant.id)
        platform.expunge_all()  # loaded as they are: nothing held open while counting
        platform.rollback()
        if not cohorts:
            return {}
        counted_at = utcnow()
        today = today_in(tenant.timezone)
        figures = {cohort.id: count(session, cohort, today) for cohort in cohorts}
        session.rollback()
        for cohort_id, values in figures.items():
            summaries.write(platform, cohort_id=cohort_id, tenant_id=tenant.id, values=values,
                            counted_at=counted_at)
        platform.commit()
        return figures
    finally:
        platform.close()
