"""Choosing the reader's language and time zone, and the switcher on every page.

The language is, in order: the person's saved preference (their account when signed in; the
switcher's cookie for anonymous visitors), else the tenant's default (on a tenant's pages), else
the browser's Accept-Language, else the deployment's DEFAULT_LOCALE. A choice made with the
switcher before signing in is saved to the account at sign-in if the account has none yet.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, user_logged_in

from tenants.config import LOCALES, settings_of
from tenants.db import db
from web.redirects import local_target

LOCALE_COOKIE = "labinov_locale"
# Each language names itself, so a reader who cannot read the page can still find theirs.
LOCALE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

bp = Blueprint("i18n", __name__)


def _cookie_locale() -> str | None:
    choice = request.cookies.get(LOCALE_COOKIE)
    return choice if choice in LOCALES else None


def select_locale() -> str:
    if not has_request_context():  # a job or a command: the deployment's language
        return settings_of(current_app).default_locale
    if current_user.is_authenticated:
        if current_user.locale in LOCALES:
            return current_user.locale
    elif _cookie_locale():
        return _cookie_locale()
    tenant = g.get("tenant")
    if tenant is not None and tenant.default_locale in LOCALES:
        return tenant.default_locale
    choice = request.accept_languages.best_match(
        (*LOCALES, "in"), default=settings_of(current_app).default_locale)
    return "id" if choice == "in" else choice  # "in": the old code some phones still send


def select_timezone() -> str | None:
    """The tenant's zone on its pages (WIB, WITA or WIT); elsewhere DEFAULT_TIMEZONE."""
    tenant = g.get("tenant")
    return tenant.timezone if tenant is not None else None


@bp.post("/locale")
def switch():
    """Set the language and go back to the same page."""
    locale = request.form.get("locale")
    response = redirect(local_target(request.form.get("next")) or url_for("public.index"))
    if locale in LOCALES:
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


def _adopt_choice(sender, user, **extra) -> None:
    """A language chosen before signing in becomes the account's, unless it has one."""
    choice = _cookie_locale()
    if choice and not user.locale:
        user.locale = choice
        db.session.commit()


def init_app(app: Flask) -> None:
    user_logged_in.connect(_adopt_choice, app)

    @app.after_request
    def vary_by_language(response):
        # The same URL reads differently per browser language and switcher cookie.
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response

    @app.context_processor
    def locale_context():
        return {"current_locale": str(get_locale()), "locale_names": LOCALE_NAMES}
