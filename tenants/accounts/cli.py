"""`labinov accounts invite`: the first LAN administrator of a deployment comes from here."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tenants.accounts.models import PLATFORM_ROLES
from tenants.accounts.operations import InvitationError, invite
from tenants.config import LOCALES
from tenants.db import db

accounts_cli = AppGroup("accounts", help="People who sign in.")


@accounts_cli.command("invite")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as colleagues see it.")
@click.option("--role", type=click.Choice([str(r) for r in PLATFORM_ROLES]),
              default="lan_admin", show_default=True)
@click.option("--locale", type=click.Choice(LOCALES), default=None,
              help="Language of the invitation (default: DEFAULT_LOCALE).")
def invite_command(email, name, role, locale):
    """Invite EMAIL as LAN staff; the worker sends the emailed link."""
    try:
        user = invite(email=email, name=name, role=role, locale=locale)
        db.session.commit()
    except InvitationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"invited {user.email} as {role}; a running worker sends the email")
