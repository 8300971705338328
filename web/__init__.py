"""The web tier: the app factory and one blueprint per area."""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

import jobs
from tenants.accounts.models import REMEMBER_LIFETIME
from tenants.app import create_core_app
from tenants.config import Settings
from web import (
    account,
    audit,
    auth,
    cohorts,
    errors,
    files,
    hardening,
    i18n,
    lab,
    labels,
    lan,
    members,
    onboarding,
    ops,
    public,
    reminders,
    tenancy,
    units,
)
from web.audit import labels as audit_labels
from web.extensions import CSP, csrf, limiter, login_manager

# Every blueprint, in one place: a feature's pages exist because they are listed here.
BLUEPRINTS = (public.bp, auth.bp, account.bp, files.bp, i18n.bp, lan.bp, onboarding.bp,
              members.bp, audit.bp, lab.bp, units.bp, cohorts.bp, reminders.bp,
              reminders.lan_bp, ops.bp)


def create_app(settings: Settings | None = None) -> Flask:
    app = create_core_app(settings, import_name=__name__,
                          locale_selector=i18n.select_locale,
                          timezone_selector=i18n.select_timezone)
    s = app.config["LABINOV"]
    app.config.update(
        SESSION_COOKIE_NAME="labinov_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=s.production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=s.production,
        REMEMBER_COOKIE_DURATION=REMEMBER_LIFETIME,
        # Room for a file over the upload limit, so that the form comes back with what was
        # typed and the file's own error; beyond this the request is not read at all (413).
        MAX_CONTENT_LENGTH=5 * s.upload_max_bytes,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead of a clock
        RATELIMIT_STORAGE_URI=s.redis_url,
        RATELIMIT_HEADERS_ENABLED=True,
        # In production only the public host name is answered (Host header attacks).
        TRUSTED_HOSTS=[s.base_host] if s.production else None,
    )
    if s.trusted_proxies:  # rate limits, audit entries and HTTPS checks need the real client
        n = s.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    jobs.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    # One Talisman per app: it keeps its options on itself, and tests build apps side by side.
    app.extensions["talisman"] = Talisman(
        app, content_security_policy=CSP, force_https=s.production,
        session_cookie_secure=s.production, strict_transport_security=s.production,
        referrer_policy="same-origin", frame_options="DENY")
    hardening.init_app(app)
    auth.init_app(app)
    tenancy.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    labels.init_app(app)
    audit_labels.init_app(app)
    cohorts.freshness.init_app(app)  # a lab's writes queue the recount of LAN's summary
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    ops.init_app(app)  # /healthz, /readyz, /metrics in front of everything above
    if s.env != "test":
        hardening.warn_if_superuser(app)
    return app
