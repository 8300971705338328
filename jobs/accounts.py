"""The account emails: an invitation and a password reset, each sent once.

An invitation to a lab is a tenant job (the innovator's unit is read from the lab's schema);
an invitation to LAN and a reset belong to no tenant and run with `tenant_id=None`.
"""

from __future__ import annotations

from rq.job import Job

from jobs.mail import deliver_once
from jobs.queues import MAIL, RETRY, queue
from jobs.tenant import tenant_job
from tenants.accounts.messages import invitation_mail, reset_mail
from tenants.accounts.models import Invitation
from tenants.accounts.operations import request_reset
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


def reset_requested(email: str) -> bool:
    """The job behind "forgot password": owe a reset email if the address may sign in.

    The web page only enqueues this, the same for every address, so neither its answer nor
    its timing tells anyone whether an account exists."""
    owed = request_reset(email)
    db.session.commit()  # the reset email's own job follows the commit
    return owed


def enqueue_reset_request(email: str) -> Job:
    return queue(MAIL).enqueue_call(reset_requested, args=(email.strip(),), retry=RETRY,
                                    result_ttl=0, failure_ttl=7 * 24 * 3600,
                                    description="reset requested")
