"""The lab's RPJMD: its periods, the tree of misi, sasaran and indicators (IKD) with the ideas
linked to each, entered by form or imported from a CSV or XLSX table (with a preview first).

Bappeda administrators edit; every member of the lab reads."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import FileField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from tenants.accounts.models import Role
from tenants.db import db
from tenants.lab.models import RpjmdIndicator, RpjmdPeriod, RpjmdPriority
from tenants.lab.operations import rpjmd as operations
from tenants.lab.queries import rpjmd as queries
from tenants.sheets import SheetError
from web.access import roles_required
from web.forms import attempt
from web.lab.records import Needed

bp = Blueprint("rpjmd", __name__, url_prefix="/rpjmd")

EDITORS = (Role.BAPPEDA_ADMIN,)
IMPORT_SALT = "labinov.rpjmd.import"
IMPORT_MAX_AGE = 3600  # a preview may be confirmed within the hour


def _optional_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class YearField(IntegerField):
    """A year, with the reason in the reader's language when it is not one."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError as exc:
                self.data = None
                raise ValueError(_("Enter a year such as 2021.")) from exc
        else:
            self.data = None


class PeriodForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Needed()],
                        description=_l("e.g. RPJMD Kabupaten Probolinggo 2025-2029"))
    starts_year = YearField(_l("First year"), validators=[InputRequired(
        message=_l("Enter a year such as 2021."))], render_kw={"inputmode": "numeric"})
    ends_year = YearField(_l("Last year"), validators=[InputRequired(
        message=_l("Enter a year such as 2021."))], render_kw={"inputmode": "numeric"})
    regulation = StringField(_l("The Perda that set it (optional)"),
                             description=_l("e.g. Perda Nomor 4 Tahun 2025 tentang RPJMD"))


class PriorityForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(operations.MISI, "Misi"),
                                            (operations.SASARAN, "Sasaran")],
                       validate_choice=False)
    parent_id = SelectField(_l("Under the misi"), coerce=_optional_int, validate_choice=False,
                            description=_l("Only for a sasaran."))
    code = StringField(_l("Code"), validators=[Needed()],
                       description=_l("As in the RPJMD document, e.g. M1 or S1.2."))
    text = TextAreaField(_l("Text"), validators=[Needed()], render_kw={"rows": 3})


class IndicatorForm(FlaskForm):
    priority_id = SelectField(_l("Sasaran it measures"), coerce=_optional_int,
                              validate_choice=False, validators=[Needed()])
    code = StringField(_l("Code"), validators=[Needed()], description=_l("e.g. IKD 1.2.1"))
    name = TextAreaField(_l("Indicator"), validators=[Needed()], render_kw={"rows": 2})
    measure = StringField(_l("Unit of measure"), description=_l("e.g. %, hari, orang, indeks"))
    baseline = StringField(_l("Baseline"))
    target = StringField(_l("Target"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file (.xlsx)"),
                     render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd."
                                          "openxmlformats-officedocument.spreadsheetml.sheet"})


class ConfirmForm(FlaskForm):
    payload = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""


# --- Reading --------------------------------------------------------------------------------

def _period_or_404(period_id: int) -> RpjmdPeriod:
    return db.session.get(RpjmdPeriod, period_id) or abort(404)


def _editor() -> bool:
    return bool(g.tenant_roles & set(EDITORS))


@bp.get("/")
@roles_required()
def index():
    periods = queries.periods(db.session)
    asked = request.args.get("period")
    if asked:
        period = next((p for p in periods if asked.isdigit() and p.id == int(asked)), None)
        if period is None:
            abort(404)
    else:
        period = queries.current_period(db.session)
    nodes = queries.tree(db.session, period) if period else []
    counts = {"misi": len(nodes), "sasaran": sum(len(m.sasaran) for m in nodes),
              "indicators": sum(len(s.indicators) for m in nodes for s in m.sasaran)}
    return render_template("lab/rpjmd/index.html", periods=periods, period=period, nodes=nodes,
                           counts=counts,
                           editor=_editor(), action_form=ActionForm(),
                           current=queries.current_period(db.session))


# --- Periods --------------------------------------------------------------------------------

