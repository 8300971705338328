"""What the dispatcher asks, every round: each finder enqueues what is due in its area and
returns how many jobs it enqueued. A new feature with due work adds its finder here."""

from __future__ import annotations

from collections.abc import Callable

from jobs import cohorts, onboarding, outbox, reminders

FINDERS: tuple[Callable[[], int], ...] = (
    outbox.owed_mail,                # emails whose job Redis lost
    onboarding.resume_activations,   # tenants left in provisioning
    cohorts.stale_summaries,         # enrolled labs not counted since their midnight
    reminders.due_reminders,         # deadline reminders, at each tenant's local hour
)
