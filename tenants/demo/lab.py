"""A whole lab for one demo tenant, in its cohort: units and people, the RPJMD, each unit's
drum-up commitment, the ideas with their IID profile, action plans with progress notes,
coaching, launches and the regulation that lists the innovations.

Ideas go through the idea operations (create, update, move through the gates). The parts
whose operations are still being built (plans, coaching, commitments, launches,
regulations, the RPJMD) are written here row by row as those operations write them: the
row itself, the idea's history entry and the lab's audit entry. LAN's summary of the lab
is counted by the loader once every lab is built.
"""

from __future__ import annotations

import io
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenants.accounts.models import Role, User
from tenants.audit.operations import record_lab
from tenants.cohorts.models import Cohort, Stage
from tenants.cohorts.operations import Window
from tenants.demo import documents, texts
from tenants.demo.awarded import AWARDED
from tenants.demo.clock import Clock, backdating
from tenants.demo.onboarding import accept, mark_mail_sent
from tenants.demo.people import HEAD, STAFF, Names, bare, head_kind, staff_kind
from tenants.demo.regions import Region
from tenants.lab.models import (
    Attachment,
    Comment,
    Commitment,
    Idea,
    IdeaEvent,
    Launch,
    Milestone,
    MilestoneNote,
    Regulation,
    RpjmdIndicator,
    RpjmdPeriod,
    RpjmdPriority,
)
from tenants.lab.operations import ideas as idea_ops
from tenants.registry import Tenant
from tenants.storage import storage, tenant_key
from tenants.units.models import Person, Unit, UnitKind
from tenants.units.operations import invite_member

PDF = "application/pdf"


@dataclass
class Lab:
    """What the loader knows while it builds one lab."""

    session: Session
    tenant: Tenant
    region: Region
    cohort: Cohort
    windows: dict[str, Window]
    today: date
    clock: Clock
    rng: random.Random
    admin: User
    coach: User
    innovator_email: str
    innovator: User | None = None  # invited while the lab is built
    units: list[Unit] = field(default_factory=list)
    heads: dict[int, Person] = field(default_factory=dict)
    staff: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    indicators: dict[str, RpjmdIndicator] = field(default_factory=dict)
    stored: list[str] = field(default_factory=list)  # keys to delete if the load fails

    def day(self, stage: str, fraction: float, jitter: int = 0) -> date:
        """A day `fraction` of the way through the stage's window, or through the part of
        it that has passed when the stage is under way today."""
        w = self.windows[stage]
        end = min(w.ends_on, self.today - timedelta(days=1)) if w.starts_on < self.today \
            else w.ends_on
        span = max((end - w.starts_on).days, 0)
        day = w.starts_on + timedelta(days=round(span * fraction) + self.rng.randint(0, jitter))
        return min(day, end)

    def store(self, key: str, pdf: bytes, name: str) -> int:
        storage().put(key, io.BytesIO(pdf), PDF, name)
        self.stored.append(key)
        return len(pdf)

    @property
    def place(self) -> str:
        return self.tenant.name

    @property
    def regulation_kind(self) -> str:
        return Regulation.PERWALI if self.region.head_title.startswith("Wali") \
            else Regulation.PERBUP


def build(lab: Lab) -> None:
    """Everything of the lab, in the order it happened."""
    with backdating(lab.session, lab.clock):
        _units(lab)
        _people(lab)
        _rpjmd(lab)
        _commitments(lab)
        ideas = _ideas(lab) if lab.region.ideas else _awarded(lab)
        if lab.region.stage != Stage.DIAGNOSE:
            _launches(lab, ideas)
        _coaching(lab, ideas)
        if lab.region.stage == Stage.DISPLAY:
            _display(lab, ideas)
    _settle_times(lab.session)


# --- Units and people ---------------------------------------------------------------------

def _units(lab: Lab) -> None:
    lab.clock.at(lab.windows[Stage.DRUM_UP].starts_on - timedelta(days=12), 9, 30)
    existing = {u.name: u for u in lab.session.scalars(sa.select(Unit))}
    for spec in (lab.region.bappeda, *lab.region.units):
        unit = existing.get(spec.name)
        if unit is None:
            unit = Unit(name=spec.name, kind=spec.kind, short_name=spec.short)
            lab.session.add(unit)
        unit.domain = spec.domain  # not a column: what the demo writes its ideas about
        lab.units.append(unit)
        lab.clock.later(1)
    lab.session.flush()


def _unit(lab: Lab, name: str) -> Unit:
    return next(u for u in lab.units if u.name == name)


def _position(unit: Unit, head: bool, rng: random.Random) -> str:
    if head:
        title = HEAD[unit.kind]
        return f"{title} {unit.name}" if unit.kind in (UnitKind.OPD, UnitKind.OTHER) else title
    return rng.choice(STAFF[unit.kind])


