"""Helpers for the tests of LAN's cohorts: labs with agreements in force (or not), the cohort
form's fields, and reading a page."""

from __future__ import annotations

import html as html_module
import re
from datetime import date, timedelta

import sqlalchemy as sa

from tenants.cohorts.models import STAGES
from tenants.db import db
from tenants.onboarding.models import Agreement

START = date(2026, 1, 5)
LENGTHS = (28, 42, 42, 182, 91)


def sign(tenant, until: date = date(2030, 3, 15), kinds=("mou", "pks")) -> None:
    """Signed agreements for `tenant`, in force until `until`."""
    for kind in kinds:
        db.session.add(Agreement(
            tenant_id=tenant.id, kind=kind, number=f"{kind}/{tenant.regency_code}/{until.year}",
            signed_on=date(2017, 3, 16), valid_from=date(2017, 3, 16), valid_until=until,
            lan_signatory_name="Kepala Pusat", lan_signatory_title="Kepala Pusat Inovasi",
            regional_signatory_name="Bupati", regional_signatory_title="Bupati",
            document_key=f"t{tenant.id}/agreements/{kind}-{until.year}.pdf",
            document_name=f"{kind}.pdf", document_size=1000))
    db.session.commit()


def windows(start: date = START, lengths=LENGTHS) -> list[tuple[date, date, date]]:
    out = []
    for n in lengths:
        ends = start + timedelta(days=n - 1)
        out.append((start, ends, ends - timedelta(days=3)))
        start = ends + timedelta(days=1)
    return out


def cohort_form(name: str = "Laboratorium Inovasi 2026 — Angkatan I", year: int = 2026,
                spans=None, **overrides) -> dict[str, str]:
    """The cohort form as a browser posts it; `overrides` by field name ("design-starts_on")."""
    data = {"name": name, "year": str(year), "description": ""}
    for stage, (starts, ends, due) in zip(STAGES, spans or windows(), strict=True):
        data[f"{stage}-starts_on"] = starts.isoformat()
        data[f"{stage}-ends_on"] = ends.isoformat()
        data[f"{stage}-deliverable_due"] = due.isoformat()
    data.update(overrides)
    return data


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def error_of(response, field_id: str) -> str | None:
    """The error shown beside the field `field_id`, or None."""
    html = response.get_data(as_text=True)
    found = re.search(rf'<small id="{re.escape(field_id)}-error" class="field-error">(.*?)'
                      r"</small>", html, re.S)
    return html_module.unescape(" ".join(found.group(1).split())) if found else None


def value_of(response, field_id: str) -> str | None:
    html = response.get_data(as_text=True)
    tag = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    if tag is None:
        return None
    found = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


def audit_actions(action_prefix: str = "cohort.") -> list[str]:
    from tenants.audit.models import AuditEntry

    return list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.action.like(f"{action_prefix}%")).order_by(AuditEntry.id)))
