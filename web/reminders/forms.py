"""The forms of the reminder pages. The operations check the offsets (and say what is wrong
beside the field); the forms only carry what was typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, RadioField, SelectField, StringField
from wtforms.validators import Optional

from tenants.reminders.models import Category, Mode, Status
from tenants.reminders.queries import CATEGORY_LABEL, MODE_LABEL, STATUS_LABEL
from web.forms import FlaskForm

HOURS = [(h, f"{h:02d}.00") for h in range(24)]


class SettingsForm(FlaskForm):
    days_before = StringField(_l("Days before the deadline"),
                              description=_l("Comma-separated, e.g. 7, 3, 1. At most 60."),
                              render_kw={"inputmode": "numeric", "autocomplete": "off"})
    on_the_day = BooleanField(_l("On the day itself"))
    days_overdue = StringField(_l("Days after a missed deadline"),
                               description=_l("Comma-separated, e.g. 3. Leave empty for none."),
                               render_kw={"inputmode": "numeric", "autocomplete": "off"})
    send_hour = SelectField(_l("Send the daily digest at"), coerce=int, choices=HOURS,
                            validate_choice=False)
    skip_holidays = BooleanField(_l("Skip \u201con the day\u201d reminders that fall on a "
                                    "weekend or a public holiday"))


def _mode_field(label):
    return RadioField(label, choices=[(m, MODE_LABEL[m]) for m in Mode.ALL],
                      default=Mode.DIGEST)


class PreferencesForm(FlaskForm):
    stage = _mode_field(CATEGORY_LABEL[Category.STAGE])
    milestone = _mode_field(CATEGORY_LABEL[Category.MILESTONE])


class ConfirmForm(FlaskForm):
    """A button and its CSRF token."""


class LogFilterForm(Form):
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=[("", _l("Any"))] + [(s, STATUS_LABEL[s]) for s in Status.ALL])
    category = SelectField(_l("Kind"), validate_choice=False)
    email = StringField(_l("Recipient"), render_kw={"autocomplete": "off"})
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def fill(self, categories):
        self.category.choices = [("", _l("Any"))] + [(c, CATEGORY_LABEL[c]) for c in categories]
        return self
