"""Shared fixtures. Everything is real: PostgreSQL, Redis (a private server per run).

`TEST_DATABASE_URL` names a PostgreSQL server (any database on it); each run creates and
drops a database of its own there, so runs may overlap.
"""

from __future__ import annotations

import email.policy
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from clients import RequestClient
from sqlalchemy.engine import make_url

from infra.services import ensure_app_role
from tenants.config import Settings
from tenants.db import db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct-horse-battery"
APP_ROLE = "labinov_test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def database_url():
    server = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    name = f"labinov_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    # The app connects as a role that owns its schemas and is no superuser, as in production.
    yield ensure_app_role(server.render_as_string(hide_password=False), APP_ROLE, name)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def admin_database_url(database_url):
    """The test database as TEST_DATABASE_URL's administrative role (a superuser)."""
    server = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    return server.set(database=make_url(database_url).database).render_as_string(
        hide_password=False)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private redis-server, so that parallel runs never share queues."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (./test installs it)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def settings(database_url, redis_url, smtp_server, s3_server, tmp_path_factory) -> Settings:
    return Settings(env="test", secret_key="test-" + secrets.token_hex(16),
                    database_url=database_url, redis_url=redis_url,
                    storage_dir=str(tmp_path_factory.mktemp("storage")),
                    base_url="http://localhost",
                    smtp_url=f"smtp://127.0.0.1:{smtp_server.port}",
                    mail_sender="Labinov <noreply@labinov.test>",
                    s3_endpoint_url=s3_server.endpoint_url, s3_region=s3_server.region,
                    s3_bucket=s3_server.bucket, s3_access_key_id=s3_server.access_key_id,
                    s3_secret_access_key=s3_server.secret_access_key)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Build missing or stale .mo files (they are not committed), so `pytest` alone works."""
    from tenants.catalogs import compile_catalogs

    compile_catalogs()


@pytest.fixture(scope="session")
def app(settings):
    from tenants.migrate import upgrade_platform
    from tenants.regions.operations import load_regions
    from web import create_app
    from web.extensions import limiter

    app = create_app(settings)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    # The limiter reads RATELIMIT_ENABLED only inside init_app, and it is one object shared
    # by every app; a test of the limits themselves sets it back with monkeypatch.
    limiter.enabled = False
    app.test_client_class = RequestClient
    with app.app_context():
        upgrade_platform(db.engine)
        load_regions(db.session)
        db.session.commit()
    return app


PLATFORM_TABLES = ("tenant_event", "membership", "token", "invitation", "agreement",
                   "audit_entry", "ledger_entry", "agreement_reminder", "tenant", "account")


def reset_database(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        schemas = conn.execute(sa.text(
            r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\_%'")).scalars().all()
        for schema in schemas:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f"platform.{t}" for t in PLATFORM_TABLES)
                             + " RESTART IDENTITY CASCADE")


@pytest.fixture
def ctx(app, s3_server):
    """An application context on a clean database (regions loaded, no tenants, no accounts)
    and an empty bucket (ids restart at 1, so object keys would repeat)."""
    with app.app_context():
        reset_database(db.engine)
        s3_server.clear()
        yield app
        db.session.remove()


@pytest.fixture
def run_job(ctx):
    """run_job(func, *args): a job run in-process as the worker runs it, in an app context
    (and so a Session) of its own; the test's Session and its objects are left alone."""

    def run(func, *args):
        with ctx.app_context():
            try:
                return func(*args)
            finally:
                db.session.remove()

    return run


@pytest.fixture
def client(ctx):
    return ctx.test_client()


@pytest.fixture
def fresh_redis(settings):
    """Empty this run's private Redis: ids restart with every test's database, and a job left
    behind by an earlier test would otherwise stand in for this test's job."""
    from redis import Redis

    Redis.from_url(settings.redis_url).flushdb()


@pytest.fixture
def world(make_tenant, make_user):
    """Two labs with a person in every role (see tests/accounts_world.py)."""
    from accounts_world import build_world

    return build_world(make_tenant, make_user)


@pytest.fixture
def make_tenant(ctx):
    """make_tenant('35.13') -> an active, provisioned tenant (platform row)."""
    from tenants.onboarding.operations import create_active

    def make(code: str, **fields):
        tenant = create_active(db.session, code, **fields)
        db.session.commit()
        return tenant

    return make


@pytest.fixture
def make_user(ctx):
    """make_user(email, platform_role=None, memberships=[(tenant, role, unit_id)])."""
    from tenants.accounts.models import Membership, User

    def make(email=None, name="Test Person", platform_role=None, memberships=(),
             password=PASSWORD, locale=None):
        user = User(email=email or f"{uuid.uuid4().hex[:10]}@labinov.example", name=name,
                    platform_role=platform_role, locale=locale)
        user.set_password(password)
        db.session.add(user)
        for tenant, role, *unit in memberships:
            db.session.add(Membership(user=user, tenant_id=tenant.id, role=role,
                                      unit_id=unit[0] if unit else None))
        db.session.commit()
        return user

    return make


def sign_in(client, user_or_email, password=PASSWORD, follow=False):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/auth/sign-in", data={"email": email, "password": password},
                       follow_redirects=follow)


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Real services: SMTP (aiosmtpd), S3 (moto server mode), RQ worker, live server, browser ---

