"""Error pages in the reader's language."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException, SecurityError

from tenants.db import db
from web.extensions import login_manager

log = logging.getLogger(__name__)


def _messages(code: int) -> tuple[str, str]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please try again.")),
        403: (_("Not allowed"), _("Your account does not have access to this page.")),
        404: (_("Page not found"), _("There is no page at this address.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        410: (_("Gone"), _("This page is no longer available.")),
        413: (_("File too large"), _("The upload is larger than the limit allowed. Nothing "
                                      "was saved: go back, choose a smaller file (for example "
                                      "a scan at 150 dpi) and send the form again.")),
        414: (_("Address too long"), _("This address is too long to be read. Go back and try "
                                       "again with fewer search words or filters.")),
        503: (_("Not available just now"),
              _("This cannot be done just now. Nothing was lost; please try again in a few "
                "minutes.")),
        429: (_("Too many attempts"),
              _("Too many attempts in a short time. Please wait a minute and try again.")),
    }.get(code, (_("Something went wrong"),
                 _("An unexpected error occurred. It has been logged; please try again.")))


def _render(error: HTTPException):
    code = error.code or 500
    if isinstance(error, SecurityError):
        # A Host header that is not ours (production's TRUSTED_HOSTS): no page of ours can
        # be built for a request to another site's name.
        return "Bad request: unknown host", 400, {"Content-Type": "text/plain; charset=utf-8"}
    if code >= 500:
        # The failed request's transaction may be broken; the page must not depend on it.
        db.session.rollback()
    title, message = _messages(code)
    return render_template("errors/error.html", title=title, message=message), code


def _csrf_failed(error: CSRFError):
    # Usually a form left open across a sign-out or a browser restart; nothing was saved.
    return render_template(
        "errors/error.html", title=_("The form has expired"),
        message=_("This form was open too long or came from another page, so nothing was "
                  "saved. Go back, reload the page and send it again.")), 400


def _database_unavailable(error: sa.exc.DBAPIError):
    """PostgreSQL restarting or out of reach: the app's own 503 page, and the next request
    starts afresh (pooled connections are checked before use: pool_pre_ping)."""
    log.warning("the database is not available: %s", " ".join(str(error.orig).split())[:200])
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        db.session.invalidate()
    # The page must not need the database: show it as to someone signed out.
    g._login_user = login_manager.anonymous_user()
    title, message = _messages(503)
    return render_template("errors/error.html", title=title, message=message), 503


def _queue_unavailable(error: RedisError):
    """Redis out of reach: what needs it (sign-in limits, queueing a job) is refused with the
    app's own page rather than done unchecked; pages that need no queue keep working."""
    log.warning("Redis is not available: %s", error)
    db.session.rollback()
    title, message = _messages(503)
    return render_template("errors/error.html", title=title, message=message), 503


def init_app(app: Flask) -> None:
    app.register_error_handler(RedisError, _queue_unavailable)
    app.register_error_handler(sa.exc.OperationalError, _database_unavailable)
    app.register_error_handler(sa.exc.InterfaceError, _database_unavailable)
    for code in (400, 403, 404, 405, 410, 413, 414, 429, 500, 503):
        app.register_error_handler(code, _render)
    app.register_error_handler(CSRFError, _csrf_failed)
