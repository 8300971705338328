"""One tenant in one archive, and back: `labinov tenants backup SLUG FILE` / `restore FILE`.

The archive is a plain tar file:

    schema.dump      pg_dump -n <schema> (custom format): every table of the lab, with its
                     alembic_version
    platform.json    the tenant's platform rows: the tenant, its history, agreements,
                     memberships, enrolments in cohorts, audit entries, and the accounts and
                     cohorts these rows and the lab's tables name
    files/<key>      every stored file of the tenant (`tenants.storage.tenant_prefixes`)
    manifest.json    written last: the SHA-256 and size of every other member, the row count
                     of every table, the revisions of both migration trees

A restore reads and checks the whole archive before it writes anything: a member missing,
added, truncated or changed, or an unknown format, is refused. It then refuses a tenant
that exists (in any state) or a schema that is there, restores the schema with pg_restore,
and in one transaction inserts the platform rows and puts ids right: accounts are matched by
email (created, without any LAN role, where missing), cohorts by name, and the tenant keeps
its id when that id is free; account, cohort and storage-key columns in the lab's tables
follow. Files are uploaded before that transaction commits; any failure removes the schema
and the uploaded files again.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tenants.accounts.models import Membership, User
from tenants.audit.models import AuditEntry
from tenants.cohorts.models import Cohort, CohortStage, Enrolment
from tenants.db import TenantModel, utcnow
from tenants.migrate import PLATFORM_SCRIPTS, script_directory, tenant_head
from tenants.onboarding.models import Agreement
from tenants.regions.models import Regency
from tenants.registry import Tenant, TenantEvent
from tenants.scope import checked_schema
from tenants.storage import Storage, guess_type, tenant_prefixes

FORMAT = "labinov-tenant-backup/1"
MANIFEST = "manifest.json"
SCHEMA = "schema.dump"
PLATFORM = "platform.json"
FILES = "files/"
_CHUNK = 1 << 20


class BackupError(RuntimeError):
    """An archive refused, or a restore that could not be done; nothing was left behind."""


# --- which columns of the lab's tables name platform rows -------------------------------------

ACCOUNT_NAMES = re.compile(r"^(?:.+_by_id|actor_id|author_id|account_id|mentions)$")
COHORT_NAMES = ("cohort_id",)


def account_columns() -> list[tuple[str, str, bool]]:
    """(table, column, is_array) of every tenant column that holds platform account ids."""
    return [(t.name, c.name, isinstance(c.type, sa.ARRAY))
            for t in TenantModel.metadata.sorted_tables for c in t.columns
            if ACCOUNT_NAMES.match(c.name) and not c.foreign_keys]


def cohort_columns() -> list[tuple[str, str]]:
    return [(t.name, c.name) for t in TenantModel.metadata.sorted_tables for c in t.columns
            if c.name in COHORT_NAMES and not c.foreign_keys]


def key_columns() -> list[tuple[str, str]]:
    """Columns that hold storage keys (`key`, `*_key`): they start with `t<tenant id>/`."""
    return [(t.name, c.name) for t in TenantModel.metadata.sorted_tables for c in t.columns
            if c.name == "key" or c.name.endswith("_key")]


# --- rows as JSON -----------------------------------------------------------------------------

def _encode(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$d": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    return value


def _decode(column: sa.Column, value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$t":
            kind = column.type.python_type
            return kind.fromisoformat(raw)
        if tag == "$d":
            return decimal.Decimal(raw)
        if tag == "$b":
            return base64.b64decode(raw)
    return value


def _rows(conn: sa.Connection, model, *where) -> list[dict]:
    table = model.__table__
    result = conn.execute(sa.select(table).where(*where).order_by(*table.primary_key))
    return [{k: _encode(v) for k, v in row._mapping.items()} for row in result]


def _values(model, row: dict, drop: Iterable[str] = ("id",)) -> dict:
    columns = model.__table__.columns
    return {name: _decode(columns[name], value) for name, value in row.items()
            if name not in drop and name in columns}


# --- PostgreSQL client programs ---------------------------------------------------------------

def _pg_program(name: str, conn: sa.Connection) -> str:
    """pg_dump / pg_restore of the server's major version when installed (Debian keeps one
    per version), else the one on PATH."""
    major = int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return found


def _pg_env(database_url: str) -> dict[str, str]:
    """libpq's environment for the app's database: no password on any command line."""
    url = make_url(database_url)
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {result.stderr.strip()[-2000:]}")


# --- backup -----------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(conn: sa.Connection, schema: str) -> dict[str, int]:
    """Rows in every table of a schema, read from the tables themselves."""
    schema = checked_schema(schema)
    tables = conn.execute(sa.text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = :s AND c.relkind IN ('r', 'p') ORDER BY c.relname"),
        {"s": schema}).scalars().all()
    if not tables:
        return {}
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM \"{schema}\".\"{t}\"" for t in tables)
    return {name: int(count) for name, count in conn.exec_driver_sql(query)}


@dataclass
class BackupResult:
    path: Path
    tables: dict[str, int]
    files: int
    bytes: int
    seconds: float


def _referenced_accounts(conn: sa.Connection, schema: str, platform: dict) -> set[int]:
    ids: set[int] = set()
    for row in platform["memberships"]:
        ids.add(row["user_id"])
    for name, column in (("events", "actor_id"), ("agreements", "created_by_id"),
                         ("audit", "actor_id"), ("enrolments", "enrolled_by_id")):
        ids.update(r[column] for r in platform[name] if r.get(column) is not None)
    for table, column, is_array in account_columns():
        if is_array:
            sql = f'SELECT DISTINCT unnest("{column}") FROM "{schema}"."{table}"'
        else:
            sql = f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}"'
        ids.update(v for v in conn.exec_driver_sql(sql).scalars() if v is not None)
    return ids


def _referenced_cohorts(conn: sa.Connection, schema: str, platform: dict) -> set[int]:
    ids = {r["cohort_id"] for r in platform["enrolments"]}
    for table, column in cohort_columns():
        ids.update(v for v in conn.exec_driver_sql(
            f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}"').scalars() if v is not None)
    return ids


def backup_tenant(engine: sa.Engine, database_url: str, backend: Storage, tenant: Tenant,
                  path: Path) -> BackupResult:
    """Write `tenant`'s archive to `path` (replaced only once complete)."""
    started = time.perf_counter()
    if tenant.schema_name is None or not tenant.is_provisioned:
        raise BackupError(f"{tenant.slug} has no schema to back up ({tenant.status})")
    schema = checked_schema(tenant.schema_name)
    tenant_id = tenant.id
    path = Path(path)
    with (tempfile.TemporaryDirectory(prefix="labinov-backup-") as tmp,
          engine.connect() as conn):
        work = Path(tmp)
        # One snapshot for the rows read here and, through its exported id, for pg_dump.
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            platform = {
                "tenant": _rows(conn, Tenant, Tenant.id == tenant_id)[0],
                "events": _rows(conn, TenantEvent, TenantEvent.tenant_id == tenant_id),
                "agreements": _rows(conn, Agreement, Agreement.tenant_id == tenant_id),
                "memberships": _rows(conn, Membership, Membership.tenant_id == tenant_id),
                "enrolments": _rows(conn, Enrolment, Enrolment.tenant_id == tenant_id),
                "audit": _rows(conn, AuditEntry, AuditEntry.tenant_id == tenant_id),
            }
            accounts = _referenced_accounts(conn, schema, platform)
            platform["accounts"] = _rows(conn, User, User.id.in_(accounts))
            cohorts = _referenced_cohorts(conn, schema, platform)
            platform["cohorts"] = _rows(conn, Cohort, Cohort.id.in_(cohorts))
            platform["cohort_stages"] = _rows(conn, CohortStage,
                                              CohortStage.cohort_id.in_(cohorts))
            counts = table_counts(conn, schema)
            versions = {"platform": conn.exec_driver_sql(
                "SELECT version_num FROM platform.alembic_version").scalar(),
                "tenant": conn.exec_driver_sql(
                    f'SELECT version_num FROM "{schema}".alembic_version').scalar()}
            _run([_pg_program("pg_dump", conn), "--format=custom", "--no-owner",
                  "--no-privileges", f"--schema={schema}", f"--snapshot={snapshot}",
                  f"--file={work / SCHEMA}"], _pg_env(database_url))

        (work / PLATFORM).write_text(json.dumps(platform, ensure_ascii=False, indent=1))
        keys = sorted({k for prefix in tenant_prefixes(tenant_id) for k in backend.keys(prefix)})
        (work / "files").mkdir()
        for key in keys:
            target = work / "files" / key
            target.parent.mkdir(parents=True, exist_ok=True)
            source = backend.open(key)
            try:
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
            finally:
                source.close()

        members = [SCHEMA, PLATFORM, *(FILES + key for key in keys)]
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "tenant": {k: platform["tenant"][k] for k in ("id", "slug", "name",
                                                          "regency_code", "status")}
            | {"schema": schema},
            "versions": versions,
            "tables": counts,
            "platform_rows": {name: len(rows) for name, rows in platform.items()
                              if isinstance(rows, list)},
            "members": {name: {"sha256": _sha256(work / name), "size": (work / name).stat()
                               .st_size} for name in members},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            for name in [*members, MANIFEST]:
                tar.add(work / name, arcname=name, recursive=False)
        os.replace(partial, path)
    size = path.stat().st_size
    return BackupResult(path, counts, len(keys), size, time.perf_counter() - started)