def _people(lab: Lab) -> None:
    """A head and one or two innovators in every unit; the demo accounts among them."""
    session, rng = lab.session, lab.rng
    reserved = {lab.admin.name, lab.region.innovator[0], lab.region.admin[0]}
    names = Names(f"people-{lab.region.code}", reserved)
    lab.clock.at(lab.windows[Stage.DRUM_UP].starts_on - timedelta(days=11), 10, 0)
    bappeda = _unit(lab, lab.region.bappeda.name)
    # The Bappeda administrator is one of the Bappeda's own people.
    admin_person = session.scalar(sa.select(Person).where(Person.account_id == lab.admin.id))
    if admin_person is None:
        session.add(Person(unit=bappeda, name=lab.admin.name, email=lab.admin.email,
                           account_id=lab.admin.id, position=lab.region.admin[1]))
    for unit in lab.units:
        head = Person(unit=unit, name=names.titled(head_kind(unit.kind)),
                      position=_position(unit, True, rng))
        session.add(head)
        lab.heads[unit.id] = head
        for _ in range(2 if rng.random() < 0.6 else 1):
            person = Person(unit=unit, name=names.titled(staff_kind(unit.kind)),
                            position=_position(unit, False, rng))
            session.add(person)
            lab.staff[unit.id].append(person)
        lab.clock.later(1)
    session.flush()
    # The innovator account: invited by the Bappeda administrator, accepted a day later.
    name, unit_name, position = lab.region.innovator
    unit = _unit(lab, unit_name)
    lab.clock.at(lab.windows[Stage.DRUM_UP].starts_on + timedelta(days=2), 13, 10)
    user = invite_member(session, email=lab.innovator_email, name=name, role=Role.INNOVATOR,
                         unit_id=unit.id, locale="id", actor_id=lab.admin.id)
    mark_mail_sent(session, lab.clock.later(1))
    person = session.scalar(sa.select(Person).where(Person.account_id == user.id))
    person.position = position
    lab.staff[unit.id].insert(0, person)
    accept(session, user, lab.tenant.id, lab.clock.at(
        lab.windows[Stage.DRUM_UP].starts_on + timedelta(days=3), 8, 25))
    lab.innovator = user
    session.flush()


# --- RPJMD --------------------------------------------------------------------------------

def _rpjmd(lab: Lab) -> None:
    plan = lab.region.rpjmd
    session = lab.session
    lab.clock.at(lab.windows[Stage.DRUM_UP].starts_on - timedelta(days=8), 14, 0)
    period = RpjmdPeriod(title=plan.title, starts_year=plan.years[0], ends_year=plan.years[1],
                         regulation=plan.regulation)
    session.add(period)
    session.flush()
    record_lab(session, "rpjmd.period_created", actor_id=lab.admin.id, target=plan.title,
               years=f"{plan.years[0]}\u2013{plan.years[1]}", regulation=plan.regulation)
    lab.clock.later(9)
    created = 0
    for m, (misi, goals) in enumerate(plan.misi, start=1):
        parent = RpjmdPriority(period_id=period.id, kind=RpjmdPriority.MISI, code=f"M{m}",
                               text=misi, position=m)
        session.add(parent)
        session.flush()
        created += 1
        for s, (sasaran, indicators) in enumerate(goals, start=1):
            goal = RpjmdPriority(period_id=period.id, parent_id=parent.id,
                                 kind=RpjmdPriority.SASARAN, code=f"S{m}.{s}", text=sasaran,
                                 position=s)
            session.add(goal)
            session.flush()
            created += 1
            for i, (name, measure, baseline, target, domains) in enumerate(indicators,
                                                                           start=1):
                indicator = RpjmdIndicator(priority_id=goal.id, code=f"IKD {m}.{s}.{i}",
                                           name=name, measure=measure, baseline=baseline,
                                           target=target)
                session.add(indicator)
                created += 1
                for domain in domains:
                    lab.indicators.setdefault(domain, indicator)
    session.flush()
    record_lab(session, "rpjmd.imported", actor_id=lab.admin.id, target=plan.title,
               created=created, changed=0)


def _indicator(lab: Lab, unit: Unit, domain: str) -> RpjmdIndicator | None:
    for key in (domain, unit.domain, unit.kind, "bumd" if unit.kind == UnitKind.BUMD else ""):
        if key and key in lab.indicators:
            return lab.indicators[key]
    return None


# --- Drum-up: each unit's Deklarasi Tri Sakti Inagara ---------------------------------------

