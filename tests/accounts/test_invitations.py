"""Invitations: the `invite()` contract, the emailed link, and what a used or late link says."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue

from fixtures.app import PASSWORD, sign_in, text_of
from fixtures.languages import assert_single_language
from fixtures.world import link_in
from jobs.accounts import send_invitation
from jobs.outbox import job_id
from jobs.queues import MAIL
from tenants.accounts.models import Invitation, Membership, Role, Token, User
from tenants.accounts.operations import InvitationError, invite
from tenants.audit.models import AuditEntry
from tenants.db import db, utcnow
from tenants.outbox import LedgerEntry

pytestmark = pytest.mark.usefixtures("fresh_redis")

NEW_PASSWORD = "kopi-tubruk-pagi-hari"


@pytest.fixture
def mail_queue(settings):
    queue = Queue(MAIL, connection=Redis.from_url(settings.redis_url))
    queue.empty()
    yield queue
    queue.empty()


def _ledger(key: str) -> LedgerEntry | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.key == key))


# --- the contract -------------------------------------------------------------------------

def test_invite_creates_the_account_and_queues_the_email_only_after_commit(world, mail_queue):
    user = invite(email="Nur.Aini@Example.go.id", name="Nur Aini", role=Role.INNOVATOR,
                  tenant_id=world.a.id, unit_id=world.unit_ids["a"], locale="en",
                  invited_by_id=world.users["bappeda_a"].id)
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    key = invitation.mail_key
    assert mail_queue.count == 0, "nothing may be enqueued before the caller commits"
    db.session.commit()

    assert mail_queue.job_ids == [job_id(key, world.a.id)]
    user = db.session.get(User, user.id)
    assert user.password_hash is None and user.locale == "en"
    [membership] = user.memberships
    assert (membership.tenant_id, membership.role, membership.unit_id) == (
        world.a.id, Role.INNOVATOR, world.unit_ids["a"])
    assert _ledger(key).status == LedgerEntry.CLAIMED
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.invited"))
    assert (audit.actor_id, audit.tenant_id, audit.target) == (
        world.users["bappeda_a"].id, world.a.id, "Nur.Aini@Example.go.id")


def test_a_rolled_back_invitation_leaves_nothing_and_sends_nothing(world, mail_queue):
    invite(email="nobody@example.go.id", name="Nobody", role=Role.BAPPEDA_ADMIN,
           tenant_id=world.a.id)
    db.session.rollback()
    db.session.commit()  # a later commit must not send the rolled-back invitation
    assert mail_queue.count == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 0
    assert db.session.scalar(sa.select(User).where(User.email == "nobody@example.go.id")) is None


def test_invite_reuses_an_existing_account_and_keeps_its_language(world, mail_queue):
    innovator = world.users["innovator_b"]
    innovator.locale = "id"
    db.session.commit()
    user = invite(email="INNOVATOR@b.example", name="Someone Else", role=Role.INNOVATOR,
                  tenant_id=world.a.id, unit_id=world.unit_ids["a"], locale="en")
    db.session.commit()
    assert user.id == innovator.id and user.name == "Wulan Sari" and user.locale == "id"
    assert {(m.tenant_id, m.role) for m in user.memberships} == {
        (world.b.id, Role.INNOVATOR), (world.a.id, Role.INNOVATOR)}


def test_lan_roles_go_on_the_account_and_coaches_need_the_coach_role(world, mail_queue):
    user = invite(email="evaluator@lan.example", name="Evaluator", role=Role.LAN_COACH)
    db.session.commit()
    assert user.platform_role == Role.LAN_COACH and user.memberships == []
    invite(email="evaluator@lan.example", name="Evaluator", role=Role.COACH,
           tenant_id=world.b.id)
    db.session.commit()
    assert [(m.tenant_id, m.role) for m in user.memberships] == [(world.b.id, Role.COACH)]
    with pytest.raises(InvitationError, match="is not a LAN coach"):
        invite(email=world.users["innovator_a"].email, name="x", role=Role.COACH,
               tenant_id=world.a.id)
    with pytest.raises(InvitationError, match="an innovator belongs to a unit"):
        invite(email="x@example.go.id", name="x", role=Role.INNOVATOR, tenant_id=world.a.id)
    with pytest.raises(InvitationError, match="is a LAN role; it takes no tenant"):
        invite(email="x@example.go.id", name="x", role=Role.LAN_ADMIN, tenant_id=world.a.id)
    with pytest.raises(InvitationError, match="is a tenant role; name the tenant"):
        invite(email="x@example.go.id", name="x", role=Role.BAPPEDA_ADMIN)
    db.session.rollback()


def test_the_email_job_sends_once_and_stores_only_the_token_hash(world, mailbox, mail_queue,
                                                                 run_job):
    user = invite(email="new@a.example", name="Budi", role=Role.BAPPEDA_ADMIN,
                  tenant_id=world.a.id, invited_by_id=world.users["lan_admin"].id)
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    args = (invitation.tenant_id, invitation.mail_key, invitation.id)
    assert run_job(send_invitation, *args) == "sent"
    assert run_job(send_invitation, *args) == "already sent"
    [message] = mailbox.wait_for(1)
    path = link_in(message)
    raw = path.rsplit("/", 1)[1]
    tokens = db.session.scalars(sa.select(Token)).all()
    assert len(tokens) == 1
    assert tokens[0].token_hash == Token.digest(raw) and raw not in tokens[0].token_hash
    assert tokens[0].invitation_id == invitation.id
    assert timedelta(days=6, hours=23) < tokens[0].expires_at - utcnow() <= timedelta(days=7)
    assert _ledger(invitation.mail_key).status == LedgerEntry.DONE


# --- end to end ---------------------------------------------------------------------------

def test_invitation_end_to_end_through_the_worker(world, client, mailbox, rq_worker):
    """Bappeda invites an innovator; the worker mails the link; the innovator lands in the lab."""
    sign_in(client, world.users["bappeda_a"])
    response = client.post("/kab-probolinggo/people/invite", data={
        "invite-name": "Nur Aini", "invite-email": "nur.aini@puskesmas.example",
        "invite-role": "innovator", "invite-unit_id": str(world.unit_ids["a"]),
        "invite-locale": "en"})
    assert response.status_code == 302, text_of(response)
    client.post("/auth/sign-out")

    [message] = mailbox.wait_for(1, timeout=30)
    assert message["To"].addresses[0].addr_spec == "nur.aini@puskesmas.example"
    assert message["Content-Language"] == "en"
    assert "Kabupaten Probolinggo" in message["Subject"]
    assert "Dwi Hartono" in message.text and "Puskesmas Kraksaan" in message.text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="en">' in html and "style=" not in html
    path = link_in(message)

    page = client.get(path)
    assert page.status_code == 200
    body = text_of(page)
    assert "Kabupaten Probolinggo" in body and "Innovator" in body and "Dwi Hartono" in body
    accepted = client.post(path, data={"name": "Nur Aini, S.Kep.", "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == "/kab-probolinggo/"
    home = client.get("/kab-probolinggo/")
    assert home.status_code == 200 and "Innovator" in text_of(home)
    user = db.session.scalar(sa.select(User).where(User.email == "nur.aini@puskesmas.example"))
    assert user.name == "Nur Aini, S.Kep." and user.check_password(NEW_PASSWORD)

    # The same link again: used, says so, and says what to do.
    client.post("/auth/sign-out")
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in text_of(again) and "sign in" in text_of(again).lower()
    assert client.post(path, data={"name": "x", "password": "another-long-password",
                                   "confirm": "another-long-password"}).status_code == 410
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW_PASSWORD)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_invitation_is_written_in_the_invitees_language(world, mailbox, locale, run_job):
    """The account's language, else the tenant's default."""
    if locale == "en":
        world.a.default_locale = "en"
        db.session.commit()
    user = invite(email=f"someone-{locale}@a.example", name="Someone",
                  role=Role.BAPPEDA_ADMIN, tenant_id=world.a.id,
                  invited_by_id=world.users["lan_admin"].id)
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    run_job(send_invitation, invitation.tenant_id, invitation.mail_key, invitation.id)
    [message] = mailbox.wait_for(1)
    assert message["Content-Language"] == locale
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'<html lang="{locale}">' in html
    names = ["Someone", "Rina Marlina", "Kabupaten Probolinggo"]
    assert_single_language(html, locale, ignore=names)
    expected = {"id": "Undangan", "en": "invitation"}[locale]
    assert expected.lower() in message["Subject"].lower()


def test_an_expired_or_unknown_link_says_what_happened(world, client, mailbox, run_job):
    user = invite(email="late@a.example", name="Late", role=Role.INNOVATOR,
                  tenant_id=world.a.id, unit_id=world.unit_ids["a"],
                  invited_by_id=world.users["bappeda_a"].id, locale="en")
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    run_job(send_invitation, invitation.tenant_id, invitation.mail_key, invitation.id)
    path = link_in(mailbox.wait_for(1)[0])
    token = db.session.scalar(sa.select(Token))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    expired = client.get(path)
    assert expired.status_code == 410
    body = text_of(expired)
    assert "expired" in body
    assert "Dwi Hartono or the Bappeda administrator of Kabupaten Probolinggo" in body
    assert client.post(path, data={"name": "x", "password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD}).status_code == 410

    unknown = client.get(path[:-4] + "abcd", headers={"Accept-Language": "en"})
    assert unknown.status_code == 404
    assert "whole link" in text_of(unknown)


def test_a_withdrawn_invitation_no_longer_opens_an_account(world, client, mailbox, run_job):
    user = invite(email="gone@a.example", name="Gone", role=Role.BAPPEDA_ADMIN,
                  tenant_id=world.a.id, locale="en")
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    run_job(send_invitation, invitation.tenant_id, invitation.mail_key, invitation.id)
    path = link_in(mailbox.wait_for(1)[0])
    sign_in(client, world.users["bappeda_a"])
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert client.post(f"/kab-probolinggo/people/{membership.id}/remove").status_code == 302
    client.post("/auth/sign-out")
    withdrawn = client.get(path)
    assert withdrawn.status_code == 410 and "withdrawn" in text_of(withdrawn)


def test_an_invitation_to_someone_with_a_password_only_points_to_sign_in(world, client,
                                                                         mailbox, run_job):
    innovator = world.users["innovator_b"]
    invite(email=innovator.email, name=innovator.name, role=Role.INNOVATOR,
           tenant_id=world.a.id, unit_id=world.unit_ids["a"])
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation))
    run_job(send_invitation, invitation.tenant_id, invitation.mail_key, invitation.id)
    message = mailbox.wait_for(1)[0]
    path = link_in(message)
    page = client.get(path, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'name="password"' not in page.get_data(as_text=True)
    assert "already have a Labinov account" in text_of(page)
    # Signing in from there lands in the lab they were added to.
    response = client.post("/auth/sign-in?next=/kab-probolinggo/",
                           data={"email": innovator.email, "password": PASSWORD,
                                 "next": "/kab-probolinggo/"})
    assert response.headers["Location"] == "/kab-probolinggo/"


def test_a_lan_invitation_lands_on_the_lan_dashboard(world, client, mailbox, run_job):
    sign_in(client, world.users["lan_admin"])
    response = client.post("/lan/people/invite", data={
        "invite-name": "Andi Wijaya", "invite-email": "andi@lan.example",
        "invite-role": "lan_admin", "invite-locale": "id"})
    assert response.status_code == 302, text_of(response)
    client.post("/auth/sign-out")
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.tenant_id is None and invitation.role == Role.LAN_ADMIN
    run_job(send_invitation, invitation.tenant_id, invitation.mail_key, invitation.id)
    path = link_in(mailbox.wait_for(1)[0])
    accepted = client.post(path, data={"name": "Andi Wijaya", "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    assert accepted.headers["Location"] == "/lan/"
    assert client.get("/lan/").status_code == 200


def test_bad_input_on_the_invitation_form_keeps_what_was_typed(world, client, mailbox, run_job):
    user = invite(email="typo@a.example", name="Typo", role=Role.BAPPEDA_ADMIN,
                  tenant_id=world.a.id, locale="en")
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    run_job(send_invitation, invitation.tenant_id, invitation.mail_key, invitation.id)
    path = link_in(mailbox.wait_for(1)[0])
    response = client.post(path, data={"name": "Ibu Typo", "password": "short",
                                       "confirm": "different"})
    assert response.status_code == 200
    body = text_of(response)
    assert "at least 10 characters" in body and "not the same" in body
    assert 'value="Ibu Typo"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash is None
    assert db.session.scalar(sa.select(Token.used_at)) is None
