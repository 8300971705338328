"""Choosing the reader's language and time zone, and the switcher on every page."""

from __future__ import annotations

from flask import Blueprint, Flask, g, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from tenants.app import settings_of
from tenants.db import db
from tenants.locale import LOCALES

LOCALE_COOKIE = "labinov_locale"
LOCALE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Saved preference (account, else cookie), else the tenant's default, else the browser."""
    user = current_user
    if user and user.is_authenticated and user.locale in LOCALES:
        return user.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in LOCALES:
        return cookie
    tenant = g.get("tenant")
    if tenant is not None:
        return tenant.default_locale
    from flask import current_app

    return request.accept_languages.best_match(
        LOCALES, default=settings_of(current_app).default_locale)


def select_timezone() -> str | None:
    tenant = g.get("tenant")
    return tenant.timezone if tenant is not None else None


@bp.post("/locale")
def switch():
    locale = request.form.get("locale")
    target = request.form.get("next") or url_for("public.index")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.index")
    response = redirect(target)
    if locale in LOCALES:
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def locale_context():
        return {"current_locale": str(get_locale()), "locale_names": LOCALE_NAMES}
