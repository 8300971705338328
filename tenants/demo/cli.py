"""`labinov demo load`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tenants.config import settings_of
from tenants.demo.load import DEMO_PASSWORD, OutdatedDemo, drop_outdated, load_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--replace-outdated", is_flag=True,
              help="First drop demo regions loaded by an earlier version of the demo.")
def demo_load(replace_outdated):
    """Load the demo regions, their labs and sign-ins (idempotent)."""
    if settings_of().production:
        # Its accounts share a password printed in the README.
        raise click.ClickException("refused: the demo data does not belong in production "
                                   "(LABINOV_ENV=production)")
    if replace_outdated:
        for slug in drop_outdated():
            click.echo(f"dropped {slug}, loaded by an earlier version of the demo")
    try:
        logins = load_demo()
    except OutdatedDemo as exc:
        raise click.ClickException(f"{exc} Or run: labinov demo load --replace-outdated") \
            from exc
    click.echo(f"demo data ready; every demo sign-in uses the password {DEMO_PASSWORD}")
    for email, name, role in logins:
        click.echo(f"  {email:<38} {name:<20} {role}")
