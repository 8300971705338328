"""What a deployment gets when a variable is forgotten, and what its web server writes down:
settings that fail closed, the demo kept out of production, the database role, gunicorn's
access log without link tokens, its own page for an over-long address, no shared control
socket."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from tenants.config import DEV_SECRET, ConfigError, Settings
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
LABINOV = Path(sys.executable).with_name("labinov")
GUNICORN = Path(sys.executable).with_name("gunicorn")
GOOD_SECRET = "s" * 48


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_the_development_secret_is_refused_off_loopback(host):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings(host=host).validate()


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_the_development_secret_is_fine_on_loopback(host):
    Settings(host=host, secret_key=DEV_SECRET).validate()


def test_production_needs_an_https_base_url():
    with pytest.raises(ConfigError, match="BASE_URL"):
        Settings(env="production", secret_key=GOOD_SECRET, base_url="http://lab.go.id").validate()
    Settings(env="production", secret_key=GOOD_SECRET, base_url="https://lab.go.id").validate()


def test_production_answers_only_its_own_host_name(settings, ctx):
    app = create_app(replace(settings, env="production", secret_key=GOOD_SECRET,
                             base_url="https://labinov.lan.go.id"))
    app.config.update(TESTING=True)
    browser = app.test_client()
    assert browser.get("/", base_url="https://labinov.lan.go.id").status_code == 200
    assert browser.get("/", base_url="https://evil.example").status_code == 400


def test_the_demo_is_refused_in_production(service_env):
    env = {**service_env, "LABINOV_ENV": "production", "SECRET_KEY": GOOD_SECRET,
           "BASE_URL": "https://labinov.lan.go.id"}
    result = subprocess.run([str(LABINOV), "demo", "load"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "refused" in result.stderr


def test_a_superuser_connection_is_warned_about(settings, ctx, caplog, admin_database_url):
    superuser = replace(settings, env="development", database_url=admin_database_url)
    with caplog.at_level(logging.WARNING, logger="web.hardening"):
        create_app(superuser)
    superuser_warned = any("superuser" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="web.hardening"):
        create_app(replace(settings, env="development"))
    app_role_warned = any("superuser" in r.getMessage() for r in caplog.records)
    assert superuser_warned and not app_role_warned


@pytest.fixture
def gunicorn(service_env):
    """The Procfile's web process (infra/gunicorn.conf.py) on a free port, with a home of
    its own so that a control socket would show."""
    port = _free_port()
    home = Path(tempfile.mkdtemp(prefix="labinov-home-"))
    log = home / "access.log"
    env = {**service_env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1",
           "HOME": str(home), "XDG_RUNTIME_DIR": str(home)}
    with log.open("wb") as out:
        proc = subprocess.Popen([str(GUNICORN), "--config", "infra/gunicorn.conf.py",
                                 "web:create_app()"], env=env, cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", log, home
        proc.terminate()
        proc.wait(timeout=15)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_access_log_never_holds_a_link_token(gunicorn):
    base, log, _home = gunicorn
    invitation, reset = "Inv1tat10nT0kenXyz", "Res3tT0kenAbc123"
    _get(f"{base}/auth/invitation/{invitation}")
    _get(f"{base}/auth/reset/{reset}?utm=x")
    time.sleep(0.5)
    written = log.read_text(errors="replace")
    assert "/auth/invitation/…" in written and "/auth/reset/…" in written
    assert invitation not in written and reset not in written


def test_an_over_long_address_gets_the_apps_own_page_through_gunicorn(gunicorn):
    base, _log, _home = gunicorn
    status, page = _get(f"{base}/lan/regions?q=" + "x" * 10_000)
    assert status == 414 and "Alamat terlalu panjang" in page and "<html" in page


def test_gunicorn_opens_no_control_socket(gunicorn):
    base, _log, home = gunicorn
    assert _get(f"{base}/")[0] == 200
    assert not list(home.rglob("*.ctl")) and not list(home.rglob("gunicorn*.sock"))
