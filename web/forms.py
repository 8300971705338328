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

from flask import flash, request
from flask_login import current_user

from tenants.db import db
from tenants.refusal import Refused


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
