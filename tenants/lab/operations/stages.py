"""The lab's own stage dates: a Bappeda shifts them inside the cohort's window (the cohort's
rule, `cohorts.operations.shift_stages`), and LAN's summary of the lab follows at once, since
its current stage may have changed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tenants.cohorts.models import Cohort
from tenants.cohorts.operations import Window, shift_stages
from tenants.lab import summary


def shift(session: Session, cohort: Cohort, windows: list[Window], *, actor_id: int | None,
          ip: str | None = None) -> None:
    shift_stages(session, cohort, windows, actor_id=actor_id, ip=ip)
    session.flush()
    summary.refresh(session, cohort.id)
