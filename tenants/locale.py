"""Babel setup shared by every process: catalogs in `i18n/`, Indonesian first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytz
from flask import Flask, current_app
from flask_babel import Babel, force_locale
from flask_babel import _get_current_context as _babel_context

from tenants import formatting
from tenants.config import LOCALES, settings_of

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

babel = Babel()


def init_babel(app: Flask, default_locale: str = "id", default_timezone: str = "Asia/Jakarta",
               locale_selector=None, timezone_selector=None) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(I18N_DIR)
    babel.init_app(app, default_locale=default_locale, default_timezone=default_timezone,
                   locale_selector=locale_selector, timezone_selector=timezone_selector)
    formatting.init_app(app)


@contextmanager
def force_timezone(tz: str) -> Iterator[None]:
    """Like Flask-Babel's `force_locale`, for the time zone (which it has no helper for)."""
    ctx = _babel_context()
    if ctx is None:
        yield
        return
    saved = getattr(ctx, "babel_tzinfo", None)
    ctx.babel_tzinfo = pytz.timezone(tz)
    try:
        yield
    finally:
        ctx.babel_tzinfo = saved


def recipient_locale(user=None, tenant=None) -> str:
    """Whose language a message is in: the recipient's saved preference, else the tenant's
    default, else DEFAULT_LOCALE."""
    for choice in (getattr(user, "locale", None), getattr(tenant, "default_locale", None)):
        if choice in LOCALES:
            return choice
    return settings_of(current_app).default_locale


def recipient_timezone(tenant=None) -> str:
    return getattr(tenant, "timezone", None) or settings_of(current_app).default_timezone


@contextmanager
def localized(locale: str, tz: str | None = None) -> Iterator[None]:
    """Render for someone other than the current reader: their language, a tenant's zone."""
    with force_locale(locale), (force_timezone(tz) if tz else nullcontext()):
        yield


@contextmanager
def in_language_of(user=None, tenant=None) -> Iterator[str]:
    """Translate and format for `user` (of `tenant`); yields the locale chosen.

        with in_language_of(user, tenant):
            subject = _("Your action plan is due on %(day)s", day=format_full_date(due))
    """
    locale = recipient_locale(user, tenant)
    with localized(locale, recipient_timezone(tenant)):
        yield locale