def _commitments(lab: Lab) -> None:
    """Most units signed in the drum-up; a few have not yet."""
    rng, session = lab.rng, lab.session
    drum_up = lab.windows[Stage.DRUM_UP]
    missing = max(2, round(len(lab.units) * 0.06))
    unsigned = set(rng.sample([u.id for u in lab.units[1:]], missing))
    signers = [u for u in lab.units if u.id not in unsigned]
    # The declaration is signed together at the drum-up event; a few units sign later.
    event_day = drum_up.starts_on + timedelta(days=8)
    days = {u.id: event_day if rng.random() < 0.9 else
            min(event_day + timedelta(days=rng.randint(2, 14)), drum_up.ends_on)
            for u in signers}
    place = lab.tenant.name.replace("Kabupaten ", "").replace("Kota ", "")
    at_event = [u for u in signers if days[u.id] == event_day]
    later = [u for u in signers if days[u.id] != event_day]
    # One sheet signed by every head at the event (each unit's record keeps a copy), and a
    # declaration of its own for each unit that signed later.
    joint = documents.render([documents.joint_commitment(
        region=lab.tenant.name, place=place, signed_on=event_day,
        signers=[(u.name, lab.heads[u.id].name, lab.heads[u.id].position) for u in at_event])])
    own = documents.render_each([documents.commitment_page(
        unit=u.name, region=lab.tenant.name, place=place, signed_on=days[u.id],
        name=lab.heads[u.id].name, title=lab.heads[u.id].position) for u in later])
    scans = {u.id: joint for u in at_event} | {u.id: pdf for u, pdf in zip(later, own,
                                                                          strict=True)}
    for unit in sorted(signers, key=lambda u: (days[u.id], lab.units.index(u))):
        head = lab.heads[unit.id]
        lab.clock.at(days[unit.id] + timedelta(days=1), 9, rng.randint(0, 50))
        key = tenant_key(lab.tenant.id, "commitments", f"{uuid.uuid4().hex}.pdf")
        name = f"Deklarasi Tri Sakti Inagara - {unit.short_name or unit.name}.pdf"
        size = lab.store(key, scans[unit.id], name)
        session.add(Commitment(cohort_id=lab.cohort.id, unit_id=unit.id,
                               signed_on=days[unit.id], signatory_name=head.name,
                               signatory_title=head.position, document_key=key,
                               document_name=name, document_size=size,
                               recorded_by_id=lab.admin.id))
        record_lab(session, "commitment.recorded", actor_id=lab.admin.id, target=unit.name,
                   signed_on=days[unit.id].isoformat(), signatory=head.name, document=name)
    session.flush()


# --- Ideas ----------------------------------------------------------------------------------

def _allocation(lab: Lab) -> list[tuple[Unit, int]]:
    """(unit, number of its ideas), following the record's counts by kind of unit."""
    rng = lab.rng
    out = []
    must = {lab.region.bappeda.name, lab.region.innovator[1]}
    for kind, (count, used) in lab.region.ideas.items():
        units = [u for u in lab.units if u.kind == kind]
        chosen = [u for u in units if u.name in must]
        rest = [u for u in units if u.name not in must]
        rng.shuffle(rest)
        chosen += rest[:used - len(chosen)]
        chosen.sort(key=lambda u: lab.units.index(u))
        each, extra = divmod(count, used)
        lucky = set(rng.sample(range(used), extra))
        out += [(u, each + (1 if i in lucky else 0)) for i, u in enumerate(chosen)]
    return out


def _themes(lab: Lab):
    """A theme for each idea: the unit's domain first (rotated per lab), then the general
    pool; titles and acronyms stay unique in the lab."""
    pools: dict[str, list[texts.Theme]] = {}
    titles, acronyms = set(), set()
    general = texts.general_themes()

    def next_theme(unit: Unit) -> texts.Theme:
        domain = unit.domain or unit.kind
        if domain not in pools:
            pool = texts.themes_for(domain) if domain in texts.THEMES else []
            shift = lab.rng.randrange(len(pool)) if pool else 0
            pools[domain] = pool[shift:] + pool[:shift]
        pool = pools[domain]
        spare = [g for g in general if f"{g.expansion} di {unit.short_name or unit.name}"
                 not in titles]
        theme = pool.pop(0) if pool else lab.rng.choice(spare)
        if unit.kind in (UnitKind.PUSKESMAS, UnitKind.KECAMATAN) and not pool:
            pools.pop(domain)  # every puskesmas may run the programmes of another
        where = unit.name.split(" ", 1)[1] if unit.kind in (
            UnitKind.PUSKESMAS, UnitKind.KECAMATAN) else (unit.short_name or unit.name)
        theme = texts.Theme(**vars(theme))
        if theme.expansion in titles:
            theme.expansion = f"{theme.expansion} {where}" if unit.kind in (
                UnitKind.PUSKESMAS, UnitKind.KECAMATAN) else f"{theme.expansion} di {where}"
        if theme.expansion in titles:  # this unit ran it already: take the next one
            return next_theme(unit)
        if theme.acronym in acronyms:
            theme.acronym = f"{theme.acronym} {where}"[:60]
        titles.add(theme.expansion)
        acronyms.add(theme.acronym)
        return theme

    return next_theme


def _pilot(lab: Lab, unit: Unit) -> str:
    if unit.kind in (UnitKind.KECAMATAN, UnitKind.PUSKESMAS):
        return f"dua desa di wilayah {unit.name}"
    places = lab.region.places.split(", ")
    return f"Kecamatan {lab.rng.choice(places)}"


