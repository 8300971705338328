"""What a reminder email says: a digest of a person's reminders grouped by kind, each with
its due date in the tenant's time zone and a link straight to the item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from tenants.config import settings_of
from tenants.outbox import Mail
from tenants.reminders.models import Category
from tenants.reminders.operations import unsubscribe_token

HEADINGS = {
    Category.STAGE: _l("Cohort stage deadlines"),
    Category.MILESTONE: _l("Action-plan milestones"),
    Category.AGREEMENT: _l("Agreements running out"),
}


@dataclass(frozen=True)
class Line:
    title: str
    due_on: date
    offset_days: int
    url: str

    def when(self) -> str:
        """"due in 3 days", "due today", "3 days overdue", in the current language."""
        if self.offset_days == 0:
            return str(_l("due today"))
        if self.offset_days > 0:
            return ngettext("due tomorrow", "due in %(num)d days", self.offset_days)
        return ngettext("%(num)d day overdue", "%(num)d days overdue", -self.offset_days)


def item_url(path: str) -> str:
    return settings_of(current_app).base_url + path


def unsubscribe_url(slug: str, tenant_id: int, email: str) -> str:
    return item_url(f"/{slug}/reminders/unsubscribe/{unsubscribe_token(tenant_id, email)}")


def reminder_mail(rows: list, *, lab: str | None, timezone: str,
                  slug: str | None, tenant_id: int | None) -> Mail:
    """One email for `rows` (one person's), in their language and the tenant's zone."""
    first = rows[0]
    groups: dict[str, list[Line]] = {}
    for row in rows:
        groups.setdefault(row.category, []).append(
            Line(row.title, row.due_on, row.offset_days, item_url(row.path)))
    ordered = [(HEADINGS[c], groups[c]) for c in Category.ALL if c in groups]
    if len(rows) == 1:
        subject = _l("Reminder: %(title)s", title=first.title)
    elif lab:
        subject = _l("Labinov reminders for %(lab)s", lab=lab)
    else:
        subject = _l("Labinov reminders")
    unsubscribe = (unsubscribe_url(slug, tenant_id, first.email)
                   if slug is not None and tenant_id is not None else None)
    preferences = item_url(f"/{slug}/reminders/preferences") if slug else None
    return Mail(to=first.email, to_name=first.name, template="reminders/digest",
                subject=subject, locale=first.locale, timezone=timezone,
                context={"name": first.name or first.email, "groups": ordered, "lab": lab,
                         "count": len(rows), "unsubscribe_url": unsubscribe,
                         "preferences_url": preferences})
