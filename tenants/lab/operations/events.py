"""The lab's events as a whole: each unit's drum-up commitment (Deklarasi Tri Sakti Inagara),
the launching of the innovations, and the regent's or mayor's regulation (Perbup for a
kabupaten, Perwali for a kota) that lists them, revised as innovations are added.

Signed scans are stored by the caller first (under the tenant's key prefix, see
`commitment_key` / `regulation_key`) and handed over as a `Document`; if an operation
refuses, the caller deletes the file again.
"""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.audit.operations import record_lab
from tenants.cohorts.models import Enrolment
from tenants.cohorts.operations import tenant_today
from tenants.formatting import format_date
from tenants.lab.models import Commitment, Idea, IdeaEvent, Launch, Regulation
from tenants.lab.models.events import launch_idea
from tenants.lab.operations.ideas import launched
from tenants.lab.queries.events import LAUNCHABLE, revised_by
from tenants.labels import STAGE
from tenants.onboarding.operations import Document
from tenants.refusal import Refused
from tenants.registry import Tenant
from tenants.scope import current_tenant
from tenants.storage import tenant_key
from tenants.units.models import Unit

NAME_MAX, TITLE_MAX, PLACE_MAX, LAUNCH_TITLE_MAX, NUMBER_MAX = 120, 160, 200, 250, 100


def commitment_key(tenant_id: int) -> str:
    """A fresh key for a commitment's signed scan, under the tenant's prefix."""
    return tenant_key(tenant_id, "commitments", f"{uuid.uuid4().hex}.pdf")


def regulation_key(tenant_id: int) -> str:
    """A fresh key for a regulation's PDF, under the tenant's prefix."""
    return tenant_key(tenant_id, "regulations", f"{uuid.uuid4().hex}.pdf")


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _check_length(value: str, limit: int, field: str) -> None:
    if len(value) > limit:
        raise Refused(_("At most %(n)s characters.", n=limit), field)


def _check_cohort(session: Session, cohort_id: int) -> None:
    tenant = current_tenant(session)
    if not session.scalar(sa.select(Enrolment.id).where(Enrolment.cohort_id == cohort_id,
                                                        Enrolment.tenant_id == tenant.id)):
        raise Refused(_("This lab is not enrolled in that cohort."))


def _check_date(session: Session, value: date | None, field: str, missing: str) -> None:
    if value is None:
        raise Refused(missing, field)
    today = tenant_today(session)
    if value > today:
        raise Refused(_("The date cannot be after today (%(today)s).",
                        today=format_date(today)), field)


def _document_detail(document: Document | None) -> str | None:
    return document.name if document is not None else None


# --- Drum-up commitments --------------------------------------------------------------------

def record_commitment(session: Session, *, cohort_id: int, unit_id: int | None,
                      signed_on: date | None, signatory_name: str,
                      signatory_title: str | None, document: Document | None,
                      actor_id: int | None, ip: str | None = None
                      ) -> tuple[Commitment, str | None]:
    """Record a unit's signed commitment in the cohort, or replace the one it has.

    A first record needs the signed scan; a replacement keeps the scan it had unless a new
    one comes. Returns the commitment and the key of a scan it no longer uses (for the caller
    to delete after the commit)."""
    _check_cohort(session, cohort_id)
    unit = session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.retired_at is not None:
        raise Refused(_("Choose an active unit."), "unit_id")
    _check_date(session, signed_on, "signed_on", _("Enter the date it was signed."))
    name, title = _text(signatory_name), _text(signatory_title) or None
    if not name:
        raise Refused(_("Enter the name of the person who signed."), "signatory_name")
    _check_length(name, NAME_MAX, "signatory_name")
    _check_length(title or "", TITLE_MAX, "signatory_title")
    commitment = session.scalar(sa.select(Commitment).where(
        Commitment.cohort_id == cohort_id, Commitment.unit_id == unit.id))
    replaced = commitment is not None
    if commitment is None and document is None:
        raise Refused(_("Upload the signed declaration (a scanned PDF)."), "document")
    unused = None
    if commitment is None:
        commitment = Commitment(cohort_id=cohort_id, unit_id=unit.id)
        session.add(commitment)
    if document is not None:
        unused = commitment.document_key
        commitment.document_key, commitment.document_name, commitment.document_size = \
            document.key, document.name, document.size
    commitment.signed_on, commitment.signatory_name = signed_on, name
    commitment.signatory_title, commitment.recorded_by_id = title, actor_id
    session.flush()
    record_lab(session, "commitment.replaced" if replaced else "commitment.recorded",
               actor_id=actor_id, target=unit.name, ip=ip, signed_on=signed_on.isoformat(),
               signatory=name, document=_document_detail(document))
    return commitment, unused


# --- Launches -------------------------------------------------------------------------------

