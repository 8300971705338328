"""What the account emails say: the invitation and the password reset, each built for its
recipient in their language. The jobs in `jobs.accounts` send what these return, once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tenants.accounts.models import (
    INVITATION_LIFETIME,
    RESET_LIFETIME,
    Invitation,
    Role,
    Token,
    User,
)
from tenants.config import settings_of
from tenants.db import db, utcnow
from tenants.labels import ROLE
from tenants.locale import localized, recipient_locale, recipient_timezone
from tenants.outbox import Mail


def who_to_ask(invitation: Invitation) -> str:
    """Whom the invitee should ask for a new link, in the current language."""
    inviter = invitation.invited_by
    if invitation.tenant is None:
        if inviter is not None:
            return _("%(person)s or another LAN administrator", person=inviter.name)
        return _("a LAN administrator")
    if invitation.role in (Role.BAPPEDA_ADMIN, Role.COACH):
        if inviter is not None:
            return _("%(person)s or the Laboratorium Inovasi team at LAN", person=inviter.name)
        return _("the Laboratorium Inovasi team at LAN")
    if inviter is not None:
        return _("%(person)s or the Bappeda administrator of %(lab)s",
                 person=inviter.name, lab=invitation.tenant.name)
    return _("the Bappeda administrator of %(lab)s", lab=invitation.tenant.name)


def summary(invitation: Invitation, unit: str | None) -> str:
    """"Rina Marlina has invited you to ... as ..." in the current language."""
    role = ROLE[Role(invitation.role)]
    inviter = invitation.invited_by.name if invitation.invited_by else None
    if invitation.tenant is None:
        if inviter:
            return _("%(person)s has invited you to Labinov as %(role)s.",
                     person=inviter, role=role)
        return _("You have been invited to Labinov as %(role)s.", role=role)
    lab = invitation.tenant.name
    if unit:
        if inviter:
            return _("%(person)s has invited you to the innovation lab of %(lab)s as "
                     "%(role)s for %(unit)s.", person=inviter, lab=lab, role=role, unit=unit)
        return _("You have been invited to the innovation lab of %(lab)s as %(role)s for "
                 "%(unit)s.", lab=lab, role=role, unit=unit)
    if inviter:
        return _("%(person)s has invited you to the innovation lab of %(lab)s as %(role)s.",
                 person=inviter, lab=lab, role=role)
    return _("You have been invited to the innovation lab of %(lab)s as %(role)s.",
             lab=lab, role=role)


def link_token(key: str, kind: str, user: User, lifetime: timedelta,
               **fields) -> tuple[Token, str]:
    """The token of the link in the email `key`, made on first use and the same ever after.

    The raw token is derived from the email's key and the secret key, so a second try of
    the same email (a crash after the SMTP server took it, a timeout after DATA) carries
    the same link instead of a second valid one; only its hash is stored."""
    secret = settings_of().secret_key.encode()
    digest = hmac.new(secret, f"link:{key}".encode(), hashlib.sha256).digest()
    raw = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    token = db.session.scalar(sa.select(Token).where(Token.token_hash == Token.digest(raw)))
    if token is None:
        token = Token(kind=kind, token_hash=Token.digest(raw), user=user,
                      expires_at=utcnow() + lifetime, **fields)
        db.session.add(token)
    return token, raw


def invitation_mail(invitation_id: int, unit: str | None) -> Mail | None:
    """The invitation's email, its link's token made (on `db.session`) if new; None when
    the invitation was withdrawn. `unit` is an innovator's unit name."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.withdrawn_at is not None:
        return None
    user, tenant = invitation.user, invitation.tenant
    token, raw = link_token(invitation.mail_key, Token.INVITE, user, INVITATION_LIFETIME,
                            tenant=tenant, invitation=invitation)
    locale = recipient_locale(user, tenant)
    timezone = recipient_timezone(tenant)
    if tenant is None:
        subject = _l("Your invitation to Labinov")
    else:
        subject = _l("Your invitation to the innovation lab of %(lab)s", lab=tenant.name)
    with localized(locale, timezone):
        text_summary = summary(invitation, unit)
        ask = who_to_ask(invitation)
    return Mail(to=user.email, to_name=user.name, template="accounts/invitation",
                subject=subject, locale=locale, timezone=timezone, context=dict(
                    name=user.name, summary=text_summary, who_to_ask=ask,
                    has_password=user.password_hash is not None,
                    url=f"{settings_of().base_url}/auth/invitation/{raw}",
                    expires=token.expires_at))


def _home_tenant(user: User):
    """The tenant whose default language and zone apply to someone without a preference."""
    tenants = sorted((m.tenant for m in user.memberships), key=lambda t: t.id)
    return tenants[0] if tenants else None


def reset_mail(key: str, user_id: int) -> Mail | None:
    """The reset email `key`, its link's token made (on `db.session`) if new; None when the
    account can no longer sign in."""
    user = db.session.get(User, user_id)
    if user is None or not user.may_sign_in:
        return None
    token, raw = link_token(key, Token.RESET, user, RESET_LIFETIME)
    tenant = _home_tenant(user)
    return Mail(to=user.email, to_name=user.name, template="accounts/password_reset",
                subject=_l("Reset your Labinov password"),
                locale=recipient_locale(user, tenant), timezone=recipient_timezone(tenant),
                context=dict(name=user.name, email=user.email,
                             url=f"{settings_of().base_url}/auth/reset/{raw}",
                             expires=token.expires_at))
