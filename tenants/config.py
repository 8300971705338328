"""Settings from the environment (documented in `.env.example`)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app

DEV_SECRET = "dev-only-not-secret"
LOCALES = ("id", "en")  # Indonesian first


class ConfigError(RuntimeError):
    pass


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = DEV_SECRET
    database_url: str = "postgresql+psycopg://labinov@127.0.0.1:5432/labinov"
    redis_url: str = "redis://127.0.0.1:6379/0"
    base_url: str = "http://127.0.0.1:5000"
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_bucket: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    storage_dir: str = "var/storage"
    smtp_url: str = "smtp://127.0.0.1:1025"
    mail_sender: str = "Labinov <noreply@labinov.local>"
    default_locale: str = "id"
    default_timezone: str = "Asia/Jakarta"
    upload_max_bytes: int = 10 * 1024 * 1024
    trusted_proxies: int = 0
    host: str = "127.0.0.1"  # where the web process listens (the Procfile's HOST)
    db_pool_recycle: int = 1800  # seconds a pooled connection lives (see README: Operations)
    # Tenants a pooled connection may serve before it is replaced: each backend keeps the
    # catalog of every schema it has served (bench/backend_memory.py). 0: no limit.
    db_connection_max_tenants: int = 100
    metrics_token: str = ""  # the bearer token /metrics asks for; empty: no /metrics
    # Off behind PgBouncer in transaction mode: a server-side prepared statement lives on one
    # server connection, and the next transaction may get another (infra/pgbouncer/).
    db_prepared_statements: bool = True
    # pg_dump / pg_restore (tenant backups) need a session of their own: PostgreSQL itself,
    # not the pooler. Empty: DATABASE_URL.
    database_direct_url: str = ""

    @property
    def direct_database_url(self) -> str:
        return self.database_direct_url or self.database_url

    @property
    def connect_args(self) -> dict:
        """psycopg's connection arguments: prepare_threshold=None never prepares."""
        return {} if self.db_prepared_statements else {"prepare_threshold": None}

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def base_host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @classmethod
    def from_env(cls) -> Settings:
        s = cls(
            env=_env("LABINOV_ENV", "development"),
            secret_key=_env("SECRET_KEY", DEV_SECRET),
            database_url=_normalise_db_url(_env("DATABASE_URL", cls.database_url)),
            redis_url=_env("REDIS_URL", cls.redis_url),
            base_url=_env("BASE_URL", cls.base_url).rstrip("/"),
            s3_endpoint_url=_env("S3_ENDPOINT_URL"),
            s3_region=_env("S3_REGION", cls.s3_region),
            s3_bucket=_env("S3_BUCKET"),
            s3_access_key_id=_env("S3_ACCESS_KEY_ID"),
            s3_secret_access_key=_env("S3_SECRET_ACCESS_KEY"),
            storage_dir=_env("STORAGE_DIR", cls.storage_dir),
            smtp_url=_env("SMTP_URL", cls.smtp_url),
            mail_sender=_env("MAIL_SENDER", cls.mail_sender),
            default_locale=_env("DEFAULT_LOCALE", cls.default_locale),
            default_timezone=_env("DEFAULT_TIMEZONE", cls.default_timezone),
            upload_max_bytes=int(_env("UPLOAD_MAX_BYTES", str(cls.upload_max_bytes))),
            trusted_proxies=int(_env("TRUSTED_PROXIES", "0")),
            host=_env("HOST", cls.host),
            db_pool_recycle=int(_env("DB_POOL_RECYCLE", str(cls.db_pool_recycle))),
            db_connection_max_tenants=int(_env("DB_CONNECTION_MAX_TENANTS",
                                               str(cls.db_connection_max_tenants))),
            metrics_token=_env("METRICS_TOKEN"),
            db_prepared_statements=_env("DB_PREPARED_STATEMENTS", "1").lower()
            not in ("0", "off", "false", "no"),
            database_direct_url=_normalise_db_url(_env("DATABASE_DIRECT_URL")),
        )
        s.validate()
        return s

    def validate(self) -> None:
        """Refuse what would leave a deployment open when one variable is forgotten."""
        dev_secret = not self.secret_key or self.secret_key == DEV_SECRET
        if self.production and (dev_secret or len(self.secret_key) < 32):
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "when LABINOV_ENV=production")
        if dev_secret and not is_loopback(self.host):
            raise ConfigError(
                f"HOST={self.host} is reachable from other machines, but SECRET_KEY is the "
                "public development value: set SECRET_KEY (and LABINOV_ENV=production)")
        if self.production and not self.base_url.startswith("https://"):
            raise ConfigError("BASE_URL must be an https:// address when LABINOV_ENV=production")
        if self.default_locale not in LOCALES:
            raise ConfigError(f"DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
        if self.metrics_token and len(self.metrics_token) < 24:
            raise ConfigError("METRICS_TOKEN must be at least 24 characters (or empty)")
        if self.db_pool_recycle <= 0:
            raise ConfigError("DB_POOL_RECYCLE must be a number of seconds above 0")
        if self.db_connection_max_tenants < 0:
            raise ConfigError("DB_CONNECTION_MAX_TENANTS must be 0 (no limit) or more")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _normalise_db_url(url: str) -> str:
    # Accept the libpq-style URL that hosting providers hand out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def settings_of(app: Flask | None = None) -> Settings:
    """The settings an app was built with (default: the current app's)."""
    return (app or current_app).config["LABINOV"]
