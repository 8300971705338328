"""Onboarding, for LAN: the regency registry, the guided flow (regency -> draft -> MoU ->
PKS -> administrator -> activate), each tenant's page and its lifecycle (suspend,
reactivate, archive).

Each step is a server-rendered form. A refused step writes nothing: the checks run before
the signed PDF is stored, the database work is one transaction, and a stored file is
deleted again if that transaction fails.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from redis.exceptions import RedisError

from jobs import onboarding as activation_jobs
from tenants import registry
from tenants.accounts.models import Role
from tenants.accounts.queries import names_of
from tenants.audit.models import AuditEntry
from tenants.config import settings_of
from tenants.db import db
from tenants.onboarding import operations as onboarding
from tenants.onboarding.models import Agreement
from tenants.onboarding.operations import Document
from tenants.onboarding.queries import (
    activation_entry,
    agreement_history,
    agreements_of,
    visible,
)
from tenants.outbox import LedgerEntry
from tenants.refusal import Refused
from tenants.regions.models import Province, Regency, title_case
from tenants.regions.queries import search
from tenants.registry import Tenant, TenantEvent, TenantStatus
from tenants.storage import agreement_key, storage
from web.access import platform_role_required
from web.forms import attempt, place
from web.labels import AGREEMENT_NAMES
from web.lan.views import lan_today
from web.onboarding.forms import ActionForm, AdminForm, AgreementForm, LifecycleForm, StartForm
from web.pages import requested_page
from web.uploads import PDF_TYPE

log = logging.getLogger(__name__)

bp = Blueprint("onboarding", __name__, url_prefix="/lan", template_folder="templates")

KINDS = {"mou": Agreement.MOU, "pks": Agreement.PKS}
REGIONS_PER_PAGE = 50
NOT_STARTED = "none"

# The path every tenant walks; suspended and archived are shown after it when reached.
STEPS = (TenantStatus.DRAFT, TenantStatus.MOU_SIGNED, TenantStatus.PKS_SIGNED,
         TenantStatus.PROVISIONING, TenantStatus.ACTIVE)


@bp.before_request
@login_required
def _signed_in():
    return None


def steps_of(status: str) -> list[tuple[str, str]]:
    """(status, done | current | todo) for the step indicator."""
    path = list(STEPS)
    if status in (TenantStatus.SUSPENDED, TenantStatus.ARCHIVED):
        path.append(TenantStatus(status))
    where = path.index(TenantStatus(status))
    return [(s, "done" if i < where else "current" if i == where else "todo")
            for i, s in enumerate(path)]


@bp.context_processor
def _onboarding_context():
    return {"steps_for": lambda tenant: steps_of(tenant.status),
            "upload_max_bytes": settings_of(current_app).upload_max_bytes}


def tenant_or_404(tenant_id: int, *, lock: bool = False) -> Tenant:
    """The tenant if the current LAN person may see it; 404 otherwise (no hint it exists)."""
    stmt = visible(sa.select(Tenant).where(Tenant.id == tenant_id), current_user)
    if lock:
        stmt = stmt.with_for_update(of=Tenant)
    tenant = db.session.scalar(stmt)
    if tenant is None:
        abort(404)
    return tenant


def tenant_page(tenant: Tenant) -> str:
    return url_for("onboarding.tenant", tenant_id=tenant.id)


@bp.route("/onboarding/<code>", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def start(code: str):
    regency = db.session.get(Regency, code)
    if regency is None:
        abort(404)
    existing = db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == code))
    if existing is not None and request.method == "GET":
        return redirect(tenant_page(existing))
    form = StartForm()
    if request.method == "GET":
        form.timezone.data = regency.province.timezone
    error = None
    if form.validate_on_submit():
        try:
            tenant = onboarding.start(db.session, code, actor_id=current_user.id,
                                      default_locale=form.default_locale.data,
                                      timezone=form.timezone.data, ip=request.remote_addr)
        except Refused as refusal:
            db.session.rollback()
            error = place(form, refusal)
        except sa.exc.IntegrityError:
            # Another administrator opened this region's draft at the same moment.
            db.session.rollback()
            tenant = db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == code))
            if tenant is None:
                raise
            return redirect(tenant_page(tenant))
        else:
            created = tenant is not existing
            db.session.commit()
            if created:
                flash(_("Onboarding of %(name)s has started. Next: record the MoU.",
                        name=tenant.name), "success")
            return redirect(tenant_page(tenant))
    status = 400 if request.method == "POST" else 200
    return render_template("onboarding/start.html", form=form, regency=regency,
                           error=error), status


def next_step(tenant: Tenant) -> str | None:
    """The endpoint of the flow's next step for a tenant that is not active yet."""
    if tenant.status == TenantStatus.DRAFT:
        return "onboarding.agreement_mou"
    if tenant.status == TenantStatus.MOU_SIGNED:
        return "onboarding.agreement_pks"
    if tenant.status == TenantStatus.PKS_SIGNED:
        return "onboarding.activate" if tenant.admin_email else "onboarding.admin"
    return None


