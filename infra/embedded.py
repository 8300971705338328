"""The embedded run behind `./run`: private PostgreSQL and Redis under var/ (unless
DATABASE_URL / REDIS_URL are given), migrations, demo data, then web + worker + dispatcher +
a local mail sink under honcho. Ctrl-C stops everything it started; the next start reuses var/.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from dotenv import dotenv_values

from infra.services import (
    PrivatePostgres,
    PrivateRedis,
    ServiceError,
    ensure_app_role,
    ensure_database,
)

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(sys.executable).parent  # the virtual environment's bin/
PROCFILE = "infra/Procfile.embedded"


def log(message: str) -> None:
    with contextlib.suppress(OSError):  # a closed terminal must not stop the cleanup
        print(f"==> {message}", flush=True)


def environment() -> dict[str, str]:
    """The process environment over `.env`: what is exported wins."""
    values = {k: v for k, v in dotenv_values(ROOT / ".env").items() if v is not None}
    return {**values, **os.environ}


def secret_key() -> str:
    """Generated on the first run and kept, so sessions survive a restart."""
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def labinov(env: dict[str, str], *args: str) -> str:
    log("labinov " + " ".join(args))
    result = subprocess.run([str(BIN / "labinov"), *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    print(result.stdout, end="", flush=True)
    if result.returncode != 0:
        raise SystemExit(f"labinov {' '.join(args)} failed (exit {result.returncode})")
    return result.stdout


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:  # an error page is still an answer
        return True
    except OSError:
        return False


def banner(url: str, demo_output: str, mail: bool, services: list[str]) -> None:
    from tenants.demo.load import DEMO_PASSWORD

    rule = "=" * 78
    lines = [rule, f"  Labinov is running at {url}", "",
             f"  Demo sign-ins, all with the password {DEMO_PASSWORD}:"]
    lines += [line for line in demo_output.splitlines() if line.startswith("  ")]
    if mail:
        lines += ["", f"  Mail is not sent anywhere: each message is saved under {VAR / 'mail'}"]
    stops = f" ({' and '.join(services)} too; their data stays in var/)" if services else ""
    lines += ["", f"  Press Ctrl-C to stop{stops}.", rule]
    print("\n".join(lines), flush=True)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def _stop(honcho: subprocess.Popen) -> None:
    """One SIGTERM: honcho stops its processes (it waits 5 s for them, then kills them)."""
    if honcho.poll() is None:
        honcho.send_signal(signal.SIGTERM)
    try:
        honcho.wait(timeout=30)
    except subprocess.TimeoutExpired:
        honcho.kill()
        honcho.wait()


def main() -> int:
    env = environment()
    host = env.get("HOST") or "127.0.0.1"
    port = int(env.get("PORT") or 5000)
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    started: list[PrivatePostgres | PrivateRedis] = []
    honcho: subprocess.Popen | None = None
    # Ctrl-C and SIGTERM both end in the cleanup below, even when started in the background
    # by a shell that set SIGINT to be ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if not env.get("DATABASE_URL"):
            pg = PrivatePostgres(VAR / "pg", int(env.get("EMBEDDED_PG_PORT") or 55432))
            log(f"PostgreSQL in var/pg on port {pg.port}"
                + ("" if pg.initialised() else " (new cluster)"))
            started.append(pg)
            if not pg.start():
                log("PostgreSQL was already running; it will be stopped on exit")
            # The app connects as a role of its own that owns its schemas, as in production.
            env["DATABASE_URL"] = ensure_app_role(pg.url("postgres"), "labinov", "labinov")
        else:
            try:
                if ensure_database(env["DATABASE_URL"]):
                    log("created the database")
            except Exception as exc:  # a managed database may not let us look
                log(f"could not check that the database exists ({exc})")
        if not env.get("REDIS_URL"):
            redis = PrivateRedis(VAR / "redis", int(env.get("EMBEDDED_REDIS_PORT") or 56379))
            log(f"Redis in var/redis on port {redis.port}")
            started.append(redis)
            redis.start()
            env["REDIS_URL"] = redis.url()
        mail = not env.get("SMTP_URL")
        if mail:
            env["SMTP_URL"] = f"smtp://127.0.0.1:{env.get('EMBEDDED_SMTP_PORT') or 1025}"
            env["MAIL_DIR"] = str(VAR / "mail")
        env.setdefault("SECRET_KEY", secret_key())
        env.setdefault("STORAGE_DIR", str(VAR / "storage"))
        env.setdefault("BASE_URL", url)
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONUNBUFFERED"] = "1"  # log lines appear as they happen

        labinov(env, "db", "upgrade")
        labinov(env, "tenants", "migrate", "--quiet")
        demo = labinov(env, "demo", "load")

        log("starting web, worker, cron" + (", mail" if mail else ""))
        honcho = subprocess.Popen(
            [str(BIN / "honcho"), "start", "--procfile", PROCFILE, "--env", "/dev/null",
             "--port", str(port), "web", "worker", "cron", *(["mail"] if mail else [])],
            cwd=ROOT, env=env, start_new_session=True)  # signals reach it through us only
        deadline = time.monotonic() + 60
        while honcho.poll() is None and not answers(url + "/"):
            if time.monotonic() > deadline:
                raise SystemExit(f"the web server did not answer at {url} within 60 s")
            time.sleep(0.3)
        if honcho.poll() is None:
            banner(url, demo, mail, [service.name for service in started])
        return honcho.wait()
    except KeyboardInterrupt:
        return 0
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if honcho is not None:
            _stop(honcho)
        for service in reversed(started):
            log(f"stopping {service.name}")
            try:
                service.stop()
            except Exception as exc:  # still stop the others
                print(f"could not stop {service.name}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
