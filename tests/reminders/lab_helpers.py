"""A lab with something due: a cohort, an idea, milestones with owners, a Bappeda admin."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from fixtures.world import add_user
from tenants.accounts.models import Role
from tenants.cohorts.models import STAGES, Cohort, CohortStage, Enrolment
from tenants.db import db
from tenants.lab.models import Idea, Milestone
from tenants.registry import Tenant
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit


def enrol(tenant: Tenant, name: str, deliverables: dict[str, date] | None = None) -> Cohort:
    """A cohort of five 60-day stages from 1 January 2026, the tenant enrolled."""
    cohort = Cohort(name=name, year=2026)
    for n, stage in enumerate(STAGES):
        starts = date(2026, 1, 1) + timedelta(days=70 * n)
        ends = starts + timedelta(days=69)
        cohort.stages.append(CohortStage(stage=stage, starts_on=starts, ends_on=ends,
                                         deliverable_due=(deliverables or {}).get(stage, ends)))
    db.session.add_all([cohort, Enrolment(cohort=cohort, tenant_id=tenant.id)])
    db.session.commit()
    return cohort


def lab_with_milestones(tenant: Tenant, cohort: Cohort, owners: list[tuple[str, str | None]],
                        due_on: date, account_ids: dict[str, int] | None = None,
                        title: str = "Sosialisasi ke Puskesmas") -> list[int]:
    """One idea with a milestone per owner (name, email), all due on `due_on`."""
    account_ids = account_ids or {}
    with tenant_session(tenant.ref()) as session:
        unit = session.scalar(sa.select(Unit).where(Unit.name == "Dinas Kesehatan"))
        if unit is None:
            unit = Unit(name="Dinas Kesehatan", kind="opd")
            session.add(unit)
            session.flush()
        idea = Idea(cohort_id=cohort.id, unit_id=unit.id, title="Inovasi Layanan Online Aja",
                    acronym="Inol Aja", problem="Antrean panjang", root_causes="Manual")
        session.add(idea)
        session.flush()
        ids = []
        for n, (name, email) in enumerate(owners):
            person = Person(unit_id=unit.id, name=name, email=email,
                            account_id=account_ids.get(email))
            session.add(person)
            session.flush()
            milestone = Milestone(idea_id=idea.id, title=f"{title} {n + 1}", position=n,
                                  owner_id=person.id, due_on=due_on)
            session.add(milestone)
            session.flush()
            ids.append(milestone.id)
        session.commit()
    return ids


def bappeda(tenant: Tenant, email: str, name: str = "Dwi Hartono", locale=None):
    user = add_user(email, name, memberships=[(tenant, Role.BAPPEDA_ADMIN)], locale=locale)
    db.session.commit()
    return user


def finish(tenant: Tenant, milestone_id: int) -> None:
    with tenant_session(tenant.ref()) as session:
        session.get(Milestone, milestone_id).status = Milestone.DONE
        session.commit()
