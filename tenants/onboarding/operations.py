"""Onboarding a regency through its MoU and PKS, and the tenant's life after that.

Each function checks what the tenant's state allows, changes it inside the caller's
transaction, and records the step in TenantEvent and the platform audit log; the caller
commits (or rolls back) once. A refusal raises `Refused` with a message for the reader
and, where it belongs to one input, the name of that field.

    draft --MoU--> mou_signed --PKS--> pks_signed --activate--> provisioning --job--> active
    active <--> suspended; active / suspended --> archived
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants import registry, zones
from tenants.audit.operations import record_lab_in, record_platform
from tenants.config import LOCALES
from tenants.db import utcnow
from tenants.formatting import format_date
from tenants.onboarding.models import Agreement
from tenants.onboarding.queries import activation_entry, activation_key, agreements_of
from tenants.outbox import LedgerEntry
from tenants.refusal import Refused
from tenants.regions.models import Regency
from tenants.registry import Tenant, TenantStatus
from tenants.zones import today_in

# A regency whose tenant is in one of these states cannot be onboarded again.
ONBOARDED = (TenantStatus.PROVISIONING, TenantStatus.ACTIVE, TenantStatus.SUSPENDED,
             TenantStatus.ARCHIVED)
# States in which the onboarding data (agreements, administrator) may still be entered.
BEFORE_ACTIVATION = (TenantStatus.DRAFT, TenantStatus.MOU_SIGNED, TenantStatus.PKS_SIGNED)


@dataclass
class Document:
    """A stored signed PDF: its storage key, the name it was uploaded as, its size."""

    key: str
    name: str
    size: int


def create_active(session: Session, regency_code: str, actor_id: int | None = None,
                  **fields) -> Tenant:
    """Register a tenant for a regency and provision its schema, in the caller's transaction
    (the operator's `labinov tenants create`; LAN's web onboarding is the usual way)."""
    regency = session.get(Regency, regency_code)
    if regency is None:
        raise registry.LifecycleError(f"unknown regency code {regency_code}")
    if session.scalar(sa.select(Tenant.id).where(Tenant.regency_code == regency_code)):
        raise registry.LifecycleError(f"{regency.display_name} already has a tenant")
    tenant = Tenant.for_regency(regency, **fields)
    session.add(tenant)
    session.flush()
    registry.activate(session, tenant, actor_id)
    return tenant


# --- draft -------------------------------------------------------------------------------

def start(session: Session, regency_code: str, *, actor_id: int | None,
          default_locale: str = "id", timezone: str | None = None,
          ip: str | None = None) -> Tenant:
    """Open a draft tenant for the regency, or return the draft already open for it."""
    regency = session.get(Regency, regency_code)
    if regency is None:
        raise Refused(_("There is no regency or city with the code %(code)s.",
                        code=regency_code))
    existing = session.scalar(sa.select(Tenant).where(Tenant.regency_code == regency_code)
                              .with_for_update(of=Tenant))
    if existing is not None:
        if existing.status in ONBOARDED:
            raise Refused(already_onboarded(existing))
        return existing
    if default_locale not in LOCALES:
        raise Refused(_("Choose Indonesian or English."), "default_locale")
    timezone = timezone or regency.province.timezone
    if timezone not in zones.NAMES:
        raise Refused(_("Choose WIB, WITA or WIT."), "timezone")
    tenant = Tenant.for_regency(regency, default_locale=default_locale)
    tenant.timezone = timezone
    session.add(tenant)
    registry.record(tenant, TenantStatus.DRAFT, actor_id)  # from no state at all
    session.flush()
    record_platform(session, "tenant.draft_created", actor_id=actor_id, tenant_id=tenant.id,
                    target=tenant.slug, ip=ip, timezone=timezone, default_locale=default_locale)
    return tenant


def already_onboarded(tenant: Tenant) -> str:
    if tenant.status == TenantStatus.ARCHIVED:
        return _("%(name)s already has an archived lab. Its records are kept; it cannot be "
                 "onboarded a second time.", name=tenant.name)
    if tenant.status == TenantStatus.PROVISIONING:
        return _("%(name)s is being activated already.", name=tenant.name)
    if tenant.status == TenantStatus.SUSPENDED:
        return _("%(name)s already has a lab, which is suspended. Reactivate it instead of "
                 "onboarding the region again.", name=tenant.name)
    return _("%(name)s already has an active lab.", name=tenant.name)


def update_settings(session: Session, tenant: Tenant, *, actor_id: int | None,
                    default_locale: str, timezone: str, ip: str | None = None) -> None:
    if tenant.status not in BEFORE_ACTIVATION:
        raise Refused(_("The settings can no longer be changed here after activation."))
    if default_locale not in LOCALES:
        raise Refused(_("Choose Indonesian or English."), "default_locale")
    if timezone not in zones.NAMES:
        raise Refused(_("Choose WIB, WITA or WIT."), "timezone")
    changes = {}
    if tenant.default_locale != default_locale:
        changes["default_locale"] = [tenant.default_locale, default_locale]
        tenant.default_locale = default_locale
    if tenant.timezone != timezone:
        changes["timezone"] = [tenant.timezone, timezone]
        tenant.timezone = timezone
    if changes:
        record_platform(session, "tenant.settings_changed", actor_id=actor_id,
                        tenant_id=tenant.id, target=tenant.slug, ip=ip, **changes)


# --- MoU and PKS ---------------------------------------------------------------------------

AGREEMENT_FIELDS = ("number", "signed_on", "valid_from", "valid_until", "lan_signatory_name",
                    "lan_signatory_title", "regional_signatory_name",
                    "regional_signatory_title")


def check_agreement_step(tenant: Tenant, kind: str) -> None:
    """Whether the tenant's state lets this agreement be recorded now."""
    if kind == Agreement.MOU:
        if tenant.status != TenantStatus.DRAFT:
            raise Refused(_("The MoU of %(name)s has already been recorded.", name=tenant.name))
    elif kind == Agreement.PKS:
        if tenant.status == TenantStatus.DRAFT:
            raise Refused(_("Record the MoU first: the PKS follows the MoU."))
        if tenant.status != TenantStatus.MOU_SIGNED:
            raise Refused(_("The PKS of %(name)s has already been recorded.", name=tenant.name))
    else:
        raise ValueError(kind)


