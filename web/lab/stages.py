"""The lab's stage dates: the cohort's five stage windows beside the lab's own, which its
Bappeda administrator may shift inside the cohort's window (every member reads them).

A refused date is shown beside its field, and the form keeps everything typed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import Form, FormField
from wtforms.validators import InputRequired

from tenants.accounts.models import Role
from tenants.cohorts.models import STAGES, Cohort
from tenants.cohorts.operations import (
    Window,
    current_stage,
    effective_windows,
    shift_stages,
    tenant_today,
    windows_of,
)
from tenants.db import db
from tenants.labels import STAGE
from tenants.refusal import Refused
from web.access import roles_required
from web.forms import FlaskForm
from web.lab.cohort import chosen_cohort, cohort_args, enrolled_cohorts
from web.lab.records import DateInput

bp = Blueprint("stages", __name__, url_prefix="/stages")

EDITORS = (Role.BAPPEDA_ADMIN,)
REQUIRED = _l("Enter a date.")


class WindowForm(Form):
    starts_on = DateInput(_l("Starts"), validators=[InputRequired(message=REQUIRED)])
    ends_on = DateInput(_l("Ends"), validators=[InputRequired(message=REQUIRED)])
    deliverable_due = DateInput(_l("Deliverable due"),
                                validators=[InputRequired(message=REQUIRED)])


class StagesForm(FlaskForm):
    """One window per stage; the fields are named `<stage>-<field>`, as the cohort's rules
    name them in a refusal."""


for _stage in STAGES:
    setattr(StagesForm, _stage.value, FormField(WindowForm, label=STAGE[_stage]))


def _fill(form: StagesForm, windows: list[Window]) -> None:
    for w in windows:
        sub = form[w.stage.value]
        sub.starts_on.data, sub.ends_on.data = w.starts_on, w.ends_on
        sub.deliverable_due.data = w.deliverable_due


def _place(form: StagesForm, refusal: Refused) -> str | None:
    """A refusal beside its date (`<stage>-<field>`), else for the whole form."""
    stage, _sep, name = (refusal.field or "").partition("-")
    if stage in form and name in form[stage].form:
        field = form[stage].form[name]
        field.errors = [*field.errors, refusal.message]
        return None
    return refusal.message


@bp.route("/", methods=["GET", "POST"])
@roles_required()
def index():
    may_edit = bool(g.tenant_roles & set(EDITORS))
    if request.method == "POST" and not may_edit:
        abort(403)
    cohort: Cohort | None = chosen_cohort()
    if cohort is None:
        return render_template("lab/stages.html", cohort=None, cohorts=[], form=None)
    cohort_windows = windows_of(cohort)
    if len(cohort_windows) != len(STAGES):  # LAN has not set the cohort's dates yet
        refused = request.method == "POST"
        return render_template("lab/stages.html", cohort=cohort, cohorts=enrolled_cohorts(),
                               form=None, rows=[], refused=refused), 400 if refused else 200
    form = StagesForm()
    own = effective_windows(db.session, cohort)
    error = None
    if request.method == "GET":
        _fill(form, cohort_windows if request.args.get("reset") else own)
    elif form.validate_on_submit():
        windows = [Window(s, form[s.value].starts_on.data, form[s.value].ends_on.data,
                          form[s.value].deliverable_due.data) for s in STAGES]
        try:
            shift_stages(db.session, cohort, windows, actor_id=current_user.id,
                         ip=request.remote_addr)
        except Refused as refusal:
            db.session.rollback()
            error = _place(form, refusal)
        else:
            db.session.commit()
            flash(_("The lab's stage dates are saved."), "success")
            return redirect(url_for(".index", **cohort_args()))
    elif getattr(form, "csrf_token", None) is not None and form.csrf_token.errors:
        error = form.csrf_token.errors[0]  # an expired form says so
    today = tenant_today(db.session)
    return render_template(
        "lab/stages.html", cohort=cohort, cohorts=enrolled_cohorts(), form=form,
        error=error, may_edit=may_edit, stages=STAGES, today=today,
        rows=list(zip(cohort_windows, own, strict=True)),
        shifted=own != cohort_windows, current=current_stage(own, today),
        stage_label=lambda s: STAGE.get(s, s),
        resetting=bool(request.args.get("reset")),
        refused=request.method == "POST"), (400 if request.method == "POST" else 200)
