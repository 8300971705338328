"""The account emails: an invitation and a password reset, each sent once.

An invitation to a lab is a tenant job (the innovator's unit is read from the lab's schema);
an invitation to LAN and a reset belong to no tenant and run with `tenant_id=None`.
"""

from __future__ import annotations

from jobs.mail import deliver_once
from jobs.tenant import tenant_job
from tenants.accounts.messages import invitation_mail, reset_mail
from tenants.accounts.models import Invitation
from tenants.db import db
from tenants.units.queries import unit_name


@tenant_job(optional=True)
def send_invitation(tenant_id: int | None, key: str, invitation_id: int) -> str:
    def build():
        invitation = db.session.get(Invitation, invitation_id)
        unit = unit_name(db.session, invitation.unit_id) if invitation and tenant_id else None
        return invitation_mail(invitation_id, unit)

    return deliver_once(key, build)


@tenant_job(optional=True)
def send_password_reset(tenant_id: None, key: str, user_id: int) -> str:
    return deliver_once(key, lambda: reset_mail(key, user_id))