def _agreement(tenant_id: int, kind: str, renewal: bool = False):
    """Record a signed MoU or PKS: the onboarding step, or (`renewal`) the renewal of the
    lab's current one."""
    post = request.method == "POST"
    tenant = tenant_or_404(tenant_id, lock=post)
    form = AgreementForm()
    error = None
    agreements = agreements_of(db.session, tenant.id)
    try:
        if renewal:
            onboarding.check_renewal_step(db.session, tenant, kind)
        else:
            onboarding.check_agreement_step(tenant, kind)
    except Refused as refusal:  # out of order: say why and go where the flow is
        flash(refusal.message, "error")
        return redirect(tenant_page(tenant))
    check = onboarding.renewal_problems if renewal else onboarding.agreement_problems
    form.validate_on_submit()
    if post and "csrf_token" in form.errors:
        error = _("The form had expired. Please submit it again.")
    elif post:
        # Every problem at once: the form's own checks (the file's included) and the
        # agreement's rules on whichever fields passed them, even when others are missing.
        fields = form.fields()
        refused = {name for name in fields if getattr(form, name).errors}
        problems = [p for p in check(
            db.session, tenant, kind,
            {name: value for name, value in fields.items() if name not in refused})
            if p.field not in refused]
        for problem in problems:
            error = place(form, problem) or error
        if not form.errors:
            record = onboarding.record_renewal if renewal else onboarding.record_agreement
            saved, error = _store_and_record(form, tenant, kind, fields, record)
            if saved:
                flash(_("The renewal is recorded; it is now the lab's %(kind)s in force.",
                        kind=AGREEMENT_NAMES[kind]) if renewal
                      else _("The MoU is recorded. Next: record the PKS.")
                      if kind == Agreement.MOU
                      else _("The PKS is recorded. Next: enter the Bappeda administrator."),
                      "success")
                return redirect(tenant_page(tenant))
    status = 400 if post else 200
    return render_template("onboarding/agreement.html", form=form, tenant=tenant,
                           kind=kind, error=error, mou=agreements.get(Agreement.MOU),
                           renews=agreements.get(kind) if renewal else None,
                           file_lost=post), status


def _store_and_record(form: AgreementForm, tenant: Tenant, kind: str, fields: dict,
                      record) -> tuple[bool, str | None]:
    """Store the PDF, then record the agreement; undo the file if the database refuses.

    Returns (saved, message for the whole form)."""
    upload = form.document.upload
    key = agreement_key(tenant.id)
    files = storage()
    try:
        files.put(key, upload.stream, PDF_TYPE, upload.filename)
    except Exception:
        log.exception("storing %s failed", key)
        db.session.rollback()
        return False, _("The file could not be stored just now. Nothing was saved; please "
                        "try again.")
    finally:
        upload.stream.close()
    try:
        record(db.session, tenant, kind, fields,
               Document(key=key, name=upload.filename, size=upload.size),
               actor_id=current_user.id, ip=request.remote_addr)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        try:
            files.delete(key)
        except Exception:
            log.exception("could not delete %s after a failed write", key)
        if isinstance(exc, Refused):
            return False, place(form, exc)
        if isinstance(exc, sa.exc.IntegrityError) and "uq_agreement_kind_number" in str(exc):
            # Recorded by someone else between the check and the insert.
            return False, place(form, Refused(onboarding.duplicate_number(kind), "number"))
        log.exception("recording the %s of tenant %s failed", kind, tenant.id)
        return False, _("The agreement could not be saved. Nothing was kept; please try "
                        "again.")
    return True, None