def _contract(lab: Lab, unit: Unit) -> bool:
    """Tuban's performance contracts to come (the contract feature comes later)."""
    return lab.region.code == "35.23" and unit.short_name in ("RSUD Koesma", "Dinas PUPR",
                                                             "Disperkim")


def _ideas(lab: Lab) -> list[Idea]:
    session, rng, stage = lab.session, lab.rng, lab.region.stage
    next_theme = _themes(lab)
    diagnose = lab.windows[Stage.DIAGNOSE]
    year = diagnose.starts_on.year - 1
    plan = _allocation(lab)
    total = sum(n for _u, n in plan)
    made: list[tuple[Idea, texts.Theme, Unit]] = []
    for number, unit in enumerate(u for u, n in plan for _ in range(n)):
        theme = next_theme(unit)
        innovators = lab.staff[unit.id][:2]
        actor = lab.innovator if unit.id == _unit(lab, lab.region.innovator[1]).id else lab.admin
        indicator = _indicator(lab, unit, theme.domain)
        values = {
            "title": theme.expansion, "acronym": theme.acronym, "unit_id": unit.id,
            "inisiator": rng.choice(("perangkat_daerah", "perangkat_daerah", "asn", "asn",
                                     "kepala_daerah", "masyarakat")),
            "jenis": "digital" if theme.digital else "non_digital",
            "bentuk": texts.bentuk(theme), "urusan": [theme.urusan],
            "tematik": texts.tematik(theme), "tahapan": "inisiatif",
        }
        # Diagnose: the problem, as far as each unit had written it by now.
        full = stage != Stage.DIAGNOSE
        if full or rng.random() < 0.82:
            values["problem"] = texts.problem(theme, unit.short_name or unit.name, lab.place,
                                              year, rng)
        if full or rng.random() < 0.55:
            values["root_causes"] = texts.root_causes(theme, rng)
        if full or rng.random() < 0.5:
            values["affected"] = texts.affected(theme, lab.place, rng)
        if indicator is not None and (full or rng.random() < 0.6):
            values["priority_id"], values["indicator_id"] = indicator.priority_id, indicator.id
        created = lab.day(Stage.DIAGNOSE, 0.1 + 0.6 * number / max(total, 1), 3)
        lab.clock.at(created, rng.randint(8, 15), rng.randint(0, 59))
        idea = idea_ops.create(session, cohort_id=lab.cohort.id, values=values,
                               innovator_ids=[p.id for p in innovators], actor_id=actor.id)
        made.append((idea, theme, unit))
    if stage == Stage.DIAGNOSE:
        return [i for i, _t, _u in made]
    for number, (idea, theme, unit) in enumerate(made):
        _design(lab, idea, theme, unit, launch_day(lab, number))
    for number, (idea, _theme, unit) in enumerate(made):
        lab.clock.at(lab.windows[Stage.DELIVER].starts_on, 9, rng.randint(0, 40))
        idea_ops.move(session, idea, Stage.DELIVER, actor_id=lab.admin.id)
        _progress(lab, idea, unit, launch_day(lab, number))
    return [i for i, _t, _u in made]


def _design(lab: Lab, idea: Idea, theme: texts.Theme, unit: Unit, launch_on: date,
            values: dict | None = None) -> None:
    """Through the design gate, the rancang bangun written, the action plan laid."""
    session, rng = lab.session, lab.rng
    rows = plan_dates(lab, theme, unit, launch_on)
    pilot = next(start for title, start, _due in rows if title.startswith("Uji coba"))
    lab.clock.at(lab.windows[Stage.DESIGN].starts_on, 8, rng.randint(0, 50))
    idea_ops.move(session, idea, Stage.DESIGN, actor_id=lab.admin.id)
    name = unit.short_name or unit.name
    values = {"design": texts.design(theme, name, lab.place, _pilot(lab, unit), rng),
              "solution": texts.solution(theme, name, rng),
              "beneficiaries": texts.beneficiaries(theme, rng),
              "expected_results": texts.expected_results(theme, rng),
              "tahapan": "uji_coba", "trial_on": pilot, **(values or {})}
    if _contract(lab, unit):
        values["expected_results"] += (
            f" Inovasi ini menjadi dasar kontrak kinerja inovasi antara kepala {name} dan "
            f"Bupati Tuban: kemajuannya dilaporkan setiap 3 bulan (triwulanan) dan dievaluasi "
            f"Bappeda bersama tim LAN.")
    writer = lab.innovator if idea.unit_id == _unit(lab, lab.region.innovator[1]).id \
        else lab.admin
    lab.clock.at(lab.day(Stage.DESIGN, 0.12, 6), rng.randint(9, 16), rng.randint(0, 59))
    idea_ops.update(session, idea, version=idea.version, values=values, innovator_ids=None,
                    actor_id=writer.id)
    _plan(lab, idea, rows, unit)