def _launchable(session: Session, cohort_id: int, idea_ids, launch: Launch | None = None
                ) -> list[Idea]:
    """The ideas to launch: of the cohort, from deliver on, at no other launch event."""
    ids = list(dict.fromkeys(int(i) for i in idea_ids or ()))
    ideas = session.scalars(sa.select(Idea).where(Idea.id.in_(ids))).all() if ids else []
    if len(ideas) != len(ids) or any(i.cohort_id != cohort_id for i in ideas):
        raise Refused(_("Choose the innovations from the cohort's list."), "idea_ids")
    for idea in ideas:
        if idea.stage not in LAUNCHABLE:
            raise Refused(_("“%(idea)s” is still in %(stage)s; innovations are launched from "
                            "deliver on.", idea=idea.title, stage=STAGE[idea.stage]),
                          "idea_ids")
    if ids:
        elsewhere = session.execute(sa.select(launch_idea.c.idea_id, Launch).join(
            Launch, Launch.id == launch_idea.c.launch_id).where(
            launch_idea.c.idea_id.in_(ids))).all()
        for idea_id, other in elsewhere:
            if launch is None or other.id != launch.id:
                idea = next(i for i in ideas if i.id == idea_id)
                raise Refused(_("“%(idea)s” was already launched at “%(launch)s” on "
                                "%(date)s.", idea=idea.title, launch=other.title,
                                date=format_date(other.held_on)), "idea_ids")
    return sorted(ideas, key=lambda i: i.title)


def _check_launch(session: Session, held_on: date | None, place: str, title: str) -> None:
    if not title:
        raise Refused(_("Give the launch a title, e.g. “Launching Inovasi Daerah 2026”."),
                      "title")
    _check_length(title, LAUNCH_TITLE_MAX, "title")
    _check_date(session, held_on, "held_on", _("Enter the date of the launch."))
    if not place:
        raise Refused(_("Enter where the launch was held."), "place")
    _check_length(place, PLACE_MAX, "place")


def _mark_launched(launch: Launch, ideas: list[Idea], actor_id: int | None) -> None:
    for idea in ideas:
        launched(idea, launch.held_on)
        idea.updated_by_id = actor_id
        idea.events.append(IdeaEvent(actor_id=actor_id, action="launched", detail={
            "launch_id": launch.id, "launch": launch.title, "held_on":
            launch.held_on.isoformat(), "place": launch.place}))


def record_launch(session: Session, *, cohort_id: int, held_on: date | None, place: str,
                  title: str, idea_ids, actor_id: int | None, ip: str | None = None
                  ) -> Launch:
    """A launch event of the cohort; each innovation it launches is marked launched on its
    date, with the launch in its history."""
    _check_cohort(session, cohort_id)
    place, title = _text(place), _text(title)
    _check_launch(session, held_on, place, title)
    ideas = _launchable(session, cohort_id, idea_ids)
    if not ideas:
        raise Refused(_("Choose the innovations that were launched."), "idea_ids")
    launch = Launch(cohort_id=cohort_id, held_on=held_on, place=place, title=title,
                    created_by_id=actor_id)
    launch.ideas = ideas
    session.add(launch)
    session.flush()
    _mark_launched(launch, ideas, actor_id)
    record_lab(session, "launch.recorded", actor_id=actor_id, target=title, ip=ip,
               held_on=held_on.isoformat(), place=place, ideas=len(ideas))
    return launch


def change_launch(session: Session, launch: Launch, *, held_on: date | None, place: str,
                  title: str, add_idea_ids, actor_id: int | None, ip: str | None = None
                  ) -> list[Idea]:
    """Correct a launch's date, place or title and add innovations to it (an innovation
    once launched stays launched). Returns the innovations added."""
    place, title = _text(place), _text(title)
    _check_launch(session, held_on, place, title)
    added = [i for i in _launchable(session, launch.cohort_id, add_idea_ids, launch)
             if i not in launch.ideas]
    moved = held_on != launch.held_on
    if moved:
        for idea in launch.ideas:
            if idea.launched_on == launch.held_on:
                idea.launched_on = held_on
    launch.held_on, launch.place, launch.title = held_on, place, title
    launch.ideas = sorted([*launch.ideas, *added], key=lambda i: i.title)
    session.flush()
    _mark_launched(launch, added, actor_id)
    record_lab(session, "launch.changed", actor_id=actor_id, target=title, ip=ip,
               held_on=held_on.isoformat(), place=place, added=len(added) or None)
    return added


# --- Regulations (Perbup / Perwali) ---------------------------------------------------------

def regulation_kind(session: Session) -> str:
    """Perbup in a kabupaten, Perwali in a kota."""
    tenant = session.get(Tenant, current_tenant(session).id)
    return Regulation.PERWALI if tenant.regency.kind == "KOTA" else Regulation.PERBUP


def _check_regulation(session: Session, *, number: str, signed_on: date | None, title: str,
                      document: Document | None) -> None:
    if not number:
        raise Refused(_("Enter the regulation's number as written on it."), "number")
    _check_length(number, NUMBER_MAX, "number")
    taken = session.scalar(sa.select(Regulation).where(
        sa.func.lower(Regulation.number) == number.lower()))
    if taken is not None:
        raise Refused(_("%(kind)s number %(number)s is already recorded.",
                        kind=taken.kind.capitalize(), number=taken.number), "number")
    _check_date(session, signed_on, "signed_on", _("Enter the date it was signed."))
    if not title:
        raise Refused(_("Enter the regulation's title."), "title")
    if document is None:
        raise Refused(_("Upload the signed regulation (PDF)."), "document")


