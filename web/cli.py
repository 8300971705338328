"""The `labinov` command: Flask's CLI with the project's command groups."""

from __future__ import annotations

from flask.cli import FlaskGroup

import jobs.storage  # noqa: F401 - connects the deletion of a dropped tenant's files
from jobs.accounts_cli import accounts_cli
from jobs.cli import dispatch_command, worker_command
from tenants.catalogs import i18n_cli
from tenants.cli import db_cli, tenants_cli
from tenants.demo import demo_cli
from web import create_app


def _create_app():
    app = create_app()
    for command in (db_cli, tenants_cli, demo_cli, worker_command, dispatch_command, i18n_cli):
        app.cli.add_command(command)
    app.cli.add_command(accounts_cli)
    return app


main = FlaskGroup(create_app=_create_app, help="Labinov operator commands.")
