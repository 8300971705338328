"""Backup and restore of one tenant with 2,000 ideas, through the real `labinov` command.

    .venv/bin/python bench/backup.py

Creates the database `labinov_bench_backup` on the server named by BENCH_DATABASE_URL
(default 127.0.0.1:5432, user postgres; the app connects as the role `labinov_bench`),
fills one lab (Kabupaten Probolinggo) with 40 units, 2,000 ideas, 6,000 idea events, 4,000
comments and 200 stored files of 50 KB, then times `labinov tenants backup`, `drop` and
`labinov tenants restore` as an operator runs them (a fresh process each, app import
included), checks that rows and files came back, and drops the database.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from infra.services import ensure_app_role  # noqa: E402
from tenants.app import create_core_app  # noqa: E402
from tenants.cohorts.models import Cohort  # noqa: E402
from tenants.config import Settings  # noqa: E402
from tenants.db import db  # noqa: E402
from tenants.lab.models import Comment, Idea, IdeaEvent  # noqa: E402
from tenants.migrate import upgrade_platform  # noqa: E402
from tenants.onboarding.operations import create_active  # noqa: E402
from tenants.ops.backup import table_counts  # noqa: E402
from tenants.regions.operations import load_regions  # noqa: E402
from tenants.scope import tenant_session  # noqa: E402
from tenants.storage import make_storage, tenant_key, tenant_prefixes  # noqa: E402
from tenants.units.models import Unit  # noqa: E402

DATABASE = "labinov_bench_backup"
ROLE = "labinov_bench"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LABINOV = Path(sys.executable).with_name("labinov")
IDEAS, UNITS, FILES, FILE_BYTES = 2000, 40, 200, 50_000
TARGET_SECONDS = 10.0
TEXT = ("Pelayanan kesehatan ibu dan anak di wilayah pesisir belum menjangkau keluarga "
        "nelayan yang berangkat melaut sebelum subuh. ") * 6


def fill(settings: Settings) -> tuple[int, str]:
    app = create_core_app(settings)
    with app.app_context():
        upgrade_platform(db.engine)
        load_regions(db.session)
        cohort = Cohort(name="Laboratorium Inovasi 2026", year=2026)
        db.session.add(cohort)
        tenant = create_active(db.session, "35.13")
        db.session.commit()
        ref, cohort_id = tenant.ref(), cohort.id
        db.session.close()
        rnd = random.Random(7)
        with tenant_session(ref) as session:
            units = [Unit(name=f"Unit {n:02d}", kind="opd") for n in range(UNITS)]
            session.add_all(units)
            session.flush()
            ideas = [Idea(cohort_id=cohort_id, unit_id=rnd.choice(units).id,
                          title=f"Inovasi {n:04d}", problem=TEXT, solution=TEXT)
                     for n in range(IDEAS)]
            session.add_all(ideas)
            session.flush()
            session.add_all(IdeaEvent(idea_id=i.id, action="created", actor_id=None)
                            for i in ideas for _ in range(3))
            session.add_all(Comment(idea_id=i.id, author_name="Pendamping LAN", body=TEXT)
                            for i in ideas for _ in range(2))
            session.commit()
        backend = make_storage(settings)
        for n in range(FILES):
            backend.put(tenant_key(ref.id, "evidence", f"{n:04d}.pdf"),
                        io.BytesIO(rnd.randbytes(FILE_BYTES)), "application/pdf")
        return ref.id, ref.schema


def sums(settings: Settings, tenant_id: int) -> dict[str, str]:
    backend = make_storage(settings)
    return {k: hashlib.sha256(backend.get(k)).hexdigest()
            for p in tenant_prefixes(tenant_id) for k in backend.keys(p)}


def run(env: dict, *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run([str(LABINOV), *args], env=env, cwd=ROOT, capture_output=True,
                            text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"labinov {' '.join(args)} failed:\n{result.stderr}")
    print(f"  $ labinov {' '.join(args)}\n    {result.stdout.strip()}", flush=True)
    return seconds


def main() -> int:
    server = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER))
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    url = ensure_app_role(server.render_as_string(hide_password=False), ROLE, DATABASE)
    storage = tempfile.mkdtemp(prefix="labinov-bench-storage-")
    settings = Settings(database_url=url, storage_dir=storage)
    env = {**os.environ, "LABINOV_ENV": "development", "DATABASE_URL": url,
           "STORAGE_DIR": storage, "S3_BUCKET": "", "REDIS_URL": "redis://127.0.0.1:1/0"}
    try:
        print(f"filling one lab: {UNITS} units, {IDEAS} ideas, {3 * IDEAS} events, "
              f"{2 * IDEAS} comments, {FILES} files of {FILE_BYTES // 1000} KB", flush=True)
        tenant_id, schema = fill(settings)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            before = table_counts(conn, schema)
        files_before = sums(settings, tenant_id)
        archive = Path(tempfile.mkdtemp(prefix="labinov-bench-")) / "probolinggo.tar"
        backup = run(env, "tenants", "backup", "kab-probolinggo", str(archive))
        run(env, "tenants", "suspend", "kab-probolinggo")
        run(env, "tenants", "drop", "kab-probolinggo", "--yes")
        restore = run(env, "tenants", "restore", str(archive))
        with engine.connect() as conn:
            after = table_counts(conn, schema)
        engine.dispose()
        same = after == before and sums(settings, tenant_id) == files_before
        size = archive.stat().st_size / 1e6
        print(f"\narchive: {size:.1f} MB; rows and files equal after the round trip: {same}")
        print(f"backup  (whole command): {backup:.2f} s   target < {TARGET_SECONDS:.0f} s")
        print(f"restore (whole command): {restore:.2f} s   target < {TARGET_SECONDS:.0f} s")
        print(f"figure: backup_2000_ideas {backup:.2f} s (target < {TARGET_SECONDS:.0f})")
        print(f"figure: restore_2000_ideas {restore:.2f} s (target < {TARGET_SECONDS:.0f})")
        return 0 if same and max(backup, restore) < TARGET_SECONDS else 1
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
