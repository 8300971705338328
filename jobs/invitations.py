"""Inviting people: the account and role now, the emailed link after the caller commits.

    user = invite(email="dwi@probolinggokab.go.id", name="Dwi Hartono",
                  role=Role.BAPPEDA_ADMIN, tenant_id=tenant.id, invited_by_id=admin.id)
    db.session.commit()   # the worker sends the invitation once this commits

The email carries a single-use link `{BASE_URL}/auth/invitation/<token>` valid for 7 days;
only the token's hash is stored, and it is issued by the job that sends it, so a token never
waits in Redis.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jobs.locale import recipient_locale, recipient_timezone
from jobs.mail import compose, deliver_once, mail_job, send_after_commit
from tenants.app import settings_of
from tenants.audit import record_platform
from tenants.db import db
from tenants.lab.units import Unit
from tenants.labels import ROLE
from tenants.locale import LOCALES, localized
from tenants.platform.accounts import PLATFORM_ROLES, TENANT_ROLES, Membership, Role, Token, User
from tenants.platform.invitations import Invitation
from tenants.platform.tenancy import Tenant
from tenants.platform.timestamps import utcnow
from tenants.scope import tenant_session

INVITATION_LIFETIME = timedelta(days=7)



class InvitationError(ValueError):
    """An invitation that cannot be made as asked (a programming error of the caller)."""


def normalise_email(email: str) -> str:
    return email.strip()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(
        sa.func.lower(User.email) == normalise_email(email).lower()))


def invite(*, email: str, name: str, role: str, tenant_id: int | None = None,
           unit_id: int | None = None, locale: str | None = None,
           invited_by_id: int | None = None) -> User:
    """Give `email` the role (creating the account if new) and owe them an invitation email.

    Runs on `db.session` and does not commit: the caller commits, and only then is the
    email enqueued (see `jobs.mail.send_after_commit`). Tenant roles need `tenant_id`, an
    innovator also `unit_id`; LAN roles (lan_admin, lan_coach) take no tenant. A coach
    assignment (role "coach") needs an account that is a LAN coach already.
    """
    role = Role(role)
    email = normalise_email(email)
    if not email or "@" not in email:
        raise InvitationError(f"not an email address: {email!r}")
    if role in PLATFORM_ROLES and tenant_id is not None:
        raise InvitationError(f"{role} is a LAN role; it takes no tenant")
    if role in TENANT_ROLES and tenant_id is None:
        raise InvitationError(f"{role} is a tenant role; name the tenant")
    if role == Role.INNOVATOR and unit_id is None:
        raise InvitationError("an innovator belongs to a unit; name it")
    if locale is not None and locale not in LOCALES:
        raise InvitationError(f"unknown locale {locale!r}")
    session = db.session
    if tenant_id is not None and session.get(Tenant, tenant_id) is None:
        raise InvitationError(f"no tenant {tenant_id}")

    user = find_user(email)
    if user is None:
        user = User(email=email, name=name.strip() or email, locale=locale)
        session.add(user)
    elif user.locale is None and locale is not None:
        user.locale = locale  # an existing preference wins over the inviter's guess
    if role == Role.COACH and user.platform_role != Role.LAN_COACH:
        raise InvitationError(f"{email} is not a LAN coach; invite them as one first")

    if role in PLATFORM_ROLES:
        user.platform_role = role
    else:
        session.flush()
        membership = session.scalar(sa.select(Membership).where(
            Membership.user_id == user.id, Membership.tenant_id == tenant_id,
            Membership.role == role))
        if membership is None:
            session.add(Membership(user=user, tenant_id=tenant_id, role=role,
                                   unit_id=unit_id if role == Role.INNOVATOR else None))
        elif role == Role.INNOVATOR:
            membership.unit_id = unit_id

    invitation = Invitation(user=user, tenant_id=tenant_id, role=role,
                            unit_id=unit_id if role == Role.INNOVATOR else None,
                            invited_by_id=invited_by_id)
    session.add(invitation)
    session.flush()
    record_platform(session, "account.invited", actor_id=invited_by_id, tenant_id=tenant_id,
                    target=email, ip=request.remote_addr if has_request_context() else None,
                    role=str(role), unit_id=invitation.unit_id, invitation_id=invitation.id)
    send_after_commit(session, invitation.mail_key, send_invitation, invitation.id,
                      tenant_id=tenant_id)
    return user


def withdraw(user_id: int, tenant_id: int | None) -> int:
    """Withdraw the open invitations of `user_id` to `tenant_id` (None: to LAN roles)."""
    where = (Invitation.tenant_id == tenant_id if tenant_id is not None
             else Invitation.tenant_id.is_(None))
    result = db.session.execute(sa.update(Invitation).where(
        Invitation.user_id == user_id, where, Invitation.accepted_at.is_(None),
        Invitation.withdrawn_at.is_(None)).values(withdrawn_at=utcnow()))
    return result.rowcount


def unit_name(tenant: Tenant | None, unit_id: int | None) -> str | None:
    if tenant is None or unit_id is None or not tenant.is_provisioned:
        return None
    with tenant_session(tenant.ref()) as session:
        return session.scalar(sa.select(Unit.name).where(Unit.id == unit_id))


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


@mail_job("invitation", max_age=INVITATION_LIFETIME)
def send_invitation(key: str, invitation_id: int) -> str:
    """The job: issue the invitation's token and email its link, once."""

    def build():
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is None or invitation.withdrawn_at is not None:
            return None
        user, tenant = invitation.user, invitation.tenant
        token, raw = Token.issue(Token.INVITE, user, INVITATION_LIFETIME, tenant=tenant)
        token.invitation = invitation
        db.session.add(token)
        unit = unit_name(tenant, invitation.unit_id)
        locale = recipient_locale(user, tenant)
        timezone = recipient_timezone(tenant)
        if tenant is None:
            subject = _l("Your invitation to Labinov")
        else:
            subject = _l("Your invitation to the innovation lab of %(lab)s", lab=tenant.name)
        with localized(locale, timezone):
            text_summary = summary(invitation, unit)
            ask = who_to_ask(invitation)
        return compose(
            to=user.email, to_name=user.name, template="invitation", subject=subject,
            locale=locale, timezone=timezone, name=user.name, summary=text_summary,
            who_to_ask=ask, has_password=user.password_hash is not None,
            url=f"{settings_of(current_app).base_url}/auth/invitation/{raw}",
            expires=token.expires_at)

    return deliver_once(key, build)
