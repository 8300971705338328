"""What is due, and for whom: the items reminders are about, read from each feature.

Every reader takes the dates it asks about (`due_on IN dates`), so one query per kind finds
every item that some offset makes due today. An item that is done is not returned, so its
reminders stop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import Membership, Role, User
from tenants.cohorts.models import Cohort, Enrolment, Stage
from tenants.cohorts.operations import effective_windows
from tenants.lab.models import Idea, Milestone
from tenants.labels import STAGE
from tenants.onboarding.models import Agreement
from tenants.registry import Tenant, TenantStatus
from tenants.reminders.models import Category
from tenants.units.models import Person


@dataclass(frozen=True)
class Recipient:
    email: str | None  # None: the person has no address (reported on the log)
    name: str | None
    account_id: int | None
    locale: str | None  # None: the tenant's language


@dataclass(frozen=True)
class DueItem:
    category: str
    key: str          # "milestone:12", "stage:3:design", "agreement:7"
    title: str
    due_on: date
    path: str         # the page of the item, below the site's base URL
    recipients: tuple[Recipient, ...]


def _accounts(session: Session, ids: Iterable[int]) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_(ids)))}


def _recipient_of_account(user: User) -> Recipient:
    return Recipient(user.email, user.name, user.id, user.locale)


def milestones_due(session: Session, slug: str, dates: set[date]) -> list[DueItem]:
    """Open action-plan milestones due on one of `dates`, each for its owner."""
    rows = session.execute(
        sa.select(Milestone.id, Milestone.title, Milestone.due_on, Milestone.idea_id,
                  Idea.acronym, Idea.title.label("idea_title"), Person.name, Person.email,
                  Person.account_id)
        .join(Idea, Idea.id == Milestone.idea_id)
        .outerjoin(Person, Person.id == Milestone.owner_id)
        .where(Milestone.status != Milestone.DONE, Milestone.due_on.in_(dates))
        .order_by(Milestone.due_on, Milestone.id)).all()
    accounts = _accounts(session, (r.account_id for r in rows))
    items = []
    for r in rows:
        user = accounts.get(r.account_id)
        if user is not None and user.active:
            recipient = Recipient(r.email or user.email, r.name or user.name, user.id,
                                  user.locale)
        else:
            recipient = Recipient(r.email, r.name, None, None)
        idea = r.acronym or r.idea_title
        items.append(DueItem(Category.MILESTONE, f"milestone:{r.id}",
                             f"{r.title} ({idea})"[:300], r.due_on,
                             f"/{slug}/ideas/{r.idea_id}#milestone-{r.id}", (recipient,)))
    return items


def lab_administrators(session: Session, tenant_id: int) -> tuple[Recipient, ...]:
    users = session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant_id, Membership.role == Role.BAPPEDA_ADMIN,
               User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.id)).all()
    return tuple(_recipient_of_account(u) for u in users)


def stages_due(session: Session, tenant_id: int, slug: str, dates: set[date]
               ) -> list[DueItem]:
    """Cohort stage deliverables due on one of `dates` by the lab's own dates, for the
    lab's Bappeda administrators; a stage is done once none of the lab's ideas in that
    cohort is still at it or before it."""
    cohorts = session.scalars(
        sa.select(Cohort).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.tenant_id == tenant_id)).unique().all()
    items, admins = [], None
    for cohort in cohorts:
        due = [w for w in effective_windows(session, cohort) if w.deliverable_due in dates]
        if not due:
            continue
        at = dict(session.execute(
            sa.select(Idea.stage, sa.func.count()).where(Idea.cohort_id == cohort.id)
            .group_by(Idea.stage)).all())
        for window in due:
            behind = sum(n for s, n in at.items() if Stage(s).index <= window.stage.index)
            if at and not behind:
                continue  # every idea has moved past this stage
            if admins is None:
                admins = lab_administrators(session, tenant_id)
            items.append(DueItem(Category.STAGE, f"stage:{cohort.id}:{window.stage}",
                                 f"{cohort.name}: {STAGE[window.stage]}"[:300],
                                 window.deliverable_due, f"/{slug}/", admins))
    return items


def tenant_items(session: Session, tenant_id: int, slug: str, dates: set[date]
                 ) -> list[DueItem]:
    return [*stages_due(session, tenant_id, slug, dates),
            *milestones_due(session, slug, dates)]


def open_items(session: Session, keys: set[str]) -> set[str]:
    """Those of `keys` whose item is still to be done (one query for the milestones)."""
    milestones = {int(k.partition(":")[2]) for k in keys
                  if k.startswith(Category.MILESTONE + ":")}
    found = set()
    if milestones:
        found = {f"{Category.MILESTONE}:{i}" for i in session.scalars(
            sa.select(Milestone.id).where(Milestone.id.in_(milestones),
                                          Milestone.status != Milestone.DONE))}
    return found | {k for k in keys if not k.startswith(Category.MILESTONE + ":")
                    and is_open(session, k)}


def is_open(session: Session, item_key: str) -> bool:
    """Whether the item is still to be done (its reminders stop once it is)."""
    kind, _, rest = item_key.partition(":")
    if kind == Category.MILESTONE:
        status = session.scalar(sa.select(Milestone.status).where(Milestone.id == int(rest)))
        return status is not None and status != Milestone.DONE
    if kind == Category.STAGE:
        cohort_id, _, stage = rest.partition(":")
        at = dict(session.execute(
            sa.select(Idea.stage, sa.func.count()).where(Idea.cohort_id == int(cohort_id))
            .group_by(Idea.stage)).all())
        return not at or any(Stage(s).index <= Stage(stage).index for s in at)
    if kind == Category.AGREEMENT:
        return agreement_open(session, int(rest))
    return False


# --- LAN: agreements running out (platform data) ---------------------------------------------

def lan_administrators(session: Session) -> tuple[Recipient, ...]:
    users = session.scalars(sa.select(User).where(
        User.platform_role == Role.LAN_ADMIN, User.active.is_(True),
        User.password_hash.is_not(None)).order_by(User.id)).all()
    return tuple(_recipient_of_account(u) for u in users)


def agreements_due(session: Session, dates: set[date]) -> list[tuple[int, DueItem]]:
    """(tenant id, item) for each agreement in force that runs out on one of `dates` and has
    not been renewed, for every LAN administrator."""
    renewed = sa.select(Agreement.renews_id).where(Agreement.renews_id.is_not(None))
    rows = session.execute(
        sa.select(Agreement.id, Agreement.kind, Agreement.number, Agreement.valid_until,
                  Agreement.tenant_id, Tenant.name)
        .join(Tenant, Tenant.id == Agreement.tenant_id)
        .where(Agreement.valid_until.in_(dates), Agreement.id.not_in(renewed),
               Tenant.status.in_((TenantStatus.ACTIVE, TenantStatus.SUSPENDED)))
        .order_by(Agreement.valid_until, Agreement.id)).all()
    if not rows:
        return []
    admins = lan_administrators(session)
    return [(r.tenant_id, DueItem(Category.AGREEMENT, f"agreement:{r.id}",
                                  f"{r.kind.upper()} {r.number} \u2014 {r.name}"[:300],
                                  r.valid_until, f"/lan/tenants/{r.tenant_id}", admins))
            for r in rows]


def agreement_open(session: Session, agreement_id: int) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(Agreement).where(
        Agreement.renews_id == agreement_id)) == 0