class ReceivedMessage(EmailMessage):
    """A message as the SMTP server received it, with its envelope."""

    mail_from: str | None = None
    rcpt_tos: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The plain-text body (the HTML one if there is no plain part)."""
        part = self.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[ReceivedMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(_class=ReceivedMessage, policy=email.policy.default).parsebytes(
            envelope.original_content or envelope.content)
        message.mail_from = envelope.mail_from
        message.rcpt_tos = tuple(envelope.rcpt_tos)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 10) -> list[ReceivedMessage]:
        """Poll until at least `count` messages arrived; returns them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} message(s) within {timeout} s, "
                             f"got {len(self.messages)}")


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox(free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port,
                            enable_SMTPUTF8=True)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    """The SMTP server's mailbox, emptied for this test."""
    smtp_server.clear()
    return smtp_server


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    region: str
    bucket: str
    access_key_id: str
    secret_access_key: str

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region,
                            aws_access_key_id=self.access_key_id,
                            aws_secret_access_key=self.secret_access_key,
                            config=Config(signature_version="s3v4",
                                          s3={"addressing_style": "path"}))

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                       Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def clear(self) -> None:
        client = self.client()
        for key in self.keys():
            client.delete_object(Bucket=self.bucket, Key=key)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 over HTTP on a free port, with one bucket (Jakarta region)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port)
    s3 = S3Server(endpoint_url=f"http://127.0.0.1:{port}", region="ap-southeast-3",
                  bucket="labinov-test", access_key_id="labinov-test",
                  secret_access_key="labinov-test-secret")
    s3.client().create_bucket(Bucket=s3.bucket, CreateBucketConfiguration={
        "LocationConstraint": s3.region})
    yield s3
    server.stop()


@pytest.fixture(scope="session")
def service_env(settings) -> dict[str, str]:
    """The environment for a subprocess (`labinov ...`) that sees what `settings` describes."""
    return {
        **os.environ,
        "LABINOV_ENV": "test",
        "SECRET_KEY": settings.secret_key,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "BASE_URL": settings.base_url,
        "SMTP_URL": settings.smtp_url,
        "MAIL_SENDER": settings.mail_sender,
        "S3_ENDPOINT_URL": settings.s3_endpoint_url,
        "S3_REGION": settings.s3_region,
        "S3_BUCKET": settings.s3_bucket,
        "S3_ACCESS_KEY_ID": settings.s3_access_key_id,
        "S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key,
        "STORAGE_DIR": settings.storage_dir,
        "DEFAULT_LOCALE": settings.default_locale,
        "DEFAULT_TIMEZONE": settings.default_timezone,
    }


LABINOV = Path(sys.executable).with_name("labinov")


class WorkerProcess:
    """A `labinov worker` subprocess with its output in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen([str(LABINOV), "worker"], env=env, cwd=ROOT,
                                     stdout=self._log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def check(self) -> None:
        if self.proc.poll() is not None:
            pytest.fail(f"labinov worker exited with {self.proc.returncode}:\n{self.output()}")

    def wait_registered(self, redis_url: str, timeout: float = 30) -> None:
        from redis import Redis
        from rq import Worker

        connection = Redis.from_url(redis_url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check()
            if any(w.pid == self.proc.pid for w in Worker.all(connection=connection)):
                return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"labinov worker did not register within {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # warm shutdown: finishes the current job
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture
def rq_worker(service_env, settings, tmp_path):
    """A real `labinov worker` on every queue for the duration of the test."""
    worker = WorkerProcess(service_env, tmp_path / "worker.log")
    worker.wait_registered(settings.redis_url)
    yield worker
    died = worker.proc.poll() is not None
    worker.stop()
    if died:
        pytest.fail(f"labinov worker died during the test "
                    f"(exit {worker.proc.returncode}):\n{worker.output()}")


@pytest.fixture
def run_worker_burst(service_env):
    """run_worker_burst(*queues) runs `labinov worker --burst` until the queues are empty."""

    def run(*queues: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([str(LABINOV), "worker", "--burst", *queues], env=service_env,
                                cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"labinov worker --burst failed:\n{result.stderr}"
        return result

    return run


@pytest.fixture(scope="session")
def live_server(app, settings):
    """The app over real HTTP in a background thread (CSRF on, rate limits off); its base URL.

    It shares the database with `ctx` / `client`, so data made there is visible here.
    """
    from werkzeug.serving import make_server

    from web import create_app

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    live = create_app(replace(settings, base_url=url))
    live.config.update(RATELIMIT_ENABLED=False)
    server = make_server("127.0.0.1", port, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=10)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (./test installs the chromium package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, live_server, **options):
    from accessibility.axe import watch

    context = browser.new_context(base_url=live_server, locale="id-ID",
                                  timezone_id="Asia/Jakarta", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch(page)  # every page it loads is checked: axe-core's WCAG A/AA rules, no sideways scroll
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop page (1280x900); `page.goto("/")` opens the live server. Each page it loads
    must pass tests/accessibility/axe.py's checks (the test errors at teardown otherwise)."""
    from accessibility.axe import report

    context, page = _page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
    report(page)


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390x844, touch), checked as `page` is."""
    from accessibility.axe import report

    context, page = _page(browser, live_server, viewport={"width": 390, "height": 844},
                          is_mobile=True, has_touch=True)
    yield page
    context.close()
    report(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/screenshots/ and return its path; the page
    as shown must pass the accessibility checks (tests/accessibility/axe.py)."""
    from accessibility.axe import assert_accessible

    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