def check_agreement(session: Session, tenant: Tenant, kind: str, fields: dict) -> None:
    """Every refusal for an agreement, before any file is stored (the first one raised)."""
    check_agreement_step(tenant, kind)
    problems = agreement_problems(session, tenant, kind, fields)
    if problems:
        raise problems[0]


def agreement_problems(session: Session, tenant: Tenant, kind: str,
                       fields: dict) -> list[Refused]:
    """What is wrong with the agreement's fields, each on its field, all at once: the missing
    ones, and every rule broken by the fields that are there (so that a form shows the broken
    rules together with the missing fields, not one round after the other)."""
    problems = [Refused(_("This field is required."), f) for f in AGREEMENT_FIELDS
                if not fields.get(f)]
    signed_on, valid_from, valid_until = (fields.get("signed_on"), fields.get("valid_from"),
                                          fields.get("valid_until"))
    if valid_from and valid_until and valid_until < valid_from:
        problems.append(Refused(_("The end of the validity period is before its start."),
                                "valid_until"))
    if signed_on and signed_on > today_in(tenant.timezone):
        problems.append(Refused(_("The signing date is in the future. Record an agreement "
                                  "once it has been signed."), "signed_on"))
    elif signed_on and kind == Agreement.PKS:
        mou = agreements_of(session, tenant.id).get(Agreement.MOU)
        if mou is not None and signed_on < mou.signed_on:
            problems.append(Refused(
                _("The PKS cannot be signed before the MoU (signed on %(date)s).",
                  date=format_date(mou.signed_on)), "signed_on"))
    # A number names one signed document: no other MoU or PKS, of any region, carries it.
    if fields.get("number"):
        taken = session.scalar(sa.select(Agreement.kind).where(
            Agreement.number == fields["number"]).limit(1))
        if taken is not None:
            problems.append(Refused(duplicate_number(taken), "number"))
    return problems


def duplicate_number(kind: str) -> str:
    if kind == Agreement.MOU:
        return _("Another MoU already has this number. Check the number on the signed "
                 "document.")
    return _("Another PKS already has this number. Check the number on the signed document.")


