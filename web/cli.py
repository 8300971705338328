"""The `labinov` command: Flask's CLI with the project's command groups."""

from __future__ import annotations

from flask.cli import FlaskGroup

from jobs.cli import dispatch_command, worker_command
from tenants.accounts.cli import accounts_cli
from tenants.catalogs import i18n_cli
from tenants.cli import db_cli, tenants_cli
from tenants.demo.cli import demo_cli
from web import create_app

COMMANDS = (db_cli, tenants_cli, accounts_cli, demo_cli, worker_command, dispatch_command,
            i18n_cli)


def _create_app():
    app = create_app()
    for command in COMMANDS:
        app.cli.add_command(command)
    return app


main = FlaskGroup(create_app=_create_app, help="Labinov operator commands.")
