"""The onboarding flow through the web UI: each step, each refusal, nothing half-written."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fixtures.app import text_of
from fixtures.onboarding import (
    ADMIN,
    MOU,
    PKS,
    TUBAN,
    activate,
    admin,
    agreement,
    counts,
    selected,
    signed_in,
    start,
    tenant_of,
    today,
    up_to_pks,
)
from fixtures.pdf import make_pdf
from tenants.audit.models import AuditEntry
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.outbox import LedgerEntry
from tenants.registry import TenantEvent


@pytest.fixture
def lan(client, make_user):
    """A signed-in LAN administrator."""
    return signed_in(client, make_user)


def test_each_step_moves_the_tenant_and_records_who_did_it(client, lan, s3_server):
    page = client.get(f"/lan/onboarding/{TUBAN}")
    assert page.status_code == 200
    assert "Kabupaten Tuban" in text_of(page)
    assert selected(page, "Asia/Jakarta")

    response = start(client)
    tenant = tenant_of()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/lan/tenants/{tenant.id}"
    assert (tenant.status, tenant.slug, tenant.schema_name) == ("draft", "kab-tuban", "t_3523")
    assert client.get(f"/lan/onboarding/{TUBAN}").headers["Location"] == f"/lan/tenants/{tenant.id}"

    pdf = make_pdf(2)
    assert agreement(client, tenant.id, "mou", MOU, pdf=pdf).status_code == 302
    assert tenant_of().status == "mou_signed"
    mou = db.session.scalar(sa.select(Agreement).where(Agreement.kind == "mou"))
    assert mou.number == MOU["number"] and mou.signed_on.isoformat() == "2018-04-03"
    assert mou.regional_signatory_title == "Bupati Tuban" and mou.created_by_id == lan.id
    assert mou.document_key.startswith(f"platform/agreements/{tenant.id}/")
    assert (mou.document_name, mou.document_size) == ("MoU Tuban.pdf", len(pdf))
    assert s3_server.keys(f"platform/agreements/{tenant.id}/") == [mou.document_key]

    assert agreement(client, tenant.id, "pks", PKS).status_code == 302
    assert tenant_of().status == "pks_signed"
    response = admin(client, tenant.id)
    assert response.headers["Location"] == f"/lan/tenants/{tenant.id}/activate"
    tenant = tenant_of()
    assert (tenant.admin_name, tenant.admin_email, tenant.admin_locale) == (
        ADMIN["admin_name"], ADMIN["admin_email"], "en")

    review = text_of(client.get(f"/lan/tenants/{tenant.id}/activate"))
    assert MOU["number"] in review and PKS["number"] in review and ADMIN["admin_email"] in review
    assert activate(client, tenant.id).status_code == 302
    tenant = tenant_of()
    assert tenant.status == "provisioning"
    entry = db.session.scalar(sa.select(LedgerEntry))
    assert (entry.key, entry.status, entry.attempts) == (
        f"tenant:{tenant.id}:activation", "claimed", 0)

    events = db.session.execute(sa.select(TenantEvent.from_status, TenantEvent.to_status,
                                          TenantEvent.actor_id).order_by(TenantEvent.id)).all()
    assert events == [(None, "draft", lan.id), ("draft", "mou_signed", lan.id),
                      ("mou_signed", "pks_signed", lan.id),
                      ("pks_signed", "provisioning", lan.id)]
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.actor_id == lan.id).order_by(AuditEntry.id)).all()
    assert actions == ["tenant.draft_created", "agreement.mou_recorded",
                       "agreement.pks_recorded", "tenant.admin_set",
                       "tenant.activation_requested"]

    page = text_of(client.get(f"/lan/tenants/{tenant.id}"))
    assert "Preparing the lab" in page
    for text in ("MoU recorded", "PKS recorded", "Activation requested", "Rina Lestari",
                 MOU["number"], "Download the signed PDF"):
        assert text in page


def test_timezone_is_prefilled_from_the_province_and_can_be_changed(client, lan):
    assert selected(client.get("/lan/onboarding/91.71"), "Asia/Jayapura")  # Kota Jayapura
    assert selected(client.get("/lan/onboarding/73.71"), "Asia/Makassar")  # Kota Makassar
    start(client, "73.71", timezone="Asia/Jakarta", default_locale="en")
    tenant = tenant_of("73.71")
    assert (tenant.timezone, tenant.default_locale) == ("Asia/Jakarta", "en")
    client.post(f"/lan/tenants/{tenant.id}/settings",
                data={"default_locale": "id", "timezone": "Asia/Makassar"})
    tenant = tenant_of("73.71")
    assert (tenant.timezone, tenant.default_locale) == ("Asia/Makassar", "id")
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "tenant.settings_changed"))
    assert entry.detail == {"timezone": ["Asia/Jakarta", "Asia/Makassar"],
                            "default_locale": ["en", "id"]}


# --- refusals: a clear message, and nothing half-written -----------------------------------

def text(response) -> str:
    return html.unescape(text_of(response))


def refused(response, message: str) -> None:
    """The form came back with the refusal beside it: 400, nothing followed or stored."""
    assert response.status_code == 400, response.status_code
    assert message in text(response), text(response)[:2000]


def test_a_duplicate_mou_number_is_refused_and_nothing_is_stored(client, lan, s3_server):
    up_to_pks(client, "35.13")  # Kabupaten Probolinggo holds the number first
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    response = agreement(client, tenant.id, "mou", MOU)
    assert response.status_code == 400
    refused(response, "Another MoU already has this number.")
    assert counts(s3_server) == before
    page = response.get_data(as_text=True)  # what was typed is still there
    assert 'value="Fathul Huda"' in page and 'value="2023-04-02"' in page
    assert "please choose it again" in text(response)
    ok = agreement(client, tenant.id, "mou", {**MOU, "number": "119/1388/414.103/2018"})
    assert ok.status_code == 302
    # A number names one signed document: another region's MoU number is no PKS number.
    pks = agreement(client, tenant.id, "pks", {**PKS, "number": MOU["number"]})
    assert pks.status_code == 400 and tenant_of().status == "mou_signed"
    refused(pks, "Another MoU already has this number.")
    pks = agreement(client, tenant.id, "pks", {**PKS, "number": "800/PKS/5/2018"})
    assert pks.status_code == 302 and tenant_of().status == "pks_signed"


def test_a_duplicate_pks_number_is_refused(client, lan, s3_server):
    up_to_pks(client, "35.13")
    start(client)
    tenant = tenant_of()
    agreement(client, tenant.id, "mou", {**MOU, "number": "MOU-2"})
    before = counts(s3_server)
    refused(agreement(client, tenant.id, "pks", PKS), "Another PKS already has this number.")
    assert counts(s3_server) == before


@pytest.mark.parametrize(("change", "message"), [
    ({"valid_until": "2018-04-02"}, "The end of the validity period is before its start."),
    ({"signed_on": (today() + timedelta(days=1)).isoformat()},
     "The signing date is in the future."),
    ({"number": "  "}, "This field is required."),
    ({"regional_signatory_title": ""}, "This field is required."),
    ({"valid_from": "3 April 2018"}, "Not a valid date value."),
])
def test_bad_agreement_fields_are_refused(client, lan, s3_server, change, message):
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    response = agreement(client, tenant.id, "mou", {**MOU, **change})
    assert response.status_code == 400
    refused(response, message)
    assert counts(s3_server) == before
    assert tenant_of().status == "draft"


@pytest.mark.parametrize(("pdf", "filename", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "MoU.pdf", "This file is not a PDF."),
    (b"", "MoU.pdf", "The file is empty."),
    (b"%PDF-1.7\n" + b"\x00broken" * 50, "MoU.pdf", "This PDF is damaged"),
    (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "big.pdf", "The file is larger than 10 MB."),
])
def test_bad_uploads_are_refused(client, lan, s3_server, pdf, filename, message):
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    response = agreement(client, tenant.id, "mou", MOU, pdf=pdf, filename=filename)
    assert response.status_code == 400
    refused(response, message)
    assert counts(s3_server) == before
    assert MOU["number"] in response.get_data(as_text=True)  # the typed number is kept


def test_a_missing_upload_is_refused(client, lan, s3_server):
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    response = client.post(f"/lan/tenants/{tenant.id}/mou", data=MOU,
                           content_type="multipart/form-data")
    refused(response, "Choose the signed PDF file to upload.")
    assert counts(s3_server) == before


def test_the_pks_cannot_come_before_the_mou(client, lan, s3_server):
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    response = agreement(client, tenant.id, "pks", PKS)
    assert response.status_code == 302
    assert "Record the MoU first" in text(client.get(response.headers["Location"]))
    assert counts(s3_server) == before
    # ... nor be signed before it.
    agreement(client, tenant.id, "mou", MOU)
    before = counts(s3_server)
    response = agreement(client, tenant.id, "pks", {**PKS, "signed_on": "2018-04-02"})
    refused(response, "The PKS cannot be signed before the MoU")
    assert counts(s3_server) == before


def test_an_agreement_is_recorded_once(client, lan, s3_server):
    tenant = up_to_pks(client)
    before = counts(s3_server)
    response = agreement(client, tenant.id, "mou", {**MOU, "number": "another"})
    assert "has already been recorded" in text(client.get(response.headers["Location"]))
    assert counts(s3_server) == before


def test_a_stored_file_is_deleted_again_when_the_database_refuses(client, lan, s3_server):
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    # A constraint that passes every check in the application but fails the INSERT.
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE platform.agreement ADD CONSTRAINT test_no_x "
                             "CHECK (number <> 'X-1')")
    try:
        response = agreement(client, tenant.id, "mou", {**MOU, "number": "X-1"})
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE platform.agreement DROP CONSTRAINT test_no_x")
    refused(response, "The agreement could not be saved. Nothing was kept")
    assert counts(s3_server) == before
    assert tenant_of().status == "draft"


def test_a_region_with_a_lab_cannot_be_onboarded_again(client, lan, make_tenant, s3_server):
    make_tenant(TUBAN)
    before = counts(s3_server)
    response = start(client)
    assert response.status_code == 400
    refused(response, "Kabupaten Tuban already has an active lab.")
    assert counts(s3_server) == before
    # Suspended and provisioning tenants block it too, each with its own reason.
    tenant = tenant_of()
    for status, message in (("suspended", "which is suspended"),
                            ("provisioning", "is being activated already"),
                            ("archived", "already has an archived lab")):
        tenant.status = status
        db.session.commit()
        before = counts(s3_server)
        refused(start(client), message)
        assert counts(s3_server) == before


def test_an_open_draft_is_resumed_not_duplicated(client, lan):
    start(client)
    before = counts()
    response = start(client)
    assert response.headers["Location"] == f"/lan/tenants/{tenant_of().id}"
    assert counts() == before


def test_activation_needs_both_agreements_and_an_administrator(client, lan, s3_server):
    start(client)
    tenant = tenant_of()
    before = counts(s3_server)
    response = activate(client, tenant.id)
    page = text(client.get(response.headers["Location"]))
    assert "Activation needs the signed MoU, the signed PKS, the Bappeda administrator's email" \
        in page
    assert counts(s3_server) == before

    agreement(client, tenant.id, "mou", MOU)
    agreement(client, tenant.id, "pks", PKS)
    before = counts(s3_server)
    response = activate(client, tenant.id)
    assert "Activation needs the Bappeda administrator's email" in text(
        client.get(response.headers["Location"]))
    assert counts(s3_server) == before
    assert "Activation needs" in text(client.get(f"/lan/tenants/{tenant.id}/activate"))


def test_a_bad_administrator_email_is_refused_and_kept(client, lan):
    tenant = up_to_pks(client)
    before = counts()
    response = admin(client, tenant.id, admin_email="hendra@", admin_name="Hendra K.")
    assert response.status_code == 400
    refused(response, "Enter an email address")
    assert 'value="Hendra K."' in response.get_data(as_text=True)
    assert counts() == before and tenant_of().admin_email is None


def test_unknown_regions_and_tenants_are_404(client, lan):
    assert client.get("/lan/onboarding/99.99").status_code == 404
    assert client.get("/lan/tenants/12345").status_code == 404
    assert client.get("/lan/tenants/12345/mou").status_code == 404
