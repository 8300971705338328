"""Every page of the app, as the roles that use it, on a desktop (1280 px) and on phones
(390 and 320 px), in Indonesian and in English: axe-core finds no serious or critical WCAG
2.0/2.1 A or AA violation, and no page scrolls sideways.

Screenshots of every page land in test-artifacts/screenshots/a11y-<locale>-<width>-<page>.png.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from accessibility.axe import problems_of
from tenants.accounts.models import Invitation, Role, Token, User
from tenants.accounts.operations import invite
from tenants.db import db
from tenants.onboarding import operations as onboarding
from tenants.onboarding.models import Agreement
from tenants.onboarding.operations import Document
from tenants.registry import TenantStatus

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_redis")]

PASSWORD = "correct-horse-battery"  # the fixtures' password for every account
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (1280, 390, 320)


def _agreement_fields(kind: str, signed_on: date, valid_until: date, number: str) -> dict:
    return {"number": number, "signed_on": signed_on, "valid_from": signed_on,
            "valid_until": valid_until, "lan_signatory_name": "Dr. Adi Suryanto",
            "lan_signatory_title": "Kepala LAN" if kind == "mou" else "Deputi Inovasi",
            "regional_signatory_name": "Hendra Kurniawan",
            "regional_signatory_title": "Bupati" if kind == "mou" else "Kepala Bappeda"}


def _record(tenant, kind, actor_id, signed_on, valid_until, number):
    onboarding.record_agreement(
        db.session, tenant, kind, _agreement_fields(kind, signed_on, valid_until, number),
        Document(key=f"platform/agreements/{tenant.id}/{kind}.pdf", name=f"{kind}.pdf",
                 size=120_000), actor_id=actor_id)


@pytest.fixture
def tour(world):
    """The data behind every page: two active labs (world), a draft, a region with its MoU, one
    ready to activate, a suspended lab, agreements that have expired or are about to, an
    invitation link and a password reset link. Returns {role: [(name, path), ...]}."""
    admin = world.users["lan_admin"]
    a = world.a
    today = date.today()
    draft = onboarding.start(db.session, "35.74", actor_id=admin.id)  # Kota Probolinggo
    with_mou = onboarding.start(db.session, "33.03", actor_id=admin.id)  # Kab. Purbalingga
    _record(with_mou, Agreement.MOU, admin.id, date(2019, 2, 11), today + timedelta(days=900),
            "061/MOU/II/2019")
    ready = onboarding.start(db.session, "35.78", actor_id=admin.id)  # Kota Surabaya
    _record(ready, Agreement.MOU, admin.id, date(2020, 3, 2), today + timedelta(days=45),
            "119/1387/414.103/2020")
    _record(ready, Agreement.PKS, admin.id, date(2020, 3, 20), today + timedelta(days=700),
            "800/PKS/4/2020")
    onboarding.set_admin(db.session, ready, name="Hendra Kurniawan",
                         email="hendra@bappeda.surabaya.example", locale="id",
                         actor_id=admin.id)
    for kind, days, number in ((Agreement.MOU, -40, "119/1387/414.103/2018"),
                               (Agreement.PKS, 25, "050/PKS/BAPPEDA/2018")):
        db.session.add(Agreement(tenant_id=a.id, kind=kind, number=number,
                                 **{k: v for k, v in _agreement_fields(
                                     kind, date(2018, 4, 3), today + timedelta(days=days),
                                     number).items() if k != "number"}))
    db.session.flush()
    db.session.commit()
    from tenants.onboarding.operations import create_active

    closed = create_active(db.session, "32.73")  # Kota Bandung, suspended below
    db.session.flush()
    onboarding.change_lifecycle(db.session, closed, to=TenantStatus.SUSPENDED, reason="Audit",
                                actor_id=admin.id)
    db.session.commit()

    invited = invite(email="nur.aini@a.example", name="Nur Aini", role=Role.INNOVATOR,
                     tenant_id=a.id, unit_id=world.unit_ids["a"], locale="id",
                     invited_by_id=world.users["bappeda_a"].id)
    db.session.flush()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.user_id == invited.id))
    token, invite_raw = Token.issue(Token.INVITE, invited, timedelta(days=7), tenant=a)
    token.invitation = invitation
    db.session.add(token)
    reset, reset_raw = Token.issue(Token.RESET, world.users["innovator_a"], timedelta(hours=1))
    db.session.add(reset)
    db.session.commit()
    cohort = _cohort(world)

    lab = f"/{a.slug}"
    return {
        "anonymous": [
            ("public", "/"), ("sign-in", "/auth/sign-in"), ("sign-in-refused", "refused"),
            ("reset", "/auth/reset"), ("reset-link", f"/auth/reset/{reset_raw}"),
            ("invitation", f"/auth/invitation/{invite_raw}"),
            ("invitation-unknown", "/auth/invitation/no-such-token"),
            ("404", "/no-such-page"), ("lab-suspended", f"/{closed.slug}/"),
        ],
        "innovator_a": [("lab-home-innovator", f"{lab}/"), ("403", f"{lab}/people/"),
                        ("account-innovator", "/account/")],
        "bappeda_a": [("lab-home", f"{lab}/"), ("members", f"{lab}/people/"),
                      ("lab-audit", f"{lab}/audit"), ("account", "/account/"),
                      ("my-labs", "/account/labs")],
        "coach_a": [("lan-dashboard-coach", "/lan/"), ("tenant-coach", f"/lan/tenants/{a.id}"),
                    ("cohorts-coach", "/lan/cohorts/"),
                    ("cohort-dashboard-coach", f"/lan/cohorts/{cohort}/dashboard")],
        "lan_admin": [
            ("lan-dashboard", "/lan/"), ("regions", "/lan/regions"),
            ("regions-search", "/lan/regions?q=probolinggo"),
            ("onboarding-start-new", "/lan/onboarding/35.25"),
            ("tenant-draft", f"/lan/tenants/{draft.id}"),
            ("onboarding-settings", f"/lan/tenants/{draft.id}/settings"),
            ("onboarding-mou", f"/lan/tenants/{draft.id}/mou"),
            ("onboarding-mou-refused", f"refused-mou:{draft.id}"),
            ("onboarding-pks", f"/lan/tenants/{with_mou.id}/pks"),
            ("onboarding-admin", f"/lan/tenants/{ready.id}/admin"),
            ("onboarding-activate", f"/lan/tenants/{ready.id}/activate"),
            ("tenant-active", f"/lan/tenants/{a.id}"),
            ("tenant-suspended", f"/lan/tenants/{closed.id}"),
            ("lifecycle-suspend", f"/lan/tenants/{a.id}/suspend"),
            ("lifecycle-archive", f"/lan/tenants/{a.id}/archive"),
            ("lifecycle-reactivate", f"/lan/tenants/{closed.id}/reactivate"),
            ("lan-people", "/lan/people/"), ("lan-audit", "/lan/audit"),
            ("lan-jobs", "/lan/jobs/"),
            ("lan-lab-home", f"{lab}/"), ("lan-my-labs", "/account/labs"),
            ("cohorts", "/lan/cohorts/"), ("cohort", f"/lan/cohorts/{cohort}"),
            ("cohort-dashboard", f"/lan/cohorts/{cohort}/dashboard?sort=-ideas"),
            ("cohort-new", "/lan/cohorts/new"), ("cohort-refused", "refused-cohort"),
            ("cohort-edit", f"/lan/cohorts/{cohort}/edit"),
            ("cohort-coaches", f"/lan/cohorts/{cohort}/coaches"),
            ("cohort-enrol", f"/lan/cohorts/{cohort}/enrol"),
        ],
    }


def _cohort(world) -> int:
    """A cohort coached by coach_a with lab A enrolled and counted."""
    from lab.idea_helpers import enrol

    from tenants.cohorts import summaries
    from tenants.cohorts.models import CohortCoach
    from tenants.db import utcnow

    cohort = enrol(world.a, world.b)
    db.session.add(CohortCoach(cohort_id=cohort.id, user_id=world.users["coach_a"].id))
    summaries.write(db.session, cohort_id=cohort.id, tenant_id=world.a.id, values=dict(
        ideas=74, by_stage={"drum_up": 0, "diagnose": 0, "design": 10, "deliver": 60,
                            "display": 4},
        milestones=296, late_milestones=18, units=74, units_without_ideas=3,
        current_stage="deliver", last_activity_at=utcnow()), counted_at=utcnow())
    db.session.commit()
    return cohort.id


def _context(browser, live_server, width: int):
    options = {"viewport": {"width": width, "height": 900 if width > 576 else 800}}
    if width <= 576:
        options.update(is_mobile=True, has_touch=True)
    context = browser.new_context(base_url=live_server, locale="id-ID",
                                  timezone_id="Asia/Jakarta", **options)
    context.set_default_timeout(15_000)
    return context


def _visit(page, path: str) -> None:
    if path == "refused":  # a wrong password
        page.goto("/auth/sign-in")
        page.fill("input[name=email]", "innovator@a.example")
        page.fill("input[name=password]", "not the password")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".flash-error")
    elif path.startswith("refused-mou:"):  # an MoU form sent nearly empty, with a bad date
        page.goto(f"/lan/tenants/{path.split(':')[1]}/mou")
        page.fill("[name=number]", "x" * 120)
        page.fill("[name=valid_from]", "2030-01-01")
        page.fill("[name=valid_until]", "2020-01-01")
        page.click("form.agreement-form button[type=submit]")
        page.wait_for_selector(".field-error")
    elif path == "refused-cohort":  # a new cohort whose deliver stage leaves a gap
        page.goto("/lan/cohorts/new")
        page.fill("[name=name]", "Angkatan Uji")
        page.fill("[name='deliver-starts_on']", "2020-01-01")
        page.click("main form button[type=submit]")
        page.wait_for_selector(".field-error")
    else:
        page.goto(path)
    page.wait_for_load_state("load")


def _sign_in(page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/auth/sign-in" not in url)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_page_is_accessible_and_fits(browser, live_server, world, tour, locale, width):
    db.session.execute(sa.update(User).values(locale=locale))
    db.session.commit()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: list[str] = []
    visited = 0
    for role, pages in tour.items():
        context = _context(browser, live_server, width)
        try:
            page = context.new_page()
            if role == "anonymous":
                context.add_cookies([{"name": "labinov_locale", "value": locale,
                                      "url": live_server}])
            else:
                _sign_in(page, world.users[role].email)
            for name, path in pages:
                _visit(page, path)
                assert page.get_attribute("html", "lang") == locale, (name, page.url)
                found += problems_of(page)
                page.screenshot(path=str(SCREENSHOTS / f"a11y-{locale}-{width}-{name}.png"),
                                full_page=True)
                visited += 1
        finally:
            context.close()
    assert visited == sum(len(p) for p in tour.values())
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(found)


def test_the_tour_reaches_each_kind_of_page(tour):
    """Guards the list above: every area of the app is in it."""
    paths = " ".join(path for pages in tour.values() for _, path in pages)
    for area in ("/auth/sign-in", "/auth/reset/", "/auth/invitation/", "/account/",
                 "/account/labs", "/people/", "/audit", "/lan/", "/lan/regions",
                 "/lan/onboarding/", "/mou", "/pks", "/admin", "/activate", "/settings",
                 "/suspend", "/archive", "/reactivate", "/lan/people/", "/lan/audit", "/lan/jobs/",
                 "/lan/cohorts/", "/dashboard", "/coaches", "/enrol", "refused-cohort",
                 "/no-such-page"):
        assert area in paths, area

