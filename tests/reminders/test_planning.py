"""Settings, preferences and what is due when, in each tenant's time zone (no worker)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tenants.refusal import Refused
from tenants.reminders import operations
from tenants.reminders.models import Mode, ReminderDelivery, Status
from tenants.reminders.operations import check_offsets, day_off
from tenants.scope import tenant_session

from .lab_helpers import bappeda, enrol, finish, lab_with_milestones

MINUTE = timedelta(minutes=1)
DUE = date(2026, 12, 10)  # a Thursday; 7 days before is Thursday 3 December


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def plan(tenant, now):
    with tenant_session(tenant.ref()) as session:
        batches = operations.plan_tenant(session, tenant.ref(), now)
        session.commit()
    return batches


def ledger(tenant) -> list[ReminderDelivery]:
    with tenant_session(tenant.ref()) as session:
        rows = session.scalars(sa.select(ReminderDelivery).order_by(ReminderDelivery.id)).all()
        session.expunge_all()
    return rows


@pytest.mark.parametrize(("days_before", "on_the_day", "overdue", "field"), [
    ([7, -3], True, [], "days_before"),
    ([7, 7], True, [], "days_before"),
    ([61], True, [], "days_before"),
    ([7], True, [3, 3], "days_overdue"),
    ([7], True, [90], "days_overdue"),
    ([], False, [], "days_before"),
])
def test_offsets_that_make_no_sense_are_refused(days_before, on_the_day, overdue, field):
    with pytest.raises(Refused) as refused:
        check_offsets(days_before, on_the_day, overdue)
    assert refused.value.field == field


def test_offsets_are_signed_days_before():
    assert check_offsets([1, 7, 3], True, [3]) == [7, 3, 1, 0, -3]
    assert check_offsets([60], False, [60]) == [60, -60]


def test_weekends_and_holidays():
    assert day_off(date(2026, 12, 5)) == "weekend"       # a Saturday
    assert day_off(date(2026, 8, 17)) == "holiday"       # Independence Day, a Monday
    assert day_off(date(2026, 12, 3)) is None


@pytest.mark.parametrize(("code", "zone", "midnight_utc", "send_hour_utc"), [
    ("35.13", "Asia/Jakarta", at(2026, 12, 2, 17), at(2026, 12, 3, 0)),     # WIB, UTC+7
    ("73.71", "Asia/Makassar", at(2026, 12, 2, 16), at(2026, 12, 2, 23)),   # WITA, UTC+8
    ("81.71", "Asia/Jayapura", at(2026, 12, 2, 15), at(2026, 12, 2, 22)),   # WIT, UTC+9
])
def test_local_midnight_and_send_hour(ctx, make_tenant, code, zone, midnight_utc,
                                      send_hour_utc):
    tenant = make_tenant(code)
    assert tenant.timezone == zone
    cohort = enrol(tenant, f"Angkatan {code}")
    lab_with_milestones(tenant, cohort, [("Ahmad Fauzi", "ahmad@dinkes.example")], DUE)

    before_midnight = midnight_utc - MINUTE
    assert plan(tenant, before_midnight) == []
    assert ledger(tenant) == []                      # still 2 December there: nothing due

    assert plan(tenant, midnight_utc) == []          # 3 December: claimed, not sent yet
    [row] = ledger(tenant)
    assert (row.remind_on, row.offset_days, row.status) == (date(2026, 12, 3), 7, "pending")

    just_before = send_hour_utc - MINUTE
    assert plan(tenant, just_before) == []
    [batch] = plan(tenant, send_hour_utc)            # 07:00 there
    assert (batch.email, batch.mode, batch.remind_on) == ("ahmad@dinkes.example", "digest",
                                                          date(2026, 12, 3))
    assert len(ledger(tenant)) == 1                  # planned again: nothing new claimed


def test_preferences_bad_addresses_and_done_items(ctx, make_tenant):
    tenant = make_tenant("35.13")
    cohort = enrol(tenant, "Angkatan I")
    ids = lab_with_milestones(tenant, cohort, [
        ("Ahmad Fauzi", "ahmad@dinkes.example"), ("Tanpa Email", None),
        ("Salah Ketik", "salah@@dinkes"), ("Sibuk", "sibuk@dinkes.example"),
        ("Cepat", "cepat@dinkes.example")], DUE)
    with tenant_session(tenant.ref()) as session:
        operations.set_preference(session, "Sibuk@dinkes.example", "milestone", Mode.OFF)
        operations.set_preference(session, "cepat@dinkes.example", "milestone",
                                  Mode.IMMEDIATE)
        session.commit()
    with pytest.raises(Refused), tenant_session(tenant.ref()) as session:
        operations.set_preference(session, "x@y.example", "agreement", Mode.OFF)

    midnight = at(2026, 12, 2, 17, 30)  # 00:30 WIB: only "immediately" goes now
    batches = plan(tenant, midnight)
    assert [(b.email, b.mode) for b in batches] == [("cepat@dinkes.example", "immediate")]
    rows = {r.name: r for r in ledger(tenant)}
    assert (rows["Tanpa Email"].status, rows["Tanpa Email"].reason) == ("skipped", "no_email")
    assert (rows["Salah Ketik"].status, rows["Salah Ketik"].reason) == ("failed",
                                                                        "bad_address")
    assert (rows["Sibuk"].status, rows["Sibuk"].reason) == ("skipped", "off")

    finish(tenant, ids[0])  # done: no reminder on the next due date
    assert [b.email for b in plan(tenant, at(2026, 12, 6, 23))] == ["cepat@dinkes.example"]
    keys = {(r.name, r.offset_days) for r in ledger(tenant) if r.remind_on == date(2026, 12, 7)}
    assert ("Ahmad Fauzi", 3) not in keys and ("Cepat", 3) in keys


def test_on_the_day_skips_weekends_when_the_tenant_says_so(ctx, make_tenant):
    tenant = make_tenant("35.13")
    cohort = enrol(tenant, "Angkatan I")
    saturday = date(2026, 12, 5)
    lab_with_milestones(tenant, cohort, [("Ahmad Fauzi", "ahmad@dinkes.example")], saturday)
    assert plan(tenant, at(2026, 12, 5, 1)) == []
    [row] = ledger(tenant)
    assert (row.offset_days, row.status, row.reason) == (0, "skipped", "weekend")


def test_stage_deadlines_use_the_labs_own_dates(ctx, make_tenant):
    from tenants.cohorts.models import StageShift

    tenant = make_tenant("35.13")
    bappeda(tenant, "bappeda@probolinggo.example")
    cohort = enrol(tenant, "Angkatan I", {"drum_up": date(2026, 3, 1)})
    with tenant_session(tenant.ref()) as session:  # the lab moved every stage by a day
        for s in cohort.stages:
            session.add(StageShift(cohort_id=cohort.id, stage=s.stage, starts_on=s.starts_on,
                                   ends_on=s.ends_on,
                                   deliverable_due=date(2026, 3, 2) if s.stage == "drum_up"
                                   else s.deliverable_due))
        session.commit()
    assert plan(tenant, at(2026, 2, 22, 1)) == []    # 7 days before the cohort's date
    assert ledger(tenant) == []
    [batch] = plan(tenant, at(2026, 2, 23, 1))       # 7 days before the lab's own date
    assert batch.email == "bappeda@probolinggo.example"
    [row] = ledger(tenant)
    assert (row.category, row.title) == ("stage", "Angkatan I: Drum-up")
    assert row.status == Status.PENDING


def test_settings_are_saved_and_refused(ctx, make_tenant):
    tenant = make_tenant("35.13")
    with tenant_session(tenant.ref()) as session:
        with pytest.raises(Refused):
            operations.save_settings(session, days_before=[7, -1], on_the_day=True,
                                     days_overdue=[], send_hour=7, skip_holidays=True,
                                     actor_id=None)
        session.rollback()
    with tenant_session(tenant.ref()) as session:
        operations.save_settings(session, days_before=[14, 2], on_the_day=False,
                                 days_overdue=[1], send_hour=6, skip_holidays=False,
                                 actor_id=None)
        session.commit()
    with tenant_session(tenant.ref()) as session:
        s = operations.current_settings(session)
        assert (s.offsets, s.send_hour, s.skip_holidays) == ([14, 2, -1], 6, False)
