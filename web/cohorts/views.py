"""LAN's cohorts: the list, a cohort's page (stages, coaches, enrolled labs), its form, its
coaches, enrolling labs, and the cohort dashboard that puts every enrolled lab side by side.

LAN administrators manage; a LAN coach reads the cohorts assigned to him, and any other
cohort is not found. The dashboard reads platform rows only (`LabSummary`), every lab in one
query; each lab's row is recounted by a job (`jobs.cohorts`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from babel.numbers import get_group_symbol
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from jobs.cohorts import enqueue_refresh_quietly
from tenants.accounts.models import Role
from tenants.cohorts import operations as cohorts
from tenants.cohorts import queries
from tenants.cohorts.models import STAGES, Cohort
from tenants.cohorts.operations import current_stage, windows_of
from tenants.db import db
from tenants.formatting import format_date, to_local
from tenants.labels import STAGE
from tenants.refusal import Refused
from tenants.registry import Tenant
from tenants.zones import today_in
from web.access import platform_role_required
from web.cohorts.forms import (
    CoachesForm,
    CohortForm,
    EnrolForm,
    place_refusal,
    suggested_windows,
)
from web.forms import attempt
from web.lan.views import lan_today

bp = Blueprint("cohorts", __name__, url_prefix="/lan/cohorts", template_folder="templates")

LAN_STAFF = (Role.LAN_ADMIN, Role.LAN_COACH)


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.context_processor
def _cohort_context():
    return {"stages": STAGES, "stage_label": lambda s: STAGE.get(s, s) if s else "—"}


def _status() -> int:
    return 400 if request.method == "POST" else 200


def cohort_or_404(cohort_id: int, *, lock: bool = False) -> Cohort:
    """The cohort if the signed-in LAN person may read it; 404 otherwise (a coach who is not
    assigned to it learns nothing of it)."""
    stmt = queries.visible(sa.select(Cohort).where(Cohort.id == cohort_id), current_user)
    stmt = stmt.options(selectinload(Cohort.stages))
    cohort = db.session.scalar(stmt.with_for_update(of=Cohort) if lock else stmt)
    if cohort is None:
        abort(404)
    return cohort


# --- The list and a cohort's page -----------------------------------------------------------

@bp.get("/")
@platform_role_required(*LAN_STAFF)
def index():
    return render_template("cohorts/index.html",
                           cohorts=queries.cohort_list(db.session, current_user, lan_today()),
                           manage=current_user.is_lan_admin, today=lan_today())


@bp.get("/<int:cohort_id>")
@platform_role_required(*LAN_STAFF)
def show(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    today = lan_today()
    windows = windows_of(cohort)
    return render_template(
        "cohorts/show.html", cohort=cohort, windows=windows,
        stage=current_stage(windows, today), today=today,
        coaches=queries.coaches_of(db.session, cohort),
        labs=queries.enrolled_labs(db.session, cohort),
        manage=current_user.is_lan_admin)


# --- Creating and changing a cohort ---------------------------------------------------------

def _save(form: CohortForm, cohort: Cohort | None):
    """Save the form through `save_cohort`; (the cohort, None) or (None, message)."""
    saved = []
    try:
        saved.append(cohorts.save_cohort(
            db.session, cohort, name=form.name.data, year=form.year.data,
            description=form.description.data, windows=form.windows(),
            actor_id=current_user.id, ip=request.remote_addr))
    except Refused as refusal:
        db.session.rollback()
        return None, place_refusal(form, refusal)
    db.session.commit()
    return saved[0], None


@bp.route("/new", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def new():
    form = CohortForm()
    error = None
    if request.method == "GET":
        windows = suggested_windows(lan_today())
        form.fill(windows)
        form.year.data = windows[0].starts_on.year
    if form.validate_on_submit():
        cohort, error = _save(form, None)
        if cohort is not None:
            flash(_("%(name)s is created. Next: assign its coaches and enrol its labs.",
                    name=cohort.name), "success")
            return redirect(url_for(".show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None,
                           error=error), _status()


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def edit(cohort_id: int):
    cohort = cohort_or_404(cohort_id, lock=request.method == "POST")
    form = CohortForm(obj=cohort if request.method == "GET" else None)
    if request.method == "GET":
        form.fill(windows_of(cohort))
    error = None
    if form.validate_on_submit():
        saved, error = _save(form, cohort)
        if saved is not None:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".show", cohort_id=cohort_id))
    return render_template("cohorts/form.html", form=form, cohort=cohort,
                           error=error), _status()


# --- Coaches and labs -------------------------------------------------------------------------

@bp.route("/<int:cohort_id>/coaches", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def coaches(cohort_id: int):
    cohort = cohort_or_404(cohort_id, lock=request.method == "POST")
    form = CoachesForm()
    everyone = queries.lan_coaches(db.session)
    form.coaches.choices = [(u.id, u.name) for u in everyone]
    if request.method == "GET":
        form.coaches.data = [c.user_id for c in cohort.coaches]
    error = None
    if form.validate_on_submit():
        chosen = [i for i in form.coaches.data or [] if i is not None]
        if len(chosen) != len(form.coaches.data or []):
            form.coaches.errors = [_("Choose LAN coaches from the list.")]
        else:
            done, error = attempt(cohorts.set_coaches, cohort, chosen, form=form)
            if done:
                flash(ngettext("%(num)s coach is assigned to %(name)s.",
                               "%(num)s coaches are assigned to %(name)s.", len(chosen),
                               name=cohort.name) if chosen else
                      _("%(name)s has no coach now.", name=cohort.name), "success")
                return redirect(url_for(".show", cohort_id=cohort_id))
    return render_template("cohorts/coaches.html", cohort=cohort, form=form, everyone=everyone,
                           error=error), _status()


def _today_for(tenant: Tenant):
    return today_in(tenant.timezone)


@bp.route("/<int:cohort_id>/enrol", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def enrol(cohort_id: int):
    cohort = cohort_or_404(cohort_id, lock=request.method == "POST")
    form = EnrolForm()
    error = None
    if form.validate_on_submit():
        chosen = list(dict.fromkeys(form.tenant_id.data or []))  # None: not a number
        done, error = attempt(cohorts.enroll_all, cohort, chosen, form=form)
        if done:
            for tenant_id in chosen:  # their figures on the dashboard at once
                enqueue_refresh_quietly(tenant_id)
            flash(ngettext("%(num)s lab is enrolled in %(name)s.",
                           "%(num)s labs are enrolled in %(name)s.", len(chosen),
                           name=cohort.name), "success")
            return redirect(url_for(".show", cohort_id=cohort_id))
    candidates = queries.candidates(db.session, cohort, _today_for)
    return render_template("cohorts/enrol.html", cohort=cohort, form=form, error=error,
                           candidates=candidates,
                           eligible=[c for c in candidates if c.problem is None],
                           refused=[c for c in candidates if c.problem is not None],
                           ), _status()


# --- The cohort dashboard ---------------------------------------------------------------------

@dataclass(slots=True)
class Shown:
    """A dashboard row with its figures already formatted: 514 rows of a dozen cells are
    formatted here in a few milliseconds, where as many template filter calls took a
    third of a second."""

    lab: sa.Row
    ideas: str
    stages: list[tuple[str, bool]]      # (count, is zero) per stage, in order
    late: str
    milestones: str
    without: str
    units: str
    last_activity: str
    bar: Markup


def _shown(rows: list[sa.Row]) -> tuple[list[Shown], dict]:
    group = get_group_symbol(get_locale() or "id")

    def n(value: int | None) -> str:
        return "—" if value is None else f"{value:,}".replace(",", group)

    days: dict = {}

    def day(moment) -> str:
        if moment is None:
            return "—"
        local = to_local(moment).date()
        if local not in days:
            days[local] = format_date(local)
        return days[local]

    most = max((r.ideas or 0 for r in rows), default=0)
    keys = [s.value for s in STAGES]
    shown = [Shown(lab=r, ideas=n(r.ideas),
                   stages=[(n((r.by_stage or {}).get(k, 0)), not (r.by_stage or {}).get(k))
                           for k in keys],
                   late=n(r.late_milestones), milestones=n(r.milestones),
                   without=n(r.units_without_ideas), units=n(r.units),
                   last_activity=day(r.last_activity_at), bar=stage_bar(r, most))
             for r in rows]
    counted = [r for r in rows if r.counted]
    totals = {"labs": len(counted), "ideas": n(sum(r.ideas for r in counted)),
              "stages": [n(sum(r.by_stage.get(s.value, 0) for r in counted)) for s in STAGES],
              "late": n(sum(r.late_milestones for r in counted)),
              "milestones": n(sum(r.milestones for r in counted)),
              "without": n(sum(r.units_without_ideas for r in counted)),
              "units": n(sum(r.units for r in counted))}
    return shown, totals


def stage_bar(row: sa.Row, most: int) -> Markup:
    """A small bar, drawn on the server, of how the lab's ideas spread over the stages; its
    length compares the lab with the cohort's largest. Decorative: the figures are in the
    row's own cells."""
    if not row.ideas or not most:
        return Markup("")
    width, x, parts = row.ideas / most * 100, 0.0, []
    for stage in STAGES:
        count = row.by_stage.get(stage.value, 0)
        if count:
            w = count / row.ideas * width
            parts.append(f'<rect class="bar-{stage}" x="{x:.2f}" width="{w:.2f}" '
                         'height="8"></rect>')
            x += w
    return Markup('<svg class="stage-bar" viewBox="0 0 100 8" width="100" height="8" '
                  'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
                  '<rect class="bar-track" width="100" height="8"></rect>'
                  + "".join(parts) + "</svg>")


@bp.get("/<int:cohort_id>/dashboard")
@platform_role_required(*LAN_STAFF)
def dashboard(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    sort, descending = queries.parse_sort(request.args.get("sort"))
    provinces = queries.dashboard_provinces(db.session, cohort.id)
    province = request.args.get("province") or None
    if province not in {code for code, _name in provinces}:
        province = None
    rows = queries.dashboard_rows(db.session, cohort.id, sort=sort, descending=descending,
                                  province=province)
    shown, totals = _shown(rows)
    windows = windows_of(cohort)
    return render_template(
        "cohorts/dashboard.html", cohort=cohort, rows=shown, totals=totals, sort=sort,
        descending=descending, provinces=provinces, province=province,
        stage=current_stage(windows, lan_today()), lab_links=current_user.is_lan_admin)
