"""The reminder pages: choices, one-click unsubscribe, settings, the delivery logs; and
LAN's agreement reminders. Each lab sees only its own reminders."""

from __future__ import annotations

import html
from datetime import date, timedelta

import sqlalchemy as sa

from fixtures.app import sign_in, text_of
from jobs.reminders import due_reminders
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.reminders import operations
from tenants.reminders.models import AgreementReminder, ReminderDelivery
from tenants.scope import tenant_session
from tenants.zones import today_in

from .lab_helpers import enrol, lab_with_milestones


def text(response) -> str:
    return html.unescape(text_of(response))


def test_a_person_chooses_how_they_hear_of_each_kind(client, world):
    sign_in(client, world.users["innovator_a"])
    url = f"/{world.a.slug}/reminders/preferences"
    page = client.get(url)
    assert page.status_code == 200
    assert "innovator@a.example" in text(page)
    assert client.post(url, data={"stage": "digest", "milestone": "off"}).status_code == 302
    with tenant_session(world.a.ref()) as session:
        assert operations.preferences_of(session, "innovator@a.example") == {
            "stage": "digest", "milestone": "off"}
    assert client.post(url, data={"stage": "loud", "milestone": "off"}).status_code == 400
    with tenant_session(world.b.ref()) as session:  # lab B knows nothing of it
        assert operations.preferences_of(session, "innovator@a.example")["milestone"] == (
            "digest")


def test_one_click_unsubscribe_is_signed_for_one_lab(app, client, world, monkeypatch):
    token = operations.unsubscribe_token(world.a.id, "Ahmad@Dinkes.example")
    url = f"/{world.a.slug}/reminders/unsubscribe/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "ahmad@dinkes.example" in text(page)
    with tenant_session(world.a.ref()) as session:  # a GET (a link scanner) changes nothing
        assert operations.preferences_of(session, "ahmad@dinkes.example")["stage"] == "digest"
    # RFC 8058: the mail client POSTs without a session or a CSRF token of ours.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    done = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with tenant_session(world.a.ref()) as session:
        assert operations.preferences_of(session, "ahmad@dinkes.example") == {
            "stage": "off", "milestone": "off"}
    # The same signature means nothing in another lab, and a changed one nothing anywhere.
    assert client.get(f"/{world.b.slug}/reminders/unsubscribe/{token}").status_code == 404
    assert client.post(f"/{world.b.slug}/reminders/unsubscribe/{token}").status_code == 404
    assert client.get(url[:-2] + "xx").status_code == 404


def test_settings_refuse_offsets_that_make_no_sense(client, world):
    """(In Indonesian, the lab's language.)"""
    sign_in(client, world.users["bappeda_a"])
    url = f"/{world.a.slug}/reminders/settings"
    page = client.get(url)
    assert page.status_code == 200 and "7, 3, 1" in page.get_data(as_text=True)
    for before, overdue, message in (
            ("7, -3", "3", "Jumlah hari tidak boleh negatif."),
            ("7, 7", "", "Setiap jumlah hari hanya boleh muncul sekali."),
            ("90", "", "paling lama 60 hari sebelum atau sesudah"),
            ("seminggu", "", "Tulis jumlah hari berupa bilangan bulat")):
        refused = client.post(url, data={"days_before": before, "days_overdue": overdue,
                                         "on_the_day": "y", "send_hour": "7"})
        assert refused.status_code == 400
        body = refused.get_data(as_text=True)
        assert message in html.unescape(body) and f'value="{before}"' in body
    saved = client.post(url, data={"days_before": "14, 2", "days_overdue": "",
                                   "send_hour": "6"})
    assert saved.status_code == 302
    with tenant_session(world.a.ref()) as session:
        s = operations.current_settings(session)
        assert (s.offsets, s.send_hour, s.skip_holidays) == ([14, 2], 6, False)
    with tenant_session(world.b.ref()) as session:
        assert operations.current_settings(session).offsets == [7, 3, 1, 0, -3]