# --- reading and checking an archive ----------------------------------------------------------

@dataclass
class Archive:
    """A checked archive, unpacked in a temporary directory."""

    root: Path
    manifest: dict
    platform: dict = field(default_factory=dict)

    @property
    def file_keys(self) -> list[str]:
        return [name[len(FILES):] for name in self.manifest["members"]
                if name.startswith(FILES)]


def read_archive(path: Path, into: Path) -> Archive:
    """Unpack and check every member against the manifest; BackupError on any mismatch."""
    try:
        with tarfile.open(path, "r:") as tar:
            names = []
            for member in tar:
                name = member.name
                if (not member.isfile() or name.startswith("/") or ".." in name.split("/")
                        or name in names):
                    raise BackupError(f"unexpected member {name!r} in the archive")
                names.append(name)
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
                if target.stat().st_size != member.size:
                    raise BackupError(f"{name} is truncated")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"not a readable archive (truncated or damaged): {exc}") from exc
    if MANIFEST not in names:
        raise BackupError("the archive has no manifest (truncated?)")
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except ValueError as exc:
        raise BackupError("the manifest is not readable") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    expected = manifest.get("members", {})
    present = set(names) - {MANIFEST}
    if set(expected) != present:
        missing, extra = set(expected) - present, present - set(expected)
        raise BackupError(f"the archive does not match its manifest: missing {sorted(missing)}"
                          f", unexpected {sorted(extra)}")
    for name, facts in expected.items():
        target = into / name
        if target.stat().st_size != facts["size"] or _sha256(target) != facts["sha256"]:
            raise BackupError(f"{name} does not match its checksum")
    archive = Archive(into, manifest)
    archive.platform = json.loads((into / PLATFORM).read_text())
    return archive


