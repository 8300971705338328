"""`labinov demo load`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tenants.config import settings_of
from tenants.demo.load import DEMO_PASSWORD, load_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def demo_load():
    """Load the demo tenants, people and sign-ins (idempotent)."""
    if settings_of().production:
        # Its accounts share a password printed in the README.
        raise click.ClickException("refused: the demo data does not belong in production "
                                   "(LABINOV_ENV=production)")
    logins = load_demo()
    click.echo(f"demo data ready; every demo sign-in uses the password {DEMO_PASSWORD}")
    for email, name, role in logins:
        click.echo(f"  {email:<38} {name:<20} {role}")
