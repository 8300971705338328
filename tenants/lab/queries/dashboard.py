"""What the Bappeda's dashboard shows of one cohort of the lab, in a few aggregate queries
(the page stays fast with thousands of ideas and milestones):

- ideas by unit type and stage, the way the programme reports them ("74 ideas: 29 from OPD,
  20 from Puskesmas, 25 from Kecamatan");
- the overdue milestones (late by their due date in the lab's time zone), the most late
  first, with their owner, idea and unit;
- the units taking part that have no idea yet, and those without a signed drum-up
  commitment.

`units` is what the reader may see, as in `queries.ideas`: None for the whole lab, else a set
of unit ids (an innovator's own unit).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.cohorts.models import STAGES
from tenants.lab.models import Commitment, Idea, Milestone
from tenants.units.models import Person, Unit, UnitKind

KIND_ORDER = tuple(k.value for k in UnitKind)


@dataclass
class StageByKind:
    """Ideas counted by unit type (rows, in `UnitKind` order) and stage (columns)."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, stage) -> n

    @property
    def kinds(self) -> list[str]:
        seen = {kind for kind, _ in self.counts}
        return [k for k in KIND_ORDER if k in seen]

    def cell(self, kind: str, stage: str) -> int:
        return self.counts.get((kind, stage), 0)

    def kind_total(self, kind: str) -> int:
        return sum(n for (k, _), n in self.counts.items() if k == kind)

    def stage_total(self, stage: str) -> int:
        return sum(n for (_, s), n in self.counts.items() if s == stage)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def stage_by_kind(session: Session, cohort_id: int, *,
                  units: Collection[int] | None = None) -> StageByKind:
    """The cohort's ideas by the type of their unit and their stage, in one query."""
    stmt = (sa.select(Unit.kind, Idea.stage, sa.func.count())
            .join(Unit, Unit.id == Idea.unit_id)
            .where(Idea.cohort_id == cohort_id)
            .group_by(Unit.kind, Idea.stage))
    if units is not None:
        stmt = stmt.where(Idea.unit_id.in_(list(units)))
    stages = {s.value for s in STAGES}
    return StageByKind({(kind, stage): n for kind, stage, n in session.execute(stmt)
                        if stage in stages})


@dataclass(frozen=True)
class Overdue:
    milestone_id: int
    title: str
    due_on: date
    days_late: int
    owner: str | None
    idea_id: int
    idea_title: str
    idea_acronym: str | None
    unit: str


@dataclass
class OverdueList:
    rows: list[Overdue]
    total: int        # every overdue milestone, also those beyond `rows`


def overdue(session: Session, cohort_id: int, today: date, *,
            units: Collection[int] | None = None, limit: int = 20) -> OverdueList:
    """The cohort's milestones that are not done and were due before `today` (the lab's
    date), the most late first: `limit` of them with their idea, unit and owner, and the
    count of all. One round trip; only the shown rows are joined to their names."""
    late = (sa.select(Milestone.id, Milestone.due_on)
            .join(Idea, Idea.id == Milestone.idea_id)
            .where(Idea.cohort_id == cohort_id, Milestone.status != Milestone.DONE,
                   Milestone.due_on < today))
    if units is not None:
        late = late.where(Idea.unit_id.in_(list(units)))
    late = late.cte("late")
    shown = (sa.select(late.c.id).order_by(late.c.due_on, late.c.id).limit(limit)
             .subquery("shown"))
    total = sa.select(sa.func.count()).select_from(late).scalar_subquery()
    stmt = (sa.select(Milestone.id, Milestone.title, Milestone.due_on, Person.name,
                      Idea.id, Idea.title, Idea.acronym, Unit.name, total.label("total"))
            .join(shown, shown.c.id == Milestone.id)
            .join(Idea, Idea.id == Milestone.idea_id)
            .join(Unit, Unit.id == Idea.unit_id)
            .outerjoin(Person, Person.id == Milestone.owner_id)
            .order_by(Milestone.due_on, Milestone.id))
    rows = session.execute(stmt).all()
    return OverdueList(
        [Overdue(r[0], r[1], r[2], (today - r[2]).days, r[3], r[4], r[5], r[6], r[7])
         for r in rows], rows[0].total if rows else 0)


@dataclass(frozen=True)
class UnitStanding:
    id: int
    name: str
    kind: str
    ideas: int
    committed: bool


def unit_standings(session: Session, cohort_id: int, *,
                   units: Collection[int] | None = None) -> list[UnitStanding]:
    """Every unit taking part (not retired), with its ideas in the cohort and whether it
    has signed its drum-up commitment; by type, then name. One query: the cohort's ideas
    counted once per unit, not once per unit row."""
    ideas = (sa.select(Idea.unit_id, sa.func.count().label("n"))
             .where(Idea.cohort_id == cohort_id).group_by(Idea.unit_id).subquery())
    signed = (sa.select(Commitment.unit_id).where(Commitment.cohort_id == cohort_id)
              .subquery())
    stmt = (sa.select(Unit.id, Unit.name, Unit.kind, sa.func.coalesce(ideas.c.n, 0),
                      signed.c.unit_id.is_not(None))
            .outerjoin(ideas, ideas.c.unit_id == Unit.id)
            .outerjoin(signed, signed.c.unit_id == Unit.id)
            .where(Unit.retired_at.is_(None)))
    if units is not None:
        stmt = stmt.where(Unit.id.in_(list(units)))
    rows = [UnitStanding(*row) for row in session.execute(stmt)]
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(rows, key=lambda u: (order.get(u.kind, len(order)), u.name.lower()))


@dataclass
class Dashboard:
    matrix: StageByKind
    overdue: OverdueList
    units: list[UnitStanding]

    @property
    def without_ideas(self) -> list[UnitStanding]:
        return [u for u in self.units if not u.ideas]

    @property
    def without_commitment(self) -> list[UnitStanding]:
        return [u for u in self.units if not u.committed]


def dashboard(session: Session, cohort_id: int, today: date, *,
              units: Collection[int] | None = None, overdue_limit: int = 20) -> Dashboard:
    """Everything the dashboard shows of the cohort, in three queries."""
    return Dashboard(stage_by_kind(session, cohort_id, units=units),
                     overdue(session, cohort_id, today, units=units, limit=overdue_limit),
                     unit_standings(session, cohort_id, units=units))