def launch_day(lab: Lab, number: int) -> date:
    """When the lab launched its `number`-th idea: Tuban in two rounds (the Perbup revised
    for the second), the others at one event three weeks into deliver."""
    deliver = lab.windows[Stage.DELIVER].starts_on
    if lab.region.code == "35.23":
        if number % 5 != 4:
            return deliver + timedelta(days=14)
        return min(lab.today - timedelta(days=21), deliver + timedelta(days=60))
    return deliver + timedelta(days=21)


def monev_days(lab: Lab) -> tuple[date, date] | None:
    """Kabupaten Probolinggo's deliver-stage monev: three days, five weeks into deliver
    (15-17 October in the record)."""
    if lab.region.code != "35.13":
        return None
    first = lab.windows[Stage.DELIVER].starts_on + timedelta(days=36)
    return first, first + timedelta(days=2)


def plan_dates(lab: Lab, theme: texts.Theme, unit: Unit, launch_on: date) -> list[tuple]:
    """(title, starts, due) of the action plan: preparation and the pilot up to the launch,
    the launch itself, then implementation, monev and reporting to the end of deliver."""
    rng = lab.rng
    values = dict(acronym=theme.acronym, target=theme.target)
    before = list(texts.PREPARATION)
    if theme.digital:
        before[1:1] = texts.PREPARATION_DIGITAL
    if rng.random() < 0.4:
        before.pop(-2)  # no training of its own
    after = list(texts.IMPLEMENTATION)
    if _contract(lab, unit):  # to come: signed once the innovation runs everywhere
        after[2:2] = texts.CONTRACT
    rows = []
    for steps, first, last in (
            (before, lab.windows[Stage.DESIGN].ends_on - timedelta(days=rng.randint(8, 16)),
             launch_on - timedelta(days=1)),
            (after, launch_on + timedelta(days=1), lab.windows[Stage.DELIVER].ends_on)):
        scale = max((last - first).days, len(steps)) / sum(d for _t, d in steps)
        day = first
        for title, days in steps:
            due = min(day + timedelta(days=max(1, round(days * scale)) - 1), last)
            rows.append((title.format(**values)[:250], day, max(due, day)))
            day = max(due, day) + timedelta(days=1)
        if steps is before:
            rows.append((texts.LAUNCH_STEP.format(**values), launch_on, launch_on))
    monev = monev_days(lab)
    if monev:
        rows.append((texts.MONEV_STEP, *monev))
    return sorted(rows, key=lambda r: (r[1], r[2]))


def _plan(lab: Lab, idea: Idea, rows: list[tuple], unit: Unit) -> None:
    """The action plan's milestones, each with its owner and dates, as `add_milestone`
    writes them."""
    session, rng = lab.session, lab.rng
    owners = [*lab.staff[unit.id], lab.heads[unit.id]]
    lab.clock.at(lab.day(Stage.DESIGN, 0.3, 5), rng.randint(9, 15), rng.randint(0, 59))
    writer = lab.innovator if idea.unit_id == _unit(lab, lab.region.innovator[1]).id \
        else lab.admin
    for position, (title, starts_on, due_on) in enumerate(rows, start=1):
        milestone = Milestone(idea_id=idea.id, position=position, title=title,
                              owner_id=owners[position % len(owners)].id, starts_on=starts_on,
                              due_on=due_on, status=Milestone.PLANNED)
        session.add(milestone)
        session.add(IdeaEvent(idea_id=idea.id, actor_id=writer.id, action="milestone_added",
                              detail={"milestone": milestone.title}))
        record_lab(session, "plan.milestone_added", actor_id=writer.id,
                   target=_name(idea), milestone=milestone.title)
        lab.clock.later(2)


def _name(idea: Idea) -> str:
    return f"{idea.acronym} — {idea.title}" if idea.acronym else idea.title


def _note(lab: Lab, idea: Idea, milestone: Milestone, status: str, note: str, on: date,
          author: User) -> None:
    """A progress note, written as `tenants.lab.operations.plans.add_note` writes it."""
    before = milestone.status
    written = milestone.created_at.astimezone(lab.clock.zone).date()
    on = min(max(on, written + timedelta(days=1)), lab.today - timedelta(days=1))
    lab.clock.at(on, lab.rng.randint(10, 16), lab.rng.randint(0, 59))
    lab.session.add(MilestoneNote(milestone_id=milestone.id, author_id=author.id,
                                  status=status, note=note))
    milestone.status = status
    milestone.done_on = on if status == Milestone.DONE else None
    detail = {"status": [before, status]} if before != status else {}
    lab.session.add(IdeaEvent(idea_id=idea.id, actor_id=author.id, action="note_added",
                              detail={"milestone": milestone.title, **detail}))
    record_lab(lab.session, "plan.note_added", actor_id=author.id, target=_name(idea),
               milestone=milestone.title, **detail)


