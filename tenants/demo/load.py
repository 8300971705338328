"""Loading the demo data: four regions from the programme's published record, onboarded by
LAN through the real flow, each with a whole lab in the cohort it is in today.

Loading twice changes nothing: each part (a region's onboarding, its enrolment, its lab) is
made only where it is missing, each in a transaction of its own.
"""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta

import sqlalchemy as sa

from tenants import registry
from tenants.accounts.models import Membership, Role, User
from tenants.cohorts.models import Cohort, Enrolment
from tenants.cohorts.summaries import due_for_recount
from tenants.db import db
from tenants.demo import cohorts as demo_cohorts
from tenants.demo.clock import Clock, backdating
from tenants.demo.lab import Lab, build
from tenants.demo.onboarding import demo_password_hash, onboard, renewal_dates
from tenants.demo.regions import REGIONS, Region
from tenants.lab.models import Idea
from tenants.lab.summary import refresh_lab
from tenants.onboarding.models import Agreement
from tenants.registry import Tenant, TenantStatus
from tenants.scope import tenant_scope
from tenants.storage import forget_tenant_files, storage
from tenants.zones import today_in

log = logging.getLogger(__name__)

DEMO_PASSWORD = "labinov-demo-2026"
ZONE = "Asia/Jakarta"  # every demo region is in WIB

LAN_PEOPLE = [
    ("admin@lan.example", "Rina Marlina", Role.LAN_ADMIN),
    ("coach@lan.example", "Teguh Prasetyo", Role.LAN_COACH),
]
LAN_SINCE = date(2016, 11, 7)  # when LAN's own accounts were opened


class OutdatedDemo(RuntimeError):
    """The database holds a demo region loaded by an earlier version of the demo."""


def _lan_user(email: str, name: str, role: str, clock: Clock) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        with backdating(db.session, clock):
            clock.at(LAN_SINCE, 8, 0)
            user = User(email=email, name=name, platform_role=role, locale=None,
                        password_hash=demo_password_hash())
            db.session.add(user)
            db.session.flush()
    return user


def _slug_email(kind: str, slug: str) -> str:
    return f"{kind}@{slug}.example"


def _check_current(tenant: Tenant) -> None:
    kinds = set(db.session.scalars(sa.select(Agreement.kind).where(
        Agreement.tenant_id == tenant.id, Agreement.renews_id.is_not(None))))
    if kinds != {Agreement.MOU, Agreement.PKS}:
        raise OutdatedDemo(
            f"{tenant.name} ({tenant.slug}) was loaded by an earlier version of the demo. "
            f"Load the demo into an empty database (for ./run: stop it and remove var/pg), "
            f"or drop that tenant first (labinov tenants suspend/drop {tenant.slug}).")


def drop_outdated() -> list[str]:
    """Drop the demo regions that an earlier version of the demo loaded (their schema,
    stored files and platform rows), so that the load can make them anew."""
    dropped = []
    for region in REGIONS:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == region.code))
        if tenant is None:
            continue
        try:
            _check_current(tenant)
        except OutdatedDemo:
            tenant_id, slug = tenant.id, tenant.slug
            tenant.status = TenantStatus.ARCHIVED  # an active tenant is never dropped
            registry.drop(db.session, tenant)
            db.session.commit()
            forget_tenant_files(tenant_id)
            dropped.append(slug)
    return dropped


def load_region(region: Region, lan_ids: dict[str, int], today: date) -> list[tuple]:
    """One region: onboarded, enrolled in its cohort, its lab built (what is missing)."""
    session = db.session
    lan = {role: session.get(User, user_id) for role, user_id in lan_ids.items()}
    rng = random.Random(f"demo-{region.code}")
    clock = Clock(ZONE)
    admin_name = region.admin[0]
    plan = demo_cohorts.PLANS[region.stage]
    first_day = demo_cohorts.windows(plan, today)[0].starts_on
    renewal = renewal_dates(first_day, rng)
    tenant = session.scalar(sa.select(Tenant).where(Tenant.regency_code == region.code))
    if tenant is None:
        tenant = onboard(session, region, lan_admin=lan[Role.LAN_ADMIN],
                         admin_name=admin_name, renewal=renewal, clock=clock, rng=rng)
        session.commit()
        log.info("demo: %s onboarded", tenant.slug)
    else:
        _check_current(tenant)
    cohort = demo_cohorts.cohort_for(session, region.stage, today, lan_admin=lan[Role.LAN_ADMIN],
                                     coach=lan[Role.LAN_COACH], clock=clock)
    enrolled = session.scalar(sa.select(Enrolment.id).where(Enrolment.tenant_id == tenant.id))
    if not enrolled:
        demo_cohorts.enroll(session, cohort, tenant, lan_admin=lan[Role.LAN_ADMIN],
                            coach=lan[Role.LAN_COACH], clock=clock,
                            on=first_day - timedelta(days=21))
    session.commit()
    ref, cohort_id = tenant.ref(), cohort.id
    admin = session.scalar(sa.select(User).where(User.email == tenant.admin_email))
    innovator_email = _slug_email("inovator", ref.slug)
    windows = {w.stage: w for w in demo_cohorts.windows(plan, today)}
    session.close()
    with tenant_scope(ref) as scoped:
        if scoped.scalar(sa.select(Idea.id).limit(1)) is None:
            lab = Lab(session=scoped, tenant=scoped.get(Tenant, ref.id), region=region,
                      cohort=scoped.get(Cohort, cohort_id),
                      windows=windows, today=today, clock=clock, rng=rng,
                      admin=scoped.get(User, admin.id),
                      coach=scoped.get(User, lan_ids[Role.LAN_COACH]),
                      innovator_email=innovator_email)
            try:
                build(lab)
                scoped.commit()
            except BaseException:
                scoped.rollback()
                for key in lab.stored:
                    try:
                        storage().delete(key)
                    except Exception:
                        log.exception("could not delete %s after a failed demo load", key)
                raise
            log.info("demo: the lab of %s is built", ref.slug)
    innovator = session.scalar(sa.select(User).where(User.email == innovator_email))
    logins = [(admin.email, admin.name, f"{Role.BAPPEDA_ADMIN} {ref.slug}")]
    if innovator is not None and session.scalar(sa.select(Membership.id).where(
            Membership.user_id == innovator.id, Membership.tenant_id == ref.id)):
        logins.append((innovator.email, innovator.name, f"{Role.INNOVATOR} {ref.slug}"))
    return logins


def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing; returns (email, name, role) for each demo sign-in."""
    today = today_in(ZONE)
    clock = Clock(ZONE)
    lan = {role: _lan_user(email, name, role, clock) for email, name, role in LAN_PEOPLE}
    logins = [(u.email, u.name, str(role)) for role, u in lan.items()]
    lan_ids = {role: u.id for role, u in lan.items()}
    db.session.commit()
    for region in REGIONS:
        logins += load_region(region, lan_ids, today)
    db.session.close()
    refresh_summaries()
    return logins


def refresh_summaries() -> None:
    """Count the demo labs for LAN's cohort dashboard now rather than wait for a worker (the
    loader writes below the web tier, whose commits queue the recount): those not counted
    since their midnight, so that loading again the same day changes nothing."""
    due = set(due_for_recount(db.session))
    tenants = db.session.scalars(sa.select(Tenant).where(
        Tenant.regency_code.in_([r.code for r in REGIONS]), Tenant.id.in_(due))).all()
    refs = [t.ref() for t in tenants]
    db.session.close()
    for ref in refs:
        with tenant_scope(ref) as scoped:
            refresh_lab(scoped)
