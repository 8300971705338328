"""Password resets only for accounts that may sign in; two links used at once neither
deadlock nor fail; an email sent twice carries the same link."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import sqlalchemy as sa

from fixtures.app import PASSWORD
from jobs.accounts import reset_requested, send_invitation, send_password_reset
from tenants.accounts.messages import link_token
from tenants.accounts.models import Invitation, Role, Token, User
from tenants.accounts.operations import invite
from tenants.db import db
from tenants.outbox import LedgerEntry

LINK = re.compile(r"https?://\S+/auth/(?:invitation|reset)/[A-Za-z0-9_\-]+")


def _owed_resets() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry).where(
        LedgerEntry.key.like("mail:reset:%")))


def test_no_reset_for_someone_invited_who_never_joined(world, run_job):
    user = invite(email="belum@unit.example", name="Belum Bergabung", role=Role.INNOVATOR,
                  tenant_id=world.a.id, unit_id=world.unit_ids["a"])
    db.session.commit()
    assert user.password_hash is None
    assert run_job(reset_requested, "belum@unit.example") is False
    assert _owed_resets() == 0


def test_removing_someone_from_their_last_lab_ends_their_access(client, world, run_job):
    admin, innovator = world.users["bappeda_a"], world.users["innovator_a"]
    [membership] = innovator.memberships
    client.post("/auth/sign-in", data={"email": admin.email, "password": PASSWORD})
    assert client.post(f"/kab-probolinggo/people/{membership.id}/remove").status_code == 302
    db.session.expire_all()
    innovator = db.session.get(User, innovator.id)
    assert innovator.active is False
    assert run_job(reset_requested, innovator.email) is False
    assert _owed_resets() == 0
    fresh = client.application.test_client()
    refused = fresh.post("/auth/sign-in", data={"email": innovator.email, "password": PASSWORD})
    assert refused.status_code == 200  # the sign-in form again, not a way in

    # Invited again, the account comes back (with its password) and may reset again.
    invite(email=innovator.email, name=innovator.name, role=Role.INNOVATOR,
           tenant_id=world.a.id, unit_id=world.unit_ids["a"], invited_by_id=admin.id)
    db.session.commit()
    assert db.session.get(User, innovator.id).active is True
    assert run_job(reset_requested, innovator.email) is True


def test_two_reset_links_of_one_person_used_at_once(client, world, run_job):
    user = world.users["bappeda_a"]
    app = client.application
    links = []
    with app.app_context():
        for key in ("mail:reset:x:1", "mail:reset:x:2"):
            _token, raw = link_token(key, Token.RESET, db.session.get(User, user.id),
                                     timedelta(hours=1))
            links.append(f"/auth/reset/{raw}")
        db.session.commit()
    results = {}
    start = threading.Barrier(2)

    def use(path):
        browser = app.test_client()
        start.wait()
        results[path] = browser.post(path, data={"password": "kopi-pagi-hari-ini",
                                                 "confirm": "kopi-pagi-hari-ini"}).status_code

    threads = [threading.Thread(target=use, args=(path,)) for path in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # One sets the password; the other finds its link used up with it. No error page.
    assert sorted(results.values()) == [302, 410], results


def test_a_second_try_of_an_invitation_email_carries_the_same_link(world, mailbox, run_job):
    invite(email="sekali@unit.example", name="Sekali Saja", role=Role.BAPPEDA_ADMIN,
           tenant_id=world.a.id)
    db.session.commit()
    invitation = db.session.scalars(sa.select(Invitation)).one()
    args = (invitation.tenant_id, invitation.mail_key, invitation.id)
    run_job(send_invitation, *args)
    # The worker died after the SMTP server took the message, before marking it sent.
    db.session.execute(sa.update(LedgerEntry).where(LedgerEntry.key == invitation.mail_key)
                       .values(status=LedgerEntry.CLAIMED))
    db.session.commit()
    run_job(send_invitation, *args)
    first, second = mailbox.wait_for(2)
    assert LINK.findall(first.text) == LINK.findall(second.text)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Token)) == 1


def test_a_reset_email_tried_twice_carries_the_same_link(world, mailbox, run_job):
    user = world.users["innovator_a"]
    assert run_job(reset_requested, user.email) is True
    key = db.session.scalar(sa.select(LedgerEntry.key).where(
        LedgerEntry.key.like("mail:reset:%")))
    run_job(send_password_reset, None, key, user.id)
    db.session.execute(sa.update(LedgerEntry).where(LedgerEntry.key == key)
                       .values(status=LedgerEntry.CLAIMED))
    db.session.commit()
    run_job(send_password_reset, None, key, user.id)
    first, second = mailbox.wait_for(2)
    assert LINK.findall(first.text) == LINK.findall(second.text)