def _listable(session: Session, cohort_id: int, idea_ids) -> list[Idea]:
    ids = list(dict.fromkeys(int(i) for i in idea_ids or ()))
    ideas = session.scalars(sa.select(Idea).where(Idea.id.in_(ids))).all() if ids else []
    if len(ideas) != len(ids) or any(i.cohort_id != cohort_id for i in ideas):
        raise Refused(_("Choose the innovations from the cohort's list."), "idea_ids")
    for idea in ideas:
        if idea.stage not in LAUNCHABLE:
            raise Refused(_("“%(idea)s” is still in %(stage)s; a regulation lists "
                            "innovations from deliver on.", idea=idea.title,
                            stage=STAGE[idea.stage]), "idea_ids")
    return list(ideas)


def record_regulation(session: Session, *, cohort_id: int, number: str,
                      signed_on: date | None, title: str, idea_ids, launch_id: int | None,
                      document: Document | None, actor_id: int | None,
                      ip: str | None = None) -> Regulation:
    """The regulation that lists innovations of the cohort (after one of its launches, if
    `launch_id`)."""
    _check_cohort(session, cohort_id)
    number, title = _text(number), _long(title)
    _check_regulation(session, number=number, signed_on=signed_on, title=title,
                      document=document)
    launch = session.get(Launch, launch_id) if launch_id else None
    if launch_id and (launch is None or launch.cohort_id != cohort_id):
        raise Refused(_("Choose one of the cohort's launches."), "launch_id")
    ideas = _listable(session, cohort_id, idea_ids)
    if not ideas:
        raise Refused(_("Choose the innovations the regulation lists."), "idea_ids")
    regulation = Regulation(kind=regulation_kind(session), number=number, signed_on=signed_on,
                            title=title, launch_id=launch.id if launch else None,
                            created_by_id=actor_id, document_key=document.key,
                            document_name=document.name, document_size=document.size)
    regulation.ideas = ideas
    session.add(regulation)
    session.flush()
    record_lab(session, "regulation.recorded", actor_id=actor_id,
               target=f"{regulation.kind.capitalize()} {number}", ip=ip,
               signed_on=signed_on.isoformat(), ideas=len(ideas), document=document.name)
    return regulation


def revise_regulation(session: Session, regulation: Regulation, *, cohort_id: int,
                      number: str, signed_on: date | None, title: str, idea_ids,
                      launch_id: int | None = None, document: Document | None,
                      actor_id: int | None, ip: str | None = None) -> Regulation:
    """A revision of the latest regulation of its chain that adds innovations of the cohort:
    it lists the earlier ones and the added ones."""
    _check_cohort(session, cohort_id)
    later = revised_by(session, regulation)
    if later is not None:
        raise Refused(_("%(kind)s %(number)s was already revised by %(later)s; revise the "
                        "latest one.", kind=regulation.kind.capitalize(),
                        number=regulation.number, later=later.number))
    number, title = _text(number), _long(title)
    _check_regulation(session, number=number, signed_on=signed_on, title=title,
                      document=document)
    if signed_on < regulation.signed_on:
        raise Refused(_("A revision is signed on or after the regulation it revises "
                        "(%(date)s).", date=format_date(regulation.signed_on)), "signed_on")
    launch = session.get(Launch, launch_id) if launch_id else None
    if launch_id and (launch is None or launch.cohort_id != cohort_id):
        raise Refused(_("Choose one of the cohort's launches."), "launch_id")
    added = _listable(session, cohort_id, idea_ids)
    listed = {i.id for i in regulation.ideas}
    for idea in added:
        if idea.id in listed:
            raise Refused(_("“%(idea)s” is already listed.", idea=idea.title), "idea_ids")
    if not added:
        raise Refused(_("Choose the innovations the revision adds."), "idea_ids")
    revision = Regulation(kind=regulation.kind, number=number, signed_on=signed_on,
                          title=title, revises_id=regulation.id,
                          launch_id=launch.id if launch else None, created_by_id=actor_id,
                          document_key=document.key, document_name=document.name,
                          document_size=document.size)
    revision.ideas = sorted([*regulation.ideas, *added], key=lambda i: i.title)
    session.add(revision)
    session.flush()
    record_lab(session, "regulation.revised", actor_id=actor_id,
               target=f"{revision.kind.capitalize()} {number}", ip=ip,
               revises=regulation.number, signed_on=signed_on.isoformat(),
               added=len(added), ideas=len(revision.ideas), document=document.name)
    return revision


def added_by(session: Session, regulation: Regulation) -> set[int]:
    """The ids of the innovations a regulation added to the one it revises (all of them for
    an original)."""
    listed = {i.id for i in regulation.ideas}
    if regulation.revises_id is None:
        return listed
    return listed - {i.id for i in session.get(Regulation, regulation.revises_id).ideas}


def _long(value) -> str:
    return "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines()
                     if line.strip())