def test_the_delivery_log_filters_resends_and_shows_only_its_lab(client, world, fresh_redis,
                                                                 mailbox, run_worker_burst):
    for tenant, who in ((world.a, "ahmad@dinkes.example"), (world.b, "ratna@jenu.example")):
        with tenant_session(tenant.ref()) as session:
            operations.save_settings(session, days_before=[7], on_the_day=True,
                                     days_overdue=[], send_hour=23, skip_holidays=False,
                                     actor_id=None)
            session.commit()
        cohort = enrol(tenant, f"Angkatan {tenant.slug}")
        lab_with_milestones(tenant, cohort, [("Pemilik", who), ("Tanpa Email", None)],
                            today_in(tenant.timezone) + timedelta(days=7))
    due_reminders()  # claims; at 23:00 at the earliest does the digest go

    sign_in(client, world.users["bappeda_a"])
    url = f"/{world.a.slug}/reminders/log"
    page = text(client.get(url))
    assert "ahmad@dinkes.example" in page and "Tidak ada alamat email" in page
    assert "ratna@jenu.example" not in page
    only_skipped = text(client.get(url, query_string={"status": "skipped"}))
    assert "Tidak ada alamat email" in only_skipped and "ahmad@dinkes.example" not in only_skipped
    assert "ratna" not in text(client.get(url, query_string={"email": "ratna"}))

    with tenant_session(world.a.ref()) as session:
        pending = session.scalar(sa.select(ReminderDelivery.id).where(
            ReminderDelivery.email == "ahmad@dinkes.example"))
    with tenant_session(world.b.ref()) as session:
        of_b = session.scalar(sa.select(ReminderDelivery.id).where(
            ReminderDelivery.email == "ratna@jenu.example"))
    if of_b != pending:  # an id of B that A does not have: not found
        assert client.post(f"/{world.a.slug}/reminders/log/{of_b}/send").status_code == 404
    assert client.post(f"/{world.a.slug}/reminders/log/{pending}/send").status_code == 302
    run_worker_burst("mail")
    # (Between 23:00 and midnight the digests of both labs go as well.)
    [message] = [m for m in mailbox.wait_for(1) if m.rcpt_tos == ("ahmad@dinkes.example",)]
    assert "Sosialisasi ke Puskesmas 1" in message["Subject"]
    sent = text(client.get(url, query_string={"status": "sent"}))
    assert "ahmad@dinkes.example" in sent and "Kirim ulang" in sent


def agreement(tenant, kind: str, until: date, number: str) -> Agreement:
    found = Agreement(tenant_id=tenant.id, kind=kind, number=number, signed_on=date(2024, 1, 2),
                      valid_from=date(2024, 1, 2), valid_until=until,
                      lan_signatory_name="Kepala Pusat", lan_signatory_title="Kepala Pusat",
                      regional_signatory_name="Kepala Bappeda",
                      regional_signatory_title="Kepala Bappeda")
    db.session.add(found)
    db.session.commit()
    return found


def test_lan_hears_of_agreements_running_out_and_reads_them_across_labs(
        client, world, fresh_redis, mailbox, run_worker_burst):
    today = today_in("Asia/Jakarta")
    agreement(world.a, "mou", today + timedelta(days=90), "MoU-A-1")
    agreement(world.b, "pks", today + timedelta(days=30), "PKS-B-1")
    agreement(world.b, "mou", today + timedelta(days=31), "MoU-B-1")   # no offset: not yet
    due_reminders()
    rows = db.session.scalars(sa.select(AgreementReminder)).all()
    assert {(r.item_key.split(":")[0], r.offset_days, r.email) for r in rows} == {
        ("agreement", 90, "admin@lan.example"), ("agreement", 30, "admin@lan.example")}
    with tenant_session(world.a.ref()) as session:  # and nothing of it in any lab
        assert session.scalar(sa.select(sa.func.count()).select_from(ReminderDelivery)) == 0

    sign_in(client, world.users["lan_admin"])
    page = text(client.get("/lan/reminders/"))
    assert "MOU MoU-A-1" in page and "PKS PKS-B-1" in page
    assert world.a.name in page and world.b.name in page
    assert "MoU-A-1" not in text(client.get("/lan/reminders/", query_string={
        "since": (today + timedelta(days=1)).isoformat()}))


def test_the_reminder_pages_are_reached_from_my_labs(client, world):
    sign_in(client, world.users["bappeda_a"])
    page = client.get("/account/labs").get_data(as_text=True)
    assert f"/{world.a.slug}/reminders/preferences" in page
    assert f"/{world.a.slug}/reminders/log" in page
    client.post("/auth/sign-out")
    sign_in(client, world.users["innovator_a"])
    page = client.get("/account/labs").get_data(as_text=True)
    assert f"/{world.a.slug}/reminders/preferences" in page
    assert "/reminders/log" not in page
