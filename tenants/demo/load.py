"""Loading the demo data, drawn from the programme's published record.

Loading twice changes nothing: what exists is kept.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tenants.accounts.models import Membership, Role, User
from tenants.db import db
from tenants.onboarding.models import Agreement
from tenants.onboarding.operations import create_active
from tenants.registry import Tenant
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit, UnitKind

DEMO_PASSWORD = "labinov-demo-2026"

LAN_PEOPLE = [
    ("admin@lan.example", "Rina Marlina", Role.LAN_ADMIN),
    ("coach@lan.example", "Teguh Prasetyo", Role.LAN_COACH),
]

K = UnitKind
LABS = {
    "35.13": {  # Kabupaten Probolinggo: MoU 16 March 2017
        "mou": ("119/4124/426.101/2017", date(2017, 3, 16)),
        "admin": ("Dwi Hartono", "Kepala Bidang Litbang, Bappeda"),
        "innovator": ("Siti Nurhayati", "Puskesmas Kraksaan"),
        "coach": True,
        "units": [
            ("Dinas Kesehatan", K.OPD), ("Dinas Pendidikan dan Kebudayaan", K.OPD),
            ("Dinas Kependudukan dan Pencatatan Sipil", K.OPD),
            ("Dinas Pekerjaan Umum dan Penataan Ruang", K.OPD),
            ("RSUD Waluyo Jati Kraksaan", K.RSUD), ("RSUD Tongas", K.RSUD),
            ("Puskesmas Kraksaan", K.PUSKESMAS), ("Puskesmas Paiton", K.PUSKESMAS),
            ("Puskesmas Dringu", K.PUSKESMAS), ("Kecamatan Kraksaan", K.KECAMATAN),
            ("Kecamatan Paiton", K.KECAMATAN), ("Kecamatan Leces", K.KECAMATAN),
        ],
        "people": [("Ahmad Fauzi", "Puskesmas Paiton", "Kepala Puskesmas"),
                   ("Lilik Wahyuni", "Dinas Kesehatan", "Kepala Seksi Promosi Kesehatan"),
                   ("Bambang Sutrisno", "Kecamatan Kraksaan", "Sekretaris Camat")],
    },
    "35.74": {  # Kota Probolinggo
        "mou": ("050/118/425.012/2017", date(2017, 8, 9)),
        "admin": ("Anita Rahmawati", "Kepala Sub Bidang Penelitian dan Pengembangan, Bappeda"),
        "innovator": ("Yusuf Hidayat", "Kelurahan Mangunharjo"),
        "units": [
            ("Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana", K.OPD),
            ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.OPD),
            ("RSUD dr. Mohamad Saleh", K.RSUD), ("Puskesmas Jati", K.PUSKESMAS),
            ("Puskesmas Kanigaran", K.PUSKESMAS), ("Kecamatan Mayangan", K.KECAMATAN),
            ("Kelurahan Mangunharjo", K.KELURAHAN),
        ],
        "people": [("Endah Susanti", "Puskesmas Jati", "Bidan Koordinator")],
    },
    "35.23": {  # Kabupaten Tuban: MoU 3 April 2018
        "mou": ("119/1387/414.103/2018", date(2018, 4, 3)),
        "admin": ("Hendra Kurniawan", "Kepala Bidang Penelitian dan Pengembangan, Bappeda"),
        "innovator": ("Wulan Sari", "RSUD Dr. R. Koesma"),
        "coach": True,
        "units": [
            ("RSUD Dr. R. Koesma", K.RSUD), ("Dinas Pekerjaan Umum dan Penataan Ruang", K.OPD),
            ("Dinas Perumahan Rakyat dan Kawasan Permukiman", K.OPD),
            ("Dinas Kesehatan", K.OPD), ("Puskesmas Jenu", K.PUSKESMAS),
            ("Puskesmas Tuban", K.PUSKESMAS), ("Kecamatan Jenu", K.KECAMATAN),
            ("Kecamatan Semanding", K.KECAMATAN), ("Desa Sugihwaras", K.DESA),
        ],
        "people": [("Agus Salim", "Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Bidang"),
                   ("Ratna Dewi", "Puskesmas Jenu", "Perawat")],
    },
    "33.03": {  # Kabupaten Purbalingga
        "mou": ("119/2211/2018", date(2018, 10, 22)),
        "admin": ("Eko Widodo", "Kepala Bidang Litbang, Bappelitbangda"),
        "innovator": ("Nur Aini", "Puskesmas Bobotsari"),
        "units": [
            ("RSUD dr. R. Goeteng Taroenadibrata", K.RSUD), ("Dinas Kesehatan", K.OPD),
            ("Dinas Kependudukan dan Pencatatan Sipil", K.OPD),
            ("Puskesmas Bobotsari", K.PUSKESMAS), ("Puskesmas Kalimanah", K.PUSKESMAS),
            ("Kecamatan Kalimanah", K.KECAMATAN), ("SMP Negeri 1 Purbalingga", K.SEKOLAH),
        ],
        "people": [("Tri Handayani", "Dinas Kesehatan", "Analis Kebijakan")],
    },
}

def _user(email: str, name: str, platform_role: str | None = None) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, platform_role=platform_role, locale=None)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def _member(user: User, tenant: Tenant, role: str, unit_id: int | None = None) -> None:
    exists = db.session.scalar(sa.select(Membership.id).where(
        Membership.user_id == user.id, Membership.tenant_id == tenant.id,
        Membership.role == role))
    if not exists:
        db.session.add(Membership(user=user, tenant=tenant, role=role, unit_id=unit_id))


def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing; returns (email, name, role) for each demo sign-in."""
    logins = []
    lan = {}
    for email, name, role in LAN_PEOPLE:
        lan[role] = _user(email, name, role)
        logins.append((email, name, role))
    for code, lab in LABS.items():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.regency_code == code))
        if tenant is None:
            tenant = create_active(db.session, code, actor_id=lan[Role.LAN_ADMIN].id)
            number, signed = lab["mou"]
            db.session.add(Agreement(
                tenant=tenant, kind=Agreement.MOU, number=number, signed_on=signed,
                valid_from=signed, valid_until=signed.replace(year=signed.year + 5),
                lan_signatory_name="Dr. Adi Suryanto", lan_signatory_title="Kepala LAN",
                regional_signatory_name=f"Bupati / Wali Kota {tenant.name}",
                regional_signatory_title="Kepala Daerah", created_by_id=lan[Role.LAN_ADMIN].id))
        ref = tenant.ref()
        db.session.commit()
        with tenant_session(ref) as session:
            units = {u.name: u for u in session.scalars(sa.select(Unit))}
            for name, kind in lab["units"]:
                if name not in units:
                    units[name] = Unit(name=name, kind=kind)
                    session.add(units[name])
            session.flush()
            known = set(session.scalars(sa.select(Person.name)))
            for name, unit, position in lab["people"]:
                if name not in known:
                    session.add(Person(name=name, unit=units[unit], position=position))
            innovator_name, innovator_unit = lab["innovator"]
            innovator_unit_id = units[innovator_unit].id
            session.commit()
        slug = ref.slug
        admin_name, admin_position = lab["admin"]
        admin = _user(f"bappeda@{slug}.example", admin_name)
        innovator = _user(f"inovator@{slug}.example", innovator_name)
        tenant = db.session.get(Tenant, ref.id)
        _member(admin, tenant, Role.BAPPEDA_ADMIN)
        _member(innovator, tenant, Role.INNOVATOR, unit_id=innovator_unit_id)
        if lab.get("coach"):
            _member(lan[Role.LAN_COACH], tenant, Role.COACH)
        with tenant_session(ref) as session:
            known = {p.account_id for p in session.scalars(sa.select(Person))}
            for account, position, unit in ((admin, admin_position, None),
                                            (innovator, None, innovator_unit)):
                if account.id not in known:
                    unit_id = units_id(session, unit) if unit else None
                    session.add(Person(name=account.name, email=account.email,
                                       account_id=account.id, position=position,
                                       unit_id=unit_id or _bappeda_unit(session)))
            session.commit()
        db.session.commit()
        logins.append((admin.email, admin.name, f"{Role.BAPPEDA_ADMIN} {slug}"))
        logins.append((innovator.email, innovator.name, f"{Role.INNOVATOR} {slug}"))
    return logins


def units_id(session, name: str) -> int:
    return session.scalar(sa.select(Unit.id).where(Unit.name == name))


def _bappeda_unit(session) -> int:
    """Bappeda is itself an OPD of the regency; its staff are listed under it."""
    unit = session.scalar(sa.select(Unit).where(Unit.short_name == "Bappeda"))
    if unit is None:
        unit = Unit(name="Badan Perencanaan Pembangunan Daerah", kind=UnitKind.OPD,
                    short_name="Bappeda")
        session.add(unit)
        session.flush()
    return unit.id
