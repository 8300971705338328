"""A worker process of the tenant migration runner (`tenants.migrate.migrate_tenants`).

Protocol over stdin/stdout, one JSON document or schema name per line: the first line holds
the settings (database URL, target, script location); every following line names a schema
to upgrade, and is answered by one line: that schema's `SchemaResult`. The URL travels on
the pipe rather than the command line, so that no password shows in the process list.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from tenants.migrate import upgrade_in_own_transaction


def main() -> None:
    # Answers go to a private copy of stdout; anything a migration prints lands on stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = json.loads(sys.stdin.readline())
    engine = sa.create_engine(settings["database_url"], pool_size=1, max_overflow=0,
                              connect_args=settings.get("connect_args") or {})
    scripts = Path(settings["script_location"])
    try:
        for line in sys.stdin:
            result = upgrade_in_own_transaction(engine, line.strip(), settings["target"],
                                                 scripts)
            answers.write(json.dumps(dataclasses.asdict(result)) + "\n")
            answers.flush()
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
