"""LAN's summary of a lab follows the lab's writes, from one place: a request inside a lab
whose transaction wrote tenant rows queues the lab's recount once that transaction has
committed (`jobs.cohorts`). No view has to remember it, and a rolled-back request queues
nothing.
"""

from __future__ import annotations

from itertools import chain

from flask import Flask, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from jobs.cohorts import enqueue_refresh_quietly
from tenants.db import TenantAwareSession, TenantModel, is_tenant_table
from tenants.scope import current_tenant

WROTE = "labinov.lab_wrote"


def _mark(session: Session) -> None:
    tenant = current_tenant(session)
    if tenant is not None and has_request_context():
        session.info[WROTE] = tenant.id


def _after_flush(session: Session, _context) -> None:
    if any(isinstance(obj, TenantModel)
           for obj in chain(session.new, session.dirty, session.deleted)):
        _mark(session)


def _on_execute(state: ORMExecuteState) -> None:
    # Bulk INSERT / UPDATE / DELETE statements do not pass through the flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if is_tenant_table(table):
            _mark(state.session)


def _after_commit(session: Session) -> None:
    tenant_id = session.info.pop(WROTE, None)
    if tenant_id is not None and has_request_context():
        enqueue_refresh_quietly(tenant_id)


def _after_transaction_end(session: Session, transaction) -> None:
    # A rollback, or a close without commit: what was written is gone.
    if transaction.parent is None:
        session.info.pop(WROTE, None)


LISTENERS = (("after_flush", _after_flush), ("do_orm_execute", _on_execute),
             ("after_commit", _after_commit),
             ("after_transaction_end", _after_transaction_end))


def init_app(app: Flask) -> None:
    # Session events are global to the class; every app built in one process shares them.
    for name, listener in LISTENERS:
        if not event.contains(TenantAwareSession, name, listener):
            event.listen(TenantAwareSession, name, listener)
