"""Background work on RQ: queues, the worker, the tenant job wrapper, the dispatcher and its
finders, mail, and one thin module of jobs per feature. Imports `tenants`, never `web`.

    jobs.init_app(app)   # the web app and the worker's app both call it
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from jobs import outbox

TEMPLATES = Path(__file__).resolve().parent / "templates"


def init_app(app: Flask) -> None:
    """Wire what jobs add to an app: the mail templates (`mail/<feature>/...`) and the
    listener that enqueues each outbox claim once its transaction commits."""
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(TEMPLATES)])
    outbox.install()
