"""Fixtures of the lab's tests: a lab under way, for the dashboard's tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tenants.lab.models import Commitment, Idea, Milestone
from tenants.scope import tenant_session
from tenants.units.models import Person, Unit

from .idea_helpers import enrol

# Lab A's units beside the world's Puskesmas Kraksaan (innovator_a's) and Kecamatan Paiton.
OPD = ["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perikanan"]
PUSKESMAS = ["Puskesmas Paiton", "Puskesmas Gending"]
KECAMATAN = ["Kecamatan Kraksaan", "Kecamatan Leces"]
# (kind, stage) -> ideas; 29 OPD, 20 Puskesmas, 25 Kecamatan.
SPREAD = {("opd", "design"): 9, ("opd", "deliver"): 20, ("puskesmas", "diagnose"): 2,
          ("puskesmas", "deliver"): 15, ("puskesmas", "display"): 3,
          ("kecamatan", "deliver"): 25}


def _add_units(session, names, kind) -> list[Unit]:
    units = [Unit(name=name, kind=kind) for name in names]
    session.add_all(units)
    session.flush()
    return units


@pytest.fixture
def busy_lab(world):
    """Lab A (Kab. Probolinggo) with 74 ideas in its cohort, milestones, commitments; lab B
    (Kab. Tuban) in the same cohort with one idea of its own."""
    # Started 200 days ago: five 60-day stages put the lab in deliver today.
    cohort = enrol(world.a, world.b, start=date.today() - timedelta(days=200))
    with tenant_session(world.a.ref()) as s:
        kraksaan = s.get(Unit, world.unit_ids["a"])
        paiton = s.scalar(sa.select(Unit).where(Unit.name == "Kecamatan Paiton"))
        by_kind = {"opd": _add_units(s, OPD, "opd"),
                   "puskesmas": [kraksaan, *_add_units(s, PUSKESMAS, "puskesmas")],
                   "kecamatan": [paiton, *_add_units(s, KECAMATAN, "kecamatan")]}
        idle = _add_units(s, ["RSUD Waluyo Jati"], "rsud")[0]
        retired = Unit(name="Kecamatan Lama", kind="kecamatan",
                       retired_at=datetime(2025, 1, 1, tzinfo=UTC))
        s.add(retired)
        owner = Person(unit_id=kraksaan.id, name="Dewi Anggraini")
        s.add(owner)
        s.flush()
        n = 0
        for (kind, stage), count in SPREAD.items():
            for i in range(count):
                unit = by_kind[kind][i % len(by_kind[kind])]
                n += 1
                s.add(Idea(cohort_id=cohort.id, unit_id=unit.id, stage=stage,
                           title=f"Inovasi {kind} {n}"))
        s.flush()
        si_kepho = Idea(cohort_id=cohort.id, unit_id=kraksaan.id, stage="deliver",
                        title="Sistem Informasi Kelompok Peduli HIV/ODHA", acronym="Si Kepho")
        dinas = Idea(cohort_id=cohort.id, unit_id=by_kind["opd"][0].id, stage="deliver",
                     title="Inovasi Layanan Online Aja", acronym="Inol Aja")
        s.add_all([si_kepho, dinas])
        s.flush()
        today = date.today()
        s.add_all([
            Milestone(idea_id=si_kepho.id, title="Pelatihan kader", owner_id=owner.id,
                      due_on=today - timedelta(days=12), status="in_progress"),
            Milestone(idea_id=si_kepho.id, title="Uji coba aplikasi", owner_id=owner.id,
                      due_on=today - timedelta(days=3)),
            Milestone(idea_id=si_kepho.id, title="Sosialisasi", due_on=today - timedelta(days=30),
                      status="done"),
            Milestone(idea_id=si_kepho.id, title="Evaluasi", due_on=today + timedelta(days=5)),
            Milestone(idea_id=dinas.id, title="Peluncuran aplikasi",
                      due_on=today - timedelta(days=1)),
        ])
        for unit in (*by_kind["opd"], kraksaan):
            s.add(Commitment(cohort_id=cohort.id, unit_id=unit.id, signed_on=date(2026, 1, 12),
                             signatory_name="Kepala"))
        s.commit()
        ids = {"cohort": cohort.id, "si_kepho": si_kepho.id, "dinas": dinas.id,
               "idle": idle.id, "retired": retired.id}
    with tenant_session(world.b.ref()) as s:
        s.execute(sa.text("SELECT setval('idea_id_seq', 100000)"))
        tuban = Idea(cohort_id=cohort.id, unit_id=world.unit_ids["b"], stage="design",
                     title="Inovasi Rahasia Tuban", acronym="Rahasia Tuban")
        s.add(tuban)
        s.flush()
        s.add(Milestone(idea_id=tuban.id, title="Tugas Tuban yang terlambat",
                        due_on=date.today() - timedelta(days=40)))
        s.commit()
        ids["tuban"] = tuban.id
    return ids


