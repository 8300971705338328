"""A lab's units and their people (`/<tenant>/units/`): every member of the lab reads them;
Bappeda administrators (and LAN administrators, who act as Bappeda in any lab) add, edit,
merge, retire and bring back units, import them from a file after a preview, and enter the
people of each unit. Inviting a person as innovator goes through the members page's
invitation (`members.invite_member`), which keeps the account and the person in step.

Every unit and person is looked up inside the tenant scope of the URL, so an id of another
lab is simply not found.
"""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge

from tenants.accounts.models import Role
from tenants.db import db
from tenants.sheets import MAX_BYTES, SheetError
from tenants.storage import content_disposition, safe_filename
from tenants.units import imports
from tenants.units.models import Unit
from tenants.units.operations import (
    add_person,
    add_unit,
    merge_units,
    restore_unit,
    retire_unit,
    update_person,
    update_unit,
)
from tenants.units.queries import active_units, belongings, overview, people_of, person_in
from web.access import roles_required
from web.forms import attempt
from web.units.forms import (
    ConfirmForm,
    ConfirmImportForm,
    ImportForm,
    MergeForm,
    PersonForm,
    UnitForm,
)

bp = Blueprint("units", __name__, template_folder="templates")
LAB = "/<tenant:tenant>/units"

MANAGERS = (Role.BAPPEDA_ADMIN, Role.LAN_ADMIN)


@bp.before_request
@login_required
def _signed_in():
    return None


def _manages() -> bool:
    return bool(g.tenant_roles & set(MANAGERS))


def _attempt(operation, *args, form=None, **kwargs):
    """`web.forms.attempt` that also hands back what the operation returned. (LAN's summary
    of the lab, which counts its units, is recounted after the commit: web.cohorts.freshness.)"""
    outcome = []

    @wraps(operation)
    def run(session, *args, **kwargs):
        outcome.append(operation(session, *args, **kwargs))

    done, error = attempt(run, *args, form=form, **kwargs)
    return done, error, (outcome[0] if outcome else None)


def _unit_or_404(unit_id: int, lock: bool = False) -> Unit:
    stmt = sa.select(Unit).where(Unit.id == unit_id)
    unit = db.session.scalar(stmt.with_for_update() if lock else stmt)
    if unit is None:
        abort(404)
    return unit


def _status() -> int:
    return 400 if request.method == "POST" else 200


# --- The list -----------------------------------------------------------------------------

@bp.get(f"{LAB}/")
@roles_required()
def index():
    return render_template("units/index.html", overview=overview(db.session),
                           manage=_manages())


