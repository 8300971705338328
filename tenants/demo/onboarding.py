"""Each demo region walks LAN's real onboarding: draft, MoU, PKS, the Bappeda administrator,
activation (which invites the administrator, who accepts), and later the renewals of both
agreements for the lab's current cohort. Every step is the operation LAN's pages call, so
the tenant's history, the audit logs and the agreements are what the real flow writes; the
rows then carry the dates of the record.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import INVITATION_LIFETIME, Invitation, Role, Token, User
from tenants.accounts.operations import invite
from tenants.audit.models import LabAuditEntry
from tenants.audit.operations import record_platform
from tenants.db import TENANT_SCHEMA
from tenants.demo import documents
from tenants.demo.clock import Clock, backdating
from tenants.demo.regions import (
    LAN_CENTRE_HEADS,
    LAN_HEADS,
    LAN_MOU_TITLE,
    LAN_PKS_TITLE,
    Region,
    by_year,
)
from tenants.onboarding import operations as onboarding
from tenants.onboarding.models import Agreement
from tenants.onboarding.operations import Document
from tenants.onboarding.queries import activation_entry
from tenants.outbox import LedgerEntry, take_claims
from tenants.registry import Tenant
from tenants.storage import agreement_key, storage

PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Renewal:
    mou_on: date
    pks_on: date


def admin_email(region_slug: str) -> str:
    return f"bappeda@{region_slug}.example"


def workday(day: date, after: int = 0) -> date:
    """`day` moved on by `after` days and then to a Monday if it falls on a weekend."""
    day += timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def mark_mail_sent(session: Session, at) -> None:
    """The emails the operations owed went out back then: their ledger rows are done and
    nothing is queued now."""
    for key, _tenant_id in take_claims(session):
        entry = session.scalar(sa.select(LedgerEntry).where(LedgerEntry.key == key))
        entry.status, entry.done_at, entry.attempts = LedgerEntry.DONE, at, 1


def _lan_number(kind: str, number: str, year: int) -> str:
    n = sum(map(ord, number)) % 40 + 3
    return f"{n:02d}/K.1/HKM.02.3/{year}" if kind == Agreement.MOU \
        else f"{n + 11}/PIPP/HKM.02.3/{year}"


def _fields(region: Region, kind: str, number: str, signed_on: date, years: int) -> dict:
    year = signed_on.year
    if kind == Agreement.MOU:
        lan = (by_year(LAN_HEADS, year), LAN_MOU_TITLE)
        regional = (by_year(region.head_names, year), region.head_title)
    else:
        lan = (by_year(LAN_CENTRE_HEADS, year), LAN_PKS_TITLE)
        regional = (by_year(region.bappeda_head_names, year), region.bappeda_head_title)
    until = date(signed_on.year + years, signed_on.month, signed_on.day) - timedelta(days=1)
    return {"number": number, "signed_on": signed_on, "valid_from": signed_on,
            "valid_until": until, "lan_signatory_name": lan[0], "lan_signatory_title": lan[1],
            "regional_signatory_name": regional[0], "regional_signatory_title": regional[1]}


def _page(tenant: Tenant, region: Region, kind: str, fields: dict,
          renews: tuple[str, date] | None) -> str:
    years = fields["valid_until"].year - fields["valid_from"].year
    return documents.agreement_page(
        kind=kind, number=fields["number"],
        lan_number=_lan_number(kind, fields["number"], fields["signed_on"].year),
        signed_on=fields["signed_on"], valid_from=fields["valid_from"],
        valid_until=fields["valid_until"], region=tenant.name, region_upper=tenant.name.upper(),
        lan_name=fields["lan_signatory_name"], lan_title=fields["lan_signatory_title"],
        regional_name=fields["regional_signatory_name"],
        regional_title=fields["regional_signatory_title"],
        # The planning agency under the name it had when it signed ("Bappeda Kabupaten Tuban").
        bappeda=fields["regional_signatory_title"].removeprefix("Kepala "),
        renews=renews, years=years)


def _store(tenant: Tenant, kind: str, fields: dict, pdf: bytes) -> Document:
    """Store the signed agreement as LAN's onboarding pages do."""
    label = "MoU" if kind == Agreement.MOU else "PKS"
    name = f"{label} LAN - {tenant.name} {fields['signed_on'].year}.pdf"
    key = agreement_key(tenant.id)
    storage().put(key, io.BytesIO(pdf), PDF_TYPE, name)
    return Document(key=key, name=name, size=len(pdf))


def _agreements(region: Region, renewal: Renewal, rng: random.Random) -> list[tuple]:
    """(kind, fields, what it renews) of the four agreements: MoU, PKS and their renewals."""
    out = []
    for agreement, kind in ((region.mou, Agreement.MOU), (region.pks, Agreement.PKS)):
        fields = _fields(region, kind, agreement.number, agreement.signed_on, agreement.years)
        fields["regional_signatory_name"] = agreement.regional_name
        fields["regional_signatory_title"] = agreement.regional_title
        out.append((kind, fields, None))
    for (kind, first, _r), signed_on, pattern, years in (
            (out[0], renewal.mou_on, region.renewal_numbers[0], 3),
            (out[1], renewal.pks_on, region.renewal_numbers[1], 2)):
        number = pattern.format(n=rng.randint(1100, 4800), year=signed_on.year)
        out.append((kind, _fields(region, kind, number, signed_on, years),
                    (first["number"], first["signed_on"])))
    return out