def _progress(lab: Lab, idea: Idea, unit: Unit, launched_on: date) -> None:
    """Done where the due date has passed (a few late), in progress where it is running."""
    rng, today = lab.rng, lab.today
    author = lab.innovator if idea.unit_id == _unit(lab, lab.region.innovator[1]).id \
        else lab.admin
    display = lab.region.stage == Stage.DISPLAY
    monev_desk = rng.randint(1, 3)
    for milestone in idea_ops.milestones_of(lab.session, idea):
        held = milestone.title.startswith(("Launching", texts.MONEV_STEP))
        if milestone.due_on < today:
            # Work after the launching is what runs late; what led up to it was done.
            late = (not display and not held and milestone.due_on > launched_on
                    and rng.random() < 0.25)
            if late:
                on = min(milestone.starts_on + timedelta(days=rng.randint(1, 5)),
                         today - timedelta(days=1))
                _note(lab, idea, milestone, Milestone.IN_PROGRESS,
                      rng.choice(texts.NOTES_PROGRESS).format(p=rng.randint(30, 70)), on,
                      author)
                _recent(lab, idea, milestone, author)
                continue
            on = min(milestone.due_on - timedelta(days=rng.randint(0, 4)),
                     today - timedelta(days=1))
            on = max(on, milestone.starts_on)
            note = rng.choice(texts.NOTES_DONE).format(n=rng.randint(18, 140))
            if milestone.title.startswith(texts.MONEV_STEP):
                note = (f"Dipresentasikan di meja {monev_desk}, sesi pukul "
                        f"{rng.choice(('08.00', '09.00', '10.00', '13.00', '14.00'))}, "
                        f"20 menit. Masukan penilai dicatat untuk perbaikan rencana aksi.")
            _note(lab, idea, milestone, Milestone.DONE, note, on, author)
        elif milestone.starts_on <= today and rng.random() < 0.75:
            on = min(milestone.starts_on + timedelta(days=rng.randint(1, 6)),
                     today - timedelta(days=1))
            _note(lab, idea, milestone, Milestone.IN_PROGRESS,
                  rng.choice(texts.NOTES_PROGRESS).format(p=rng.randint(20, 60)), on, author)
            _recent(lab, idea, milestone, author)


def _recent(lab: Lab, idea: Idea, milestone: Milestone, author: User) -> None:
    """A second, recent note on work that has run for weeks."""
    rng, today = lab.rng, lab.today
    if (today - milestone.starts_on).days > 20 and rng.random() < 0.8:
        _note(lab, idea, milestone, Milestone.IN_PROGRESS,
              rng.choice(texts.NOTES_PROGRESS).format(p=rng.randint(55, 90)),
              today - timedelta(days=rng.randint(1, 12)), author)


# --- Kota Probolinggo's five innovations ------------------------------------------------------

def _awarded(lab: Lab) -> list[Idea]:
    session, rng = lab.session, lab.rng
    made = []
    for number, spec in enumerate(AWARDED):
        theme, unit = spec["theme"], _unit(lab, spec["unit"])
        innovators = lab.staff[unit.id][:2]
        indicator = _indicator(lab, unit, theme.domain)
        if unit.name == "Dinas Kesehatan" and number == 1:
            indicator = next((i for i in lab.indicators.values() if "ODHA" in i.name),
                             indicator)
        values = {"title": theme.expansion, "acronym": theme.acronym, "unit_id": unit.id,
                  "inisiator": "perangkat_daerah",
                  "jenis": "digital" if theme.digital else "non_digital",
                  "bentuk": texts.bentuk(theme), "urusan": [theme.urusan],
                  "tematik": spec["tematik"], "tahapan": "inisiatif",
                  "problem": spec["problem"], "root_causes": spec["root_causes"],
                  "affected": texts.affected(theme, lab.place, rng)}
        if indicator is not None:
            values["priority_id"], values["indicator_id"] = indicator.priority_id, indicator.id
        lab.clock.at(lab.day(Stage.DIAGNOSE, 0.2 + 0.1 * number), 10, 15 + number)
        actor = lab.innovator if unit.name == lab.region.innovator[1] else lab.admin
        idea = idea_ops.create(session, cohort_id=lab.cohort.id, values=values,
                               innovator_ids=[p.id for p in innovators], actor_id=actor.id)
        _design(lab, idea, theme, unit, launch_day(lab, number),
                {"solution": spec["solution"]})
        lab.clock.at(lab.windows[Stage.DELIVER].starts_on, 9, number)
        idea_ops.move(session, idea, Stage.DELIVER, actor_id=lab.admin.id)
        _progress(lab, idea, unit, launch_day(lab, number))
        made.append(idea)
    return made


# --- Launching and the regulation --------------------------------------------------------------