def _period_form(period: RpjmdPeriod | None):
    post = request.method == "POST"
    form = PeriodForm(obj=period if not post else None)
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.save_period, period, form=form,
                              title=form.title.data, starts_year=form.starts_year.data,
                              ends_year=form.ends_year.data, regulation=form.regulation.data)
        if done:
            flash(_("The RPJMD period is saved."), "success")
            saved = period or db.session.scalar(sa.select(RpjmdPeriod).where(
                sa.func.lower(RpjmdPeriod.title) == " ".join(form.title.data.split()).lower()))
            return redirect(url_for(".index", period=saved.id))
    return render_template("lab/rpjmd/period.html", form=form, period=period, error=error,
                           action_form=ActionForm(),
                           linked=operations.ideas_linked_to_period(db.session, period)
                           if period else 0), 400 if post else 200


@bp.route("/periods/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_period():
    return _period_form(None)


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_period(period_id: int):
    return _period_form(_period_or_404(period_id))


@bp.post("/periods/<int:period_id>/delete")
@roles_required(*EDITORS)
def delete_period(period_id: int):
    period = _period_or_404(period_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    title = period.title
    if attempt(operations.delete_period, period)[0]:
        flash(_("%(title)s is deleted.", title=title), "success")
        return redirect(url_for(".index"))
    return redirect(url_for(".edit_period", period_id=period_id))


# --- Priorities -----------------------------------------------------------------------------

def _priority_form(period: RpjmdPeriod, priority: RpjmdPriority | None):
    post = request.method == "POST"
    form = PriorityForm(obj=priority if not post else None)
    misi = [m for m in queries.misi_of(db.session, period)
            if priority is None or m.id != priority.id]
    form.parent_id.choices = [("", "—")] + [(m.id, queries.priority_label(m)) for m in misi]
    if not post and priority is None:
        form.kind.data = request.args.get("kind") if request.args.get("kind") in (
            operations.MISI, operations.SASARAN) else operations.MISI
        form.parent_id.data = _optional_int(request.args.get("parent"))
        if form.parent_id.data:
            form.kind.data = operations.SASARAN
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.save_priority, period, priority, form=form,
                              kind=form.kind.data, code=form.code.data, text=form.text.data,
                              parent_id=form.parent_id.data)
        if done:
            saved = operations.priority_by_code(db.session, period.id,
                                                operations.clean_code(form.code.data))
            flash(_("%(code)s is saved.", code=saved.code), "success")
            return redirect(url_for(".index", period=period.id) + f"#priority-{saved.id}")
    linked = operations.ideas_linked_to_priority(db.session, priority) if priority else 0
    return render_template("lab/rpjmd/priority.html", form=form, period=period,
                           priority=priority, error=error, misi=misi, linked=linked,
                           action_form=ActionForm()), 400 if post else 200


@bp.route("/periods/<int:period_id>/priorities/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_priority(period_id: int):
    return _priority_form(_period_or_404(period_id), None)


@bp.route("/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_priority(priority_id: int):
    priority = db.session.get(RpjmdPriority, priority_id) or abort(404)
    return _priority_form(priority.period, priority)


@bp.post("/priorities/<int:priority_id>/delete")
@roles_required(*EDITORS)
def delete_priority(priority_id: int):
    priority = db.session.get(RpjmdPriority, priority_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    period_id, code = priority.period_id, priority.code
    if attempt(operations.delete_priority, priority)[0]:
        flash(_("%(code)s is deleted.", code=code), "success")
        return redirect(url_for(".index", period=period_id))
    return redirect(url_for(".edit_priority", priority_id=priority_id))


# --- Indicators -----------------------------------------------------------------------------

def _indicator_form(period: RpjmdPeriod, indicator: RpjmdIndicator | None):
    post = request.method == "POST"
    form = IndicatorForm(obj=indicator if not post else None)
    groups: dict[str, list] = {}
    for node in queries.tree(db.session, period):
        if node.sasaran:
            groups[queries.priority_label(node.priority)] = [
                (s.priority.id, queries.priority_label(s.priority)) for s in node.sasaran]
    form.priority_id.choices = {"": [("", "—")], **groups}
    if not post and indicator is None:
        form.priority_id.data = _optional_int(request.args.get("sasaran"))
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.save_indicator, period, indicator, form=form,
                              priority_id=form.priority_id.data, code=form.code.data,
                              name=form.name.data, measure=form.measure.data,
                              baseline=form.baseline.data, target=form.target.data)
        if done:
            saved = operations.indicator_by_code(db.session, period.id,
                                                 operations.clean_code(form.code.data))
            flash(_("%(code)s is saved.", code=saved.code), "success")
            return redirect(url_for(".index", period=period.id) + f"#indicator-{saved.id}")
    linked = operations.ideas_with_indicator(db.session, indicator) if indicator else 0
    return render_template("lab/rpjmd/indicator.html", form=form, period=period,
                           indicator=indicator, error=error, has_sasaran=bool(groups),
                           linked=linked, action_form=ActionForm()), 400 if post else 200


@bp.route("/periods/<int:period_id>/indicators/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_indicator(period_id: int):
    return _indicator_form(_period_or_404(period_id), None)


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_indicator(indicator_id: int):
    indicator = db.session.get(RpjmdIndicator, indicator_id) or abort(404)
    return _indicator_form(indicator.priority.period, indicator)


@bp.post("/indicators/<int:indicator_id>/delete")
@roles_required(*EDITORS)
def delete_indicator(indicator_id: int):
    indicator = db.session.get(RpjmdIndicator, indicator_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    period_id, code = indicator.priority.period_id, indicator.code
    if attempt(operations.delete_indicator, indicator)[0]:
        flash(_("%(code)s is deleted.", code=code), "success")
        return redirect(url_for(".index", period=period_id))
    return redirect(url_for(".edit_indicator", indicator_id=indicator_id))


# --- Import ---------------------------------------------------------------------------------

def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)


@bp.route("/periods/<int:period_id>/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_sheet(period_id: int):
    """Upload → preview (nothing written) → confirm (all rows written, or none)."""
    period = _period_or_404(period_id)
    form, confirm = ImportForm(), ConfirmForm()
    problems, plan, error = [], None, None
    status = 200
    if request.method == "POST" and "payload" in request.form:
        if not confirm.validate_on_submit():
            abort(400)
        try:
            data = _signer().loads(confirm.payload.data, max_age=IMPORT_MAX_AGE)
        except BadSignature:
            flash(_("The preview has expired. Please upload the file again."), "error")
            return redirect(url_for(".import_sheet", period_id=period.id))
        if data.get("period") != period.id or data.get("by") != current_user.id:
            abort(400)
        rows = [(line, row) for line, row in data["rows"]]
        try:
            plan = operations.plan_import(db.session, period, rows)
            operations.apply_import(db.session, period, plan, actor_id=current_user.id,
                                    ip=request.remote_addr)
        except SheetError as refusal:  # the period changed since the preview
            db.session.rollback()
            problems, error, plan, status = refusal.problems, refusal.message, None, 400
        else:
            db.session.commit()
            flash(_("The RPJMD is imported: %(created)s new, %(changed)s changed.",
                    created=plan.count("create"), changed=plan.count("change")), "success")
            return redirect(url_for(".index", period=period.id))
    elif request.method == "POST":
        status = 400
        upload = request.files.get("file")
        if not form.validate_on_submit():
            abort(400)
        if upload is None or not upload.filename:
            form.file.errors = [_("Choose the file to import.")]
        else:
            try:
                rows = operations.read_import(upload.filename, upload.stream)
                plan = operations.plan_import(db.session, period, rows)
            except SheetError as refusal:
                problems, error = refusal.problems, refusal.message
            else:
                status = 200
                confirm.payload.data = _signer().dumps(
                    {"period": period.id, "by": current_user.id, "rows": rows})
            db.session.rollback()  # a preview writes nothing
    return render_template("lab/rpjmd/import.html", period=period, form=form, confirm=confirm,
                           plan=plan, problems=problems, error=error,
                           columns=operations.COLUMNS), status


@bp.get("/template.csv")
@roles_required(*EDITORS)
def template():
    """A CSV to fill in from the RPJMD document (UTF-8 with a byte-order mark, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spellings[0] for spellings in operations.COLUMNS.values()])
    writer.writerows(operations.TEMPLATE_ROWS)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="rpjmd-template.csv"'})
