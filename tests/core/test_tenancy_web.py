"""From the URL to the tenant's schema, end to end through the web tier."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from fixtures.app import sign_in, text_of
from tenants import registry
from tenants.db import db
from tenants.registry import Tenant, TenantStatus
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit


def _seed(tenant, names: list[str]) -> None:
    with tenant_session(tenant.ref()) as session:
        units = [Unit(name=name, kind=kind) for name, kind in names]
        session.add_all(units)
        session.flush()
        session.add(Person(unit_id=units[0].id, name="Inovator " + tenant.slug))
        session.commit()


@pytest.fixture
def labs(make_tenant, make_user):
    """Two labs whose unit ids collide; a member of each."""
    a, b = make_tenant("35.13"), make_tenant("35.74")
    _seed(a, [("Dinas Kesehatan Kabupaten", "opd"), ("Puskesmas Kraksaan", "puskesmas")])
    _seed(b, [("Dinas Pendidikan Kota", "opd"), ("Kecamatan Mayangan", "kecamatan"),
              ("Puskesmas Jati", "puskesmas")])
    member_a = make_user(name="Ani", locale="en", memberships=[(a, "bappeda_admin")])
    member_b = make_user(name="Budi", memberships=[(b, "innovator", 2)])
    return a, b, member_a, member_b


@contextmanager
def statements_touching(schema: str):
    """Record every statement sent while the block runs that names `schema` or sets a path."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if schema in statement or "search_path" in statement:
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def _set_status(tenant_id: int, status: str) -> None:
    tenant = db.session.get(Tenant, tenant_id)
    registry.transition(tenant, status)
    db.session.commit()


def test_member_sees_their_own_lab(client, labs):
    a, _b, member_a, _member_b = labs
    sign_in(client, member_a)
    with statements_touching(a.schema_name) as seen:
        response = client.get("/kab-probolinggo/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Kabupaten Probolinggo" in text
    assert "Dinas Kesehatan Kabupaten" in text and "Puskesmas Kraksaan" in text
    assert "Dinas Pendidikan Kota" not in text and "Kecamatan Mayangan" not in text
    # The page really read tenant A's schema, through SET LOCAL and the translated names.
    assert any(s.startswith(f'SET LOCAL search_path TO "{a.schema_name}"') for s in seen)
    assert any(f"{a.schema_name}.unit" in s for s in seen)


def test_each_member_reads_only_their_tenant(client, labs):
    _a, _b, member_a, member_b = labs
    sign_in(client, member_b)
    text = text_of(client.get("/kota-probolinggo/"))
    assert "Kota Probolinggo" in text and "Kecamatan Mayangan" in text
    assert "Puskesmas Kraksaan" not in text
    client.post("/auth/sign-out")
    sign_in(client, member_a)
    assert client.get("/kota-probolinggo/").status_code == 404


def test_member_of_a_gets_404_for_b_and_no_b_data_is_read(client, labs):
    _a, b, member_a, _member_b = labs
    sign_in(client, member_a)
    with statements_touching(b.schema_name) as seen:
        response = client.get("/kota-probolinggo/")
    assert response.status_code == 404
    assert "Kecamatan Mayangan" not in response.get_data(as_text=True)
    assert not [s for s in seen if f"{b.schema_name}." in s]  # no B table was queried


def test_unknown_slug_is_404(client, labs):
    _a, _b, member_a, _member_b = labs
    sign_in(client, member_a)
    assert client.get("/kab-nowhere/").status_code == 404
    assert client.get("/kab-tuban/").status_code == 404  # a regency that is not a tenant


@pytest.mark.parametrize(("status", "code", "notice"), [
    (TenantStatus.SUSPENDED, 403, "suspended"),
    (TenantStatus.ARCHIVED, 410, "archived"),
])
def test_unavailable_tenant_gets_a_clear_page_and_no_tenant_query(client, labs, status, code,
                                                                  notice):
    a, _b, member_a, _member_b = labs
    _set_status(a.id, status)
    sign_in(client, member_a)
    with statements_touching(a.schema_name) as seen:
        response = client.get("/kab-probolinggo/")
    assert response.status_code == code
    text = text_of(response)
    assert "Kabupaten Probolinggo" in text and notice in text
    assert "Dinas Kesehatan Kabupaten" not in text
    assert seen == []
    # Signed out it is the same page: the tenant's state is checked before anything else.
    client.post("/auth/sign-out")
    client.set_cookie("labinov_locale", "en")
    with statements_touching(a.schema_name) as seen:
        response = client.get("/kab-probolinggo/")
    assert response.status_code == code and seen == []
    assert notice in text_of(response)


def test_signed_out_visitor_is_sent_to_sign_in(client, labs):
    response = client.get("/kab-probolinggo/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in")
    assert "next=%2Fkab-probolinggo%2F" in response.headers["Location"]
