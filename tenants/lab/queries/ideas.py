"""Reading ideas: the lab's list (filtered, sorted, paged, with each idea's action plan
counted in the same round trip), one idea with what its page shows, the people who may be
chosen on its forms, and the RPJMD options an idea links to.

`units` is what the reader may see: None for every unit of the lab, else a set of unit ids
(an innovator's own). An idea outside it is simply not found.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tenants.accounts.models import Membership, Role, User
from tenants.cohorts.models import STAGES
from tenants.lab.models import (
    Attachment,
    Comment,
    Idea,
    IdeaEvent,
    Milestone,
)
from tenants.scope import current_tenant
from tenants.units.models import Person, Unit

PER_PAGE = 25

# The list's orders: name -> ORDER BY (each ends on the id, so pages never overlap).
SORTS = {
    "updated": (Idea.updated_at.desc(), Idea.id.desc()),
    "title": (sa.func.lower(Idea.title), Idea.id),
    "stage": (sa.case({s.value: i for i, s in enumerate(STAGES)}, value=Idea.stage).desc(),
              sa.func.lower(Idea.title), Idea.id),
    "unit": (sa.func.lower(Unit.name), sa.func.lower(Idea.title), Idea.id),
    "created": (Idea.created_at.desc(), Idea.id.desc()),
}


@dataclass(frozen=True)
class IdeaFilter:
    cohort_id: int
    stage: str | None = None
    unit_kind: str | None = None
    unit_id: int | None = None
    text: str | None = None
    sort: str = "updated"


@dataclass(frozen=True)
class PlanCount:
    """An idea's action plan in numbers."""

    milestones: int = 0
    done: int = 0
    late: int = 0


