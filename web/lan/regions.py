"""The regency registry: all 514 regencies and cities with their onboarding state."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import render_template, request

from tenants.db import db
from tenants.platform.accounts import Role
from tenants.platform.regions import Province, Regency, title_case
from tenants.platform.tenancy import Tenant, TenantStatus
from web.access import platform_role_required
from web.lan.views import bp

PER_PAGE = 50
NOT_STARTED = "none"


def _search(stmt: sa.Select, q: str) -> sa.Select:
    """Match a name (any part, any case) or a Kemendagri code with or without its dot."""
    digits = re.sub(r"\D", "", q)
    clauses = [Regency.official_name.ilike(f"%{word}%") for word in q.split()]
    by_name = sa.and_(*clauses) if clauses else sa.false()
    by_province = Province.name.ilike(f"%{q}%")
    if digits and len(digits) == len(re.sub(r"[\s.]", "", q)):
        by_code = sa.func.replace(Regency.code, ".", "").startswith(digits)
        return stmt.where(sa.or_(by_code, by_name))
    return stmt.where(sa.or_(by_name, by_province))


@bp.get("/regions")
@platform_role_required(Role.LAN_ADMIN)
def regions():
    q = request.args.get("q", "").strip()[:100]
    province = request.args.get("province", "")
    state = request.args.get("state", "")
    stmt = (sa.select(Regency, Tenant).join(Province)
            .outerjoin(Tenant, Tenant.regency_code == Regency.code))
    if q:
        stmt = _search(stmt, q)
    if province:
        stmt = stmt.where(Regency.province_code == province)
    if state == NOT_STARTED:
        stmt = stmt.where(Tenant.id.is_(None))
    elif state in set(TenantStatus):
        stmt = stmt.where(Tenant.status == state)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    page = request.args.get("page", "1")
    page = max(1, int(page)) if page.isdigit() else 1
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    rows = db.session.execute(stmt.order_by(Regency.code).limit(PER_PAGE)
                              .offset((page - 1) * PER_PAGE)).all()
    provinces = db.session.scalars(sa.select(Province).order_by(Province.code)).all()
    by_state = dict(db.session.execute(
        sa.select(Tenant.status, sa.func.count()).group_by(Tenant.status)).all())
    onboarded = sum(by_state.values())
    return render_template(
        "lan/regions.html", rows=rows, total=total, page=page, pages=pages, q=q,
        province=province, state=state, provinces=provinces, by_state=by_state,
        not_started=db.session.scalar(sa.select(sa.func.count()).select_from(Regency))
        - onboarded, NOT_STARTED=NOT_STARTED, states=list(TenantStatus),
        title_case=title_case)
