"""Private PostgreSQL and Redis servers, run from the installed Debian binaries with their data
in a directory of the project (the embedded run, `./test`, tests/core/test_embedded.py).

Both run detached from the caller's process group, so that Ctrl-C reaches the application
first and the servers are stopped afterwards, in order, by whoever started them.

    python -m infra.services postgres start var/test-pg --port 55433 --fast
    python -m infra.services postgres stop var/test-pg
    python -m infra.services answers postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PG_SUPERUSER = "postgres"


class ServiceError(RuntimeError):
    pass


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise ServiceError(f"{what} after {timeout:.0f} s")


def pg_bindir() -> Path:
    """The newest installed PostgreSQL's bin directory (Debian keeps it off PATH)."""
    versions = sorted((p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise ServiceError("PostgreSQL is not installed (apt-get install postgresql)")


class PrivatePostgres:
    """A PostgreSQL cluster in `root/data`, socket in `root/run`, log in `root/server.log`.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres`
    system user and every command runs as that user.
    """

    name = "PostgreSQL"

    def __init__(self, root: Path | str, port: int = 55432, fast: bool = False):
        self.root = Path(root).resolve()
        self.port = port
        self.fast = fast  # durability traded for speed: test clusters only
        self.data = self.root / "data"
        self.sockets = self.root / "run"
        self.log = self.root / "server.log"
        self.bindir = pg_bindir()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _as_owner(self, argv: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return argv
        return ["runuser", "-u", PG_SUPERUSER, "--", *argv]

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(self._as_owner([str(self.bindir / argv[0]), *argv[1:]]),
                              cwd=self.root, capture_output=True, text=True, check=check,
                              start_new_session=True)

    def _prepare(self) -> None:
        for path in (self.root, self.sockets):
            path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self._give(self.root, self.sockets, *self.root.glob("*"))
            probe = subprocess.run(self._as_owner(["test", "-w", str(self.root)]), check=False)
            if probe.returncode != 0:
                raise ServiceError(f"the postgres user cannot write to {self.root}; put the "
                                   "project in a directory every user may traverse")

    def _give(self, *paths: Path) -> None:
        """Hand paths to the postgres user (as root)."""
        try:
            owner = pwd.getpwnam(PG_SUPERUSER)
        except KeyError:
            raise ServiceError("there is no 'postgres' system user to run PostgreSQL as "
                               "(apt-get install postgresql creates it)") from None
        for path in paths:
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def running(self) -> bool:
        return self.initialised() and self._run("pg_ctl", "status", "-D", str(self.data),
                                                check=False).returncode == 0

    def _write_config(self) -> None:
        settings = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.sockets}'",
            "max_connections": 200,
            "max_locks_per_transaction": 256,  # one transaction may drop hundreds of schemas
        }
        if self.fast:
            # A test run drops every tenant schema (dozens of tables each) in one
            # transaction between tests, and durability buys nothing there.
            settings.update(fsync="off", synchronous_commit="off", full_page_writes="off",
                            max_locks_per_transaction=2048)
        lines = [f"{key} = {value}" for key, value in settings.items()]
        conf = self.data / "labinov.conf"
        conf.write_text("# Written on every start.\n" + "\n".join(lines) + "\n")
        if os.geteuid() == 0:
            self._give(conf)

    def start(self) -> bool:
        """Create the cluster if needed and start it; False if it was already running."""
        self._prepare()
        if not self.initialised():
            result = self._run("initdb", "-D", str(self.data), "-U", PG_SUPERUSER, "-A", "trust",
                               "-E", "UTF8", "--locale=C", check=False)
            if result.returncode != 0:
                raise ServiceError(f"initdb failed:\n{result.stdout}{result.stderr}")
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.write("\ninclude_if_exists = 'labinov.conf'\n")
        if self.running():
            return False
        self._write_config()
        result = self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                           "-l", str(self.log), check=False)
        if result.returncode != 0:
            raise ServiceError(f"PostgreSQL did not start (port {self.port}):\n"
                               f"{result.stderr}{_tail(self.log)}")
        return True

    def stop(self) -> None:
        if self.running():
            self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.data))

    def ensure_database(self, name: str) -> bool:
        """Create database `name` if missing; True if it was created."""
        return ensure_database(self.url(name))


