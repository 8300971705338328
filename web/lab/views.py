"""The lab's home page: the Bappeda's dashboard of the chosen cohort.

Where the lab stands (the cohort's five stages on the lab's own dates, today's stage in the
lab's time zone), its ideas by type of unit and stage as a chart and as the table behind it,
the overdue milestones, and the units without ideas or without a signed drum-up commitment.
An innovator sees the same page with their own unit's figures only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from tenants.cohorts.models import STAGES, Cohort
from tenants.cohorts.operations import (
    Window,
    current_stage,
    effective_windows,
    tenant_today,
    windows_of,
)
from tenants.db import db
from tenants.formatting import format_number
from tenants.lab.queries import dashboard as queries
from tenants.labels import STAGE, UNIT_KIND
from tenants.units.queries import count_by_kind
from tenants.units.queries import units as lab_units
from tenants.zones import abbreviation
from web.access import roles_required
from web.charts import stacked_bars
from web.lab.cohort import chosen_cohort, enrolled_cohorts
from web.lab.idea_pages import seen_units


@dataclass(frozen=True)
class Step:
    """One stage on the timeline: its dates and where today falls."""

    window: Window
    state: str          # done / current / next (to come)
    days_left: int | None = None


def timeline(windows: list[Window], today: date) -> list[Step]:
    now = current_stage(windows, today)
    steps = []
    for w in windows:
        if w.ends_on < today:
            steps.append(Step(w, "done"))
        elif w.stage == now:
            steps.append(Step(w, "current", (w.ends_on - today).days))
        else:
            steps.append(Step(w, "next"))
    return steps


def ideas_chart(matrix: queries.StageByKind) -> Markup:
    kinds = [(k, str(UNIT_KIND.get(k, k))) for k in matrix.kinds]
    parts = [_("%(n)s from %(kind)s", n=format_number(matrix.kind_total(k)), kind=label)
             for k, label in kinds]
    desc = ngettext("%(num)s idea: %(parts)s.", "%(num)s ideas: %(parts)s.", matrix.total,
                    parts=", ".join(parts)) if parts else _("No ideas yet.")
    stages = ", ".join(_("%(stage)s %(n)s", stage=STAGE[s], n=format_number(
        matrix.stage_total(s))) for s in STAGES if matrix.stage_total(s))
    if stages:
        desc += " " + _("By stage: %(stages)s.", stages=stages)
    svg = stacked_bars(
        "ideas-chart", title=_("Ideas by type of unit and stage"), desc=desc,
        categories=kinds, series=[(s.value, STAGE[s]) for s in STAGES],
        values=matrix.counts, number=format_number)
    return Markup(svg)  # every text in it is escaped by web.charts


@roles_required()
def home():
    cohort: Cohort | None = chosen_cohort()
    units = seen_units()
    context = {"cohort": cohort, "cohorts": enrolled_cohorts(), "roles": g.tenant_roles,
               "own_units": units, "stage_label": lambda s: STAGE.get(s, s)}
    if cohort is None:
        units = sorted(lab_units(db.session), key=lambda u: (u.kind, u.name))
        return render_template("lab/home.html", by_kind=count_by_kind(db.session),
                               units=units, **context)
    today = tenant_today(db.session)
    windows = effective_windows(db.session, cohort)
    board = queries.dashboard(db.session, cohort.id, today, units=units)
    return render_template(
        "lab/home.html", today=today, steps=timeline(windows, today),
        shifted=windows != windows_of(cohort), board=board,
        chart=ideas_chart(board.matrix) if board.matrix.total else None,
        stages=STAGES, zone_name=abbreviation(g.tenant.timezone), **context)

