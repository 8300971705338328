"""Two labs and one person for each role, for the account, role-matrix and cross-tenant tests.

    world = build_world(make_tenant, make_user)
    world.users["innovator_a"], world.a, world.unit_ids["b"]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from clients import request_client  # noqa: F401 - re-exported for the account tests
from conftest import PASSWORD

from tenants.accounts.models import Membership, Role, User
from tenants.db import db
from tenants.registry import Tenant
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit

# Every role the matrix walks, anonymous first.
ROLES = ("anonymous", "innovator_a", "bappeda_a", "coach_a", "coach_b", "lan_admin",
         "lan_coach")


@dataclass
class World:
    a: Tenant
    b: Tenant
    users: dict[str, User] = field(default_factory=dict)
    unit_ids: dict[str, int] = field(default_factory=dict)
    person_ids: dict[str, int] = field(default_factory=dict)

    def tenant(self, name: str) -> Tenant:
        return {"a": self.a, "b": self.b}[name]


def add_unit(tenant: Tenant, name: str, kind: str = "puskesmas") -> int:
    with tenant_session(tenant.ref()) as session:
        unit = Unit(name=name, kind=kind)
        session.add(unit)
        session.flush()
        unit_id = unit.id
        session.commit()
    return unit_id


def add_person(tenant: Tenant, unit_id: int, name: str) -> int:
    with tenant_session(tenant.ref()) as session:
        person = Person(unit_id=unit_id, name=name)
        session.add(person)
        session.flush()
        person_id = person.id
        session.commit()
    return person_id


@functools.cache
def _password_hash() -> str:
    # Hashing once per run keeps eight accounts cheap (argon2 is slow by design).
    user = User(email="-", name="-")
    user.set_password(PASSWORD)
    return user.password_hash


def add_user(email: str, name: str, platform_role=None, memberships=(), locale=None) -> User:
    user = User(email=email, name=name, platform_role=platform_role, locale=locale,
                password_hash=_password_hash())
    db.session.add(user)
    for tenant, role, *unit in memberships:
        db.session.add(Membership(user=user, tenant_id=tenant.id, role=role,
                                  unit_id=unit[0] if unit else None))
    return user


def build_world(make_tenant, make_user=None) -> World:
    """Kab. Probolinggo (A) and Kab. Tuban (B), each with units, people and members."""
    a = make_tenant("35.13")
    b = make_tenant("35.23")
    world = World(a=a, b=b)
    world.unit_ids["a"] = add_unit(a, "Puskesmas Kraksaan")
    add_unit(a, "Kecamatan Paiton", "kecamatan")
    world.unit_ids["b"] = add_unit(b, "Puskesmas Jenu")
    world.person_ids["a"] = add_person(a, world.unit_ids["a"], "Ahmad Fauzi")
    world.person_ids["b"] = add_person(b, world.unit_ids["b"], "Ratna Dewi")
    u = world.users
    u["innovator_a"] = add_user("innovator@a.example", "Siti Nurhayati",
                                memberships=[(a, Role.INNOVATOR, world.unit_ids["a"])])
    u["bappeda_a"] = add_user("bappeda@a.example", "Dwi Hartono",
                              memberships=[(a, Role.BAPPEDA_ADMIN)])
    u["coach_a"] = add_user("coach-a@lan.example", "Teguh Prasetyo",
                            platform_role=Role.LAN_COACH, memberships=[(a, Role.COACH)])
    u["coach_b"] = add_user("coach-b@lan.example", "Maya Lestari",
                            platform_role=Role.LAN_COACH, memberships=[(b, Role.COACH)])
    u["lan_admin"] = add_user("admin@lan.example", "Rina Marlina",
                              platform_role=Role.LAN_ADMIN)
    u["lan_coach"] = add_user("coach@lan.example", "Bayu Saputra",
                              platform_role=Role.LAN_COACH)
    u["innovator_b"] = add_user("innovator@b.example", "Wulan Sari",
                                memberships=[(b, Role.INNOVATOR, world.unit_ids["b"])])
    u["bappeda_b"] = add_user("bappeda@b.example", "Hendra Kurniawan",
                              memberships=[(b, Role.BAPPEDA_ADMIN)])
    db.session.commit()
    return world


LINK = re.compile(r"https?://\S+/auth/(?:invitation|reset)/[A-Za-z0-9_\-]+")


def link_in(message) -> str:
    """The one emailed link in `message` (plain-text part), as a path."""
    links = set(LINK.findall(message.text))
    assert len(links) == 1, f"expected one link in the email, found {links}:\n{message.text}"
    url = links.pop()
    return "/" + url.split("/", 3)[3]
