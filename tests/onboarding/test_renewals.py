"""A renewed MoU or PKS is an agreement of its own: recorded by LAN for an active lab, it
becomes the lab's agreement in force, and the one it renews moves to the history."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa

from fixtures.app import PASSWORD
from fixtures.pdf import make_pdf
from tenants.audit.models import AuditEntry
from tenants.cohorts.operations import agreement_problem
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.onboarding.queries import agreements_of


def _signed(tenant, kind, number, start, end):
    db.session.add(Agreement(
        tenant_id=tenant.id, kind=kind, number=number, signed_on=start, valid_from=start,
        valid_until=end, lan_signatory_name="Dr. Adi Suryanto",
        lan_signatory_title="Kepala LAN", regional_signatory_name="Hj. Tantriana",
        regional_signatory_title="Bupati Probolinggo"))
    db.session.commit()


def _renewal(number="119/2301/426.101/2022", valid_from="2022-03-16"):
    return {"number": number, "signed_on": "2022-03-10", "valid_from": valid_from,
            "valid_until": "2027-03-15", "lan_signatory_name": "Dr. Adi Suryanto",
            "lan_signatory_title": "Kepala LAN", "regional_signatory_name": "Hj. Tantriana",
            "regional_signatory_title": "Bupati Probolinggo",
            "document": (io.BytesIO(make_pdf()), "mou-2022.pdf")}


def test_a_renewal_becomes_the_agreement_in_force(client, world, s3_server):
    _signed(world.a, "mou", "119/4124/426.101/2017", date(2017, 3, 16), date(2022, 3, 15))
    _signed(world.a, "pks", "800/PKS/2017", date(2017, 4, 10), date(2027, 4, 9))
    assert "berakhir pada 15 Mar 2022" in agreement_problem(db.session, world.a, date(2026, 12, 1))
    client.post("/auth/sign-in", data={"email": world.users["lan_admin"].email,
                                       "password": PASSWORD})
    tenant_page = f"/lan/tenants/{world.a.id}"
    assert "Catat perpanjangan" in client.get(tenant_page).get_data(as_text=True)
    form = client.get(f"{tenant_page}/mou/renew")
    assert form.status_code == 200 and "119/4124/426.101/2017" in form.get_data(as_text=True)

    response = client.post(f"{tenant_page}/mou/renew", data=_renewal(),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    current = agreements_of(db.session, world.a.id)["mou"]
    assert current.number == "119/2301/426.101/2022"
    assert current.renews.number == "119/4124/426.101/2017"
    assert agreement_problem(db.session, world.a, date(2026, 12, 1)) is None  # may enrol
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.action == "agreement.mou_renewed")) is not None
    page = client.get(tenant_page).get_data(as_text=True)
    assert "Perjanjian sebelumnya" in page and "119/4124/426.101/2017" in page
    old = current.renews
    download = client.get(f"{tenant_page}/agreements/{old.id}/file")
    assert download.status_code == 404  # the test's old agreement has no scan
    new_file = client.get(f"{tenant_page}/agreements/{current.id}/file")
    assert new_file.status_code == 302
    # The LAN dashboard lists what is in force, not what was renewed.
    dashboard = client.get("/lan/").get_data(as_text=True)
    assert "119/4124/426.101/2017" not in dashboard


def test_a_renewal_must_start_after_the_agreement_it_renews(client, world, s3_server):
    _signed(world.a, "mou", "119/4124/426.101/2017", date(2017, 3, 16), date(2022, 3, 15))
    client.post("/auth/sign-in", data={"email": world.users["lan_admin"].email,
                                       "password": PASSWORD})
    before = s3_server.keys()
    response = client.post(f"/lan/tenants/{world.a.id}/mou/renew",
                           data=_renewal(valid_from="2017-03-16"),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Perpanjangan berlaku setelah perjanjian yang diperpanjangnya" in \
        response.get_data(as_text=True)
    assert s3_server.keys() == before
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 1


def test_nothing_to_renew_goes_back_to_the_tenant_page(client, world):
    client.post("/auth/sign-in", data={"email": world.users["lan_admin"].email,
                                       "password": PASSWORD})
    response = client.get(f"/lan/tenants/{world.a.id}/pks/renew")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/lan/tenants/{world.a.id}")