def onboard(session: Session, region: Region, *, lan_admin: User, admin_name: str,
            renewal: Renewal, clock: Clock, rng: random.Random) -> Tenant:
    """The region's tenant, from draft to active, its administrator signed in once, its
    agreements renewed for the current cohort."""
    o = region.onboarding
    actor = lan_admin.id
    with backdating(session, clock):
        clock.at(o["draft"], 9, 12)
        tenant = onboarding.start(session, region.code, actor_id=actor, default_locale="id")
        session.flush()
        slug = tenant.slug
        agreements = _agreements(region, renewal, rng)
        pdfs = documents.render_each([_page(tenant, region, kind, fields, renews)
                                      for kind, fields, renews in agreements])
        for (kind, fields, _renews), pdf, hour in zip(agreements[:2], pdfs, (14, 15),
                                                      strict=False):
            clock.at(fields["signed_on"], hour, 5)
            onboarding.record_agreement(session, tenant, kind, fields,
                                        _store(tenant, kind, fields, pdf), actor_id=actor)
        clock.later(14)
        onboarding.set_admin(session, tenant, name=admin_name, email=admin_email(slug),
                             locale="id", actor_id=actor)
        activated = clock.at(workday(region.pks.signed_on, 1), 8, 40)
        onboarding.request_activation(session, tenant, actor_id=actor)
        activated = clock.later(2)
        # The activation job's transaction: schema, state, the lab's first log row, and the
        # administrator's invitation.
        onboarding.complete_activation(session, tenant, requested_by_id=actor)
        tenant.provisioned_at = activated
        stamp_lab_log(session, tenant.schema_name, "lab.opened", activated)
        user = invite(email=tenant.admin_email, name=tenant.admin_name, role=Role.BAPPEDA_ADMIN,
                      tenant_id=tenant.id, locale=tenant.admin_locale, invited_by_id=actor)
        session.flush()
        activation_entry(session, tenant.id).done_at = activated
        mark_mail_sent(session, clock.later(1))
        accept(session, user, tenant.id, clock.at(o["accepted"], 10, 3))
        # Renewed for the cohort the lab is in now: each an agreement of its own.
        for (kind, fields, _renews), pdf in zip(agreements[2:], pdfs[2:], strict=True):
            clock.at(fields["signed_on"], 13, 20)
            onboarding.record_renewal(session, tenant, kind, fields,
                                      _store(tenant, kind, fields, pdf), actor_id=actor)
    return tenant


def stamp_lab_log(session: Session, schema: str, action: str, at) -> None:
    """Date the rows `record_lab_in` wrote into a lab's log from a platform transaction."""
    table = LabAuditEntry.__table__
    session.connection().execute(
        sa.update(table).where(table.c.action == action).values(at=at)
        .execution_options(schema_translate_map={TENANT_SCHEMA: schema}))


_HASH: dict[str, str] = {}


def demo_password_hash() -> str:
    """The hash of the demo password, made once: every demo account signs in with it."""
    from tenants.demo.load import DEMO_PASSWORD

    if not _HASH:
        probe = User(email="demo@labinov.invalid", name="demo")
        probe.set_password(DEMO_PASSWORD)
        _HASH["hash"] = probe.password_hash
    return _HASH["hash"]


def accept(session: Session, user: User, tenant_id: int | None, when) -> None:
    """The invitee follows the emailed link and sets the demo password: what
    `accept_invitation` writes (the link used, the invitation accepted, the log entry),
    with the password's hash made once for all demo accounts."""
    invitation = session.scalar(sa.select(Invitation).where(
        Invitation.user_id == user.id, Invitation.accepted_at.is_(None),
        Invitation.tenant_id == tenant_id if tenant_id else Invitation.tenant_id.is_(None))
        .order_by(Invitation.id.desc()).limit(1))
    token, _raw = Token.issue(Token.INVITE, user, INVITATION_LIFETIME,
                              tenant=invitation.tenant)
    token.invitation = invitation
    token.created_at = invitation.created_at
    token.expires_at = invitation.created_at + INVITATION_LIFETIME
    token.used_at = invitation.accepted_at = when
    session.add(token)
    user.password_hash = demo_password_hash()
    record_platform(session, "account.invitation_accepted", actor_id=user.id,
                    tenant_id=invitation.tenant_id, target=user.email,
                    invitation_id=invitation.id)


def renewal_dates(first_day: date, rng: random.Random) -> Renewal:
    """A renewed MoU about two months before the cohort opens, its PKS a few weeks after."""
    mou = workday(first_day, -rng.randint(70, 84))
    return Renewal(mou, workday(mou, rng.randint(21, 30)))