def _launch(lab: Lab, ideas: list[Idea], held_on: date, title: str, place: str) -> Launch:
    """A launch event, as `record_launch` writes it."""
    lab.clock.at(held_on, 15, 30)
    launch = Launch(cohort_id=lab.cohort.id, held_on=held_on, place=place, title=title,
                    created_by_id=lab.admin.id)
    launch.ideas = sorted(ideas, key=lambda i: i.title)
    lab.session.add(launch)
    lab.session.flush()
    for idea in ideas:
        idea_ops.launched(idea, held_on)
        idea.updated_by_id = lab.admin.id
        idea.events.append(IdeaEvent(actor_id=lab.admin.id, action="launched", detail={
            "launch_id": launch.id, "launch": title, "held_on": held_on.isoformat(),
            "place": place}))
    record_lab(lab.session, "launch.recorded", actor_id=lab.admin.id, target=title,
               held_on=held_on.isoformat(), place=place, ideas=len(ideas))
    return launch


def _regulation(lab: Lab, ideas: list[Idea], signed_on: date, launch: Launch,
                revises: Regulation | None) -> Regulation:
    """The Perbup / Perwali, or its revision, with its signed PDF."""
    region, kind = lab.region, lab.regulation_kind
    number = str(lab.rng.randint(18, 96))
    listed = sorted([*(revises.ideas if revises else ()), *ideas], key=lambda i: i.title)
    about = "Perubahan atas " if revises else ""
    label = "Peraturan Bupati" if kind == Regulation.PERBUP else "Peraturan Wali Kota"
    title = (f"{label} {lab.tenant.name.split(' ', 1)[1]} Nomor {number} Tahun "
             f"{signed_on.year} tentang {about}Penetapan Inovasi Daerah")
    units = {u.id: u for u in lab.units}
    pdf = documents.render([documents.regulation_page(
        kind=kind, number=number, year=signed_on.year, signed_on=signed_on,
        region=lab.tenant.name, head_title=region.head_title,
        head_name=region.head_names[max(region.head_names)],
        place=lab.tenant.name.split(" ", 1)[1],
        innovations=[(_name(i), units[i.unit_id].name) for i in listed],
        revises=f"{revises.number} Tahun {revises.signed_on.year}" if revises else None)])
    key = tenant_key(lab.tenant.id, "regulations", f"{uuid.uuid4().hex}.pdf")
    name = f"{kind.capitalize()} {number} Tahun {signed_on.year}.pdf"
    size = lab.store(key, pdf, name)
    lab.clock.at(signed_on + timedelta(days=2), 10, 10)
    regulation = Regulation(kind=kind, number=f"{number}/{signed_on.year}", signed_on=signed_on,
                            title=title, launch_id=launch.id,
                            revises_id=revises.id if revises else None,
                            document_key=key, document_name=name, document_size=size,
                            created_by_id=lab.admin.id)
    regulation.ideas = listed
    lab.session.add(regulation)
    lab.session.flush()
    target = f"{kind.capitalize()} {regulation.number}"
    if revises:
        record_lab(lab.session, "regulation.revised", actor_id=lab.admin.id, target=target,
                   revises=revises.number, signed_on=signed_on.isoformat(), added=len(ideas),
                   ideas=len(listed), document=name)
    else:
        record_lab(lab.session, "regulation.recorded", actor_id=lab.admin.id, target=target,
                   signed_on=signed_on.isoformat(), ideas=len(listed), document=name)
    return regulation


def _launches(lab: Lab, ideas: list[Idea]) -> None:
    deliver = lab.windows[Stage.DELIVER].starts_on
    seat = {"35.13": "Pendopo Prasaja Ngesti Wibawa, Kraksaan",
            "35.74": "Puri Manggala Bhakti, Kantor Wali Kota Probolinggo",
            "35.23": "Pendopo Krido Manunggal, Tuban"}[lab.region.code]
    year = deliver.year
    if lab.region.code == "35.23":
        # Launched in two rounds; the Perbup is revised to add the second.
        first = [i for n, i in enumerate(ideas) if n % 5 != 4]
        second = [i for i in ideas if i not in first]
        one = _launch(lab, first, launch_day(lab, 0),
                      f"Launching Inovasi Daerah Kabupaten Tuban {year}", seat)
        perbup = _regulation(lab, first, deliver + timedelta(days=28), one, None)
        later = launch_day(lab, 4)
        two = _launch(lab, second, later, f"Launching Inovasi Daerah Tahap II {year}", seat)
        _regulation(lab, second, min(later + timedelta(days=12), lab.today - timedelta(days=2)),
                    two, perbup)
        return
    launch = _launch(lab, ideas, launch_day(lab, 0),
                     f"Launching Inovasi Daerah {lab.tenant.name} {year}", seat)
    _regulation(lab, ideas, deliver + timedelta(days=35), launch, None)


# --- Display -----------------------------------------------------------------------------------

