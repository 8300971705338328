"""Request-wide safeguards: over-long addresses, caching of signed-in pages, and warnings
about a deployment that trusts the wrong thing."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, abort, request
from flask_login import current_user

from tenants.config import settings_of
from tenants.db import db

log = logging.getLogger(__name__)

MAX_URL = 8192  # characters of path and query; far more than any page here needs


def _refuse_long_urls():
    if len(request.path) + len(request.query_string) > MAX_URL:
        abort(414)


def _no_store(response):
    # A signed-in page must not be kept by the browser or a proxy for the next person.
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


_warned_about_proxies = False


def _warn_about_forwarded_headers():
    """Once per process: a proxy sets X-Forwarded-For but TRUSTED_PROXIES says there is none,
    so rate limits and audit entries see the proxy's address, not the person's."""
    global _warned_about_proxies
    if _warned_about_proxies or "X-Forwarded-For" not in request.headers:
        return
    if not settings_of().trusted_proxies:
        log.warning("requests carry X-Forwarded-For but TRUSTED_PROXIES is 0: set it to the "
                    "number of proxies in front of the app (README: Security)")
        _warned_about_proxies = True


def warn_if_superuser(app: Flask) -> None:
    """The app should connect as a role that owns its schemas, not as a superuser."""
    try:
        with app.app_context(), db.engine.connect() as conn:
            superuser = conn.scalar(sa.text(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    except sa.exc.SQLAlchemyError:
        return  # the database is not up yet; the first request will say so
    if superuser:
        log.warning("connected to PostgreSQL as a superuser: use a role that owns only the "
                    "platform and tenant schemas (README: Production checklist)")


def init_app(app: Flask) -> None:
    app.before_request(_refuse_long_urls)
    app.before_request(_warn_about_forwarded_headers)
    app.after_request(_no_store)
