"""Which cohort a lab page is about.

A lab may be enrolled in several cohorts over the years; its pages work on one at a time:
the latest one it is enrolled in, or the one named by `?cohort=<id>` (only a cohort the lab
is enrolled in: any other id is 404).

    cohort = chosen_cohort()          # a Cohort, or None when the lab is in no cohort yet
    url_for(..., **cohort_args())     # keep an explicit choice in the page's own links

Templates: `{% from "lab/_cohort.html" import cohort_switch %}{{ cohort_switch() }}` shows
the switch when there is more than one cohort to choose from.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g, request

from tenants.cohorts.models import Cohort, CohortStage, Enrolment
from tenants.db import db


def enrolled_cohorts() -> list[Cohort]:
    """The cohorts the current lab is enrolled in, the latest first (by year, then by the
    start of its first stage)."""
    cached = g.get("_enrolled_cohorts")
    if cached is not None:
        return cached
    starts = (sa.select(sa.func.min(CohortStage.starts_on))
              .where(CohortStage.cohort_id == Cohort.id).scalar_subquery())
    cohorts = list(db.session.scalars(
        sa.select(Cohort).join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.tenant_id == g.tenant.id)
        .order_by(Cohort.year.desc(), starts.desc().nulls_last(), Cohort.id.desc())))
    g._enrolled_cohorts = cohorts
    return cohorts


def chosen_cohort() -> Cohort | None:
    """The cohort of this request: `?cohort=<id>` if the lab is enrolled in it (else 404),
    otherwise the latest enrolled one; None when the lab is in no cohort."""
    if "_chosen_cohort" in g:
        return g._chosen_cohort
    cohorts = enrolled_cohorts()
    asked = request.args.get("cohort")
    if asked:
        chosen = next((c for c in cohorts if asked.isascii() and asked.isdigit()
                       and c.id == int(asked)), None)
        if chosen is None:
            abort(404)
    else:
        chosen = cohorts[0] if cohorts else None
    g._chosen_cohort = chosen
    return chosen


def cohort_args() -> dict[str, int]:
    """`{"cohort": id}` when the request chose a cohort explicitly, for the links it makes."""
    cohort = chosen_cohort()
    return {"cohort": cohort.id} if cohort is not None and request.args.get("cohort") else {}
