"""What readiness asks of the database and the file store, each answered ok or not.

The database is asked once: the platform's revision and how many provisioned tenants are
not at the tenant tree's head (the mirror kept on each tenant row, `tenant.schema_version`),
so the cost does not grow with the number of tenant schemas.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

import sqlalchemy as sa

from tenants.migrate import PLATFORM_SCRIPTS, script_directory, tenant_head
from tenants.registry import PROVISIONED
from tenants.storage import LocalStorage, S3Storage, Storage

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def platform_head() -> str:
    return script_directory(PLATFORM_SCRIPTS).get_current_head()


READINESS = sa.text(
    "SELECT (SELECT version_num FROM platform.alembic_version LIMIT 1) AS platform, "
    "(SELECT count(*) FROM platform.tenant WHERE status = ANY(:provisioned) "
    " AND schema_version IS DISTINCT FROM :tenant_head) AS behind")


def database_checks(engine: sa.Engine) -> dict[str, bool]:
    """{"database": reachable, "migrations": platform and every tenant at head}."""
    try:
        with engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("SET LOCAL statement_timeout = '2s'")
            row = conn.execute(READINESS, {"provisioned": [str(s) for s in PROVISIONED],
                                           "tenant_head": tenant_head()}).one()
    except Exception:
        log.warning("readiness: the database did not answer", exc_info=True)
        return {"database": False, "migrations": False}
    at_head = row.platform == platform_head() and row.behind == 0
    if not at_head:
        log.warning("readiness: platform at %s (head %s), %s tenant schema(s) behind",
                    row.platform, platform_head(), row.behind)
    return {"database": True, "migrations": at_head}


def storage_check(backend: Storage) -> bool:
    """The bucket answers (S3), or the directory is there and writable (local)."""
    try:
        if isinstance(backend, S3Storage):
            backend.client.head_bucket(Bucket=backend.bucket)
            return True
        if isinstance(backend, LocalStorage):
            backend.root.mkdir(parents=True, exist_ok=True)  # made on the first upload
            return os.access(backend.root, os.W_OK | os.X_OK)
    except Exception:
        log.warning("readiness: file storage did not answer", exc_info=True)
        return False
    return backend.keys("platform/") is not None
