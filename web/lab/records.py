"""The lab's events of a cohort: each unit's drum-up commitment with its signed scan, the
launches of the innovations, and the Perbup / Perwali that lists them with its revisions.

Bappeda administrators record; every member of the lab reads and downloads the scans
(through a link that expires in minutes, handed out after the role check)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import (
    Blueprint,
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
from werkzeug.datastructures import FileStorage
from wtforms import (
    DateField,
    FileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, StopValidation

from tenants.accounts.models import Role
from tenants.config import settings_of
from tenants.db import db
from tenants.formatting import format_date
from tenants.lab.models import Commitment, Launch, Regulation
from tenants.lab.operations import events as operations
from tenants.lab.queries import events as queries
from tenants.labels import UNIT_KIND
from tenants.refusal import Refused
from tenants.storage import storage
from tenants.units.models import Unit
from web.access import roles_required
from web.forms import place
from web.lab.cohort import chosen_cohort, cohort_args, enrolled_cohorts
from web.uploads import PDF_MAGIC, PDF_TYPE, PdfFile

log = logging.getLogger(__name__)

bp = Blueprint("records", __name__)

EDITORS = (Role.BAPPEDA_ADMIN,)


@bp.app_template_global()
def regulation_name() -> str:
    """"Perbup" or "Perwali", as the current lab calls its regulation."""
    if "_regulation_kind" not in g:
        g._regulation_kind = operations.regulation_kind(db.session)
    return g._regulation_kind.capitalize()


# --- Forms ----------------------------------------------------------------------------------

REQUIRED = _l("This field is required.")


class Needed:
    """Marks a field as required; the operation says what is missing, beside the field."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class DateInput(DateField):
    """A date, with the reason in the reader's language when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_("Enter a date.")) from exc


class ScanPdf(PdfFile):
    """A signed scan as a PDF (checked by content and size); optional where `optional`."""

    def __init__(self, optional: bool = False):
        self.optional = optional
        if optional:
            self.field_flags = {}

    def __call__(self, form, field):
        data = field.data
        if not (isinstance(data, FileStorage) and data.filename):
            field.upload = None
            if self.optional:
                return
        elif data.stream.read(len(PDF_MAGIC)) != PDF_MAGIC:
            field.upload = None
            field.errors[:] = []
            raise StopValidation(_("This file is not a PDF. Please upload the scan as a PDF "
                                   "file."))
        else:
            data.stream.seek(0)
        super().__call__(form, field)


class CommitmentForm(FlaskForm):
    signed_on = DateInput(_l("Date signed"), validators=[InputRequired(message=REQUIRED)])
    signatory_name = StringField(_l("Signed by (name)"), validators=[Needed()])
    signatory_title = StringField(_l("Title"), description=_l("e.g. Kepala Dinas Kesehatan"))
    document = FileField(_l("Signed declaration (scanned PDF)"),
                         render_kw={"accept": "application/pdf,.pdf"})


class LaunchForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Needed()],
                        description=_l("e.g. Launching Inovasi Daerah Kabupaten Tuban 2026"))
    held_on = DateInput(_l("Date"), validators=[InputRequired(message=REQUIRED)])
    place = StringField(_l("Place"), validators=[Needed()],
                        description=_l("e.g. Pendopo Kabupaten"))
    idea_ids = SelectMultipleField(_l("Innovations launched"), coerce=int,
                                   validate_choice=False)


class RegulationForm(FlaskForm):
    number = StringField(_l("Number"), validators=[Needed()],
                         description=_l("As written on it, e.g. 12 Tahun 2026"))
    signed_on = DateInput(_l("Date signed"), validators=[InputRequired(message=REQUIRED)])
    title = TextAreaField(_l("Title"), validators=[Needed()], render_kw={"rows": 2})
    launch_id = SelectField(_l("Follows the launch (optional)"), validate_choice=False,
                            coerce=lambda v: int(v) if str(v or "").isdigit() else None)
    idea_ids = SelectMultipleField(_l("Innovations listed"), coerce=int, validate_choice=False)
    document = FileField(_l("The signed regulation (PDF)"), validators=[ScanPdf()],
                         render_kw={"accept": "application/pdf,.pdf"})


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""


def _upload_limit() -> int:
    return settings_of(current_app).upload_max_bytes


def _editor() -> bool:
    return bool(g.tenant_roles & set(EDITORS))


def _ids(values) -> list[int]:
    return [v for v in values or () if isinstance(v, int)]


def _store_then(upload, key: str, operation, *args, form, **kwargs):
    """Store a checked upload under `key`, then run the operation with its Document and
    commit; if anything refuses, the file is deleted again.

    Returns (result, message for the whole form)."""
    files = storage()
    document = None
    if upload is not None:
        try:
            files.put(key, upload.stream, PDF_TYPE, upload.filename)
        except Exception:
            log.exception("storing %s failed", key)
            return None, _("The file could not be stored just now. Nothing was saved; "
                           "please try again.")
        finally:
            upload.stream.close()
        document = operations.Document(key=key, name=upload.filename, size=upload.size)
    try:
        result = operation(db.session, *args, document=document, actor_id=current_user.id,
                           ip=request.remote_addr, **kwargs)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        if document is not None:
            try:
                files.delete(key)
            except Exception:
                log.exception("could not delete %s after a failed write", key)
        if isinstance(exc, Refused):
            return None, place(form, exc)
        raise
    return result, None


def _download(key: str | None, name: str | None):
    if not key:
        abort(404)
    response = redirect(storage().download_url(key, name or "document.pdf", expires=300))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _cohort_or_404():
    cohort = chosen_cohort()
    if cohort is None:
        abort(404)
    return cohort


def _page(template: str, status: int = 200, **context):
    return render_template(template, cohorts=enrolled_cohorts(), cohort=chosen_cohort(),
                           cohort_query=cohort_args(), editor=_editor(),
                           upload_max_bytes=_upload_limit(), **context), status


# --- Commitments ----------------------------------------------------------------------------

STATES = ("signed", "unsigned")


@bp.get("/commitments/")
@roles_required()
def commitments():
    cohort = chosen_cohort()
    kind = request.args.get("kind") if request.args.get("kind") in UNIT_KIND else None
    state = request.args.get("state") if request.args.get("state") in STATES else None
    search = (request.args.get("q") or "").strip()[:100] or None
    rows, counts = [], (0, 0)
    if cohort is not None:
        rows = queries.commitment_rows(db.session, cohort.id, kind=kind, search=search,
                                       signed={"signed": True, "unsigned": False}.get(state))
        counts = queries.commitment_counts(db.session, cohort.id)
    return _page("lab/records/commitments.html", rows=rows, counts=counts,
                 filters={"kind": kind, "state": state, "q": search},
                 filtered=bool(kind or state or search), unit_kinds=UNIT_KIND)


@bp.route("/commitments/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def commitment(unit_id: int):
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.retired_at is not None:
        abort(404)
    cohort = _cohort_or_404()
    existing = queries.commitment_of(db.session, cohort.id, unit.id)
    post = request.method == "POST"
    form = CommitmentForm(obj=existing if not post else None)
    form.document.validators = [ScanPdf(optional=existing is not None)]
    form.document.flags.required = existing is None
    error = None
    if form.validate_on_submit():
        key = operations.commitment_key(g.tenant.id)
        result, error = _store_then(
            form.document.upload, key, operations.record_commitment, form=form,
            cohort_id=cohort.id, unit_id=unit.id, signed_on=form.signed_on.data,
            signatory_name=form.signatory_name.data,
            signatory_title=form.signatory_title.data)
        if result is not None:
            _commitment, unused = result
            if unused:
                try:
                    storage().delete(unused)
                except Exception:
                    log.exception("could not delete the replaced scan %s", unused)
            flash(_("The commitment of %(unit)s is recorded.", unit=unit.name), "success")
            return redirect(url_for(".commitments", **cohort_args()) + f"#unit-{unit.id}")
    elif post and form.document.upload is not None:
        form.document.upload.stream.close()
    return _page("lab/records/commitment.html", 400 if post else 200, form=form, unit=unit,
                 existing=existing, error=error, file_lost=post)


@bp.get("/commitments/<int:commitment_id>/document")
@roles_required()
def commitment_document(commitment_id: int):
    commitment = db.session.get(Commitment, commitment_id) or abort(404)
    return _download(commitment.document_key, commitment.document_name)


# --- Launches -------------------------------------------------------------------------------

@bp.get("/launches/")
@roles_required()
def launches():
    cohort = chosen_cohort()
    found = queries.launches(db.session, cohort.id) if cohort else []
    candidates = queries.launch_candidates(db.session, cohort.id) if cohort else []
    return _page("lab/records/launches.html", launches=found, candidates=candidates)


def _idea_choices(field, ideas) -> None:
    field.choices = [(i.id, i.title) for i in ideas]
    field.ideas = {i.id: i for i in ideas}


@bp.route("/launches/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_launch():
    cohort = _cohort_or_404()
    post = request.method == "POST"
    form = LaunchForm()
    _idea_choices(form.idea_ids, queries.launch_candidates(db.session, cohort.id))
    error = None
    if form.validate_on_submit():
        try:
            launch = operations.record_launch(
                db.session, cohort_id=cohort.id, held_on=form.held_on.data,
                place=form.place.data, title=form.title.data,
                idea_ids=_ids(form.idea_ids.data), actor_id=current_user.id,
                ip=request.remote_addr)
        except Refused as refusal:
            db.session.rollback()
            error = place(form, refusal)
        else:
            db.session.commit()
            flash(_("The launch is recorded; its innovations are marked launched."), "success")
            return redirect(url_for(".launch", launch_id=launch.id))
    return _page("lab/records/launch_form.html", 400 if post else 200, form=form,
                 launch=None, error=error)


@bp.get("/launches/<int:launch_id>")
@roles_required()
def launch(launch_id: int):
    found = db.session.get(Launch, launch_id) or abort(404)
    following = db.session.scalars(sa.select(Regulation).where(
        Regulation.launch_id == found.id).order_by(Regulation.signed_on)).all()
    return render_template("lab/records/launch.html", launch=found, editor=_editor(),
                           regulations=following)


@bp.route("/launches/<int:launch_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_launch(launch_id: int):
    found = db.session.get(Launch, launch_id) or abort(404)
    post = request.method == "POST"
    form = LaunchForm(obj=found if not post else None)
    if not post:
        form.idea_ids.data = []
    form.idea_ids.label.text = _("Add innovations")
    _idea_choices(form.idea_ids, queries.launch_candidates(db.session, found.cohort_id))
    error = None
    if form.validate_on_submit():
        try:
            operations.change_launch(db.session, found, held_on=form.held_on.data,
                                     place=form.place.data, title=form.title.data,
                                     add_idea_ids=_ids(form.idea_ids.data),
                                     actor_id=current_user.id, ip=request.remote_addr)
        except Refused as refusal:
            db.session.rollback()
            error = place(form, refusal)
            found = db.session.get(Launch, launch_id)
        else:
            db.session.commit()
            flash(_("The launch is saved."), "success")
            return redirect(url_for(".launch", launch_id=found.id))
    return render_template("lab/records/launch_form.html", form=form, launch=found,
                           error=error, editor=True), 400 if post else 200


# --- Regulations ----------------------------------------------------------------------------

@bp.get("/regulations/")
@roles_required()
def regulations():
    cohort = chosen_cohort()
    chains = queries.regulations(db.session, cohort.id) if cohort else []
    return _page("lab/records/regulations.html", chains=chains)


def _regulation_form(revising: Regulation | None):
    cohort = _cohort_or_404()
    post = request.method == "POST"
    form = RegulationForm()
    launches = queries.launches(db.session, cohort.id)
    form.launch_id.choices = [("", "—")] + [
        (x.id, f"{x.title} ({format_date(x.held_on)})") for x in launches]
    _idea_choices(form.idea_ids, queries.regulation_candidates(db.session, cohort.id,
                                                                revising))
    if revising is not None:
        form.idea_ids.label.text = _("Innovations the revision adds")
    if not post:
        chosen_launch = request.args.get("launch")
        form.launch_id.data = int(chosen_launch) if chosen_launch and chosen_launch.isdigit() \
            else None
        # Launched innovations are what a regulation usually lists: offer them ticked.
        form.idea_ids.data = [i.id for i in form.idea_ids.ideas.values() if i.launched_on]
    error = None
    if form.validate_on_submit():
        key = operations.regulation_key(g.tenant.id)
        fields = dict(cohort_id=cohort.id, number=form.number.data,
                      signed_on=form.signed_on.data, title=form.title.data,
                      idea_ids=_ids(form.idea_ids.data), launch_id=form.launch_id.data)
        if revising is None:
            saved, error = _store_then(form.document.upload, key,
                                       operations.record_regulation, form=form, **fields)
        else:
            saved, error = _store_then(form.document.upload, key,
                                       operations.revise_regulation, revising, form=form,
                                       **fields)
        if saved is not None:
            flash(_("%(kind)s %(number)s is recorded.", kind=saved.kind.capitalize(),
                    number=saved.number), "success")
            return redirect(url_for(".regulation", regulation_id=saved.id))
    elif post and form.document.upload is not None:
        form.document.upload.stream.close()
    return _page("lab/records/regulation_form.html", 400 if post else 200, form=form,
                 revising=revising, error=error, file_lost=post)


@bp.route("/regulations/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_regulation():
    return _regulation_form(None)


@bp.route("/regulations/<int:regulation_id>/revise", methods=["GET", "POST"])
@roles_required(*EDITORS)
def revise_regulation(regulation_id: int):
    found = db.session.get(Regulation, regulation_id) or abort(404)
    later = queries.revised_by(db.session, found)
    if later is not None:
        flash(_("%(kind)s %(number)s was already revised by %(later)s; revise the latest one.",
                kind=found.kind.capitalize(), number=found.number, later=later.number),
              "error")
        return redirect(url_for(".regulation", regulation_id=later.id))
    return _regulation_form(found)


@bp.get("/regulations/<int:regulation_id>")
@roles_required()
def regulation(regulation_id: int):
    found = db.session.get(Regulation, regulation_id) or abort(404)
    whole = queries.chain(db.session, found)
    added = {r.id: operations.added_by(db.session, r) for r in whole}
    launches = {r.launch_id: db.session.get(Launch, r.launch_id) for r in whole
                if r.launch_id}
    return render_template("lab/records/regulation.html", regulation=found, chain=whole,
                           added=added, launches=launches, editor=_editor(),
                           latest=whole[-1])


@bp.get("/regulations/<int:regulation_id>/document")
@roles_required()
def regulation_document(regulation_id: int):
    found = db.session.get(Regulation, regulation_id) or abort(404)
    return _download(found.document_key, found.document_name)
