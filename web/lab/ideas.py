"""Ideas of a lab: the list, the idea form (its IID profile, with a version check), the idea
page (stage, gates, history, files, action plan, comments) and stage moves.

Who may do what: innovators see and change their own unit's ideas only (another unit's
idea is not found); Bappeda administrators everything in their lab, gate overrides
included; coaches of the lab and LAN administrators read (coaches also comment).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tenants.accounts.models import Role
from tenants.accounts.queries import names_of
from tenants.cohorts.models import STAGES, Cohort, Stage
from tenants.cohorts.operations import tenant_today
from tenants.db import db
from tenants.formatting import format_date
from tenants.lab import labels, profile
from tenants.lab.models import Idea, RpjmdIndicator, RpjmdPriority
from tenants.lab.operations import ideas as operations
from tenants.lab.queries import ideas as queries
from tenants.lab.queries.rpjmd import choices as rpjmd_choices
from tenants.labels import STAGE, UNIT_KIND
from tenants.refusal import Refused
from tenants.units.models import Person, Unit, UnitKind
from web.access import innovator_unit_ids, may_change_unit, roles_required
from web.forms import attempt, place
from web.lab.cohort import chosen_cohort, enrolled_cohorts
from web.lab.idea_forms import URUSAN_GROUPS, IdeaForm, MoveForm
from web.lab.idea_pages import (
    EDITORS,
    editable_or_404,
    grouped,
    idea_context,
    idea_or_404,
    render_idea,
    seen_units,
)
from web.pages import requested_page

bp = Blueprint("ideas", __name__, url_prefix="/ideas")
bp.context_processor(idea_context)


# --- the lab's cohorts -----------------------------------------------------------------------
# web/lab/cohort.py (the cohorts area) is not on this branch yet: a small chooser of our own.

# --- the list --------------------------------------------------------------------------------

@bp.get("/")
@roles_required()
def index():
    cohort = chosen_cohort()
    cohorts = enrolled_cohorts()
    units = seen_units()
    unit_rows = db.session.scalars(
        queries.visible_units(units).order_by(sa.func.lower(Unit.name))).all()
    args = request.args
    stage = args.get("stage") if args.get("stage") in {s.value for s in STAGES} else None
    kind = args.get("kind") if args.get("kind") in {k.value for k in UnitKind} else None
    unit_id = int(args["unit"]) if (args.get("unit", "").isdigit() and int(args["unit"]) in
                                    {u.id for u in unit_rows}) else None
    text = (args.get("q") or "").strip()[:100] or None
    sort = args.get("sort") if args.get("sort") in queries.SORTS else "updated"
    page = None
    if cohort is not None:
        page = queries.ideas(
            db.session, queries.IdeaFilter(cohort_id=cohort.id, stage=stage, unit_kind=kind,
                                           unit_id=unit_id, text=text, sort=sort),
            units=units, today=tenant_today(db.session), page=requested_page())
    filtered = any((stage, kind, unit_id, text))
    return render_template(
        "lab/ideas/index.html", cohorts=cohorts, cohort=cohort, page=page, units=unit_rows,
        stage=stage, kind=kind, unit_id=unit_id, text=text or "", sort=sort,
        filtered=filtered, may_create=bool(g.tenant_roles & set(EDITORS)) and bool(cohorts),
        kinds=[k for k in UnitKind if any(u.kind == k for u in unit_rows)])

# --- the form --------------------------------------------------------------------------------

def _form_choices(form: IdeaForm, idea: Idea | None, cohorts: list[Cohort]) -> dict:
    own = innovator_unit_ids()
    units = queries.open_units(db.session, own)
    if idea is not None and idea.unit_id not in {u.id for u in units}:
        units = [idea.unit, *units]  # a retired unit stays shown on its own ideas
    form.unit_id.choices = grouped(units, lambda u: UNIT_KIND.get(u.kind, u.kind),
                                    lambda u: u.name)
    people = queries.people(db.session)
    form.innovator_ids.choices = [(p.id, p.name) for p in people]
    rpjmd = rpjmd_choices(db.session, keep_priority_id=idea.priority_id if idea else None,
                          keep_indicator_id=idea.indicator_id if idea else None)
    form.priority_id.choices = {None: [(None, "—")], **rpjmd.priorities}
    form.indicator_id.choices = {None: [(None, "—")], **rpjmd.indicators}
    if getattr(form, "cohort_id", None) is not None:
        form.cohort_id.choices = [(c.id, c.name) for c in cohorts]
    by_unit: dict[int, list] = {}
    for person in people:
        by_unit.setdefault(person.unit_id, []).append(person)
    return {"units": units, "people_by_unit": by_unit, "rpjmd": rpjmd,
            "fixed_unit": units[0] if own is not None and len(units) == 1 else None}


def _values(form: IdeaForm) -> dict:
    values = {field: form[field].data for field in operations.FIELDS}
    for field in ("inisiator", "jenis", "bentuk", "tematik", "tahapan"):
        if values[field] in ("", "None"):
            values[field] = None
    return values


def _render_form(form, idea, extra, cohorts, *, error=None, conflict=None, status=200):
    return render_template(
        "lab/ideas/form.html", form=form, idea=idea, error=error, conflict=conflict,
        cohorts=cohorts, urusan_groups=URUSAN_GROUPS, urusan_labels=labels.URUSAN,
        design_min=profile.DESIGN_MIN_WORDS, word_count=profile.word_count, **extra), status


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    cohorts = enrolled_cohorts()
    form = IdeaForm()
    extra = _form_choices(form, None, cohorts)
    if not cohorts:
        flash(_("The lab is not enrolled in a cohort yet; ideas belong to a cohort. LAN "
                "enrols the lab."), "error")
        return redirect(url_for(".index"))
    if request.method == "GET":
        form.cohort_id.data = chosen_cohort().id
        if extra["fixed_unit"] is not None:
            form.unit_id.data = extra["fixed_unit"].id
    error = None
    if request.method == "POST" and extra["fixed_unit"] is not None:
        form.unit_id.data = extra["fixed_unit"].id  # an innovator's ideas are their unit's
    if form.validate_on_submit():
        # The form names a cohort when the lab is in several; else the latest one.
        cohort = (chosen_cohort() if form.cohort_id.data is None else
                  next((c for c in cohorts if c.id == form.cohort_id.data), None))
        if cohort is None:
            form.cohort_id.errors.append(_("Choose one of the options."))
        elif not may_change_unit(form.unit_id.data):
            form.unit_id.errors.append(_("Choose the unit the idea belongs to."))
        else:
            try:
                idea = operations.create(db.session, cohort_id=cohort.id, values=_values(form),
                                         innovator_ids=form.innovator_ids.data or [],
                                         actor_id=current_user.id, ip=request.remote_addr)
            except Refused as refusal:
                db.session.rollback()
                error = place(form, refusal)
            else:
                db.session.commit()
                flash(_("The idea is saved. Next: its problem and root causes, then the "
                        "action plan."), "success")
                return redirect(url_for(".show", idea_id=idea.id))
    return _render_form(form, None, extra, cohorts, error=error,
                        status=400 if request.method == "POST" else 200)


@bp.route("/<int:idea_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(idea_id: int):
    post = request.method == "POST"
    idea = editable_or_404(idea_id)
    cohorts = enrolled_cohorts()
    form = IdeaForm(obj=None if post else idea)
    del form.cohort_id  # an idea stays in its cohort
    extra = _form_choices(form, idea, cohorts)
    if not post:
        form.version.data = idea.version
        form.innovator_ids.data = [p.id for p in idea.innovators]
    error = conflict = None
    if post and extra["fixed_unit"] is not None:
        form.unit_id.data = idea.unit_id  # an innovator does not move ideas between units
    if form.validate_on_submit():
        version = form.version.data
        if not may_change_unit(form.unit_id.data):
            form.unit_id.errors.append(_("Choose the unit the idea belongs to."))
        elif not str(version).isdigit():
            abort(400)
        else:
            values = _values(form)
            innovators = form.innovator_ids.data or []
            try:
                changed = operations.update(db.session, idea, version=int(version),
                                            values=values, innovator_ids=innovators,
                                            actor_id=current_user.id, ip=request.remote_addr)
            except operations.StaleIdea as stale:
                db.session.rollback()
                current = db.session.get(Idea, idea.id)
                conflict = _conflict(current, values, innovators)
                error = stale.message
                form.version.data = current.version  # saving again replaces theirs, knowingly
                idea = current
            except Refused as refusal:
                db.session.rollback()
                error = place(form, refusal)
            else:
                db.session.commit()
                flash(_("The changes are saved.") if changed else
                      _("Nothing was changed."), "success" if changed else "info")
                return redirect(url_for(".show", idea_id=idea.id))
    return _render_form(form, idea, extra, cohorts, error=error, conflict=conflict,
                        status=409 if conflict else 400 if post else 200)


# What a conflict shows of each field: label, their value, yours.
def _shown(field: str, value, people: dict[int, str]) -> str:
    if value in (None, "", []):
        return "—"
    tables = {"inisiator": labels.INISIATOR, "jenis": labels.JENIS, "bentuk": labels.BENTUK,
              "tematik": labels.TEMATIK, "tahapan": labels.TAHAPAN}
    if field in tables:
        return str(tables[field].get(value, value))
    if field == "urusan":
        return ", ".join(str(labels.URUSAN.get(u, u)) for u in value)
    if field == "innovators":
        return ", ".join(people.get(i, "?") for i in value)
    if field == "unit_id":
        return db.session.scalar(sa.select(Unit.name).where(Unit.id == value)) or "—"
    if field in ("trial_on", "launched_on"):
        return format_date(value)
    if field == "priority_id":
        row = db.session.get(RpjmdPriority, value)
        return f"{row.code} {row.text}" if row else "—"
    if field == "indicator_id":
        row = db.session.get(RpjmdIndicator, value)
        return f"{row.code} {row.name}" if row else "—"
    return str(value)


def _conflict(current: Idea, values: dict, innovators: list[int]) -> dict:
    """The fields where the saved version and what was typed differ, field by field."""
    values = operations.clean(values)  # compare what would have been saved
    rows = []
    form = IdeaForm(meta={"csrf": False}, formdata=None)
    people = dict(db.session.execute(sa.select(Person.id, Person.name)).all())
    for field in operations.FIELDS:
        theirs, yours = getattr(current, field), values.get(field)
        if field == "urusan":
            theirs, yours = list(theirs or []), list(yours or [])
        if theirs != yours:
            rows.append((str(form[field].label.text), _shown(field, theirs, people),
                         _shown(field, yours, people), field))
    saved = sorted(p.id for p in current.innovators)
    if saved != sorted(set(innovators)):
        rows.append((str(form.innovator_ids.label.text), _shown("innovators", saved, people),
                     _shown("innovators", sorted(set(innovators)), people), "innovator_ids"))
    by = names_of([current.updated_by_id]).get(current.updated_by_id)
    return {"rows": rows, "by": by, "at": current.updated_at}

# --- the idea page ---------------------------------------------------------------------------

@bp.get("/<int:idea_id>")
@roles_required()
def show(idea_id: int):
    return render_idea(idea_or_404(idea_id))


@bp.post("/<int:idea_id>/move")
@roles_required(*EDITORS)
def move(idea_id: int):
    idea = editable_or_404(idea_id)
    form = MoveForm()
    stage = Stage(idea.stage)
    target = {"forward": stage.next, "back": stage.previous}.get(form.direction.data)
    if not form.validate_on_submit() or target is None:
        flash(_("This idea cannot move that way."), "error")
        return render_idea(idea, status=400, move_form=form, move_error=None)
    done, error = attempt(operations.move, idea, target, form=form,
                          override_reason=form.reason.data,
                          may_override=Role.BAPPEDA_ADMIN in g.tenant_roles)
    if not done:
        db.session.expire_all()
        return render_idea(db.session.get(Idea, idea_id), status=400, move_form=form,
                           move_error=error, move_direction=form.direction.data)
    flash(_("The idea is now in %(stage)s.", stage=STAGE[target]), "success")
    return redirect(url_for(".show", idea_id=idea_id))


