"""Reading the RPJMD: its periods, the tree of a period (misi → sasaran → indicators) with the
ideas linked to each item, and the choices an idea form offers.

    from tenants.lab.queries import rpjmd
    options = rpjmd.choices(session, keep_priority_id=idea.priority_id,
                            keep_indicator_id=idea.indicator_id)
    form.priority_id.choices = [("", "—"), *flatten(options.priorities)]  # or as optgroups
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.lab.models import Idea, RpjmdIndicator, RpjmdPeriod, RpjmdPriority
from tenants.lab.operations.rpjmd import MISI, natural_key
from tenants.scope import current_tenant
from tenants.zones import today_in

LABEL_MAX = 90  # a select's option stays readable on a phone


def periods(session: Session) -> list[RpjmdPeriod]:
    """Every period, the latest first."""
    return list(session.scalars(sa.select(RpjmdPeriod).order_by(
        RpjmdPeriod.starts_year.desc(), RpjmdPeriod.id.desc())))


def current_period(session: Session, today: date | None = None) -> RpjmdPeriod | None:
    """The period in force this year (the later one in a shared boundary year), else the
    latest one."""
    year = (today or today_in(current_tenant(session).timezone)).year
    all_periods = periods(session)
    in_force = [p for p in all_periods if p.starts_year <= year <= p.ends_year]
    return (in_force or all_periods or [None])[0]


@dataclass
class IndicatorNode:
    indicator: RpjmdIndicator
    ideas: int


@dataclass
class SasaranNode:
    priority: RpjmdPriority
    ideas: int                                  # ideas linked to the sasaran or its indicators
    indicators: list[IndicatorNode] = field(default_factory=list)


@dataclass
class MisiNode:
    priority: RpjmdPriority
    ideas: int                                  # ideas linked anywhere under the misi
    sasaran: list[SasaranNode] = field(default_factory=list)


def _ordered(items, key=lambda p: p):
    return sorted(items, key=lambda x: (key(x).position, natural_key(key(x).code)))


def tree(session: Session, period: RpjmdPeriod) -> list[MisiNode]:
    """The period's misi, each with its sasaran and their indicators, and how many ideas
    (of every cohort) link to each: one query for the items, one for the links."""
    priorities = session.scalars(sa.select(RpjmdPriority).where(
        RpjmdPriority.period_id == period.id)).all()
    ids = [p.id for p in priorities]
    indicators = session.scalars(sa.select(RpjmdIndicator).where(
        RpjmdIndicator.priority_id.in_(ids))).all() if ids else []
    links = session.execute(sa.select(Idea.id, Idea.priority_id, Idea.indicator_id).where(
        sa.or_(Idea.priority_id.in_(ids),
               Idea.indicator_id.in_([i.id for i in indicators])))).all() if ids else []
    by_priority, by_indicator = defaultdict(set), defaultdict(set)
    for idea_id, priority_id, indicator_id in links:
        if priority_id is not None:
            by_priority[priority_id].add(idea_id)
        if indicator_id is not None:
            by_indicator[indicator_id].add(idea_id)
    indicators_of = defaultdict(list)
    for indicator in indicators:
        indicators_of[indicator.priority_id].append(indicator)
    children = defaultdict(list)
    for p in priorities:
        if p.kind != MISI:
            children[p.parent_id].append(p)
    nodes = []
    for misi in _ordered(p for p in priorities if p.kind == MISI):
        node = MisiNode(misi, 0)
        reached = set(by_priority[misi.id])
        for sasaran in _ordered(children[misi.id]):
            own = set(by_priority[sasaran.id])
            ind_nodes = []
            for indicator in sorted(indicators_of[sasaran.id],
                                    key=lambda i: natural_key(i.code)):
                own |= by_indicator[indicator.id]
                ind_nodes.append(IndicatorNode(indicator, len(by_indicator[indicator.id])))
            node.sasaran.append(SasaranNode(sasaran, len(own), ind_nodes))
            reached |= own
        node.ideas = len(reached)
        nodes.append(node)
    return nodes


def misi_of(session: Session, period: RpjmdPeriod) -> list[RpjmdPriority]:
    return _ordered(session.scalars(sa.select(RpjmdPriority).where(
        RpjmdPriority.period_id == period.id, RpjmdPriority.kind == MISI)))


def sasaran_of(session: Session, period: RpjmdPeriod) -> list[RpjmdPriority]:
    """The period's sasaran in the tree's order (misi by misi)."""
    return [s.priority for m in tree(session, period) for s in m.sasaran]


def short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def priority_label(priority: RpjmdPriority) -> str:
    return f"{priority.code} — {short(priority.text)}"


def indicator_label(indicator: RpjmdIndicator) -> str:
    return f"{indicator.code} — {short(indicator.name)}"


@dataclass
class RpjmdChoices:
    """What an idea form offers for its RPJMD priority and indicator.

    `priorities`: optgroup label (a misi) -> [(id, label)] with the misi itself first, then
    its sasaran. `indicators`: optgroup label (a sasaran) -> [(id, label)] of its
    indicators. Both keep the period's order; WTForms' SelectField takes such a dict as its
    choices and renders the groups. `indicator_priority` maps each indicator to its
    sasaran, which an idea must link together with it (the idea operations check that).
    """

    period: RpjmdPeriod | None
    priorities: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    indicators: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    indicator_priority: dict[int, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.priorities


def choices(session: Session, *, keep_priority_id: int | None = None,
            keep_indicator_id: int | None = None) -> RpjmdChoices:
    """The priorities and indicators of the current period, grouped for a select.

    An idea already linked to an item of an earlier period keeps it on offer (passed as
    `keep_priority_id` / `keep_indicator_id`), in a group of its own, so that saving the
    form does not drop the link unasked."""
    period = current_period(session)
    result = RpjmdChoices(period)
    if period is not None:
        for misi in tree(session, period):
            group = result.priorities.setdefault(priority_label(misi.priority), [])
            group.append((misi.priority.id, f"{misi.priority.code} (misi)"))
            for sasaran in misi.sasaran:
                group.append((sasaran.priority.id, priority_label(sasaran.priority)))
                if sasaran.indicators:
                    options = result.indicators.setdefault(
                        priority_label(sasaran.priority), [])
                    for node in sasaran.indicators:
                        options.append((node.indicator.id, indicator_label(node.indicator)))
                        result.indicator_priority[node.indicator.id] = sasaran.priority.id
    earlier = _("Earlier RPJMD")
    offered = {i for group in result.priorities.values() for i, _label in group}
    if keep_priority_id and keep_priority_id not in offered:
        kept = session.get(RpjmdPriority, keep_priority_id)
        if kept is not None:
            result.priorities.setdefault(earlier, []).append((kept.id, priority_label(kept)))
    if keep_indicator_id and keep_indicator_id not in result.indicator_priority:
        kept = session.get(RpjmdIndicator, keep_indicator_id)
        if kept is not None:
            result.indicators.setdefault(earlier, []).append((kept.id, indicator_label(kept)))
            result.indicator_priority[kept.id] = kept.priority_id
    return result
