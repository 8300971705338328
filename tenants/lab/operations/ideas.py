"""Ideas: creating and editing their profile (with a version check, so two people editing
at once never silently overwrite each other), and moving them through the 5D stages."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.cohorts.models import Stage
from tenants.db import utcnow
from tenants.lab import gates, profile
from tenants.lab.models import Idea, IdeaEvent, Milestone, RpjmdIndicator, RpjmdPriority
from tenants.labels import STAGE
from tenants.refusal import Refused
from tenants.units.models import Person, Unit

# What a profile form may set on an idea.
FIELDS = ("title", "acronym", "unit_id", "inisiator", "jenis", "bentuk", "urusan", "tematik",
          "tahapan", "trial_on", "launched_on", "problem", "root_causes", "affected", "design",
          "solution", "beneficiaries", "expected_results", "results", "priority_id",
          "indicator_id")
CHOICES = {"inisiator": profile.INISIATOR, "jenis": profile.JENIS, "bentuk": profile.BENTUK,
           "tematik": profile.TEMATIK, "tahapan": profile.TAHAPAN}


class StaleIdea(Refused):
    """Someone else saved the idea since this form was opened; `current` is their version."""

    def __init__(self, current: Idea):
        super().__init__(_("Someone else saved this idea while you were editing it. Their "
                           "version is shown beside yours; nothing of yours was saved."))
        self.current = current


def _check(session: Session, values: dict) -> None:
    if not (values.get("title") or "").strip():
        raise Refused(_("Give the idea a title."), "title")
    unit = session.get(Unit, values.get("unit_id")) if values.get("unit_id") else None
    if unit is None or unit.retired_at is not None:
        raise Refused(_("Choose the unit the idea belongs to."), "unit_id")
    for field, allowed in CHOICES.items():
        if values.get(field) not in (None, "", *allowed):
            raise Refused(_("Choose one of the options."), field)
    if any(u not in profile.URUSAN for u in values.get("urusan") or ()):
        raise Refused(_("Choose one of the options."), "urusan")
    trial, launched = values.get("trial_on"), values.get("launched_on")
    if trial and launched and launched < trial:
        raise Refused(_("The launch cannot come before the trial."), "launched_on")
    priority_id, indicator_id = values.get("priority_id"), values.get("indicator_id")
    if priority_id and session.get(RpjmdPriority, priority_id) is None:
        raise Refused(_("Choose one of the options."), "priority_id")
    if indicator_id:
        indicator = session.get(RpjmdIndicator, indicator_id)
        if indicator is None:
            raise Refused(_("Choose one of the options."), "indicator_id")
        if priority_id and indicator.priority_id != priority_id:
            raise Refused(_("This indicator belongs to another RPJMD priority."),
                          "indicator_id")


def clean(values: dict) -> dict:
    """Form values as they would be saved: stripped, empty as None, urusan once each."""
    out = {}
    for field in FIELDS:
        if field not in values:
            continue
        value = values[field]
        if isinstance(value, str):
            value = value.strip() or None
        out[field] = value
    if "urusan" in out:
        out["urusan"] = list(dict.fromkeys(out["urusan"] or ()))
    if out.get("tahapan") is None and "tahapan" in out:
        out["tahapan"] = "inisiatif"
    return out


def create(session: Session, *, cohort_id: int, values: dict, innovator_ids: list[int],
           actor_id: int | None, ip: str | None = None) -> Idea:
    """A new idea of the current lab in `cohort_id`; it starts in diagnose."""
    values = clean(values)
    _check(session, values)
    idea = Idea(cohort_id=cohort_id, stage=Stage.DIAGNOSE, created_by_id=actor_id,
                updated_by_id=actor_id, **values)
    idea.innovators = _people(session, innovator_ids)
    session.add(idea)
    session.flush()
    idea.events.append(IdeaEvent(actor_id=actor_id, action="created", to_stage=idea.stage))
    record_lab(session, "idea.created", actor_id=actor_id, target=_name(idea), ip=ip)
    return idea


def update(session: Session, idea: Idea, *, version: int, values: dict,
           innovator_ids: list[int] | None, actor_id: int | None,
           ip: str | None = None) -> list[str]:
    """Save a profile form opened at `version`; returns the names of the fields changed.

    Raises StaleIdea when someone saved in between (the form's version is not the idea's)."""
    if version != idea.version:
        raise StaleIdea(idea)
    values = clean(values)
    _check(session, {**{f: getattr(idea, f) for f in FIELDS}, **values})
    changed = [f for f, v in values.items() if getattr(idea, f) != v]
    for field in changed:
        setattr(idea, field, values[field])
    if innovator_ids is not None:
        people = _people(session, innovator_ids)
        if {p.id for p in people} != {p.id for p in idea.innovators}:
            idea.innovators = people
            changed.append("innovators")
    if not changed:
        return []
    idea.updated_by_id = actor_id
    idea.events.append(IdeaEvent(actor_id=actor_id, action="edited",
                                 detail={"fields": changed}))
    try:
        session.flush()  # the version check happens here, in the database
    except sa.orm.exc.StaleDataError as exc:
        session.rollback()
        raise StaleIdea(session.get(Idea, idea.id)) from exc
    record_lab(session, "idea.edited", actor_id=actor_id, target=_name(idea), ip=ip,
               fields=", ".join(changed))
    return changed


def milestones_of(session: Session, idea: Idea) -> list[Milestone]:
    return session.scalars(sa.select(Milestone).where(Milestone.idea_id == idea.id)
                           .order_by(Milestone.position, Milestone.id)).all()


def move(session: Session, idea: Idea, to: Stage, *, actor_id: int | None,
         override_reason: str | None = None, may_override: bool = False,
         ip: str | None = None) -> None:
    """Move an idea one stage on (its gate checked) or one stage back.

    A move that its gate refuses says what is missing; a Bappeda administrator
    (`may_override`) may make it anyway with a recorded reason."""
    current = Stage(idea.stage)
    if to not in (current.next, current.previous):
        raise Refused(_("An idea moves one stage at a time."))
    if to == Stage.DRUM_UP:
        # Drum-up is the lab's commitment to innovate; an idea is born in diagnose.
        raise Refused(_("An idea starts in diagnose; it does not go back to drum-up."))
    action = "moved" if to == current.next else "moved_back"
    reason = (override_reason or "").strip() or None
    if to == current.next:
        unmet = gates.missing(idea, to, milestones_of(session, idea))
        if unmet:
            if not (may_override and reason):
                raise Refused(_("%(stage)s needs first: %(missing)s.", stage=STAGE[to],
                                missing="; ".join(str(r.label) for r in unmet)))
            action = "moved_overridden"
        else:
            reason = None
    elif not reason:
        raise Refused(_("Say why the idea goes back a stage."), "reason")
    idea.stage = to
    idea.stage_changed_at = utcnow()
    idea.updated_by_id = actor_id
    idea.events.append(IdeaEvent(actor_id=actor_id, action=action, from_stage=current,
                                 to_stage=to, reason=reason))
    record_lab(session, f"idea.{action}", actor_id=actor_id, target=_name(idea), ip=ip,
               from_stage=str(current), to_stage=str(to), reason=reason)


def _people(session: Session, ids: list[int]) -> list[Person]:
    ids = list(dict.fromkeys(ids or ()))
    people = session.scalars(sa.select(Person).where(Person.id.in_(ids))).all() if ids else []
    if len(people) != len(ids):
        raise Refused(_("Choose the innovators from the list."), "innovator_ids")
    return list(people)


def _name(idea: Idea) -> str:
    return f"{idea.acronym} — {idea.title}" if idea.acronym else idea.title


def launched(idea: Idea, on: date) -> None:
    """Mark the idea launched on `on` (a launch event lists it)."""
    if idea.launched_on is None or idea.launched_on > on:
        idea.launched_on = on
        if idea.tahapan != "penerapan":
            idea.tahapan = "penerapan"
