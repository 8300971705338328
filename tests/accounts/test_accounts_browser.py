"""Accounts in headless Chromium (CSRF on, as in production): accepting an invitation,
resetting a password, the account and people pages. Screenshots go to
test-artifacts/screenshots/accounts-*.png, desktop and phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from fixtures.app import PASSWORD
from fixtures.browser import screenshot
from tenants.accounts.models import Invitation, Role, Token
from tenants.accounts.operations import invite
from tenants.db import db

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_redis")]
NEW_PASSWORD = "rawon-setan-surabaya"


def _link(world, email, role=Role.INNOVATOR, locale="id") -> str:
    """An invitation as the email job makes it, without waiting for the email."""
    user = invite(email=email, name="Nur Aini", role=role, tenant_id=world.a.id,
                  unit_id=world.unit_ids["a"] if role == Role.INNOVATOR else None,
                  locale=locale, invited_by_id=world.users["bappeda_a"].id)
    db.session.flush()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    token, raw = Token.issue(Token.INVITE, user, timedelta(days=7), tenant=world.a)
    token.invitation = invitation
    db.session.add(token)
    db.session.commit()
    return f"/auth/invitation/{raw}"


def _sign_in(page, user, password=PASSWORD):
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_accepting_an_invitation_in_the_browser(world, request, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    path = _link(world, f"nur-{device}@puskesmas.example")
    page.goto("/auth/sign-in")
    screenshot(page, f"accounts-sign-in-{device}")

    page.goto(path)
    assert "Kabupaten Probolinggo" in page.inner_text("main")
    screenshot(page, f"accounts-invitation-{device}")
    page.fill("input[name=password]", "short")
    page.fill("input[name=confirm]", "shorter")
    page.click("main button[type=submit]")
    assert page.locator(".field-error").count() == 2  # both fields say what is wrong
    screenshot(page, f"accounts-invitation-errors-{device}")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/")
    assert "Nur Aini" in page.inner_text(".flash")
    screenshot(page, f"accounts-invitation-landed-{device}")

    again = page.goto(path)  # used: says so, and offers the way on
    assert again.status == 410
    page.click("main a[role=button]")
    page.wait_for_url("**/kab-probolinggo/")
    page.go_back()
    screenshot(page, f"accounts-invitation-used-{device}")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_account_and_people_pages(world, request, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    _link(world, f"pending-{device}@puskesmas.example")  # an invitation not yet accepted
    user = world.users["bappeda_a"]
    from tenants.accounts.models import Membership

    db.session.add(Membership(user_id=user.id, tenant_id=world.b.id, role=Role.BAPPEDA_ADMIN))
    db.session.commit()
    _sign_in(page, user)
    page.wait_for_url("**/kab-probolinggo/")

    page.goto("/kab-probolinggo/people/")
    assert "Siti Nurhayati" in page.inner_text("main")
    screenshot(page, f"accounts-people-{device}")
    page.select_option("select[name=invite-role]", "innovator")
    page.fill("input[name=invite-name]", "Ahmad Fauzi")
    page.fill("input[name=invite-email]", "not-an-email")
    page.click("#invite button[type=submit]")
    assert page.locator("#invite .field-error").count() >= 1
    assert page.input_value("input[name=invite-name]") == "Ahmad Fauzi"  # kept
    screenshot(page, f"accounts-people-errors-{device}")

    # Removing someone asks first; "cancel" keeps them.
    page.goto("/kab-probolinggo/people/")
    pending = f"pending-{device}@puskesmas.example"
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("tr", has_text=pending).locator("form[data-confirm] button").click()
    assert page.locator("tr", has_text=pending).count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text=pending).locator("form[data-confirm] button").click()
    page.wait_for_selector(".flash")
    assert page.locator("tr", has_text=pending).count() == 0

    if device == "phone":
        page.goto("/account/labs")
    else:
        page.click("details.dropdown summary")
        screenshot(page, f"accounts-my-labs-menu-{device}")
        page.click("a.all-labs")
    page.wait_for_url("**/account/labs")
    screenshot(page, f"accounts-my-labs-{device}")

    page.goto("/account/")
    screenshot(page, f"accounts-account-{device}")
    page.click("form[action$='sign-out-everywhere'] button")
    page.wait_for_url("**/auth/sign-in")
    page.goto("/account/")
    assert "/auth/sign-in" in page.url  # signed out


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_lan_people_and_reset_pages(world, request, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    invite(email=f"evaluator-{device}@lan.example", name="Evaluator Baru",
           role=Role.LAN_COACH, invited_by_id=world.users["lan_admin"].id)
    db.session.commit()
    _sign_in(page, world.users["lan_admin"])
    page.wait_for_url("**/lan/")
    page.goto("/lan/people/")
    assert "Teguh Prasetyo" in page.inner_text("main")
    screenshot(page, f"accounts-lan-people-{device}")
    page.click("header form[action$='sign-out'] button")

    page.goto("/auth/reset")
    screenshot(page, f"accounts-reset-request-{device}")
    page.fill("input[name=email]", world.users["innovator_a"].email)
    page.click("main button[type=submit]")
    page.wait_for_selector("[role=status]")
    screenshot(page, f"accounts-reset-sent-{device}")

    user = world.users["innovator_a"]
    token, raw = Token.issue(Token.RESET, user, timedelta(hours=1))
    db.session.add(token)
    db.session.commit()
    page.goto(f"/auth/reset/{raw}")
    screenshot(page, f"accounts-reset-password-{device}")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/kab-probolinggo/")
    page.click("header form[action$='sign-out'] button")
    page.goto(f"/auth/reset/{raw}")
    screenshot(page, f"accounts-reset-used-{device}")