# --- restore ----------------------------------------------------------------------------------

@dataclass
class RestoreResult:
    tenant_id: int
    slug: str
    tables: dict[str, int]
    files: int
    accounts_created: int
    accounts_remapped: int
    cohorts_created: list[str]
    tenant_version: str
    seconds: float


def _refuse_existing(session: Session, manifest: dict) -> None:
    t = manifest["tenant"]
    existing = session.scalar(sa.select(Tenant).where(sa.or_(
        Tenant.regency_code == t["regency_code"], Tenant.slug == t["slug"],
        Tenant.schema_name == t["schema"])))
    if existing is not None:
        raise BackupError(f"{existing.slug} exists here ({existing.status}); a restore never "
                          "overwrites a tenant: drop it first (labinov tenants drop)")
    if session.scalar(sa.text("SELECT to_regnamespace(:s) IS NOT NULL"), {"s": t["schema"]}):
        raise BackupError(f"schema {t['schema']} exists here without a tenant; remove it first")
    if session.get(Regency, t["regency_code"]) is None:
        raise BackupError(f"regency {t['regency_code']} is not in this deployment's registry "
                          "(labinov db upgrade)")
    known = {s.revision for s in script_directory().walk_revisions()}
    if manifest["versions"]["tenant"] not in known:
        raise BackupError(f"the lab's schema is at {manifest['versions']['tenant']}, which this "
                          "deployment's code does not know: upgrade the code first")
    platform = {s.revision for s in script_directory(PLATFORM_SCRIPTS).walk_revisions()}
    if manifest["versions"]["platform"] not in platform:
        raise BackupError(f"the archive comes from platform revision "
                          f"{manifest['versions']['platform']}, unknown to this code")


