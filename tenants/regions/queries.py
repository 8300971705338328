"""Searching the region registry."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tenants.regions.models import Province, Regency


def search(stmt: sa.Select, q: str) -> sa.Select:
    """Match a name (any part, any case) or a Kemendagri code with or without its dot."""
    digits = re.sub(r"\D", "", q)
    clauses = [Regency.official_name.ilike(f"%{word}%") for word in q.split()]
    by_name = sa.and_(*clauses) if clauses else sa.false()
    by_province = Province.name.ilike(f"%{q}%")
    if digits and len(digits) == len(re.sub(r"[\s.]", "", q)):
        by_code = sa.func.replace(Regency.code, ".", "").startswith(digits)
        return stmt.where(sa.or_(by_code, by_name))
    return stmt.where(sa.or_(by_name, by_province))
