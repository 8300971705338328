"""Configuration comes from the environment; production refuses a missing or default secret."""

from __future__ import annotations

import subprocess

import pytest

from fixtures.services import LABINOV
from tenants.config import DEV_SECRET, ConfigError, Settings

GOOD_SECRET = "x" * 40


@pytest.fixture
def env(monkeypatch):
    for name in ("LABINOV_ENV", "SECRET_KEY", "DATABASE_URL", "DEFAULT_LOCALE", "BASE_URL",
                 "HOST"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("secret", [None, "", DEV_SECRET, "too-short"])
def test_production_refuses_a_missing_default_or_weak_secret(env, secret):
    env.setenv("LABINOV_ENV", "production")
    if secret is not None:
        env.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env()


def test_production_starts_with_a_real_secret_and_development_without_one(env):
    env.setenv("LABINOV_ENV", "production")
    env.setenv("SECRET_KEY", GOOD_SECRET)
    env.setenv("BASE_URL", "https://labinov.lan.go.id")
    assert Settings.from_env().production
    env.setenv("LABINOV_ENV", "development")
    env.delenv("SECRET_KEY")
    assert Settings.from_env().secret_key == DEV_SECRET


def test_database_urls_from_hosting_providers_are_accepted(env):
    env.setenv("DATABASE_URL", "postgres://lab:pw@db.internal:5432/labinov")
    assert Settings.from_env().database_url == \
        "postgresql+psycopg://lab:pw@db.internal:5432/labinov"


def test_an_unknown_default_language_is_refused(env):
    env.setenv("DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        Settings.from_env()


def test_the_command_refuses_to_start_in_production_without_a_secret(service_env):
    environment = {**service_env, "LABINOV_ENV": "production", "SECRET_KEY": DEV_SECRET}
    result = subprocess.run([str(LABINOV), "tenants", "list"], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_forwarded_headers_count_only_behind_trusted_proxies(settings):
    from dataclasses import replace

    from flask import request

    from web import create_app

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    for proxies, address, scheme in ((0, "127.0.0.1", "http"), (1, "203.0.113.9", "https")):
        app = create_app(replace(settings, trusted_proxies=proxies))
        with app.test_client() as client:
            client.get("/", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
            assert (request.remote_addr, request.scheme) == (address, scheme)
