"""Whose language a job writes in: an email goes out in its recipient's language.

    with in_language_of(user, tenant):
        subject = _("Your action plan is due on %(day)s", day=format_full_date(due))
        body = render_template("mail/reminder.txt", ...)

Inside the block gettext, templates and the formatting filters use the recipient's locale
(their saved preference, else the tenant's default, else the deployment's) and the tenant's
time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app

from tenants.app import settings_of
from tenants.locale import LOCALES, localized


def recipient_locale(user=None, tenant=None) -> str:
    """The recipient's saved preference, else the tenant's default, else DEFAULT_LOCALE."""
    for choice in (getattr(user, "locale", None), getattr(tenant, "default_locale", None)):
        if choice in LOCALES:
            return choice
    return settings_of(current_app).default_locale


def recipient_timezone(tenant=None) -> str:
    return getattr(tenant, "timezone", None) or settings_of(current_app).default_timezone


@contextmanager
def in_language_of(user=None, tenant=None) -> Iterator[str]:
    """Translate and format for `user` (of `tenant`); yields the locale chosen."""
    locale = recipient_locale(user, tenant)
    with localized(locale, recipient_timezone(tenant)):
        yield locale
