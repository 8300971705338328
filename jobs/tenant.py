"""Jobs that touch tenant data take the tenant id as their first argument and run in its scope.

    @tenant_job
    def rebuild_index(tenant_id: int, idea_id: int): ...

    enqueue_for_tenant(rebuild_index, tenant.id, idea.id, job_key=f"index-{idea.id}")

Job ids are keyed by the tenant (`t<id>-<key>`). A job without a tenant argument has no
scope, so any tenant query in it raises. `@tenant_job(optional=True)` is for jobs whose work
belongs to a tenant or to LAN (an invitation email): with `None` they run outside any tenant.
"""

from __future__ import annotations

import functools
import logging

from rq import Retry
from rq.job import Job

from jobs.queues import DEFAULT, RETRY, enqueue_once, queue
from tenants.db import db
from tenants.registry import Tenant, TenantStatus
from tenants.scope import tenant_scope

log = logging.getLogger(__name__)


class TenantNotAvailable(RuntimeError):
    pass


def tenant_job(func=None, *, optional: bool = False):
    def wrap(func):
        @functools.wraps(func)
        def run(tenant_id: int | None, *args, **kwargs):
            if tenant_id is None and optional:
                return func(None, *args, **kwargs)
            tenant = db.session.get(Tenant, tenant_id) if tenant_id is not None else None
            if tenant is None or tenant.status != TenantStatus.ACTIVE:
                raise TenantNotAvailable(f"tenant {tenant_id} is not active")
            ref = tenant.ref()
            db.session.close()  # the scope must start on a fresh transaction
            log.info("[tenant %s] %s", ref.schema, func.__name__)
            with tenant_scope(ref):
                return func(tenant_id, *args, **kwargs)

        run.is_tenant_job = True
        return run

    return wrap(func) if func is not None else wrap


def tenant_job_id(tenant_id: int | None, key: str) -> str:
    """`t<tenant>-<key>`, or `platform-<key>` for work that belongs to no tenant."""
    return f"t{tenant_id}-{key}" if tenant_id is not None else f"platform-{key}"


def enqueue_for_tenant(func, tenant_id: int | None, *args, job_key: str | None = None,
                       queue_name: str = DEFAULT, retry: Retry | None = RETRY,
                       **options) -> Job:
    """Enqueue `func(tenant_id, *args)`. With `job_key` the job id is `t<tenant>-<key>` and a
    copy already waiting or running is not queued again."""
    if not getattr(func, "is_tenant_job", False):
        raise TypeError(f"{func.__name__} is not a @tenant_job")
    options = {"retry": retry, "description": f"[tenant {tenant_id}] {func.__name__}",
               **options}
    if job_key:
        return enqueue_once(queue_name, func, args=(tenant_id, *args),
                            job_id=tenant_job_id(tenant_id, job_key), **options)
    return queue(queue_name).enqueue_call(func, args=(tenant_id, *args), **options)