@dataclass
class IdeaPage:
    rows: list[tuple[Idea, PlanCount]] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def visible(stmt: sa.Select, units: Collection[int] | None) -> sa.Select:
    return stmt if units is None else stmt.where(Idea.unit_id.in_(list(units)))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ideas(session: Session, flt: IdeaFilter, *, units: Collection[int] | None, today: date,
          page: int = 1, per_page: int = PER_PAGE) -> IdeaPage:
    """One page of the lab's ideas in two queries: the ideas (with their unit and the total
    count), then the plans of just those ideas counted by status."""
    stmt = (sa.select(Idea, sa.func.count().over().label("total"))
            .join(Unit, Unit.id == Idea.unit_id)
            .where(Idea.cohort_id == flt.cohort_id))
    stmt = visible(stmt, units)
    if flt.stage:
        stmt = stmt.where(Idea.stage == flt.stage)
    if flt.unit_kind:
        stmt = stmt.where(Unit.kind == flt.unit_kind)
    if flt.unit_id:
        stmt = stmt.where(Idea.unit_id == flt.unit_id)
    text = (flt.text or "").strip()
    if text:
        pattern = _like(text)
        stmt = stmt.where(sa.or_(Idea.title.ilike(pattern, escape="\\"),
                                 Idea.acronym.ilike(pattern, escape="\\")))
    stmt = stmt.order_by(*SORTS.get(flt.sort, SORTS["updated"]))
    result = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    if not result and page > 1:
        # Past the last page (a stale link): show the last one instead.
        total = session.scalar(sa.select(sa.func.count()).select_from(
            stmt.order_by(None).subquery()))
        last = max(1, -(-total // per_page))
        return ideas(session, flt, units=units, today=today, page=last,
                     per_page=per_page) if total else IdeaPage(page=1)
    total = result[0].total if result else 0
    counts = plan_counts(session, [row.Idea.id for row in result], today)
    return IdeaPage(rows=[(row.Idea, counts.get(row.Idea.id, PlanCount())) for row in result],
                    total=total, page=page, pages=max(1, -(-total // per_page)))


def plan_counts(session: Session, idea_ids: list[int], today: date) -> dict[int, PlanCount]:
    """Milestones, done and late (due before `today`, the lab's date) per idea."""
    if not idea_ids:
        return {}
    rows = session.execute(
        sa.select(Milestone.idea_id, sa.func.count(),
                  sa.func.count().filter(Milestone.status == Milestone.DONE),
                  sa.func.count().filter(Milestone.status != Milestone.DONE,
                                         Milestone.due_on < today))
        .where(Milestone.idea_id.in_(idea_ids)).group_by(Milestone.idea_id)).all()
    return {idea_id: PlanCount(n, done, late) for idea_id, n, done, late in rows}


def idea(session: Session, idea_id: int, *, units: Collection[int] | None,
         lock: bool = False) -> Idea | None:
    """One idea the reader may see, or None."""
    stmt = visible(sa.select(Idea).where(Idea.id == idea_id), units)
    if lock:
        stmt = stmt.with_for_update(of=Idea)
    return session.scalar(stmt.options(selectinload(Idea.innovators)))


def milestones(session: Session, idea_id: int) -> list[Milestone]:
    """The idea's action plan in its order, with each milestone's notes."""
    return session.scalars(
        sa.select(Milestone).where(Milestone.idea_id == idea_id)
        .options(selectinload(Milestone.notes))
        .order_by(Milestone.position, Milestone.id)).unique().all()


def milestone(session: Session, idea_id: int, milestone_id: int) -> Milestone | None:
    return session.scalar(sa.select(Milestone).where(Milestone.id == milestone_id,
                                                     Milestone.idea_id == idea_id))


def attachment(session: Session, idea_id: int, attachment_id: int) -> Attachment | None:
    return session.scalar(sa.select(Attachment).where(Attachment.id == attachment_id,
                                                      Attachment.idea_id == idea_id))


def comment(session: Session, idea_id: int, comment_id: int) -> Comment | None:
    return session.scalar(sa.select(Comment).where(Comment.id == comment_id,
                                                   Comment.idea_id == idea_id))


def history(session: Session, idea_id: int, limit: int = 200) -> list[IdeaEvent]:
    return session.scalars(sa.select(IdeaEvent).where(IdeaEvent.idea_id == idea_id)
                           .order_by(IdeaEvent.at.desc(), IdeaEvent.id.desc())
                           .limit(limit)).all()


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def threads(session: Session, idea_id: int) -> list[Thread]:
    """The idea's comments as threads (a comment and its replies, oldest first), newest
    thread first; in one query."""
    rows = session.scalars(sa.select(Comment).where(Comment.idea_id == idea_id)
                           .order_by(Comment.created_at, Comment.id)).all()
    by_id: dict[int, Thread] = {}
    for row in rows:
        if row.parent_id is None or row.parent_id not in by_id:
            by_id[row.id] = Thread(row)
    for row in rows:
        if row.id not in by_id:
            by_id[row.parent_id].replies.append(row)
    return sorted(by_id.values(), key=lambda t: (t.comment.created_at, t.comment.id),
                  reverse=True)


# --- the choices of the forms -------------------------------------------------------------

def visible_units(units: Collection[int] | None) -> sa.Select:
    """Every unit the reader may see ideas of, retired ones too (a filter's choices)."""
    stmt = sa.select(Unit)
    return stmt if units is None else stmt.where(Unit.id.in_(list(units)))


def open_units(session: Session, units: Collection[int] | None = None) -> list[Unit]:
    """The units an idea may belong to (not retired), by kind and name."""
    stmt = sa.select(Unit).where(Unit.retired_at.is_(None))
    if units is not None:
        stmt = stmt.where(Unit.id.in_(list(units)))
    return session.scalars(stmt.order_by(Unit.kind, sa.func.lower(Unit.name))).all()


def people(session: Session) -> list[Person]:
    """The lab's people, by unit and name (innovators and milestone owners)."""
    return session.scalars(sa.select(Person).join(Unit, Unit.id == Person.unit_id)
                           .order_by(sa.func.lower(Unit.name), sa.func.lower(Person.name))
                           ).all()


# --- the people who may be mentioned --------------------------------

def readers(session: Session, idea: Idea) -> list[tuple[int, str]]:
    """(account id, name) of the lab's members who can see `idea`: its Bappeda
    administrators and coaches, and the innovators of its unit; by name."""
    tenant = current_tenant(session)
    rows = session.execute(
        sa.select(User.id, User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant.id, sa.or_(
            Membership.role == Role.BAPPEDA_ADMIN,
            sa.and_(Membership.role == Role.COACH, User.platform_role == Role.LAN_COACH),
            sa.and_(Membership.role == Role.INNOVATOR, Membership.unit_id == idea.unit_id)))
        .distinct().order_by(User.name)).all()
    return [(user_id, name) for user_id, name in rows]
