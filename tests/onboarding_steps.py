"""Walking the onboarding flow through the web UI, for the onboarding tests."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from conftest import sign_in
from pdf_files import make_pdf

from tenants.audit.models import AuditEntry
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.outbox import LedgerEntry
from tenants.registry import Tenant, TenantEvent

TUBAN = "35.23"

MOU = {
    "number": "119/1387/414.103/2018",
    "signed_on": "2018-04-03", "valid_from": "2018-04-03", "valid_until": "2023-04-02",
    "lan_signatory_name": "Dr. Adi Suryanto", "lan_signatory_title": "Kepala LAN",
    "regional_signatory_name": "Fathul Huda", "regional_signatory_title": "Bupati Tuban",
}
PKS = {
    "number": "800/PKS/4/2018",
    "signed_on": "2018-04-24", "valid_from": "2018-04-24", "valid_until": "2019-04-23",
    "lan_signatory_name": "Tri Widodo W. Utomo",
    "lan_signatory_title": "Deputi Inovasi Administrasi Negara",
    "regional_signatory_name": "Hendra Kurniawan", "regional_signatory_title": "Kepala Bappeda",
}
ADMIN = {"admin_name": "Hendra Kurniawan", "admin_email": "hendra@bappeda.tubankab.example",
         "admin_locale": "en"}


def signed_in(client, make_user, role="lan_admin", **kw):
    """A signed-in LAN person who reads English (the msgids the tests look for)."""
    kw.setdefault("locale", "en")
    user = make_user(platform_role=role, name=kw.pop("name", "Rina Lestari"), **kw)
    assert sign_in(client, user).status_code == 302
    return user


def start(client, code=TUBAN, **form):
    return client.post(f"/lan/onboarding/{code}",
                       data={"default_locale": "id", "timezone": "Asia/Jakarta", **form})


def tenant_of(code=TUBAN) -> Tenant | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == code))


def agreement(client, tenant_id, kind, fields, pdf: bytes | None = None,
              filename="MoU Tuban.pdf"):
    data = dict(fields)
    data["document"] = (io.BytesIO(make_pdf() if pdf is None else pdf), filename)
    return client.post(f"/lan/tenants/{tenant_id}/{kind}", data=data,
                       content_type="multipart/form-data")


def admin(client, tenant_id, **fields):
    return client.post(f"/lan/tenants/{tenant_id}/admin", data={**ADMIN, **fields})


def activate(client, tenant_id):
    return client.post(f"/lan/tenants/{tenant_id}/activate")


def up_to_pks(client, code=TUBAN, mou=None, pks=None) -> Tenant:
    """A tenant with its MoU and PKS recorded (PKS signed)."""
    assert start(client, code).status_code == 302
    tenant = tenant_of(code)
    assert agreement(client, tenant.id, "mou", mou or MOU).status_code == 302
    assert agreement(client, tenant.id, "pks", pks or PKS).status_code == 302
    return tenant_of(code)


def counts(s3_server=None) -> dict:
    """Every row and stored object that onboarding writes, to prove a refusal wrote nothing."""
    db.session.expire_all()
    result = {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
              for model in (Tenant, TenantEvent, Agreement, AuditEntry, LedgerEntry)}
    result["statuses"] = sorted(db.session.scalars(sa.select(Tenant.status)))
    if s3_server is not None:
        result["objects"] = s3_server.keys("platform/")
    db.session.rollback()
    return result


def selected(page, value: str) -> bool:
    """Whether the page's select has `value` chosen."""
    import re

    for option in re.findall(r"<option[^>]*>", page.get_data(as_text=True)):
        if f'value="{value}"' in option and re.search(r"\bselected\b", option):
            return True
    return False


def today() -> date:
    return date.today()
