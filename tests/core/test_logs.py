"""Log lines written inside a tenant scope name the tenant; others say '-'."""

from __future__ import annotations

import logging

from tenants.logs import FORMAT
from tenants.scope import tenant_session

log = logging.getLogger("labinov.test")


def test_records_carry_the_tenant_of_the_scope_they_were_written_in(ctx, make_tenant, caplog):
    tenant = make_tenant("73.71")  # Kota Makassar
    caplog.set_level(logging.INFO, logger="labinov.test")
    log.info("before")
    with tenant_session(tenant.ref()):
        log.info("inside")
    log.info("after")
    assert [(r.getMessage(), r.tenant) for r in caplog.records] == [
        ("before", "-"), ("inside", "kota-makassar"), ("after", "-")]
    inside = caplog.records[1]
    assert "[kota-makassar] labinov.test: inside" in logging.Formatter(FORMAT).format(inside)
