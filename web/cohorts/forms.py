"""The forms of LAN's cohort pages. The operations check the rules (windows in order, an
agreement in force) and say what is wrong beside the field; the forms carry what is typed."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FormField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.validators import DataRequired, InputRequired, NumberRange

from tenants.cohorts.models import STAGES, Stage
from tenants.cohorts.operations import Window
from tenants.refusal import Refused
from web.forms import FlaskForm, at_most, place

REQUIRED = _l("This field is required.")
# WTForms' own message for a year that is not a number, for the catalogs (web.forms).
FRAMEWORK_MESSAGES = (_l("Not a valid integer value."),)
NAME_MAX = 160

# A new cohort's stages, in days, as the programme has run them: a month of drum-up, six
# weeks each to diagnose and design, half a year to deliver, three months to display.
LENGTHS = {Stage.DRUM_UP: 28, Stage.DIAGNOSE: 42, Stage.DESIGN: 42, Stage.DELIVER: 182,
           Stage.DISPLAY: 91}
DUE_BEFORE_END = 5  # the deliverable is due a few days before its stage ends


def _date(label):
    return DateField(label, validators=[InputRequired(message=REQUIRED)])


class StageForm(SubForm):
    """One stage's window and the deadline of its deliverable."""

    starts_on = _date(_l("Starts"))
    ends_on = _date(_l("Ends"))
    deliverable_due = _date(_l("Deliverable due"))


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED),
                                               at_most(NAME_MAX)],
                       filters=[lambda value: value.strip() if value else value],
                       render_kw={"autocomplete": "off"},
                       description=_l("e.g. Laboratorium Inovasi 2026 — Angkatan I"))
    year = IntegerField(_l("Year"), validators=[
        InputRequired(message=REQUIRED),
        NumberRange(2015, 2100, message=_l("A year between 2015 and 2100."))],
        render_kw={"inputmode": "numeric"})
    description = TextAreaField(_l("Description"), validators=[at_most(2000)],
                                render_kw={"rows": 3},
                                description=_l("Optional: who takes part, what is special "
                                               "about this cohort."))
    drum_up = FormField(StageForm)
    diagnose = FormField(StageForm)
    design = FormField(StageForm)
    deliver = FormField(StageForm)
    display = FormField(StageForm)

    def stage_forms(self):
        return [(stage, getattr(self, stage.value)) for stage in STAGES]

    def windows(self) -> list[Window]:
        return [Window(stage, f.starts_on.data, f.ends_on.data, f.deliverable_due.data)
                for stage, f in self.stage_forms()]

    def fill(self, windows: list[Window]) -> None:
        for window, (_stage, f) in zip(windows, self.stage_forms(), strict=True):
            f.starts_on.data = window.starts_on
            f.ends_on.data = window.ends_on
            f.deliverable_due.data = window.deliverable_due


def suggested_windows(today: date) -> list[Window]:
    """Five back-to-back windows starting on the first Monday of next month."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    start = first + timedelta(days=(7 - first.weekday()) % 7)
    windows = []
    for stage in STAGES:
        ends = start + timedelta(days=LENGTHS[stage] - 1)
        windows.append(Window(stage, start, ends, ends - timedelta(days=DUE_BEFORE_END)))
        start = ends + timedelta(days=1)
    return windows


def place_refusal(form: CohortForm, refusal: Refused) -> str | None:
    """`web.forms.place`, which also reaches a stage's own fields ("design-starts_on")."""
    if refusal.field and "-" in refusal.field:
        stage, name = refusal.field.split("-", 1)
        sub = getattr(form, stage, None)
        field = getattr(sub.form, name, None) if isinstance(sub, FormField) else None
        if field is not None:
            field.errors = [*field.errors, refusal.message]
            return None
    return place(form, refusal)


def optional_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CoachesForm(FlaskForm):
    coaches = SelectMultipleField(_l("LAN coaches"), coerce=optional_int,
                                  validate_choice=False)


class EnrolForm(FlaskForm):
    tenant_id = SelectMultipleField(_l("Labs to enrol"), coerce=optional_int,
                                    validate_choice=False)
