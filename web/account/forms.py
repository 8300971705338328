from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired

from web.auth.forms import PasswordMixin
from web.forms import FlaskForm, at_most
from web.i18n import LOCALE_NAMES


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter your name.")), at_most(120)])
    # Each language is named in itself, so anyone can find theirs.
    locale = RadioField(_l("Language"), choices=list(LOCALE_NAMES.items()),
                        validators=[DataRequired(_l("Choose a language."))])


class ChangePasswordForm(PasswordMixin, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password."))])