@bp.route(f"{LAB}/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def add():
    form = UnitForm()
    error = None
    if form.validate_on_submit():
        done, error, unit = _attempt(add_unit, form=form, name=form.name.data,
                                     kind=form.kind.data, short_name=form.short_name.data)
        if done:
            flash(_("%(name)s is added.", name=unit.name), "success")
            return redirect(url_for(".unit", unit_id=unit.id))
    return render_template("units/form.html", form=form, error=error, unit=None), _status()


# --- One unit -----------------------------------------------------------------------------

def _render_unit(unit: Unit, person_form: PersonForm | None = None, error: str | None = None,
                 status: int = 200):
    merged_from = db.session.scalars(sa.select(Unit).where(Unit.merged_into_id == unit.id)
                                     .order_by(Unit.name)).all()
    into = db.session.get(Unit, unit.merged_into_id) if unit.merged_into_id else None
    return render_template(
        "units/unit.html", unit=unit, people=people_of(db.session, unit), into=into,
        merged_from=merged_from, manage=_manages(),
        person_form=person_form or PersonForm(prefix="person"), error=error), status


@bp.get(f"{LAB}/<int:unit_id>")
@roles_required()
def unit(unit_id: int):
    return _render_unit(_unit_or_404(unit_id))


@bp.route(f"{LAB}/<int:unit_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(unit_id: int):
    unit = _unit_or_404(unit_id, lock=request.method == "POST")
    form = UnitForm(obj=unit)
    error = None
    if form.validate_on_submit():
        done, error, changes = _attempt(update_unit, unit, form=form, name=form.name.data,
                                        kind=form.kind.data, short_name=form.short_name.data)
        if done:
            flash(_("The changes are saved.") if changes else _("Nothing was changed."),
                  "success" if changes else "info")
            return redirect(url_for(".unit", unit_id=unit.id))
    return render_template("units/form.html", form=form, error=error, unit=unit), _status()


@bp.route(f"{LAB}/<int:unit_id>/merge", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def merge(unit_id: int):
    """A page to choose the unit to merge into, saying what will move; then the merge."""
    unit = _unit_or_404(unit_id, lock=request.method == "POST")
    if unit.merged_into_id is not None:
        flash(_("%(name)s has already been merged into another unit.", name=unit.name), "info")
        return redirect(url_for(".unit", unit_id=unit.id))
    form = MergeForm()
    targets = [u for u in active_units(db.session) if u.id != unit.id]
    form.into_id.choices = [(None, "—")] + [(u.id, u.name) for u in targets]
    error = None
    if form.validate_on_submit():
        done, error, merged = _attempt(merge_units, unit, form.into_id.data, form=form)
        if done:
            flash(_("%(name)s is merged into %(other)s: its people, ideas and innovators are "
                    "there now.", name=unit.name, other=merged.into.name), "success")
            if merged.kept:
                flash(_("Some of what %(name)s had signed stays with it, since %(other)s had "
                        "signed it too.", name=unit.name, other=merged.into.name), "info")
            return redirect(url_for(".unit", unit_id=merged.into.id))
    return render_template("units/merge.html", unit=unit, form=form, error=error,
                           belongs=belongings(db.session, unit),
                           targets=targets), _status()


@bp.route(f"{LAB}/<int:unit_id>/retire", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def retire(unit_id: int):
    unit = _unit_or_404(unit_id, lock=request.method == "POST")
    form = ConfirmForm()
    if unit.retired_at is not None:
        flash(_("%(name)s is already retired.", name=unit.name), "info")
        return redirect(url_for(".unit", unit_id=unit.id))
    if form.validate_on_submit():
        done, _error, _result = _attempt(retire_unit, unit)
        if done:
            flash(_("%(name)s is retired. Its history is kept; it takes no new ideas.",
                    name=unit.name), "success")
        return redirect(url_for(".unit", unit_id=unit.id))
    return render_template("units/retire.html", unit=unit, form=form,
                           belongs=belongings(db.session, unit)), _status()


@bp.post(f"{LAB}/<int:unit_id>/restore")
@roles_required(*MANAGERS)
def restore(unit_id: int):
    unit = _unit_or_404(unit_id, lock=True)
    form = ConfirmForm()
    if form.validate_on_submit():
        done, _error, _result = _attempt(restore_unit, unit)
        if done:
            flash(_("%(name)s is back among the lab's units.", name=unit.name), "success")
    return redirect(url_for(".unit", unit_id=unit.id))


# --- People of a unit ---------------------------------------------------------------------

@bp.post(f"{LAB}/<int:unit_id>/people")
@roles_required(*MANAGERS)
def add_person_to(unit_id: int):
    unit = _unit_or_404(unit_id)
    form = PersonForm(prefix="person")
    error = None
    if form.validate_on_submit():
        done, error, person = _attempt(add_person, unit, form=form, name=form.name.data,
                                       position=form.position.data, email=form.email.data)
        if done:
            flash(_("%(name)s is added to %(unit)s.", name=person.name, unit=unit.name),
                  "success")
            return redirect(url_for(".unit", unit_id=unit.id) + "#people")
    return _render_unit(unit, form, error, 400)


@bp.route(f"{LAB}/<int:unit_id>/people/<int:person_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_person(unit_id: int, person_id: int):
    unit = _unit_or_404(unit_id)
    person = person_in(db.session, unit, person_id)
    if person is None:
        abort(404)
    form = PersonForm(obj=person)
    error = None
    if form.validate_on_submit():
        done, error, changes = _attempt(update_person, person, form=form, name=form.name.data,
                                        position=form.position.data, email=form.email.data)
        if done:
            flash(_("The changes are saved.") if changes else _("Nothing was changed."),
                  "success" if changes else "info")
            return redirect(url_for(".unit", unit_id=unit.id) + "#people")
    return render_template("units/person.html", unit=unit, person=person, form=form,
                           error=error), _status()


# --- Importing ----------------------------------------------------------------------------

def _render_upload(form: ImportForm, problems=(), error: str | None = None,
                   status: int = 200):
    return render_template("units/import.html", form=form, problems=problems, error=error,
                           max_bytes=MAX_BYTES, titles=imports.column_titles(),
                           kinds=imports.kind_names()), status


@bp.route(f"{LAB}/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_upload():
    form = ImportForm()
    if request.method == "GET":
        return _render_upload(form)
    if not form.validate_on_submit():
        return _render_upload(form, status=400)
    file = form.file.data
    if file is None or not getattr(file, "filename", None):
        form.file.errors.append(_("Choose the file to import."))
        return _render_upload(form, status=400)
    filename = safe_filename(file.filename, default="units.csv")
    try:
        rows = imports.read_units(filename, file.stream)
    except SheetError as refusal:
        return _render_upload(form, refusal.problems, refusal.message, 400)
    plan = imports.plan_of(db.session, rows)
    if plan.problems:
        return _render_preview(rows, plan, None, status=400)
    upload_id = imports.keep(g.tenant.id, rows)
    return redirect(url_for(".import_preview", upload_id=upload_id))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A file far over the limit is not even read: the import page says so."""
    if request.endpoint == "units.import_upload":
        form = ImportForm(formdata=None)
        message = _("The file is larger than %(limit)s MB. Split it into smaller files.",
                    limit=MAX_BYTES // (1024 * 1024))
        form.file.errors = [message]
        return _render_upload(form, status=413)
    return render_template("errors/error.html", title=_("File too large"),
                           message=_("The upload is larger than the limit allowed. Nothing was "
                                     "saved: go back, choose a smaller file (for example a "
                                     "scan at 150 dpi) and send the form again.")), 413


def _render_preview(rows: imports.Rows, plan: imports.Plan, upload_id: str | None,
                    error: str | None = None, status: int = 200):
    form = ConfirmImportForm(formdata=None, digest=plan.digest)
    return render_template("units/preview.html", rows=rows, plan=plan, upload_id=upload_id,
                           form=form, error=error, titles=imports.column_titles(),
                           minutes=imports.LIFETIME // 60), status


@bp.route(f"{LAB}/import/<upload_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_preview(upload_id: str):
    """The preview of a kept upload (GET) and its confirmation (POST)."""
    rows = imports.load(g.tenant.id, upload_id)
    if rows is None:
        if imports.UPLOAD_ID.match(upload_id) and imports.expired(upload_id):
            flash(_("The preview has expired; nothing was imported. Upload the file again."),
                  "error")
            return redirect(url_for(".import_upload"))
        abort(404)
    error = None
    if request.method == "POST":
        form = ConfirmImportForm()
        if form.validate_on_submit():
            done, error, plan = _attempt(imports.import_units, rows,
                                         digest=form.digest.data or "")
            if done:
                imports.forget(g.tenant.id, upload_id)
                flash(_("The import is done: %(created)s, %(changed)s.",
                        created=ngettext("%(num)s unit added", "%(num)s units added",
                                         len(plan.created)),
                        changed=ngettext("%(num)s unit changed", "%(num)s units changed",
                                         len(plan.changed))), "success")
                return redirect(url_for(".index"))
    plan = imports.plan_of(db.session, rows)
    return _render_preview(rows, plan, upload_id, error, 409 if error else 200)


@bp.get(f"{LAB}/import/template.csv")
@roles_required(*MANAGERS)
def template_csv():
    return Response(imports.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(
                        _("units-template") + ".csv")})


@bp.get(f"{LAB}/import/template.xlsx")
@roles_required(*MANAGERS)
def template_xlsx():
    return Response(imports.template_xlsx(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": content_disposition(
                        _("units-template") + ".xlsx")})

