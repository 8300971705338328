"""The once-only ledger: side effects that must happen once (an email, an export).

    owe(db.session, "mail:invitation:12", tenant_id=3)   # in the caller's transaction
    db.session.commit()                                   # now its job is enqueued

A ledger row is claimed (`claimed`: owed, not done) in the same transaction as the change
that makes the effect due, so a rollback owes nothing. Once the caller commits, the job
that carries the effect out is enqueued (`jobs.init_app` installs that listener); the job
locks the row, does the effect unless the row says `done`, and marks it. If the enqueue is
lost, the dispatcher finds the owed row and enqueues it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from tenants.db import PlatformModel, created_at


class LedgerEntry(PlatformModel):
    __tablename__ = "ledger_entry"

    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=CLAIMED)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at()
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint("status IN ('claimed', 'done', 'failed')", name="status"),
    )


# session.info key: the claims made in the session's current transaction, to enqueue
# after it commits.
CLAIMS = "labinov.outbox.claims"


def owe(session: Session | scoped_session, key: str, *,
        tenant_id: int | None = None) -> LedgerEntry:
    """Claim the effect `key` in the caller's transaction; its job follows the commit."""
    real = session() if isinstance(session, scoped_session) else session
    entry = LedgerEntry(key=key, tenant_id=tenant_id, status=LedgerEntry.CLAIMED, attempts=0)
    real.add(entry)
    real.info.setdefault(CLAIMS, []).append((key, tenant_id))
    return entry


def take_claims(session: Session) -> list[tuple[str, int | None]]:
    """The (key, tenant_id) claims of the transaction that just ended, forgotten here."""
    return session.info.pop(CLAIMS, [])


@dataclass
class Mail:
    """An email to send: who gets it, in which language, from which templates.

    A feature says what to write (`template` is `<feature>/<name>`, rendered as
    `mail/<template>.txt` and `.html`); `jobs.mail` renders and sends it.
    """

    to: str
    to_name: str | None
    template: str
    subject: object  # a lazy string, rendered in `locale`
    locale: str
    timezone: str | tzinfo | None = None
    context: dict = field(default_factory=dict)
