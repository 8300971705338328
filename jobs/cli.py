"""`labinov worker` and `labinov dispatch`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from jobs import dispatcher
from jobs.queues import QUEUES
from jobs.worker import run_worker
from tenants.config import settings_of
from tenants.logs import configure


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-fork", "no_fork", is_flag=True,
              help="Run jobs in the worker's own process (faster for short jobs: mail).")
@with_appcontext
def worker_command(queues, burst, no_fork):
    """Run an RQ worker on QUEUES (default: all)."""
    configure()
    run_worker(list(queues or QUEUES), settings_of(current_app).redis_url, burst=burst,
               fork=not no_fork)


@click.command("dispatch")
@click.option("--every", type=float, default=0, help="Repeat every N seconds (0: run once).")
@with_appcontext
def dispatch_command(every):
    """Enqueue whatever the database says is due."""
    configure()
    if every > 0:
        dispatcher.run_forever(current_app._get_current_object(), every)
    else:
        click.echo(dispatcher.dispatch_once() or "another dispatcher holds the lock")
