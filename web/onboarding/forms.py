"""The forms of LAN's onboarding flow and the tenant lifecycle."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, FileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Optional

from tenants import zones
from web.forms import FlaskForm, at_most
from web.i18n import LOCALE_NAMES
from web.uploads import PdfFile

REQUIRED = _l("This field is required.")
LOCALE_CHOICES = list(LOCALE_NAMES.items())
TIMEZONE_CHOICES = [(zone.name, zone.label) for zone in zones.ZONES]


def _date(label):
    return DateField(label, validators=[InputRequired(message=REQUIRED)])


class StartForm(FlaskForm):
    """Opening a draft tenant for a regency."""

    default_locale = SelectField(_l("Default language of the lab"), choices=LOCALE_CHOICES,
                                 default="id")
    timezone = SelectField(_l("Time zone"), choices=TIMEZONE_CHOICES,
                           description=_l("Prefilled from the province; reminders and "
                                          "schedules use it."))


class AgreementForm(FlaskForm):
    """An MoU or a PKS: what was signed, by whom, for how long, and the signed scan."""

    number = StringField(_l("Agreement number"), validators=[
        DataRequired(message=REQUIRED), at_most(100)],
        description=_l("As written on the signed document, e.g. 119/1387/414.103/2018"))
    signed_on = _date(_l("Signing date"))
    valid_from = _date(_l("Valid from"))
    valid_until = _date(_l("Valid until"))
    lan_signatory_name = StringField(_l("Name"), validators=[
        DataRequired(message=REQUIRED), at_most(120)])
    lan_signatory_title = StringField(_l("Title"), validators=[
        DataRequired(message=REQUIRED), at_most(160)])
    regional_signatory_name = StringField(_l("Name"), validators=[
        DataRequired(message=REQUIRED), at_most(120)])
    regional_signatory_title = StringField(_l("Title"), validators=[
        DataRequired(message=REQUIRED), at_most(160)])
    document = FileField(_l("Signed document (scanned PDF)"), validators=[PdfFile()],
                         render_kw={"accept": "application/pdf,.pdf"})

    def fields(self) -> dict:
        names = ("number", "signed_on", "valid_from", "valid_until", "lan_signatory_name",
                 "lan_signatory_title", "regional_signatory_name", "regional_signatory_title")
        return {n: (getattr(self, n).data.strip() if isinstance(getattr(self, n).data, str)
                    else getattr(self, n).data) for n in names}


class AdminForm(FlaskForm):
    """The Bappeda administrator who is invited when the tenant is activated."""

    admin_name = StringField(_l("Full name"), validators=[
        DataRequired(message=REQUIRED), at_most(120)])
    admin_email = EmailField(_l("Email"), validators=[
        DataRequired(message=REQUIRED),
        Email(message=_l("Enter an email address such as name@example.go.id.")),
        at_most(254)])
    admin_locale = SelectField(_l("Language of the invitation"), choices=LOCALE_CHOICES,
                               default="id")


class ActionForm(FlaskForm):
    """A button that changes state (CSRF only)."""


class LifecycleForm(FlaskForm):
    reason = TextAreaField(_l("Reason (kept in the history)"), validators=[
        Optional(), at_most(500)], render_kw={"rows": 2})
