"""Reader-facing names for stored codes, as Jinja globals and filters for every page."""

from __future__ import annotations

from flask import Flask

from tenants import zones
from tenants.labels import ROLE, STATUS, UNIT_KIND
from tenants.regions.models import title_case

__all__ = ["ROLE", "STATUS", "UNIT_KIND", "init_app"]

AGREEMENT_NAMES = {"mou": "MoU", "pks": "PKS"}  # terms of art, the same in every language


def _label(table):
    def label(code):
        return table.get(code, code)

    return label


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(status_label=_label(STATUS), role_label=_label(ROLE),
                                 unit_kind_label=_label(UNIT_KIND),
                                 agreement_name=_label(AGREEMENT_NAMES))
    # 'JAWA TIMUR' -> 'Jawa Timur' (the registry stores official upper-case names).
    app.jinja_env.filters.update(region_name=title_case, zone_name=zones.abbreviation)