def _map_accounts(session: Session, rows: list[dict]) -> tuple[dict[int, int], int]:
    """old account id -> id here, by email; missing accounts are created without LAN role."""
    mapping, created = {}, 0
    for row in rows:
        email = row["email"]
        here = session.scalar(sa.select(User.id).where(sa.func.lower(User.email)
                                                       == email.lower()))
        if here is None:
            values = _values(User, row)
            values["platform_role"] = None  # LAN roles are this deployment's to give
            here = session.execute(sa.insert(User).values(**values)
                                   .returning(User.id)).scalar_one()
            created += 1
        mapping[row["id"]] = here
    return mapping, created


def _map_cohorts(session: Session, platform: dict) -> tuple[dict[int, int], list[str]]:
    mapping, created = {}, []
    for row in platform["cohorts"]:
        here = session.scalar(sa.select(Cohort.id).where(Cohort.name == row["name"]))
        if here is None:
            values = _values(Cohort, row)
            values["created_by_id"] = None
            here = session.execute(sa.insert(Cohort).values(**values)
                                   .returning(Cohort.id)).scalar_one()
            for stage in platform["cohort_stages"]:
                if stage["cohort_id"] == row["id"]:
                    session.execute(sa.insert(CohortStage).values(
                        _values(CohortStage, stage) | {"cohort_id": here}))
            created.append(row["name"])
        mapping[row["id"]] = here
    return mapping, created


def _remap_column(conn: sa.Connection, schema: str, table: str, column: str,
                  mapping: dict[int, int], is_array: bool = False) -> None:
    """Rewrite ids through `mapping`; an id it does not know (an account deleted before the
    backup) becomes NULL, so it can never name someone else here."""
    old = list(mapping)
    new = [mapping[k] for k in old]
    params = {"old": old, "new": new}
    target = f'"{schema}"."{table}"'
    if is_array:
        conn.execute(sa.text(
            f'UPDATE {target} SET "{column}" = ARRAY(SELECT m.new FROM unnest("{column}") '
            "WITH ORDINALITY AS e(v, n) JOIN unnest(CAST(:old AS bigint[]), "
            "CAST(:new AS bigint[])) AS m(old, new) ON m.old = e.v ORDER BY e.n) "
            f'WHERE cardinality("{column}") > 0'), params)
        return
    conn.execute(sa.text(
        f'UPDATE {target} AS t SET "{column}" = m.new FROM unnest(CAST(:old AS bigint[]), '
        f'CAST(:new AS bigint[])) AS m(old, new) WHERE t."{column}" = m.old '
        "AND m.old IS DISTINCT FROM m.new"), params)
    conn.execute(sa.text(
        f'UPDATE {target} SET "{column}" = NULL WHERE "{column}" IS NOT NULL '
        f'AND NOT ("{column}" = ANY(CAST(:known AS bigint[])))'),
        {"known": list(set(new))})


def _new_key(key: str, old_id: int, new_id: int) -> str:
    for before, after in ((f"t{old_id}/", f"t{new_id}/"),
                          (f"platform/agreements/{old_id}/", f"platform/agreements/{new_id}/")):
        if key.startswith(before):
            return after + key[len(before):]
    return key


