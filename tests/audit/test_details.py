"""Audit and history details read as sentences in the reader's language: no internal keys,
ids, schema names, raw language codes, ISO dates or byte counts."""

from __future__ import annotations

from datetime import date

import pytest

from fixtures.app import PASSWORD
from tenants.audit.operations import record_platform
from tenants.db import db
from web.audit.labels import describe, file_size


@pytest.mark.parametrize(("locale", "expected"), [
    ("id", ["Nomor 119/1387/414.103/2018.", "Ditandatangani pada 3 Apr 2018.",
            "Berlaku sampai 2 Apr 2023.", "Dokumen bertanda tangan: mou.pdf (820 KB)."]),
    ("en", ["Number 119/1387/414.103/2018.", "Signed on Apr 3, 2018.",
            "Valid until Apr 2, 2023.", "Signed document: mou.pdf (820 KB)."]),
])
def test_an_agreements_details_are_sentences(app, locale, expected):
    detail = {"number": "119/1387/414.103/2018", "signed_on": "2018-04-03",
              "valid_until": "2023-04-02", "document": "mou.pdf", "size": 839_680}
    with app.test_request_context(headers={"Accept-Language": locale}):
        assert describe(detail) == expected


def test_internals_are_not_shown(app):
    detail = {"schema": "t_3404", "invitation_id": 1, "unit_id": 7, "locale": "id",
              "timezone": "Asia/Makassar", "default_locale": ["id", "en"], "role": "innovator",
              "requested_by": 1}
    with app.test_request_context(headers={"Accept-Language": "id"}):
        text = " ".join(describe(detail, {1: "Rina Marlina"}))
    assert "t_3404" not in text and "invitation" not in text and ": id" not in text
    assert "Bahasa: Bahasa Indonesia." in text and "Zona waktu: WITA." in text
    assert "Bahasa lab: Bahasa Indonesia → English." in text
    assert "Peran: Inovator." in text and "Diminta oleh Rina Marlina." in text


def test_sizes_read_as_people_read_them(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert file_size(839_680) == "820 KB" and file_size(1_468_006) == "1,4 MB"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert file_size(1_468_006) == "1.4 MB"


def test_the_lan_log_shows_no_raw_keys(client, world):
    record_platform(db.session, "agreement.mou_recorded", actor_id=world.users["lan_admin"].id,
                    tenant_id=world.a.id, target="119/4124/426.101/2017",
                    signed_on=date(2017, 3, 16).isoformat(), valid_until="2022-03-15",
                    document="mou-probolinggo.pdf", size=512_000)
    db.session.commit()
    client.post("/auth/sign-in", data={"email": world.users["lan_admin"].email,
                                       "password": PASSWORD})
    page = client.get("/lan/audit").get_data(as_text=True)
    assert "Ditandatangani pada 16 Mar 2017." in page
    for raw in ("signed_on", "valid_until", "2017-03-16", "size", "512000"):
        assert raw not in page, raw
