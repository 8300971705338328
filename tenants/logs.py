"""Log lines carry the tenant they were written for.

`tenant_scope` marks the current context with the tenant's slug; every log record made
while it is entered has `record.tenant` set to it ("-" outside any tenant), so handlers can
print it with `%(tenant)s`, in requests and jobs alike.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

FORMAT = "%(asctime)s %(levelname)s [%(tenant)s] %(name)s: %(message)s"

current_slug: ContextVar[str] = ContextVar("labinov_tenant", default="-")
_installed = False


def install_record_factory() -> None:
    """Add `tenant` to every LogRecord (once per process)."""
    global _installed
    if _installed:
        return
    base = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = base(*args, **kwargs)
        record.tenant = current_slug.get()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def configure(level: int = logging.INFO) -> None:
    """Logging for the worker, the dispatcher and other commands."""
    install_record_factory()
    logging.basicConfig(level=level, format=FORMAT)
