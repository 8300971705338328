from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from tenants.accounts.models import Role
from web.forms import FlaskForm, at_most
from web.i18n import LOCALE_NAMES
from web.labels import ROLE


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        DataRequired(_l("Enter the person's email address.")),
        Email(_l("Enter an email address like name@example.go.id.")), at_most(254)])
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the person's name.")), at_most(120)])
    locale = SelectField(_l("Language of the invitation"), choices=list(LOCALE_NAMES.items()))


class TenantInviteForm(InviteForm):
    role = SelectField(_l("Role"), choices=[
        (Role.INNOVATOR.value, ROLE[Role.INNOVATOR]),
        (Role.BAPPEDA_ADMIN.value, ROLE[Role.BAPPEDA_ADMIN])])
    unit_id = SelectField(_l("Unit"), coerce=_optional_int, validators=[Optional()],
                          description=_l("Innovators belong to one unit."), validate_choice=False)

    def validate_unit_id(self, field):
        if self.role.data == Role.INNOVATOR and field.data is None:
            raise ValidationError(_l("Choose the innovator's unit."))
        if field.data is not None and field.data not in {c[0] for c in field.choices}:
            raise ValidationError(_l("Choose a unit from the list."))


class LanInviteForm(InviteForm):
    role = SelectField(_l("Role"), choices=[
        (Role.LAN_COACH.value, ROLE[Role.LAN_COACH]),
        (Role.LAN_ADMIN.value, ROLE[Role.LAN_ADMIN])])


class AssignCoachForm(FlaskForm):
    coach_id = SelectField(_l("Coach"), coerce=_optional_int, validate_choice=False,
                           validators=[DataRequired(_l("Choose a coach."))])
    tenant_id = SelectField(_l("Lab"), coerce=_optional_int, validate_choice=False,
                            validators=[DataRequired(_l("Choose a lab."))])

    def validate_coach_id(self, field):
        if field.data not in {c[0] for c in field.choices}:
            raise ValidationError(_l("Choose a coach from the list."))

    def validate_tenant_id(self, field):
        if field.data not in {c[0] for c in field.choices}:
            raise ValidationError(_l("Choose a lab from the list."))


class ChangeUnitForm(FlaskForm):
    unit_id = SelectField(_l("New unit"), coerce=_optional_int, validate_choice=False,
                          validators=[DataRequired(_l("Choose the unit."))])

    def validate_unit_id(self, field):
        if field.data not in {c[0] for c in field.choices}:
            raise ValidationError(_l("Choose a unit from the list."))
