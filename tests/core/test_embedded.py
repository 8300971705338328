"""The embedded run's pieces: private PostgreSQL and Redis keep their data across restarts,
the mail sink saves what it receives, the embedded Procfile runs what ./Procfile runs."""

from __future__ import annotations

import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import psycopg
import pytest
from redis import Redis

from fixtures.services import ROOT, free_port, wait_for_port
from infra.services import PrivatePostgres, PrivateRedis, ensure_database


@pytest.fixture
def service_dir():
    # Not tmp_path: as root the cluster belongs to the postgres user, who cannot enter
    # pytest's private temporary directory.
    path = Path(tempfile.mkdtemp(prefix="labinov-services-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_private_postgres_and_redis_keep_their_data_across_a_restart(service_dir):
    pg = PrivatePostgres(service_dir / "pg", port=free_port(), fast=True)
    redis = PrivateRedis(service_dir / "redis", port=free_port())
    try:
        assert pg.start() and redis.start()
        assert not pg.start()  # already running: reused
        assert ensure_database(pg.url("labinov")) and not ensure_database(pg.url("labinov"))
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{pg.port}/labinov") as conn:
            conn.execute("CREATE TABLE idea (name text)")
            conn.execute("INSERT INTO idea VALUES ('Si Kepho')")
        Redis.from_url(redis.url()).set("labinov:probe", "Inol Aja")

        pg.stop()
        redis.stop()
        assert not pg.running() and not redis.running()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(f"postgresql://postgres@127.0.0.1:{pg.port}/labinov",
                            connect_timeout=2)

        assert pg.start() and redis.start()
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{pg.port}/labinov") as conn:
            assert conn.execute("SELECT name FROM idea").fetchall() == [("Si Kepho",)]
        assert Redis.from_url(redis.url()).get("labinov:probe") == b"Inol Aja"
    finally:
        pg.stop()
        redis.stop()
    assert not pg.running() and not redis.running()


def test_mail_sink_saves_each_message_and_logs_it(tmp_path):
    port = free_port()
    env = {**os.environ, "SMTP_URL": f"smtp://127.0.0.1:{port}", "MAIL_DIR": str(tmp_path)}
    sink = subprocess.Popen([sys.executable, "infra/mailsink.py"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port)
        message = EmailMessage()
        message["From"] = "noreply@labinov.local"
        message["To"] = "bappeda@kab-tuban.example"
        message["Subject"] = "Undangan launching inovasi"
        message.set_content("Kamis, 3 Mei 2018.")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        [saved] = tmp_path.glob("*.eml")
        assert b"Subject: Undangan launching inovasi" in saved.read_bytes()
    finally:
        sink.send_signal(signal.SIGTERM)
        output, _ = sink.communicate(timeout=10)
    assert sink.returncode == 0, output
    assert "mail to bappeda@kab-tuban.example: Undangan launching inovasi" in output


def test_embedded_procfile_runs_every_process_of_the_procfile_unchanged():
    def processes(path: Path) -> dict[str, str]:
        lines = path.read_text().splitlines()
        return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))

    main = processes(ROOT / "Procfile")
    embedded = processes(ROOT / "infra" / "Procfile.embedded")
    assert {"web", "worker", "cron"} <= main.keys()
    assert {name: embedded.get(name) for name in main} == main
    assert set(embedded) - set(main) == {"mail"}
