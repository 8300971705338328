"""Faults against real processes: PostgreSQL restarted under load behind the real gunicorn
app (the app's own 503 page while it is down, recovery without restarting the app), and
Redis down (pages that need no queue keep working, readiness says which check fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fixtures.services import LABINOV, ROOT, free_port, wait_for_port
from infra.services import PrivatePostgres, ensure_app_role

GUNICORN = Path(LABINOV).with_name("gunicorn")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def own_postgres():
    """A PostgreSQL of this test's own, so that it can be restarted."""
    root = ROOT / "var" / f"fault-pg-{os.getpid()}"
    server = PrivatePostgres(root, port=free_port(), fast=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_postgres_restarted_under_load(own_postgres, service_env):
    url = ensure_app_role(own_postgres.url(), "labinov_fault", "labinov_fault")
    port = free_port()
    env = {**service_env, "DATABASE_URL": url, "HOST": "127.0.0.1", "PORT": str(port),
           "WEB_WORKERS": "1", "BASE_URL": f"http://127.0.0.1:{port}"}
    for command in (["db", "upgrade"], ["tenants", "create", "35.13"]):
        subprocess.run([str(LABINOV), *command], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=120)
    log = own_postgres.root / "gunicorn.log"
    with log.open("wb") as out:
        app = subprocess.Popen([str(GUNICORN), "--config", "infra/gunicorn.conf.py",
                                "web:create_app()"], env=env, cwd=ROOT, stdout=out,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    seen: list[tuple[float, str, int, str]] = []
    stop = threading.Event()

    def load(path: str) -> None:
        while not stop.is_set():
            status, body = _get(base + path)
            seen.append((time.monotonic(), path, status, body))
            time.sleep(0.02)

    try:
        wait_for_port(port, 30)
        assert _get(base + "/")[0] == 200
        pool = [threading.Thread(target=load, args=(path,))
                for path in ("/", "/kab-probolinggo/", "/", "/readyz")]
        for t in pool:
            t.start()
        time.sleep(1)
        down_at = time.monotonic()
        own_postgres.stop()
        time.sleep(2)
        during = [s for s in seen if s[0] > down_at + 0.5]
        own_postgres.start()
        up_at = time.monotonic()
        deadline = up_at + 30
        recovered_at = None
        while time.monotonic() < deadline:  # recovered: every path answers as before
            recent = [s for s in seen if s[0] > time.monotonic() - 1]
            if recent and all(s[2] in (200, 302) for s in recent):
                recovered_at = time.monotonic()
                break
            time.sleep(0.2)
        time.sleep(2)  # and stays so
        stop.set()
        for t in pool:
            t.join()
        assert app.poll() is None  # the same app, never restarted
    finally:
        stop.set()
        app.terminate()
        app.wait(timeout=15)
    assert during, "no request was made while PostgreSQL was down"
    for _, path, status, body in during:
        if path == "/readyz":
            assert status == 503 and '"database": "fail"' in body
        else:
            assert status == 503, (path, status, body[:300])
            assert "<html" in body and "Belum dapat dilakukan saat ini" in body, body[:500]
    assert recovered_at is not None and recovered_at - up_at < 10, "no recovery"
    after = [s for s in seen if s[0] > recovered_at]
    assert len(after) > 20 and all(s[2] in (200, 302) for s in after), [
        (p, st) for _, p, st, _ in after if st not in (200, 302)]
    # Nothing went unhandled (Flask logs "Exception on <path>" for a 500).
    assert "Exception on " not in log.read_text(errors="replace")


def _down_app(settings, **changes):
    from dataclasses import replace

    from web import create_app

    app = create_app(replace(settings, **changes))
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return app


def test_a_signed_in_page_gets_the_503_page_when_the_database_is_gone(settings, client, world):
    from fixtures.app import sign_in, text_of

    sign_in(client, world.users["bappeda_a"])
    cookie = client.get_cookie("labinov_session").value
    down = _down_app(settings, database_url=f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x")
    browser = down.test_client()
    browser.set_cookie("labinov_session", cookie)
    for path in (f"/{world.a.slug}/", "/account/", "/"):
        response = browser.get(path)
        assert response.status_code == 503, path
        assert "Belum dapat dilakukan saat ini" in text_of(response)


def test_with_redis_down_pages_work_and_sign_in_is_refused_clearly(settings, client, world):
    from fixtures.app import PASSWORD, sign_in, text_of
    from web.extensions import limiter

    sign_in(client, world.users["lan_admin"])
    cookie = client.get_cookie("labinov_session").value
    down = _down_app(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    down.config.update(RATELIMIT_ENABLED=True)
    limiter.enabled = True  # the sign-in limits are what is tested here
    try:
        signed_in = down.test_client()
        signed_in.set_cookie("labinov_session", cookie)
        for path in ("/", "/lan/", f"/{world.a.slug}/", "/lan/people/"):
            assert signed_in.get(path).status_code == 200, path
        # Sign-in counts every attempt in Redis first: without Redis it is refused (fails
        # closed), on the app's own page, and no session is made.
        anonymous = down.test_client()
        refused = anonymous.post("/auth/sign-in", data={
            "email": world.users["bappeda_a"].email, "password": PASSWORD})
        assert refused.status_code == 503
        assert "Belum dapat dilakukan saat ini" in text_of(refused)
        assert anonymous.get_cookie("labinov_session") is None or anonymous.get(
            "/account/").status_code == 302
        ready = anonymous.get("/readyz").get_json()
        assert ready["checks"]["redis"] == "fail" and ready["checks"]["database"] == "ok"
    finally:
        limiter.enabled = False