def record_agreement(session: Session, tenant: Tenant, kind: str, fields: dict,
                     document: Document, *, actor_id: int | None,
                     ip: str | None = None) -> Agreement:
    """Record a signed MoU or PKS and move the tenant on; flushes so that the database
    refuses a duplicate number now (`sa.exc.IntegrityError`) rather than at commit."""
    check_agreement(session, tenant, kind, fields)
    agreement = Agreement(tenant_id=tenant.id, kind=kind, created_by_id=actor_id,
                          document_key=document.key, document_name=document.name,
                          document_size=document.size,
                          **{f: fields[f] for f in AGREEMENT_FIELDS})
    session.add(agreement)
    to = TenantStatus.MOU_SIGNED if kind == Agreement.MOU else TenantStatus.PKS_SIGNED
    registry.record(tenant, to, actor_id, number=fields["number"])
    session.flush()
    record_platform(session, f"agreement.{kind}_recorded", actor_id=actor_id,
                    tenant_id=tenant.id, target=fields["number"], ip=ip,
                    signed_on=fields["signed_on"].isoformat(),
                    valid_until=fields["valid_until"].isoformat(),
                    document=document.name, size=document.size)
    return agreement


def check_renewal_step(session: Session, tenant: Tenant, kind: str) -> Agreement:
    """The agreement a renewal of `kind` would renew; Refused when there is none to renew."""
    if tenant.status not in (TenantStatus.ACTIVE, TenantStatus.SUSPENDED):
        raise Refused(_("Only the agreements of an active or suspended lab are renewed."))
    current = agreements_of(session, tenant.id).get(kind)
    if current is None:
        raise Refused(_("There is no agreement of this kind to renew yet."))
    return current


def renewal_problems(session: Session, tenant: Tenant, kind: str,
                     fields: dict) -> list[Refused]:
    """What is wrong with a renewal's fields, all at once (see `agreement_problems`)."""
    current = check_renewal_step(session, tenant, kind)
    problems = agreement_problems(session, tenant, kind, fields)
    valid_from = fields.get("valid_from")
    if valid_from and valid_from <= current.valid_from:
        problems.append(Refused(_("A renewal starts after the agreement it renews (valid from "
                                  "%(date)s).", date=format_date(current.valid_from)),
                                "valid_from"))
    return problems


def record_renewal(session: Session, tenant: Tenant, kind: str, fields: dict,
                   document: Document, *, actor_id: int | None,
                   ip: str | None = None) -> Agreement:
    """Record the renewal of the tenant's current MoU or PKS: an agreement of its own."""
    problems = renewal_problems(session, tenant, kind, fields)
    if problems:
        raise problems[0]
    current = agreements_of(session, tenant.id)[kind]
    agreement = Agreement(tenant_id=tenant.id, kind=kind, created_by_id=actor_id,
                          renews=current, document_key=document.key,
                          document_name=document.name, document_size=document.size,
                          **{f: fields[f] for f in AGREEMENT_FIELDS})
    session.add(agreement)
    session.flush()
    record_platform(session, f"agreement.{kind}_renewed", actor_id=actor_id,
                    tenant_id=tenant.id, target=fields["number"], ip=ip,
                    signed_on=fields["signed_on"].isoformat(),
                    valid_until=fields["valid_until"].isoformat(),
                    document=document.name, size=document.size)
    return agreement


# --- the Bappeda administrator and activation ----------------------------------------------

def set_admin(session: Session, tenant: Tenant, *, name: str, email: str, locale: str,
              actor_id: int | None, ip: str | None = None) -> None:
    if tenant.status not in BEFORE_ACTIVATION:
        raise Refused(_("The Bappeda administrator can no longer be changed here after "
                        "activation."))
    if locale not in LOCALES:
        raise Refused(_("Choose Indonesian or English."), "admin_locale")
    email = email.strip()
    tenant.admin_name, tenant.admin_email, tenant.admin_locale = name.strip(), email, locale
    record_platform(session, "tenant.admin_set", actor_id=actor_id, tenant_id=tenant.id,
                    target=email, ip=ip, name=tenant.admin_name, locale=locale)


