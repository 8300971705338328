"""Small helpers for the tests of ideas, action plans and coaching: a cohort the labs are
enrolled in, ideas and milestones made through the operations, signing in, page text."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fixtures.app import PASSWORD
from tenants.cohorts.models import STAGES, Cohort, CohortStage, Enrolment
from tenants.db import db
from tenants.lab.models import Idea, Milestone
from tenants.lab.operations import coaching, plans
from tenants.lab.operations import ideas as idea_operations
from tenants.scope import tenant_session


def enrol(*tenants, name: str = "Laboratorium Inovasi 2026 — Angkatan I",
          year: int = 2026, start: date = date(2026, 1, 5)) -> Cohort:
    """A cohort of five consecutive 60-day stages with `tenants` enrolled."""
    cohort = Cohort(name=name, year=year)
    for i, stage in enumerate(STAGES):
        starts = start + timedelta(days=60 * i)
        cohort.stages.append(CohortStage(stage=stage, starts_on=starts,
                                         ends_on=starts + timedelta(days=59),
                                         deliverable_due=starts + timedelta(days=50)))
    db.session.add(cohort)
    for tenant in tenants:
        db.session.add(Enrolment(cohort=cohort, tenant_id=tenant.id))
    db.session.commit()
    return cohort


def make_idea(tenant, cohort_id: int, unit_id: int, actor_id: int | None = None,
              innovator_ids=(), **values) -> int:
    values = {"title": "Sistem Informasi Kelompok Peduli HIV/ODHA", "unit_id": unit_id,
              **values}
    with tenant_session(tenant.ref()) as session:
        idea = idea_operations.create(session, cohort_id=cohort_id, values=values,
                                      innovator_ids=list(innovator_ids), actor_id=actor_id)
        session.commit()
        return idea.id


def make_milestones(tenant, idea_id: int, n: int, owner_id: int | None,
                    start: date = date(2026, 3, 2), complete: bool = True) -> list[int]:
    ids = []
    with tenant_session(tenant.ref()) as session:
        idea = session.get(Idea, idea_id)
        for i in range(n):
            m = plans.add_milestone(
                session, idea, title=f"Langkah {i + 1}", owner_id=owner_id,
                starts_on=start + timedelta(days=14 * i) if complete else None,
                due_on=start + timedelta(days=14 * i + 10), actor_id=None)
            ids.append(m.id)
        session.commit()
    return ids


def make_comment(tenant, idea_id: int, author_id: int, body: str = "Bagus, lanjutkan.",
                 **kw) -> int:
    with tenant_session(tenant.ref()) as session:
        comment = coaching.add(session, session.get(Idea, idea_id), body=body,
                               actor_id=author_id, **kw)
        session.commit()
        return comment.id


def in_lab(tenant, model, ident):
    """A row of `tenant`'s schema, read in a session of its own (detached, loaded)."""
    with tenant_session(tenant.ref()) as session:
        row = session.get(model, ident)
        if row is not None:
            session.expunge(row)
        return row


def count(tenant, model) -> int:
    import sqlalchemy as sa

    with tenant_session(tenant.ref()) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def sign_in(client, user, password: str = PASSWORD):
    response = client.post("/auth/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 302, "could not sign in"
    return response


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


__all__ = ["Milestone", "count", "enrol", "in_lab", "make_comment", "make_idea",
           "make_milestones", "sign_in", "text_of"]
