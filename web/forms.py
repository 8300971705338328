"""What every form view does with a feature operation's answer.

    if form.validate_on_submit():
        done, error = attempt(onboarding.update_settings, tenant, form=form,
                              default_locale=form.default_locale.data, ...)
        if done:
            flash(_("The settings are saved."), "success")
            return redirect(...)
    return render_template(..., form=form, error=error), 400

The operation runs on the request's Session as the signed-in person (`actor_id`, `ip`); a
refusal rolls everything back and is shown beside its field (or above the form, or as a
flashed message when there is no form); anything else commits.
"""

from __future__ import annotations

from collections.abc import Callable

import flask_wtf
from flask import flash, request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import Length

from tenants.db import db
from tenants.refusal import Refused

# WTForms' own messages that a form of ours can show (a field that cannot read what was sent),
# listed so that `labinov i18n extract` takes them into the catalogs. WTForms ships no
# Indonesian; `FlaskForm` below looks them up in Labinov's catalogs instead.
FRAMEWORK_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid date value."),
)
TOO_LONG = _l("Use at most %(max)d characters (this has %(length)d).")


def at_most(n: int) -> Length:
    """A length limit that says so in the reader's language (no maxlength attribute cuts the
    text: the field macro leaves it out, and this message says what to shorten)."""
    return Length(max=n, message=TOO_LONG)


class _Catalog:
    """WTForms' translations interface over the app's catalogs, in the request's language."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, with WTForms' own messages in the reader's language."""

    class Meta:
        def get_translations(self, form):
            return _Catalog()


def place(form, refusal: Refused) -> str | None:
    """Put a refusal on its field of `form`; returns the message if it belongs to the whole
    form (no field named, or no such field)."""
    field = getattr(form, refusal.field, None) if (form is not None and refusal.field) else None
    if field is not None:
        field.errors = [*field.errors, refusal.message]
        return None
    return refusal.message


def attempt(operation: Callable, *args, form=None, **kwargs) -> tuple[bool, str | None]:
    """Run `operation(db.session, *args, actor_id=…, ip=…, **kwargs)` and commit it.

    Returns (done, message for the whole form). Without a form a refusal is flashed."""
    try:
        operation(db.session, *args, actor_id=current_user.id, ip=request.remote_addr,
                  **kwargs)
    except Refused as refusal:
        db.session.rollback()
        message = place(form, refusal)
        if form is None:
            flash(message, "error")
        return False, message
    db.session.commit()
    return True, None
