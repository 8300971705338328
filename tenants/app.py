"""The Flask application core shared by the web tier, the worker and the CLI."""

from __future__ import annotations

import logging

from flask import Flask
from flask.logging import default_handler

import tenants.models  # noqa: F401 - every model, mapped before the first query
from tenants.config import Settings
from tenants.db import cap_tenants_per_connection, db
from tenants.locale import init_babel
from tenants.logs import FORMAT as LOG_FORMAT
from tenants.logs import install_record_factory


def create_core_app(settings: Settings | None = None, import_name: str = "tenants",
                    locale_selector=None, timezone_selector=None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(import_name)
    app.config.update(
        LABINOV=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        # Each backend caches the catalog of every tenant schema it has served, so a pooled
        # connection grows with the tenants it meets; recycling by age and by the number of
        # tenants served (DB_CONNECTION_MAX_TENANTS) bounds that (bench/backend_memory.py).
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10,
                                   "pool_recycle": settings.db_pool_recycle,
                                   "connect_args": settings.connect_args},
    )
    install_record_factory()
    default_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            cap_tenants_per_connection(engine, settings.db_connection_max_tenants)
    init_babel(app, settings.default_locale, settings.default_timezone,
               locale_selector, timezone_selector)
    return app
