"""The forms of the units pages. The operations check what is typed (and say what is wrong
beside the field); the forms only carry it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, SelectField, StringField

from tenants.labels import UNIT_KIND
from tenants.units.models import UnitKind
from tenants.units.operations import (
    EMAIL_MAX,
    NAME_MAX,
    PERSON_NAME_MAX,
    POSITION_MAX,
    SHORT_NAME_MAX,
)


def _optional_int(value):
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
                       description=_l("As the unit calls itself, e.g. Dinas Kesehatan or "
                                      "Puskesmas Kraksaan."))
    kind = SelectField(_l("Type"), validate_choice=False,
                       choices=[(k.value, UNIT_KIND[k.value]) for k in UnitKind])
    short_name = StringField(_l("Short name"), description=_l("Optional, e.g. Dinkes."),
                             render_kw={"maxlength": SHORT_NAME_MAX, "autocomplete": "off"})


class MergeForm(FlaskForm):
    into_id = SelectField(_l("Merge into"), coerce=_optional_int, validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button and its CSRF token (retiring a unit)."""


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": PERSON_NAME_MAX,
                                              "autocomplete": "off"})
    position = StringField(_l("Position"), render_kw={"maxlength": POSITION_MAX},
                           description=_l("Optional, e.g. Kepala Puskesmas."))
    email = EmailField(_l("Email"), render_kw={"maxlength": EMAIL_MAX, "autocomplete": "off"},
                       description=_l("Needed to invite them as an innovator."))


class ImportForm(FlaskForm):
    file = FileField(_l("File (CSV or Excel)"),
                     render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd."
                                          "openxmlformats-officedocument.spreadsheetml.sheet"})


class ConfirmImportForm(FlaskForm):
    digest = HiddenField()