def restore_tenant(session: Session, database_url: str, backend: Storage,
                   path: Path) -> RestoreResult:
    """Bring an archive back as a tenant of this deployment (see the module's docstring)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="labinov-restore-") as tmp:
        archive = read_archive(Path(path), Path(tmp))
        manifest = archive.manifest
        _refuse_existing(session, manifest)
        schema = checked_schema(manifest["tenant"]["schema"])
        old_id = manifest["tenant"]["id"]
        conn = session.connection()
        pg_restore = _pg_program("pg_restore", conn)
        session.rollback()

        # The schema first, in a transaction of its own (pg_restore is another connection).
        _run([pg_restore, "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={make_url(database_url).database}",
              str(archive.root / SCHEMA)], _pg_env(database_url))
        uploaded: list[str] = []
        try:
            result = _restore_rows(session, archive, schema, old_id)
            for key in archive.file_keys:
                new_key = _new_key(key, old_id, result.tenant_id)
                with (archive.root / FILES / key).open("rb") as f:
                    backend.put(new_key, f, guess_type(key))
                uploaded.append(new_key)
            session.commit()
        except BaseException:
            session.rollback()
            with session.begin():
                session.connection().exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            for key in uploaded:
                backend.delete(key)
            raise
    result.files = len(uploaded)
    result.seconds = time.perf_counter() - started
    return result


def _restore_rows(session: Session, archive: Archive, schema: str,
                  old_id: int) -> RestoreResult:
    manifest, platform = archive.manifest, archive.platform
    conn = session.connection()
    counts = table_counts(conn, schema)
    if counts != manifest["tables"]:
        raise BackupError(f"the restored schema's row counts differ from the manifest: "
                          f"{counts} != {manifest['tables']}")
    accounts, created = _map_accounts(session, platform["accounts"])
    cohorts, new_cohorts = _map_cohorts(session, platform)

    # The tenant keeps its id where it is free, so that its keys and job ids stay the same.
    values = _values(Tenant, platform["tenant"], drop=())
    if session.get(Tenant, old_id) is not None:
        values.pop("id")
    tenant_id = session.execute(sa.insert(Tenant).values(**values)
                                .returning(Tenant.id)).scalar_one()
    conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('platform.tenant', 'id'), "
                         "(SELECT max(id) FROM platform.tenant))")

    def account(value):
        return accounts.get(value) if value is not None else None

    for row in platform["events"]:
        session.execute(sa.insert(TenantEvent).values(_values(TenantEvent, row) | {
            "tenant_id": tenant_id, "actor_id": account(row["actor_id"])}))
    agreements: dict[int, int] = {}
    for row in sorted(platform["agreements"], key=lambda r: r["id"]):
        values = _values(Agreement, row) | {
            "tenant_id": tenant_id, "created_by_id": account(row["created_by_id"]),
            "renews_id": agreements.get(row["renews_id"]),
            "document_key": row["document_key"] and _new_key(row["document_key"], old_id,
                                                             tenant_id)}
        agreements[row["id"]] = session.execute(sa.insert(Agreement).values(values)
                                                .returning(Agreement.id)).scalar_one()
    for row in platform["memberships"]:
        session.execute(sa.insert(Membership).values(_values(Membership, row) | {
            "tenant_id": tenant_id, "user_id": accounts[row["user_id"]]}))
    for row in platform["enrolments"]:
        session.execute(sa.insert(Enrolment).values(_values(Enrolment, row) | {
            "tenant_id": tenant_id, "cohort_id": cohorts[row["cohort_id"]],
            "enrolled_by_id": account(row["enrolled_by_id"])}))
    for row in platform["audit"]:
        session.execute(sa.insert(AuditEntry).values(_values(AuditEntry, row) | {
            "tenant_id": tenant_id, "actor_id": account(row["actor_id"])}))

    # The lab's own tables: the ids and keys they hold of the platform.
    for table, column, is_array in account_columns():
        _remap_column(conn, schema, table, column, accounts, is_array)
    for table, column in cohort_columns():
        _remap_column(conn, schema, table, column, cohorts)
    if tenant_id != old_id:
        for table, column in key_columns():
            conn.execute(sa.text(
                f'UPDATE "{schema}"."{table}" SET "{column}" = :new || substr("{column}", '
                f':cut) WHERE "{column}" LIKE :old'),
                {"new": f"t{tenant_id}/", "cut": len(f"t{old_id}/") + 1, "old": f"t{old_id}/%"})
    conn.execute(sa.update(Tenant).where(Tenant.id == tenant_id).values(
        schema_version=manifest["versions"]["tenant"]))
    return RestoreResult(tenant_id=tenant_id, slug=platform["tenant"]["slug"],
                         tables=counts, files=0, accounts_created=created,
                         accounts_remapped=sum(1 for k, v in accounts.items() if k != v),
                         cohorts_created=new_cohorts,
                         tenant_version=manifest["versions"]["tenant"], seconds=0.0)


def needs_migration(manifest: dict) -> bool:
    return manifest["versions"]["tenant"] != tenant_head()