@bp.route("/tenants/<int:tenant_id>/<any(mou, pks):kind>/renew", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def renew(tenant_id: int, kind: str):
    return _agreement(tenant_id, KINDS[kind], renewal=True)


@bp.route("/tenants/<int:tenant_id>/mou", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def agreement_mou(tenant_id: int):
    return _agreement(tenant_id, Agreement.MOU)


@bp.route("/tenants/<int:tenant_id>/pks", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def agreement_pks(tenant_id: int):
    return _agreement(tenant_id, Agreement.PKS)


@bp.route("/tenants/<int:tenant_id>/admin", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def admin(tenant_id: int):
    post = request.method == "POST"
    tenant = tenant_or_404(tenant_id, lock=post)
    if tenant.status not in onboarding.BEFORE_ACTIVATION:
        flash(_("The Bappeda administrator can no longer be changed here after activation."),
              "error")
        return redirect(tenant_page(tenant))
    form = AdminForm(obj=tenant if not post else None)
    if not post and not tenant.admin_locale:
        form.admin_locale.data = tenant.default_locale
    error = None
    if form.validate_on_submit():
        done, error = attempt(onboarding.set_admin, tenant, form=form,
                              name=form.admin_name.data, email=form.admin_email.data,
                              locale=form.admin_locale.data)
        if done:
            flash(_("The Bappeda administrator is saved."), "success")
            if tenant.status == TenantStatus.PKS_SIGNED:
                return redirect(url_for("onboarding.activate", tenant_id=tenant.id))
            return redirect(tenant_page(tenant))
    return render_template("onboarding/admin.html", form=form, tenant=tenant,
                           error=error), 400 if post else 200


@bp.route("/tenants/<int:tenant_id>/activate", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def activate(tenant_id: int):
    post = request.method == "POST"
    tenant = tenant_or_404(tenant_id, lock=post)
    form = ActionForm()
    if not post:
        if tenant.status not in onboarding.BEFORE_ACTIVATION:
            return redirect(tenant_page(tenant))
        return render_template(
            "onboarding/activate.html", form=form, tenant=tenant,
            agreements=agreements_of(db.session, tenant.id),
            missing=onboarding.missing_for_activation(db.session, tenant))
    if not form.validate_on_submit():
        abort(400)
    if attempt(onboarding.request_activation, tenant)[0]:
        _enqueue(tenant.id)
        flash(_("Activation has started. The lab's schema is being prepared and the Bappeda "
                "administrator will be invited by email."), "success")
    return redirect(tenant_page(tenant))


def _enqueue(tenant_id: int) -> None:
    try:
        activation_jobs.enqueue_activation(tenant_id, current_user.id)
    except RedisError:
        # The tenant is recorded as provisioning; the dispatcher enqueues it on its next run.
        log.exception("could not enqueue the activation of tenant %s", tenant_id)
        flash(_("The job queue cannot be reached right now; the activation will start "
                "automatically within a few minutes."), "warning")


@bp.post("/tenants/<int:tenant_id>/activate/retry")
@platform_role_required(Role.LAN_ADMIN)
def retry_activation(tenant_id: int):
    tenant = tenant_or_404(tenant_id, lock=True)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if attempt(onboarding.retry_activation, tenant)[0]:
        _enqueue(tenant.id)
        flash(_("The activation is being tried again."), "success")
    return redirect(tenant_page(tenant))


@bp.get("/tenants/<int:tenant_id>/agreements/<kind>/document")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def agreement_document(tenant_id: int, kind: str):
    """The current MoU's or PKS's signed PDF."""
    tenant = tenant_or_404(tenant_id)
    if kind not in KINDS:
        abort(404)
    return _download(agreements_of(db.session, tenant.id).get(KINDS[kind]))


@bp.get("/tenants/<int:tenant_id>/agreements/<int:agreement_id>/file")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def agreement_file(tenant_id: int, agreement_id: int):
    """Any agreement's signed PDF, an earlier one renewed since included."""
    tenant = tenant_or_404(tenant_id)
    return _download(db.session.scalar(sa.select(Agreement).where(
        Agreement.id == agreement_id, Agreement.tenant_id == tenant.id)))


def _download(agreement: Agreement | None):
    """Check the reader first (the caller did), then hand out a link that expires in
    minutes."""
    if agreement is None or not agreement.document_key:
        abort(404)
    url = storage().download_url(agreement.document_key,
                                 agreement.document_name or f"{agreement.kind}.pdf",
                                 expires=300)
    response = redirect(url)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/tenants/<int:tenant_id>/settings", methods=["GET", "POST"])
@platform_role_required(Role.LAN_ADMIN)
def settings(tenant_id: int):
    post = request.method == "POST"
    tenant = tenant_or_404(tenant_id, lock=post)
    if tenant.status not in onboarding.BEFORE_ACTIVATION:
        flash(_("The settings can no longer be changed here after activation."), "error")
        return redirect(tenant_page(tenant))
    form = StartForm(obj=tenant if not post else None)
    error = None
    if form.validate_on_submit():
        done, error = attempt(onboarding.update_settings, tenant, form=form,
                              default_locale=form.default_locale.data,
                              timezone=form.timezone.data)
        if done:
            flash(_("The settings are saved."), "success")
            return redirect(tenant_page(tenant))
    return render_template("onboarding/settings.html", form=form, tenant=tenant,
                           error=error), 400 if post else 200


# --- The regency registry ------------------------------------------------------------------

@bp.get("/regions")
@platform_role_required(Role.LAN_ADMIN)
def regions():
    q = request.args.get("q", "").strip()[:100]
    province = request.args.get("province", "")
    state = request.args.get("state", "")
    stmt = (sa.select(Regency, Tenant).join(Province)
            .outerjoin(Tenant, Tenant.regency_code == Regency.code))
    if q:
        stmt = search(stmt, q)
    if province:
        stmt = stmt.where(Regency.province_code == province)
    if state == NOT_STARTED:
        stmt = stmt.where(Tenant.id.is_(None))
    elif state in set(TenantStatus):
        stmt = stmt.where(Tenant.status == state)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    page = requested_page()
    pages = max(1, -(-total // REGIONS_PER_PAGE))
    page = min(page, pages)
    rows = db.session.execute(stmt.order_by(Regency.code).limit(REGIONS_PER_PAGE)
                              .offset((page - 1) * REGIONS_PER_PAGE)).all()
    provinces = db.session.scalars(sa.select(Province).order_by(Province.code)).all()
    by_state = dict(db.session.execute(
        sa.select(Tenant.status, sa.func.count()).group_by(Tenant.status)).all())
    onboarded = sum(by_state.values())
    return render_template(
        "onboarding/regions.html", rows=rows, total=total, page=page, pages=pages, q=q,
        province=province, state=state, provinces=provinces, by_state=by_state,
        not_started=db.session.scalar(sa.select(sa.func.count()).select_from(Regency))
        - onboarded, NOT_STARTED=NOT_STARTED, states=list(TenantStatus),
        title_case=title_case)


# --- A tenant's page and its lifecycle -----------------------------------------------------

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
    agreements = agreements_of(db.session, tenant.id)
    current = {a.id for a in agreements.values()}
    earlier = [a for a in agreement_history(db.session, tenant.id) if a.id not in current]
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
            tenant.id, activation_entry(db.session, tenant.id))
    today = lan_today()
    return render_template(
        "onboarding/tenant.html", tenant=tenant, agreements=agreements, earlier=earlier,
        events=events, activity=activity, actors=actors,
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
    allowed = tenant.status in registry.ALLOWED_FROM[to]
    form = LifecycleForm()
    if not allowed:
        flash(_("This change is not possible in the lab's current state."), "error")
        return redirect(tenant_page(tenant))
    if post:
        if not form.validate_on_submit():
            return render_template("onboarding/lifecycle.html", tenant=tenant, action=action,
                                   form=form), 400
        if attempt(onboarding.change_lifecycle, tenant, to=to,
                   reason=(form.reason.data or "").strip())[0]:
            flash({
                "suspend": _("%(name)s is suspended. Its pages show a notice; its data is "
                             "kept.", name=tenant.name),
                "reactivate": _("%(name)s is active again.", name=tenant.name),
                "archive": _("%(name)s is archived. Its data is kept.", name=tenant.name),
            }[action], "success")
        return redirect(tenant_page(tenant))
    return render_template("onboarding/lifecycle.html", tenant=tenant, action=action, form=form)

