"""The guided onboarding flow: regency -> draft -> MoU -> PKS -> administrator -> activate.

Each step is a server-rendered form. A refused step writes nothing: the checks run before
the signed PDF is stored, the database work is one transaction, and a stored file is
deleted again if that transaction fails.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from redis.exceptions import RedisError

from jobs import onboarding as activation_jobs
from jobs.storage import agreement_key, storage
from tenants import onboarding
from tenants.db import db
from tenants.onboarding import Document, Refused
from tenants.platform.accounts import Role
from tenants.platform.agreements import Agreement
from tenants.platform.regions import Regency
from tenants.platform.tenancy import Tenant, TenantStatus
from web.access import platform_role_required
from web.lan.forms import ActionForm, AdminForm, AgreementForm, StartForm
from web.lan.views import bp
from web.lan.visibility import tenant_or_404
from web.uploads import PDF_TYPE

log = logging.getLogger(__name__)

KINDS = {"mou": Agreement.MOU, "pks": Agreement.PKS}


def _refuse(form, refusal: Refused) -> str | None:
    """Put a refusal on its field; returns the message if it belongs to the whole form."""
    field = getattr(form, refusal.field, None) if refusal.field else None
    if field is not None:
        field.errors = [*field.errors, refusal.message]
        return None
    return refusal.message


def committed(step, tenant: Tenant, **kwargs) -> bool:
    """Run an onboarding `step` on `tenant` as the signed-in administrator and commit it;
    on a refusal, roll back and flash why. The caller redirects either way."""
    try:
        step(db.session, tenant, actor_id=current_user.id, ip=request.remote_addr, **kwargs)
    except Refused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return False
    db.session.commit()
    return True


def tenant_page(tenant: Tenant) -> str:
    return url_for("lan.tenant", tenant_id=tenant.id)


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
            error = _refuse(form, refusal)
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
    return render_template("lan/onboarding/start.html", form=form, regency=regency,
                           error=error), status


def next_step(tenant: Tenant) -> str | None:
    """The endpoint of the flow's next step for a tenant that is not active yet."""
    if tenant.status == TenantStatus.DRAFT:
        return "lan.agreement_mou"
    if tenant.status == TenantStatus.MOU_SIGNED:
        return "lan.agreement_pks"
    if tenant.status == TenantStatus.PKS_SIGNED:
        return "lan.activate" if tenant.admin_email else "lan.admin"
    return None


def _agreement(tenant_id: int, kind: str):
    post = request.method == "POST"
    tenant = tenant_or_404(tenant_id, lock=post)
    form = AgreementForm()
    error = None
    agreements = onboarding.agreements_of(db.session, tenant.id)
    try:
        onboarding.check_agreement_step(tenant, kind)
    except Refused as refusal:  # out of order: say why and go where the flow is
        flash(refusal.message, "error")
        return redirect(tenant_page(tenant))
    if form.validate_on_submit() or (post and _fields_valid(form)):
        # The agreement's own checks run even when only the file was refused, so that
        # every problem shows at once.
        fields = form.fields()
        problems = onboarding.agreement_problems(db.session, tenant, kind, fields)
        for problem in problems:
            error = _refuse(form, problem) or error
        if not problems and not form.errors:
            saved, error = _store_and_record(form, tenant, kind, fields)
            if saved:
                flash(_("The MoU is recorded. Next: record the PKS.") if kind == Agreement.MOU
                      else _("The PKS is recorded. Next: enter the Bappeda administrator."),
                      "success")
                return redirect(tenant_page(tenant))
    elif post and "csrf_token" in form.errors:
        error = _("The form had expired. Please submit it again.")
    status = 400 if post else 200
    return render_template("lan/onboarding/agreement.html", form=form, tenant=tenant,
                           kind=kind, error=error, mou=agreements.get(Agreement.MOU),
                           file_lost=post), status


def _fields_valid(form: AgreementForm) -> bool:
    """Whether everything but the file passed the form's own checks."""
    return not any(getattr(form, name).errors for name in onboarding.AGREEMENT_FIELDS) \
        and "csrf_token" not in form.errors


def _store_and_record(form: AgreementForm, tenant: Tenant, kind: str,
                      fields: dict) -> tuple[bool, str | None]:
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
        onboarding.record_agreement(db.session, tenant, kind, fields,
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
            return False, _refuse(form, exc)
        if isinstance(exc, sa.exc.IntegrityError) and "uq_agreement_kind_number" in str(exc):
            # Recorded by someone else between the check and the insert.
            return False, _refuse(form, Refused(onboarding.duplicate_number(kind), "number"))
        log.exception("recording the %s of tenant %s failed", kind, tenant.id)
        return False, _("The agreement could not be saved. Nothing was kept; please try "
                        "again.")
    return True, None


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
        try:
            onboarding.set_admin(db.session, tenant, name=form.admin_name.data,
                                 email=form.admin_email.data, locale=form.admin_locale.data,
                                 actor_id=current_user.id, ip=request.remote_addr)
        except Refused as refusal:
            db.session.rollback()
            error = _refuse(form, refusal)
        else:
            db.session.commit()
            flash(_("The Bappeda administrator is saved."), "success")
            if tenant.status == TenantStatus.PKS_SIGNED:
                return redirect(url_for("lan.activate", tenant_id=tenant.id))
            return redirect(tenant_page(tenant))
    return render_template("lan/onboarding/admin.html", form=form, tenant=tenant,
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
            "lan/onboarding/activate.html", form=form, tenant=tenant,
            agreements=onboarding.agreements_of(db.session, tenant.id),
            missing=onboarding.missing_for_activation(db.session, tenant))
    if not form.validate_on_submit():
        abort(400)
    if committed(onboarding.request_activation, tenant):
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
    if committed(onboarding.retry_activation, tenant):
        _enqueue(tenant.id)
        flash(_("The activation is being tried again."), "success")
    return redirect(tenant_page(tenant))


@bp.get("/tenants/<int:tenant_id>/agreements/<kind>/document")
@platform_role_required(Role.LAN_ADMIN, Role.LAN_COACH)
def agreement_document(tenant_id: int, kind: str):
    """Check the reader first, then hand out a link that expires in minutes."""
    tenant = tenant_or_404(tenant_id)
    if kind not in KINDS:
        abort(404)
    agreement = onboarding.agreements_of(db.session, tenant.id).get(KINDS[kind])
    if agreement is None or not agreement.document_key:
        abort(404)
    url = storage().download_url(agreement.document_key,
                                 agreement.document_name or f"{kind}.pdf", expires=300)
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
        try:
            onboarding.update_settings(db.session, tenant, actor_id=current_user.id,
                                       default_locale=form.default_locale.data,
                                       timezone=form.timezone.data, ip=request.remote_addr)
        except Refused as refusal:
            db.session.rollback()
            error = _refuse(form, refusal)
        else:
            db.session.commit()
            flash(_("The settings are saved."), "success")
            return redirect(tenant_page(tenant))
    return render_template("lan/onboarding/settings.html", form=form, tenant=tenant,
                           error=error), 400 if post else 200
