"""Password reset by email: a single-use link valid for one hour.

    request_reset("dwi@probolinggokab.go.id")   # owes an email if the account exists
    db.session.commit()

The caller answers the same whatever happens, so the form tells no one which addresses
have accounts. The token is issued by the job that sends it; only its hash is stored.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from jobs.invitations import find_user
from jobs.locale import recipient_locale, recipient_timezone
from jobs.mail import compose, deliver_once, mail_job, send_after_commit
from tenants.app import settings_of
from tenants.db import db
from tenants.platform.accounts import Token, User

RESET_LIFETIME = timedelta(hours=1)


def request_reset(email: str) -> bool:
    """Owe a reset email to the active account of `email`; False if there is none."""
    user = find_user(email)
    if user is None or not user.active:
        return False
    key = f"mail:reset:{user.id}:{secrets.token_hex(8)}"
    send_after_commit(db.session, key, send_password_reset, user.id)
    return True


def _home_tenant(user: User):
    """The tenant whose default language and zone apply to someone without a preference."""
    tenants = sorted((m.tenant for m in user.memberships), key=lambda t: t.id)
    return tenants[0] if tenants else None


@mail_job("reset", max_age=RESET_LIFETIME)
def send_password_reset(key: str, user_id: int) -> str:
    """The job: issue a reset token and email its link, once."""

    def build():
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            return None
        token, raw = Token.issue(Token.RESET, user, RESET_LIFETIME)
        db.session.add(token)
        tenant = _home_tenant(user)
        return compose(
            to=user.email, to_name=user.name, template="password_reset",
            subject=_l("Reset your Labinov password"), locale=recipient_locale(user, tenant),
            timezone=recipient_timezone(tenant), name=user.name, email=user.email,
            url=f"{settings_of(current_app).base_url}/auth/reset/{raw}",
            expires=token.expires_at)

    return deliver_once(key, build)
