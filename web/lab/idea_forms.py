"""The forms of ideas, their files, action plans and comments.

Choices that come from the lab (units, people, RPJMD) are set by the views; the operations
check every value again, so a forged choice is refused there with its field named."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FileField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tenants.lab import labels, profile
from tenants.lab.models import Attachment, Milestone
from tenants.lab.operations.plans import NOTE_MAX

TEXT_MAX = 20_000


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice of any list: the operation refuses it by name


def _choices(table, codes, blank=True):
    options = [(code, table[code]) for code in codes]
    return [("", "—"), *options] if blank else options


# Urusan pemerintahan as UU 23/2014 groups them (the order of tenants.lab.profile.URUSAN).
URUSAN_GROUPS = (
    (_l("Mandatory, basic services"), profile.URUSAN[:6]),
    (_l("Mandatory, other than basic services"), profile.URUSAN[6:24]),
    (_l("Optional affairs"), profile.URUSAN[24:32]),
    (_l("Supporting functions"), profile.URUSAN[32:]),
)


def _text(label, description=None):
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_MAX)],
                         description=description)


class IdeaForm(FlaskForm):
    version = HiddenField()
    cohort_id = SelectField(_l("Cohort"), coerce=optional_int, validate_choice=False)
    title = StringField(_l("Title of the innovation"), validators=[
        DataRequired(_l("Give the idea a title.")), Length(max=250)])
    acronym = StringField(_l("Acronym or brand"), validators=[Optional(), Length(max=60)],
                          description=_l('For example "Si Kepho" or "Inol Aja".'))
    unit_id = SelectField(_l("Unit"), coerce=optional_int, validate_choice=False,
                          validators=[DataRequired(_l("Choose the unit the idea belongs to."))])
    innovator_ids = SelectMultipleField(_l("Innovators"), coerce=optional_int,
                                        validate_choice=False)
    inisiator = SelectField(_l("Initiator"), validate_choice=False,
                            choices=_choices(labels.INISIATOR, profile.INISIATOR))
    jenis = RadioField(_l("Type"), validate_choice=False,
                       choices=_choices(labels.JENIS, profile.JENIS, blank=False))
    bentuk = RadioField(_l("Form of the innovation"), validate_choice=False,
                        choices=_choices(labels.BENTUK, profile.BENTUK, blank=False))
    urusan = SelectMultipleField(_l("Government affairs (urusan)"), validate_choice=False,
                                 choices=_choices(labels.URUSAN, profile.URUSAN, blank=False))
    tematik = SelectField(_l("Theme (tematik)"), validate_choice=False,
                          choices=_choices(labels.TEMATIK, profile.TEMATIK))
    tahapan = RadioField(_l("Stage of the innovation (tahapan)"), validate_choice=False,
                         default="inisiatif",
                         choices=_choices(labels.TAHAPAN, profile.TAHAPAN, blank=False))
    trial_on = DateField(_l("Trial started on"), validators=[Optional()])
    launched_on = DateField(_l("Launched on"), validators=[Optional()])
    problem = _text(_l("Problem statement"),
                    _l("What goes wrong today, for whom, and how we know."))
    root_causes = _text(_l("Root causes"), _l("Why the problem happens, one cause a line."))
    affected = _text(_l("Who is affected"))
    design = _text(_l("Design (rancang bangun)"),
                   _l("How the innovation works, step by step. Kemendagri asks for at least "
                      "%(n)s words.", n=profile.DESIGN_MIN_WORDS))
    solution = _text(_l("The solution"))
    beneficiaries = _text(_l("Beneficiaries"))
    expected_results = _text(_l("Expected results"))
    results = _text(_l("Results achieved"), _l("What the innovation has achieved so far."))
    priority_id = SelectField(_l("RPJMD priority (misi or sasaran)"), coerce=optional_int,
                              validate_choice=False)
    indicator_id = SelectField(_l("RPJMD indicator (IKD)"), coerce=optional_int,
                               validate_choice=False)


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class UploadForm(FlaskForm):
    file = FileField(_l("File"))
    kind = SelectField(_l("Kind of file"), validate_choice=False,
                       choices=[(k, labels.ATTACHMENT_KIND[k]) for k in
                                (Attachment.EVIDENCE, Attachment.LAUNCH, Attachment.PHOTO)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=300)],
                              description=_l("Optional: what the file shows."))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[
        DataRequired(_l("Say what this milestone is.")), Length(max=250)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    starts_on = DateField(_l("Start"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])


class MilestoneEditForm(MilestoneForm):
    status = SelectField(_l("Status"), validate_choice=False, choices=[
        (s, labels.MILESTONE_STATUS[s])
        for s in (Milestone.PLANNED, Milestone.IN_PROGRESS, Milestone.DONE)])
    done_on = DateField(_l("Done on"), validators=[Optional()],
                        description=_l("Today if left empty."))


class NoteForm(FlaskForm):
    status = SelectField(_l("Status now"), validate_choice=False, choices=[
        (s, labels.MILESTONE_STATUS[s])
        for s in (Milestone.PLANNED, Milestone.IN_PROGRESS, Milestone.DONE)])
    note = TextAreaField(_l("Progress note"), validators=[
        DataRequired(_l("Write what has happened.")), Length(max=NOTE_MAX)])


class OrderForm(FlaskForm):
    offset = IntegerField(validators=[NumberRange(-1, 1)])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[
        DataRequired(_l("Write your comment first.")), Length(max=5000)],
        description=_l("Mention someone with @ and their name, e.g. @Siti Nurhayati."))
    milestone_id = SelectField(_l("About"), coerce=optional_int, validate_choice=False)
    parent_id = HiddenField()


class CommentEditForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[
        DataRequired(_l("Write your comment first.")), Length(max=5000)])


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""