def ensure_database(url: str) -> bool:
    import psycopg
    from psycopg import sql

    dsn, name = _libpq(url)
    with psycopg.connect(dsn + "/postgres", autocommit=True, connect_timeout=10) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def ensure_app_role(admin_url: str, role: str, database: str) -> str:
    """A login role that is not a superuser, owning `database` and everything Labinov keeps
    in it (the platform schema and every tenant schema); returns its URL.

    Run with an administrative connection (`admin_url`: a superuser on a private or test
    server). Objects made earlier by another role are handed over, so an existing database
    keeps working after the switch. Local connections use trust authentication here; a
    production role gets a password (README: Production).
    """
    import psycopg
    from psycopg import sql

    dsn, _name = _libpq(admin_url)
    ident = sql.Identifier(role)
    with psycopg.connect(dsn + "/postgres", autocommit=True, connect_timeout=10) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
                         .format(ident))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                        (database,)).fetchone():
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}")
                         .format(sql.Identifier(database), ident))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}")
                         .format(sql.Identifier(database), ident))
    with psycopg.connect(f"{dsn}/{database}", autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL(HAND_OVER).format(role=sql.Literal(role)))
    server = dsn.split("://", 1)[1].split("@", 1)[-1]
    return f"postgresql+psycopg://{role}@{server}/{database}"


# Every schema of Labinov's, and what is in it, to the application role ({role}: a literal).
HAND_OVER = r"""
DO $$
DECLARE r record; target text := {role};
BEGIN
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE (nspname = 'platform' OR nspname LIKE 't\_%')
             AND pg_get_userbyid(nspowner) <> target LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, target);
  END LOOP;
  FOR r IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE (n.nspname = 'platform' OR n.nspname LIKE 't\_%')
             AND c.relkind IN ('r', 'p', 'v', 'm')
             AND pg_get_userbyid(c.relowner) <> target LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I',
                   CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  ELSE 'TABLE' END,
                   r.nspname, r.relname, target);
  END LOOP;
  -- Sequences that belong to a column followed their table; the others go now.
  FOR r IN SELECT n.nspname, c.relname FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE (n.nspname = 'platform' OR n.nspname LIKE 't\_%')
             AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> target LOOP
    EXECUTE format('ALTER SEQUENCE %I.%I OWNER TO %I', r.nspname, r.relname, target);
  END LOOP;
  FOR r IN SELECT n.nspname, t.typname FROM pg_type t
           JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE (n.nspname = 'platform' OR n.nspname LIKE 't\_%')
             AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> target LOOP
    EXECUTE format('ALTER TYPE %I.%I OWNER TO %I', r.nspname, r.typname, target);
  END LOOP;
END $$;
"""


def _libpq(url: str) -> tuple[str, str]:
    """'postgresql+psycopg://u@h:p/db' -> ('postgresql://u@h:p', 'db')."""
    rest = url.split("://", 1)[1]
    server, _, name = rest.partition("/")
    return "postgresql://" + server, name.split("?", 1)[0] or "postgres"


def postgres_answers(url: str) -> bool:
    """True if a PostgreSQL at `url` accepts a connection (not merely an open port)."""
    import psycopg

    dsn, name = _libpq(url)
    try:
        with psycopg.connect(f"{dsn}/{name}", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def redis_ping(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    """A redis-server with its append-only file and log in `root`."""

    name = "Redis"

    def __init__(self, root: Path | str, port: int = 56379):
        self.root = Path(root).resolve()
        self.port = port
        self.pidfile = self.root / "redis.pid"
        self.log = self.root / "redis.log"

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def running(self) -> bool:
        return self._pid() is not None and redis_ping(self.port)

    def start(self) -> bool:
        """Start the server (daemonised, so in a session of its own); False if already up."""
        if self.running():
            return False
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceError("redis-server is not installed (apt-get install redis-server)")
        self.root.mkdir(parents=True, exist_ok=True)
        subprocess.run([binary, "--port", str(self.port), "--bind", "127.0.0.1",
                        "--dir", str(self.root), "--daemonize", "yes",
                        "--pidfile", str(self.pidfile), "--logfile", str(self.log),
                        "--appendonly", "yes", "--save", "300 1"], check=True)
        try:
            _wait(lambda: redis_ping(self.port), 30, "redis-server did not answer")
        except ServiceError as exc:
            raise ServiceError(f"{exc} (port {self.port}):\n{_tail(self.log)}") from None
        return True

    def stop(self) -> None:
        pid = self._pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)  # redis saves its data before it exits

        def gone() -> bool:
            try:
                os.kill(pid, 0)
                return False
            except OSError:
                return True

        _wait(gone, 30, "redis-server did not stop")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.services")
    sub = parser.add_subparsers(dest="command", required=True)
    pg = sub.add_parser("postgres", help="start or stop a private PostgreSQL")
    pg.add_argument("action", choices=["start", "stop"])
    pg.add_argument("root", type=Path)
    pg.add_argument("--port", type=int, default=55432)
    pg.add_argument("--fast", action="store_true", help="no fsync (test clusters)")
    answers = sub.add_parser("answers", help="exit 0 if the PostgreSQL at URL accepts us")
    answers.add_argument("url")
    args = parser.parse_args(argv)

    if args.command == "answers":
        return 0 if postgres_answers(args.url) else 1
    server = PrivatePostgres(args.root, args.port, fast=args.fast)
    try:
        if args.action == "start":
            server.start()
            print(server.url())
        else:
            server.stop()
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