def _display(lab: Lab, ideas: list[Idea]) -> None:
    """Launch evidence, results, and on to display when its window opened."""
    session, region = lab.session, lab.region
    launch = session.scalar(sa.select(Launch).where(Launch.cohort_id == lab.cohort.id))
    units = {u.id: u for u in lab.units}
    pages = [documents.launch_page(title=i.title, acronym=i.acronym, unit=units[i.unit_id].name,
                                   region=lab.tenant.name, place=launch.place,
                                   held_on=launch.held_on, head_title=region.head_title,
                                   head_name=region.head_names[max(region.head_names)])
             for i in ideas]
    for idea, pdf, spec in zip(ideas, documents.render_each(pages), AWARDED,
                               strict=True):
        lab.clock.at(launch.held_on + timedelta(days=3), 10, 20)
        key = tenant_key(lab.tenant.id, "ideas", str(idea.id), f"{uuid.uuid4().hex}.pdf")
        name = f"Berita acara launching {idea.acronym}.pdf"
        size = lab.store(key, pdf, name)
        session.add(Attachment(idea_id=idea.id, kind=Attachment.LAUNCH, key=key,
                               filename=name, content_type=PDF, size=size,
                               description="Berita acara launching, ditandatangani Wali Kota",
                               uploaded_by_id=lab.admin.id))
        session.add(IdeaEvent(idea_id=idea.id, actor_id=lab.admin.id, action="file_added",
                              detail={"file": name, "kind": Attachment.LAUNCH}))
        record_lab(session, "idea.file_added", actor_id=lab.admin.id, target=_name(idea),
                   document=name, size=size)
        session.flush()
        lab.clock.at(lab.windows[Stage.DISPLAY].starts_on, 9, 10)
        idea_ops.update(session, idea, version=idea.version, innovator_ids=None,
                        actor_id=lab.admin.id, values={"results": spec["results"]})
        idea_ops.move(session, idea, Stage.DISPLAY, actor_id=lab.admin.id)


# --- Coaching ------------------------------------------------------------------------------------

def _coaching(lab: Lab, ideas: list[Idea]) -> None:
    """The LAN coach comments on a share of the ideas; innovators and Bappeda answer."""
    session, rng = lab.session, lab.rng
    share = 0.12 if lab.region.stage == Stage.DIAGNOSE else 0.35
    stage = Stage.DIAGNOSE if lab.region.stage == Stage.DIAGNOSE else Stage.DELIVER
    innovator_unit = _unit(lab, lab.region.innovator[1]).id
    for idea in ideas:
        own = idea.unit_id == innovator_unit
        if not own and rng.random() > share:
            continue
        body = rng.choice(texts.COACH_COMMENTS[:2] if stage == Stage.DIAGNOSE
                          else texts.COACH_COMMENTS)
        mentions = []
        if own:
            body = f"@{bare(lab.innovator.name)} {body}"
            mentions = [lab.innovator.id]
        proposed = idea.created_at.astimezone(lab.clock.zone).date()
        day = max(lab.day(stage, rng.uniform(0.05, 0.5)), proposed + timedelta(days=2))
        lab.clock.at(min(day, lab.today - timedelta(days=1)), rng.randint(9, 20),
                     rng.randint(0, 59))
        comment = Comment(idea_id=idea.id, author_id=lab.coach.id, author_name=lab.coach.name,
                          body=body, mentions=mentions)
        session.add(comment)
        session.flush()
        session.add(IdeaEvent(idea_id=idea.id, actor_id=lab.coach.id, action="commented",
                              detail={"comment_id": comment.id}))
        record_lab(session, "comment.added", actor_id=lab.coach.id, target=_name(idea))
        if own or rng.random() < 0.5:
            who = lab.innovator if own else lab.admin
            lab.clock.later(rng.randint(90, 1500))
            reply = Comment(idea_id=idea.id, parent_id=comment.id, author_id=who.id,
                            author_name=who.name, body=rng.choice(texts.REPLIES), mentions=[])
            session.add(reply)
            session.flush()
            session.add(IdeaEvent(idea_id=idea.id, actor_id=who.id, action="replied",
                                  detail={"comment_id": reply.id}))
            record_lab(session, "comment.replied", actor_id=who.id, target=_name(idea))
    session.flush()


# --- Times -------------------------------------------------------------------------------------

def _settle_times(session: Session) -> None:
    """An idea was last changed when its history says; a milestone when its last note was
    written (the operations stamped both with the load's own clock when they moved)."""
    event = IdeaEvent.__table__
    idea = Idea.__table__
    moves = ("created", "moved", "moved_back", "moved_overridden")
    session.execute(idea.update().values(
        updated_at=sa.select(sa.func.max(event.c.at)).where(event.c.idea_id == idea.c.id)
        .scalar_subquery(),
        stage_changed_at=sa.select(sa.func.max(event.c.at)).where(
            event.c.idea_id == idea.c.id, event.c.action.in_(moves)).scalar_subquery()))
    note = MilestoneNote.__table__
    milestone = Milestone.__table__
    session.execute(milestone.update().values(updated_at=sa.func.greatest(
        milestone.c.created_at,
        sa.select(sa.func.max(note.c.at)).where(note.c.milestone_id == milestone.c.id)
        .scalar_subquery())))
