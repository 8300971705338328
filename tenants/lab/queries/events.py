"""Reading a cohort's drum-up commitments, launches and the regulations (Perbup / Perwali)
that list its innovations.

    from tenants.lab.queries.events import units_without_commitment
    units_without_commitment(session, cohort_id)   # active units, by kind and name
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tenants.cohorts.models import Stage
from tenants.lab.models import Commitment, Idea, Launch, Regulation
from tenants.lab.models.events import launch_idea, regulation_idea
from tenants.units.models import Unit, UnitKind

# Innovations are launched, and listed in a regulation, from deliver on.
LAUNCHABLE = (Stage.DELIVER, Stage.DISPLAY)


def _active_units() -> sa.Select:
    """Active units, kind by kind in the programme's order (OPD, Puskesmas, Kecamatan, ...)."""
    kind_order = sa.case({kind.value: n for n, kind in enumerate(UnitKind)}, value=Unit.kind,
                         else_=len(UnitKind))
    return sa.select(Unit).where(Unit.retired_at.is_(None)).order_by(kind_order, Unit.name)


def units_without_commitment(session: Session, cohort_id: int) -> list[Unit]:
    """The active units that have not signed their commitment in the cohort."""
    signed = sa.select(Commitment.unit_id).where(Commitment.cohort_id == cohort_id)
    return list(session.scalars(_active_units().where(Unit.id.not_in(signed))))


@dataclass
class CommitmentRow:
    unit: Unit
    commitment: Commitment | None


def commitment_rows(session: Session, cohort_id: int, *, kind: str | None = None,
                    signed: bool | None = None, search: str | None = None
                    ) -> list[CommitmentRow]:
    """Every active unit with its commitment in the cohort (or None), filtered."""
    stmt = _active_units().add_columns(Commitment).outerjoin(Commitment, sa.and_(
        Commitment.unit_id == Unit.id, Commitment.cohort_id == cohort_id))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if signed is True:
        stmt = stmt.where(Commitment.id.is_not(None))
    elif signed is False:
        stmt = stmt.where(Commitment.id.is_(None))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(Unit.name.ilike(pattern), Unit.short_name.ilike(pattern)))
    return [CommitmentRow(unit, commitment) for unit, commitment in session.execute(stmt)]


def commitment_counts(session: Session, cohort_id: int) -> tuple[int, int]:
    """(units that signed, active units) in the cohort."""
    active = sa.select(Unit.id).where(Unit.retired_at.is_(None))
    total = session.scalar(sa.select(sa.func.count()).select_from(active.subquery()))
    signed = session.scalar(sa.select(sa.func.count()).select_from(Commitment).where(
        Commitment.cohort_id == cohort_id, Commitment.unit_id.in_(active)))
    return signed or 0, total or 0


def commitment_of(session: Session, cohort_id: int, unit_id: int) -> Commitment | None:
    return session.scalar(sa.select(Commitment).where(Commitment.cohort_id == cohort_id,
                                                      Commitment.unit_id == unit_id))


# --- Launches -------------------------------------------------------------------------------

def launches(session: Session, cohort_id: int) -> list[Launch]:
    """The cohort's launch events, the latest first, with their innovations."""
    return list(session.scalars(sa.select(Launch).where(Launch.cohort_id == cohort_id)
                                .options(selectinload(Launch.ideas))
                                .order_by(Launch.held_on.desc(), Launch.id.desc())))


def launch_of(session: Session, idea_id: int) -> Launch | None:
    """The launch event an idea was launched at, if any."""
    return session.scalar(sa.select(Launch).join(launch_idea).where(
        launch_idea.c.idea_id == idea_id))


def launch_candidates(session: Session, cohort_id: int) -> list[Idea]:
    """The cohort's ideas that may be launched: from deliver on, at no launch event yet."""
    at_a_launch = sa.select(launch_idea.c.idea_id)
    return list(session.scalars(sa.select(Idea).where(
        Idea.cohort_id == cohort_id, Idea.stage.in_(LAUNCHABLE), Idea.id.not_in(at_a_launch))
        .order_by(Idea.title)))


# --- Regulations ----------------------------------------------------------------------------

def chain(session: Session, regulation: Regulation) -> list[Regulation]:
    """The regulation's whole chain, the original first and each revision after the one it
    revises."""
    first = regulation
    seen = {first.id}
    while first.revises_id is not None and first.revises_id not in seen:
        first = session.get(Regulation, first.revises_id)
        seen.add(first.id)
    out = [first]
    while True:
        following = session.scalar(sa.select(Regulation).where(
            Regulation.revises_id == out[-1].id).order_by(Regulation.id))
        if following is None or following.id in {r.id for r in out}:
            return out
        out.append(following)


def revised_by(session: Session, regulation: Regulation) -> Regulation | None:
    return session.scalar(sa.select(Regulation).where(Regulation.revises_id == regulation.id)
                          .order_by(Regulation.id))


def regulations(session: Session, cohort_id: int) -> list[list[Regulation]]:
    """The chains of regulations that list an innovation of the cohort (or follow one of its
    launches), the newest chain first; each chain from the original to its latest revision."""
    in_cohort = sa.select(regulation_idea.c.regulation_id).join(
        Idea, Idea.id == regulation_idea.c.idea_id).where(Idea.cohort_id == cohort_id)
    of_launch = sa.select(Launch.id).where(Launch.cohort_id == cohort_id)
    found = session.scalars(sa.select(Regulation).where(sa.or_(
        Regulation.id.in_(in_cohort), Regulation.launch_id.in_(of_launch)))
        .options(selectinload(Regulation.ideas))).all()
    chains, placed = [], set()
    for regulation in found:
        if regulation.id in placed:
            continue
        whole = chain(session, regulation)
        placed |= {r.id for r in whole}
        chains.append(whole)
    chains.sort(key=lambda c: (c[-1].signed_on, c[-1].id), reverse=True)
    return chains


def regulation_candidates(session: Session, cohort_id: int,
                          revising: Regulation | None = None) -> list[Idea]:
    """The cohort's ideas a regulation (or a revision of `revising`) may list: from deliver
    on, and not already listed by the regulation being revised."""
    stmt = sa.select(Idea).where(Idea.cohort_id == cohort_id, Idea.stage.in_(LAUNCHABLE))
    if revising is not None:
        stmt = stmt.where(Idea.id.not_in([i.id for i in revising.ideas]))
    return list(session.scalars(stmt.order_by(Idea.title)))
