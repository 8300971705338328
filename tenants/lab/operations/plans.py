"""Action plans (rencana aksi): an idea's milestones, each with its owner, its dates and its
status, kept in order, and the progress notes written on them.

Every change is recorded in the idea's history and the lab's audit log (LAN's summary counts
late milestones after the commit, and daily). A milestone is late when its
due date has passed in the lab's time zone and it is not done: computed, never stored.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.cohorts.operations import tenant_today
from tenants.db import utcnow
from tenants.lab.models import Idea, IdeaEvent, Milestone, MilestoneNote
from tenants.refusal import Refused
from tenants.units.models import Person

STATUSES = (Milestone.PLANNED, Milestone.IN_PROGRESS, Milestone.DONE)
NOTE_MAX = 5000


def _record(session: Session, idea: Idea, action: str, *, actor_id: int | None,
            ip: str | None, milestone: Milestone, **detail) -> None:
    session.add(IdeaEvent(idea_id=idea.id, actor_id=actor_id, action=action,
                          detail={"milestone": milestone.title, **detail}))
    record_lab(session, f"plan.{action}", actor_id=actor_id, target=_idea_name(idea), ip=ip,
               milestone=milestone.title, **detail)


def _idea_name(idea: Idea) -> str:
    return f"{idea.acronym} — {idea.title}" if idea.acronym else idea.title


def _check(session: Session, *, title: str | None, owner_id: int | None,
           starts_on: date | None, due_on: date | None) -> str:
    title = (title or "").strip()
    if not title:
        raise Refused(_("Say what this milestone is."), "title")
    if len(title) > 250:
        raise Refused(_("Keep the milestone's title under 250 characters."), "title")
    if owner_id is not None and session.get(Person, owner_id) is None:
        raise Refused(_("Choose the owner from the list."), "owner_id")
    if starts_on and due_on and due_on < starts_on:
        raise Refused(_("The due date cannot come before the start."), "due_on")
    return title


def _done_on(session: Session, status: str, done_on: date | None) -> date | None:
    if status not in STATUSES:
        raise Refused(_("Choose one of the options."), "status")
    if status != Milestone.DONE:
        return None
    today = tenant_today(session)
    done_on = done_on or today
    if done_on > today:
        raise Refused(_("A milestone cannot be done on a day still to come."), "done_on")
    return done_on


def add_milestone(session: Session, idea: Idea, *, title: str, owner_id: int | None,
                  starts_on: date | None, due_on: date | None, actor_id: int | None,
                  ip: str | None = None) -> Milestone:
    """A new milestone at the end of the idea's plan, planned."""
    title = _check(session, title=title, owner_id=owner_id, starts_on=starts_on, due_on=due_on)
    last = session.scalar(sa.select(sa.func.max(Milestone.position))
                          .where(Milestone.idea_id == idea.id))
    milestone = Milestone(idea_id=idea.id, position=(last or 0) + 1, title=title,
                          owner_id=owner_id, starts_on=starts_on, due_on=due_on,
                          status=Milestone.PLANNED)
    session.add(milestone)
    session.flush()
    _record(session, idea, "milestone_added", actor_id=actor_id, ip=ip, milestone=milestone)
    return milestone


def update_milestone(session: Session, idea: Idea, milestone: Milestone, *, title: str,
                     owner_id: int | None, starts_on: date | None, due_on: date | None,
                     status: str, done_on: date | None, actor_id: int | None,
                     ip: str | None = None) -> list[str]:
    """Change a milestone; returns the names of the fields changed."""
    title = _check(session, title=title, owner_id=owner_id, starts_on=starts_on, due_on=due_on)
    if status == milestone.status == Milestone.DONE and done_on is None:
        done_on = milestone.done_on
    done_on = _done_on(session, status, done_on)
    values = {"title": title, "owner_id": owner_id, "starts_on": starts_on, "due_on": due_on,
              "status": status, "done_on": done_on}
    changed = [f for f, v in values.items() if getattr(milestone, f) != v]
    if not changed:
        return []
    before = milestone.status
    for field in changed:
        setattr(milestone, field, values[field])
    session.flush()
    detail = {"fields": changed}
    if "status" in changed:
        detail["status"] = [before, status]
    _record(session, idea, "milestone_changed", actor_id=actor_id, ip=ip, milestone=milestone,
            **detail)
    return changed


def remove_milestone(session: Session, idea: Idea, milestone: Milestone, *,
                     actor_id: int | None, ip: str | None = None) -> None:
    """Delete a milestone with its notes (comments on it stay, on the idea)."""
    session.delete(milestone)
    session.flush()
    _renumber(session, idea)
    _record(session, idea, "milestone_removed", actor_id=actor_id, ip=ip, milestone=milestone)


def move_milestone(session: Session, idea: Idea, milestone: Milestone, offset: int, *,
                   actor_id: int | None, ip: str | None = None) -> None:
    """Move a milestone one place up (-1) or down (+1) in the plan."""
    if offset not in (-1, 1):
        raise Refused(_("A milestone moves one place at a time."))
    plan = _renumber(session, idea)
    where = plan.index(milestone)
    other = where + offset
    if not 0 <= other < len(plan):
        return  # already first or last: nothing to do
    plan[where].position, plan[other].position = plan[other].position, plan[where].position
    session.flush()
    _record(session, idea, "milestone_moved", actor_id=actor_id, ip=ip, milestone=milestone,
            position=other + 1)


def _renumber(session: Session, idea: Idea) -> list[Milestone]:
    """The plan in its order, numbered 1, 2, 3... again (after a removal or a tie)."""
    plan = session.scalars(sa.select(Milestone).where(Milestone.idea_id == idea.id)
                           .order_by(Milestone.position, Milestone.id)
                           .with_for_update(of=Milestone)).all()
    for number, step in enumerate(plan, start=1):
        if step.position != number:
            step.position = number
    return list(plan)


def add_note(session: Session, idea: Idea, milestone: Milestone, *, status: str, note: str,
             done_on: date | None = None, actor_id: int | None,
             ip: str | None = None) -> MilestoneNote:
    """A progress note on a milestone; the milestone takes the status the note reports."""
    note = (note or "").strip()
    if not note:
        raise Refused(_("Write what has happened."), "note")
    if len(note) > NOTE_MAX:
        raise Refused(_("Keep the note under %(n)s characters.", n=NOTE_MAX), "note")
    if status == milestone.status == Milestone.DONE and done_on is None:
        done_on = milestone.done_on
    done_on = _done_on(session, status, done_on)
    entry = MilestoneNote(milestone_id=milestone.id, author_id=actor_id, status=status,
                          note=note)
    session.add(entry)
    before = milestone.status
    milestone.status, milestone.done_on = status, done_on
    milestone.updated_at = utcnow()  # a note is activity even when the status stays
    session.flush()
    detail = {"status": [before, status]} if before != status else {}
    _record(session, idea, "note_added", actor_id=actor_id, ip=ip, milestone=milestone,
            **detail)
    return entry
