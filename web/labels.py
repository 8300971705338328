"""Reader-facing names for stored codes, as Jinja globals."""

from __future__ import annotations

from flask import Flask

from tenants.labels import ROLE, STATUS, UNIT_KIND

__all__ = ["ROLE", "STATUS", "UNIT_KIND", "init_app"]


def _label(table):
    def label(code):
        return table.get(code, code)

    return label


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(status_label=_label(STATUS), role_label=_label(ROLE),
                                 unit_kind_label=_label(UNIT_KIND))
