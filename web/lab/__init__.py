"""A tenant's lab: one parent blueprint under `/<tenant>/`, with a child blueprint per area.

Every view here runs inside the tenant scope set up by `web.tenancy`, signed in."""

from flask import Blueprint
from flask_login import login_required

from web.lab import (
    coaching,
    evidence,
    ideas,
    plans,
    records,
    rpjmd,
    sections,
    stages,
    views,
)

bp = Blueprint("lab", __name__, url_prefix="/<tenant:tenant>", template_folder="templates")

# The areas of the lab, each a blueprint of its own (endpoints `lab.<area>.<view>`).
AREAS = (ideas.bp, plans.bp, evidence.bp, coaching.bp, rpjmd.bp, records.bp, stages.bp)
for area in AREAS:
    bp.register_blueprint(area)


@bp.before_request
@login_required
def _signed_in():
    return None


bp.add_url_rule("/", "home", views.home)
# The lab's navigation, on every page of the lab (units, people and the audit log included).
bp.add_app_template_global(sections.lab_sections, "lab_sections")

__all__ = ["bp"]