def missing_for_activation(session: Session, tenant: Tenant) -> list[str]:
    agreements = agreements_of(session, tenant.id)
    missing = []
    if Agreement.MOU not in agreements:
        missing.append(_("the signed MoU"))
    if Agreement.PKS not in agreements:
        missing.append(_("the signed PKS"))
    if not tenant.admin_email:
        missing.append(_("the Bappeda administrator's email"))
    return missing


def request_activation(session: Session, tenant: Tenant, *, actor_id: int | None,
                       ip: str | None = None) -> None:
    """Move to provisioning; the caller enqueues `jobs.onboarding` after committing."""
    if tenant.status in ONBOARDED:
        raise Refused(already_onboarded(tenant))
    missing = missing_for_activation(session, tenant)
    if missing or tenant.status != TenantStatus.PKS_SIGNED:
        raise Refused(_("Activation needs %(missing)s.", missing=", ".join(missing)))
    registry.record(tenant, TenantStatus.PROVISIONING, actor_id)
    reset_activation(session, tenant.id)
    record_platform(session, "tenant.activation_requested", actor_id=actor_id,
                    tenant_id=tenant.id, target=tenant.slug, ip=ip,
                    admin_email=tenant.admin_email)


def reset_activation(session: Session, tenant_id: int) -> LedgerEntry:
    entry = activation_entry(session, tenant_id)
    if entry is None:
        entry = LedgerEntry(key=activation_key(tenant_id), tenant_id=tenant_id)
        session.add(entry)
    entry.status, entry.attempts, entry.error, entry.done_at = (
        LedgerEntry.CLAIMED, 0, None, None)
    return entry


def retry_activation(session: Session, tenant: Tenant, *, actor_id: int | None,
                     ip: str | None = None) -> None:
    if tenant.status != TenantStatus.PROVISIONING:
        raise Refused(_("Only an activation in progress can be retried."))
    previous = activation_entry(session, tenant.id)
    error = previous.error if previous is not None else None
    reset_activation(session, tenant.id)
    record_platform(session, "tenant.activation_retried", actor_id=actor_id,
                    tenant_id=tenant.id, target=tenant.slug, ip=ip, previous_error=error)


def complete_activation(session: Session, tenant: Tenant, *,
                        requested_by_id: int | None) -> None:
    """Provision the schema and make the tenant active (the job's transaction)."""
    registry.activate(session, tenant, None)
    tenant.events[-1].note = {"requested_by": requested_by_id}
    record_platform(session, "tenant.activated", actor_id=None, tenant_id=tenant.id,
                    target=tenant.slug, schema=tenant.schema_name,
                    requested_by=requested_by_id, admin_email=tenant.admin_email)
    record_lab_in(session, tenant.schema_name, "lab.opened", actor_id=requested_by_id,
                  target=tenant.admin_email, admin=tenant.admin_name)
    entry = activation_entry(session, tenant.id) or reset_activation(session, tenant.id)
    entry.status, entry.done_at, entry.error = LedgerEntry.DONE, utcnow(), None
    entry.attempts += 1


# --- lifecycle ---------------------------------------------------------------------------

LIFECYCLE = {
    TenantStatus.SUSPENDED: "tenant.suspended",
    TenantStatus.ACTIVE: "tenant.reactivated",
    TenantStatus.ARCHIVED: "tenant.archived",
}
LAB_ACTIONS = {
    TenantStatus.SUSPENDED: "lab.suspended",
    TenantStatus.ACTIVE: "lab.reactivated",
    TenantStatus.ARCHIVED: "lab.archived",
}


def change_lifecycle(session: Session, tenant: Tenant, to: TenantStatus, *,
                     actor_id: int | None, reason: str = "", ip: str | None = None) -> None:
    """Suspend, reactivate or archive; the tenant's data stays in its schema."""
    was = tenant.status
    try:
        if reason:
            registry.transition(tenant, to, actor_id, reason=reason)
        else:
            registry.transition(tenant, to, actor_id)
    except registry.LifecycleError as exc:
        raise Refused(_("This change is not possible in the lab's current state.")) from exc
    record_platform(session, LIFECYCLE[to], actor_id=actor_id, tenant_id=tenant.id,
                    target=tenant.slug, ip=ip, reason=reason or None, previous=was)
    # The lab's own log shows its administrators what LAN did to it.
    record_lab_in(session, tenant.schema_name, LAB_ACTIONS[to], actor_id=actor_id,
                  reason=reason or None)
