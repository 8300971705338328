"""LAN's job monitor: the queues, running, waiting and failed jobs with their tenant and
error; a failed job retried, a waiting or running one canceled. LAN administrators only."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from redis.exceptions import RedisError

from jobs import ops
from tenants.accounts.models import Role
from tenants.db import db
from tenants.registry import Tenant
from web.access import platform_role_required

bp = Blueprint("ops", __name__, url_prefix="/lan/jobs", template_folder="templates")
log = logging.getLogger(__name__)


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.get("/")
@platform_role_required(Role.LAN_ADMIN)
def jobs():
    try:
        queues = ops.queue_states()
        running, waiting, failed = ops.running_jobs(), ops.waiting_jobs(), ops.failed_jobs()
    except RedisError:
        log.warning("job monitor: Redis could not be read", exc_info=True)
        return render_template("ops/jobs.html", unavailable=True), 503
    ids = {j.tenant_id for j in (*running, *waiting, *failed) if j.tenant_id is not None}
    tenants = {t.id: t for t in db.session.scalars(sa.select(Tenant).where(Tenant.id.in_(ids)))}
    return render_template("ops/jobs.html", unavailable=False, queues=queues,
                           running=running, waiting=waiting, failed=failed, tenants=tenants)


@bp.post("/<job_id>/retry")
@platform_role_required(Role.LAN_ADMIN)
def retry(job_id):
    try:
        job = ops.retry(job_id)
    except ops.JobGone:
        flash(_("That job is no longer among the failed jobs; nothing was changed."), "error")
    else:
        log.info("job %s retried by account %s", job.id, current_user.id)
        flash(_("The job is back in its queue and will run again."), "success")
    return redirect(url_for("ops.jobs"))


@bp.post("/<job_id>/cancel")
@platform_role_required(Role.LAN_ADMIN)
def cancel(job_id):
    try:
        done = ops.cancel(job_id)
    except ops.JobGone:
        flash(_("That job is no longer waiting or running; nothing was changed."), "error")
    else:
        log.info("job %s %s by account %s", job_id, done, current_user.id)
        flash(_("The job was stopped.") if done == "stopped"
              else _("The job was taken off its queue."), "success")
    return redirect(url_for("ops.jobs"))
