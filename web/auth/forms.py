from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from web.forms import FlaskForm, at_most

PASSWORD_MIN = 10


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter an email address like name@example.go.id."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = StringField()


class PasswordMixin:
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Choose a password.")),
        Length(min=PASSWORD_MIN, message=_l("Use at least 10 characters.")), at_most(200)],
        description=_l("At least 10 characters. A few unrelated words are easy to remember "
                       "and hard to guess."))
    confirm = PasswordField(_l("New password, again"), validators=[
        DataRequired(_l("Type the new password a second time.")),
        EqualTo("password", _l("The two passwords are not the same."))])


class AcceptInvitationForm(PasswordMixin, FlaskForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name.")), at_most(120)],
        description=_l("As colleagues should see it, with titles if you use them."))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter an email address like name@example.go.id."))])


class ResetPasswordForm(PasswordMixin, FlaskForm):
    pass
