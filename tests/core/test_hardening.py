"""The web tier's error paths and safeguards: broken transactions, silly page numbers,
reserved query keys, over-long addresses and uploads, caching of signed-in pages."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
import sqlalchemy as sa

from fixtures.app import PASSWORD
from tenants.db import TenantMixError, db
from web import create_app


def _as(client, user):
    client.post("/auth/sign-in", data={"email": user.email, "password": PASSWORD})


@pytest.fixture
def failing_app(settings, ctx):
    """The app with one extra route that fails inside a broken transaction."""
    app = create_app(settings)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False)

    @app.get("/boom")
    def boom():
        db.session.execute(sa.text("SELECT 1 / 0"))  # the transaction is now aborted

    return app


def test_an_error_inside_a_failed_transaction_gets_the_apps_own_page(failing_app, world):
    browser = failing_app.test_client()
    _as(browser, world.users["bappeda_a"])  # base.html then reads the signed-in account
    response = browser.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Terjadi kesalahan" in page and "Labinov" in page


@pytest.mark.parametrize("page", ["9" * 20, "9" * 5000, "-3", "abc", "²", "0"])
def test_any_page_number_gets_a_page(client, world, page):
    _as(client, world.users["lan_admin"])
    for path in ("/lan/regions", "/lan/audit", "/kab-probolinggo/audit"):
        assert client.get(f"{path}?page={page}").status_code == 200, path


def test_reserved_query_keys_do_not_break_the_page_links(client, world):
    _as(client, world.users["lan_admin"])
    for key in ("_method", "_external", "_anchor", "_scheme"):
        response = client.get(f"/lan/regions?{key}=POST&q=a")
        assert response.status_code == 200, key
        links = re.findall(r'href="([^"]*page=2[^"]*)"', response.get_data(as_text=True))
        assert links and all(key not in link for link in links), key


def test_an_over_long_address_gets_a_translated_page(client):
    response = client.get("/lan/regions?q=" + "x" * 10_000)
    assert response.status_code == 414
    assert "Alamat terlalu panjang" in response.get_data(as_text=True)


def test_an_upload_over_the_limit_comes_back_with_the_form_as_typed(client, world, settings):
    _as(client, world.users["lan_admin"])
    client.post("/lan/onboarding/35.74", data={"default_locale": "id",
                                               "timezone": "Asia/Jakarta"})
    tenant_id = db.session.scalar(sa.text(
        "SELECT id FROM platform.tenant WHERE regency_code = '35.74'"))
    big = b"%PDF-1.4\n" + b"0" * (settings.upload_max_bytes + 1)
    response = client.post(f"/lan/tenants/{tenant_id}/mou", content_type="multipart/form-data",
                           data={"number": "180/12/425.012/2018",
                                 "signed_on": "2018-04-24", "valid_from": "2018-04-24",
                                 "valid_until": "2023-04-23",
                                 "lan_signatory_name": "Dr. Adi Suryanto",
                                 "lan_signatory_title": "Kepala LAN",
                                 "regional_signatory_name": "Rukmini",
                                 "regional_signatory_title": "Wali Kota Probolinggo",
                                 "document": (io.BytesIO(big), "mou.pdf")})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="180/12/425.012/2018"' in page and 'value="Rukmini"' in page
    assert "Ukuran berkas melebihi 10 MB" in page


def test_an_upload_far_over_the_limit_gets_a_translated_page(client, world, settings):
    _as(client, world.users["lan_admin"])
    huge = b"0" * (5 * settings.upload_max_bytes + 1)
    response = client.post("/lan/tenants/1/mou", content_type="multipart/form-data",
                           data={"document": (io.BytesIO(huge), "scan.pdf")})
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


def test_signed_in_pages_are_not_stored_by_the_browser(client, world):
    public = client.get("/")
    assert "no-store" not in public.headers.get("Cache-Control", "")
    _as(client, world.users["bappeda_a"])
    for path in ("/", "/account/", "/kab-probolinggo/"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_a_lab_log_row_for_another_tenant_is_refused_on_a_bound_session(world):
    from tenants.audit.operations import record_lab_in
    from tenants.scope import tenant_session

    with tenant_session(world.a.ref()) as session, pytest.raises(TenantMixError):
        record_lab_in(session, world.b.schema_name, "lab.suspended", actor_id=None)


def test_pooled_connections_are_recycled(app, settings):
    with app.app_context():
        assert db.engine.pool._recycle == settings.db_pool_recycle
    other = create_app(replace(settings, db_pool_recycle=60))
    with other.app_context():
        assert db.engine.pool._recycle == 60
