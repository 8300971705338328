"""A tenant's page for LAN: where its onboarding stands, its agreements, its history, and
the lifecycle (suspend, reactivate, archive)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from redis.exceptions import RedisError

from jobs import onboarding as activation_jobs
from tenants import onboarding
from tenants.db import db
from tenants.platform.accounts import Role
from tenants.platform.audit import AuditEntry
from tenants.platform.ledger import LedgerEntry
from tenants.platform.tenancy import TenantEvent, TenantStatus
from web.access import platform_role_required
from web.audit import names_of
from web.lan.forms import ActionForm, LifecycleForm
from web.lan.onboarding import committed, next_step, tenant_page
from web.lan.views import bp, lan_today
from web.lan.visibility import tenant_or_404


def activation_progress(tenant_id: int, entry: LedgerEntry | None) -> dict:
    """What the page says while the tenant is provisioning."""
    job_state = None
    try:
        job = activation_jobs.pending_job(tenant_id)
        job_state = job.get_status(refresh=False) if job is not None else None
    except RedisError:
        job_state = "unknown"
    return {
        "failed": entry is not None and entry.status == LedgerEntry.FAILED,
        "attempts": entry.attempts if entry is not None else 0,
        "error": entry.error if entry is not None else None,
        "job": job_state,
    }


@bp.get("/tenants/<int:tenant_id>")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def tenant(tenant_id: int):
    tenant = tenant_or_404(tenant_id)
    agreements = onboarding.agreements_of(db.session, tenant.id)
    events = db.session.scalars(sa.select(TenantEvent).where(TenantEvent.tenant_id == tenant.id)
                                .order_by(TenantEvent.at.desc(), TenantEvent.id.desc())).all()
    activity = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.tenant_id == tenant.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(100)).all()
    actors = names_of([e.actor_id for e in events] + [a.actor_id for a in activity]
                      + [a.created_by_id for a in agreements.values()])
    progress = None
    if tenant.status == TenantStatus.PROVISIONING:
        progress = activation_progress(
            tenant.id, onboarding.activation_entry(db.session, tenant.id))
    today = lan_today()
    return render_template(
        "lan/tenant.html", tenant=tenant, agreements=agreements, events=events,
        activity=activity, actors=actors,
        next_step=next_step(tenant), progress=progress, form=ActionForm(),
        can_manage=current_user.is_lan_admin,
        missing=onboarding.missing_for_activation(db.session, tenant),
        remaining={k: (a.valid_until - today).days for k, a in agreements.items()})


LIFECYCLE = {
    "suspend": TenantStatus.SUSPENDED,
    "reactivate": TenantStatus.ACTIVE,
    "archive": TenantStatus.ARCHIVED,
}


@bp.route("/tenants/<int:tenant_id>/<any(suspend, reactivate, archive):action>",
          methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def lifecycle(tenant_id: int, action: str):
    """A confirmation page (GET) and the change itself (POST)."""
    post = request.method == "POST"
    tenant = tenant_or_404(tenant_id, lock=post)
    to = LIFECYCLE[action]
    allowed = tenant.status in _allowed_from(to)
    form = LifecycleForm()
    if not allowed:
        flash(_("This change is not possible in the lab's current state."), "error")
        return redirect(tenant_page(tenant))
    if post:
        if not form.validate_on_submit():
            return render_template("lan/lifecycle.html", tenant=tenant, action=action,
                                   form=form), 400
        if committed(onboarding.change_lifecycle, tenant, to=to,
                     reason=(form.reason.data or "").strip()):
            flash({
                "suspend": _("%(name)s is suspended. Its pages show a notice; its data is "
                             "kept.", name=tenant.name),
                "reactivate": _("%(name)s is active again.", name=tenant.name),
                "archive": _("%(name)s is archived. Its data is kept.", name=tenant.name),
            }[action], "success")
        return redirect(tenant_page(tenant))
    return render_template("lan/lifecycle.html", tenant=tenant, action=action, form=form)


def _allowed_from(to: TenantStatus):
    from tenants.registry import ALLOWED_FROM

    return ALLOWED_FROM[to]

