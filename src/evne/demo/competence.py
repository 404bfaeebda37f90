"""The demo municipality's competence: the starter catalog, requirements (kompetansekrav) per job
role and unit, staffing targets (bemanningsmål), and competence records with realistic coverage
on the reference date.

It reads the organisation the generator has just written (a few queries), plans everything in
memory with one `random.Random`, and writes with bulk inserts, a chunk of people at a time. The
same seed, reference date and organisation give the same data; ids differ.

Coverage is planned per applicable requirement (a person and a competence, the strictest of what
their roles and units ask): the formal qualification of a person's role settles what it covers
(a nursing degree implies medicine handling), the demo logins get their promised situations, and
the rest is drawn so that the totals hit the shares of `competence_data`, with some units doing
better than others.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from itertools import accumulate

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from evne.accounts.models import User
from evne.competence.models import (
    Competence,
    CompetenceKind,
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    Requirement,
    RequirementKind,
    ScaleLevel,
    StaffingMeasure,
    StaffingTarget,
)
from evne.competence.models.records import add_months
from evne.competence.starter import load_starter
from evne.core.bulk import allocate_keys, insert_rows
from evne.demo import competence_data as data
from evne.organization.models import Employment, JobRole, OrgUnit, Person

# What an applicable requirement is on the reference date (the gap engine's states).
MET, EXPIRING, EXPIRED, PENDING, BELOW, MISSING = (
    "met",
    "expiring",
    "expired",
    "pending",
    "below_level",
    "missing",
)
SHARES = {
    EXPIRING: data.EXPIRING_SHARE,
    EXPIRED: data.EXPIRED_SHARE,
    PENDING: data.PENDING_SHARE,
    BELOW: data.BELOW_LEVEL_SHARE,
    MISSING: data.MISSING_SHARE,
}
CHUNK = 2000  # people whose records are planned and written together
ADULT_YEARS = 18
NOON = datetime.time(12)
RECORD_FIELDS = [
    "id",
    "person_id",
    "competence_id",
    "level",
    "obtained_on",
    "expires_on",
    "credits",
    "source",
    "status",
    "evidence",
    "evidence_reference",
    "note",
    "created_at",
    "created_by_id",
    "decided_at",
    "decided_by_id",
    "rejection_reason",
    "superseded_by_id",
]


@dataclass(frozen=True)
class CompetenceSummary:
    requirements: int
    staffing_targets: int
    records: dict[str, int]  # by RecordStatus value

    @property
    def record_total(self) -> int:
        return sum(self.records.values())


@dataclass(frozen=True)
class _Competence:
    pk: int
    code: str
    kind: str
    validity: int | None  # months
    levels: tuple[int, ...]  # the values of its scale; empty for have/not
    implies: frozenset[str]


@dataclass(frozen=True)
class _Unit:
    pk: int
    code: str
    name: str
    rank: int
    kind: str
    ancestors: tuple[int, ...]  # ids from the root down to the unit itself


@dataclass(eq=False)
class _Person:
    pk: int
    number: str
    birth: datetime.date | None
    jobs: list[tuple[int, str, datetime.date]] = field(default_factory=list)  # unit, role, start
    needs: dict[str, int | None] = field(default_factory=dict)  # applicable: code -> level
    formal: dict[str, str] = field(default_factory=dict)  # qualification code -> MET or PENDING
    beyond_role: set[str] = field(default_factory=set)  # formal codes their role does not bring
    statuses: dict[str, str] = field(default_factory=dict)  # code -> state on the reference date
    carried: set[str] = field(default_factory=set)  # needs settled by a formal qualification

    @property
    def roles(self) -> set[str]:
        return {role for _, role, _ in self.jobs}

    @cached_property
    def adult_on(self) -> datetime.date:
        return add_months(self.birth, 12 * ADULT_YEARS) if self.birth else datetime.date.min


@dataclass(frozen=True)
class _Logins:
    """The demo logins whose data is arranged (see `competence_data.EMPLOYEE_SITUATION`)."""

    employee: int | None = None  # person id
    employee_user: int | None = None
    leader: int | None = None
    leader_user: int | None = None
    led_units: frozenset[int] = frozenset()


@dataclass(eq=False, slots=True)
class _Record:
    person: _Person
    competence: _Competence
    level: int | None
    obtained: datetime.date
    source: str
    status: str
    expires: datetime.date | None = None
    credits: Decimal | None = None
    evidence_reference: str = ""
    rejection_reason: str = ""
    superseded_by: _Record | None = None
    created_by: int | None = None
    decided_by: int | None = None
    decided_at: datetime.datetime | None = None
    key: int = 0


def build_competence(
    today: datetime.date, seed: int, unit_kinds: dict[str, str]
) -> CompetenceSummary:
    """Load the starter catalog, then add requirements, staffing targets and records to the
    organisation in the database. `unit_kinds` maps unit codes to the generator's kinds of unit
    ("sykehjem"; departments have their unit's kind)."""
    load_starter()
    catalog = _read_catalog()
    units = _read_units(unit_kinds)
    people = _read_people(today)
    logins = _read_logins()
    rng = random.Random(f"evne-demo-competence-{seed}")
    unit_needs, role_unit_needs = _place_needs(units)
    requirements = _save_requirements(catalog, unit_needs, role_unit_needs)
    targets = _save_targets(catalog, units, today)
    for person in people:
        person.needs = _applicable(person, units, unit_needs, role_unit_needs)
        _draw_formal(rng, person)
    _arrange_logins(rng, catalog, units, people, logins)
    _draw_statuses(rng, catalog, people)
    planner = _Planner(rng, today, catalog, units, logins)
    for start in range(0, len(people), CHUNK):
        _write_records([rec for p in people[start : start + CHUNK] for rec in planner.plan(p)])
    return CompetenceSummary(requirements, targets, _count_records())


# Reading


def _read_catalog() -> dict[str, _Competence]:
    levels: dict[int, list[int]] = defaultdict(list)
    for scale, value in ScaleLevel.objects.order_by("value").values_list("scale_id", "value"):
        levels[scale].append(value)
    implies: dict[str, set[str]] = defaultdict(set)
    through = Competence.implies.through.objects.values_list(
        "from_competence__code", "to_competence__code"
    )
    for code, implied in through:
        implies[code].add(implied)
    catalog = {
        code: _Competence(
            pk, code, kind, validity, tuple(levels.get(scale, ())), frozenset(implies[code])
        )
        for pk, code, kind, validity, scale in Competence.objects.values_list(
            "pk", "code", "kind", "validity_months", "scale_id"
        )
    }
    missing = sorted(_codes_needed() - set(catalog))
    if missing:
        raise ValueError(f"The catalog lacks competences the demo needs: {', '.join(missing)}.")
    return catalog


def _codes_needed() -> set[str]:
    needs = [*(need for needs in data.ROLE_NEEDS.values() for need in needs)]
    needs += [need for _, needs in data.UNIT_NEEDS for need in needs]
    needs += [need for _, _, needs in data.ROLE_IN_UNIT_NEEDS for need in needs]
    return {
        *(need.code for need in needs),
        *(target.code for target in data.STAFFING_TARGETS),
        *data.FORMAL_BY_ROLE.values(),
        *(code for _, code, _ in data.EXTRA_FORMAL),
        *(code for extra in data.EXTRAS if not extra.optional for code in extra.codes),
    }


def _read_units(unit_kinds: dict[str, str]) -> dict[int, _Unit]:
    rows = OrgUnit.objects.order_by("code").values_list("pk", "code", "name", "path", "level__rank")
    return {
        pk: _Unit(
            pk,
            code,
            name,
            -1 if rank is None else rank,
            unit_kinds.get(code, ""),
            tuple(int(part) for part in path.strip("/").split("/")),
        )
        for pk, code, name, path, rank in rows
    }


def _read_people(today: datetime.date) -> list[_Person]:
    """Everyone with a position on the reference date, by employee number."""
    people = {
        pk: _Person(pk, number, birth)
        for pk, number, birth in Person.objects.values_list("pk", "employee_number", "birth_date")
    }
    jobs = Employment.objects.active_on(today).order_by(
        "unit__code", "job_role__name", "start_date"
    )
    for person, unit, role, start in jobs.values_list(
        "person_id", "unit_id", "job_role__name", "start_date"
    ):
        people[person].jobs.append((unit, role, start))
    return sorted((p for p in people.values() if p.jobs), key=lambda person: person.number)


def _read_logins() -> _Logins:
    users = {
        username: (pk, person)
        for username, pk, person in User.objects.filter(
            username__in=(data.EMPLOYEE_LOGIN, data.LEADER_LOGIN)
        ).values_list("username", "pk", "person_id")
    }
    employee_user, employee = users.get(data.EMPLOYEE_LOGIN, (None, None))
    leader_user, leader = users.get(data.LEADER_LOGIN, (None, None))
    led = OrgUnit.objects.filter(leaders=leader).values_list("pk", flat=True) if leader else []
    return _Logins(employee, employee_user, leader, leader_user, frozenset(led))


# Requirements and staffing targets


def _matches(where: data.Where, unit: _Unit) -> bool:
    return (
        unit.rank == where.rank
        and (not where.kind or unit.kind == where.kind)
        and (not where.name or unit.name == where.name or unit.name.startswith(f"{where.name} "))
    )


def _place_needs(units: dict[int, _Unit]):
    """The needs on each unit, and on each job role within a unit."""
    unit_needs: dict[int, list[data.Need]] = defaultdict(list)
    role_unit_needs: dict[tuple[int, str], list[data.Need]] = defaultdict(list)
    for unit in units.values():
        for where, needs in data.UNIT_NEEDS:
            if _matches(where, unit):
                unit_needs[unit.pk].extend(needs)
        for where, role, needs in data.ROLE_IN_UNIT_NEEDS:
            if _matches(where, unit):
                role_unit_needs[unit.pk, role].extend(needs)
    return unit_needs, role_unit_needs


def _save_requirements(catalog, unit_needs, role_unit_needs) -> int:
    """Write the requirements; a job role's existing requirement on a competence is kept."""
    roles = dict(JobRole.objects.filter(name__in=data.ROLE_NEEDS).values_list("name", "pk"))
    roles.update(
        JobRole.objects.filter(name__in={role for _, role in role_unit_needs}).values_list(
            "name", "pk"
        )
    )
    existing = set(
        Requirement.objects.filter(unit=None).values_list("competence_id", "job_role_id")
    )

    def requirement(need: data.Need, role: str | None = None, unit: int | None = None):
        return Requirement(
            competence_id=catalog[need.code].pk,
            job_role_id=roles[role] if role else None,
            unit_id=unit,
            kind=RequirementKind.DESIRED if need.desired else RequirementKind.MANDATORY,
            level=need.level,
            legal_basis=need.legal_basis,
            grace_days=need.grace_days,
        )

    rows = [
        requirement(need, role=role)
        for role, needs in data.ROLE_NEEDS.items()
        if role in roles
        for need in needs
        if (catalog[need.code].pk, roles[role]) not in existing
    ]
    rows += [requirement(need, unit=unit) for unit, needs in unit_needs.items() for need in needs]
    rows += [
        requirement(need, role=role, unit=unit)
        for (unit, role), needs in role_unit_needs.items()
        if role in roles
        for need in needs
    ]
    Requirement.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _save_targets(catalog, units: dict[int, _Unit], today: datetime.date) -> int:
    rows = [
        StaffingTarget(
            unit_id=unit.pk,
            competence_id=catalog[target.code].pk,
            level=target.level,
            measure=StaffingMeasure.FTE if target.fte else StaffingMeasure.PEOPLE,
            minimum=target.minimum,
            due_on=datetime.date(today.year + 1, *target.due) if target.due else None,
            note=target.note,
        )
        for target in data.STAFFING_TARGETS
        for unit in units.values()
        if _matches(target.where, unit)
    ]
    StaffingTarget.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _applicable(person: _Person, units, unit_needs, role_unit_needs) -> dict[str, int | None]:
    """What the person's positions ask for, the strictest per competence (the highest level;
    mandatory before desired), by code."""
    strictest: dict[str, tuple[int, bool]] = {}
    for unit, role, _ in person.jobs:
        needs = list(data.ROLE_NEEDS.get(role, ()))
        for ancestor in units[unit].ancestors:
            needs += unit_needs.get(ancestor, ())
            needs += role_unit_needs.get((ancestor, role), ())
        for need in needs:
            key = (need.level or 0, not need.desired)
            if need.code not in strictest or key > strictest[need.code]:
                strictest[need.code] = key
    return {code: key[0] or None for code, key in sorted(strictest.items())}


# What each applicable requirement is on the reference date


def _draw_formal(rng: random.Random, person: _Person) -> None:
    roles = person.roles
    for role in sorted(roles):
        code = data.FORMAL_BY_ROLE.get(role)
        if code and code not in person.formal:
            person.formal[code] = PENDING if rng.random() < data.FORMAL_PENDING_SHARE else MET
    for role, code, share in data.EXTRA_FORMAL:
        if role in roles and code not in person.formal and rng.random() < share:
            person.formal[code] = MET
            person.beyond_role.add(code)


def _settle_carried(catalog, person: _Person) -> None:
    """A need met (or pending) through a formal qualification: the qualification itself, or one
    that implies it."""
    for code in person.needs:
        states = [
            state
            for formal, state in person.formal.items()
            if formal == code or code in catalog[formal].implies
        ]
        if states:
            person.carried.add(code)
            person.statuses[code] = MET if MET in states else PENDING


def _eligible(competence: _Competence, level: int | None, status: str) -> bool:
    if status in (EXPIRING, EXPIRED):
        return competence.validity is not None
    if status == BELOW:
        return level is not None and level > competence.levels[0]
    return True


def _arrange_logins(rng, catalog, units, people: list[_Person], logins: _Logins) -> None:
    """The employee login: their qualification verified, one expiring, one pending, one missing
    and the rest met. The leader login: a few more records waiting for verification."""
    for person in people:
        if person.pk == logins.employee:
            person.formal = dict.fromkeys(person.formal, MET)
            _settle_carried(catalog, person)
            for status, preferred in data.EMPLOYEE_SITUATION:
                free = [
                    code
                    for code, level in person.needs.items()
                    if code not in person.statuses and _eligible(catalog[code], level, status)
                ]
                if free:
                    person.statuses[preferred if preferred in free else free[0]] = status
            for code in person.needs:
                person.statuses.setdefault(code, MET)
    led = [
        person
        for person in people
        if person.pk not in (logins.leader, logins.employee)
        and any(set(units[unit].ancestors) & logins.led_units for unit, _, _ in person.jobs)
    ]
    candidates = []
    for person in led:
        _settle_carried(catalog, person)
        candidates += [(person, code) for code in person.needs if code not in person.statuses]
    for person, code in rng.sample(candidates, min(data.LEADER_PENDING, len(candidates))):
        person.statuses[code] = PENDING


def _draw_statuses(rng: random.Random, catalog, people: list[_Person]) -> None:
    """Draw the state of every need not settled yet, so that the totals hit the shares. Needs of
    people in units drawn as weaker come first in line for a shortfall."""
    weights: dict[int, float] = {}
    free: list[tuple[float, _Person, str]] = []
    for person in people:
        _settle_carried(catalog, person)
        unit = person.jobs[0][0]
        if unit not in weights:
            weights[unit] = rng.uniform(*data.UNIT_SPREAD)
        for code in person.needs:
            if code not in person.statuses:
                # Weighted sampling without replacement (Efraimidis–Spirakis keys).
                free.append((rng.random() ** (1 / weights[unit]), person, code))
    total = sum(len(person.needs) for person in people)
    settled = Counter(state for person in people for state in person.statuses.values())
    remaining = {
        status: max(0, round(share * total) - settled[status]) for status, share in SHARES.items()
    }
    free.sort(key=lambda entry: entry[0], reverse=True)
    for _, person, code in free:
        if any(remaining.values()):
            level = person.needs[code]
            options = [
                status
                for status, left in remaining.items()
                if left and _eligible(catalog[code], level, status)
            ]
            if options:
                status = rng.choices(options, [remaining[option] for option in options])[0]
                remaining[status] -= 1
                person.statuses[code] = status
                continue
        person.statuses[code] = MET


# Records


class _Planner:
    """The records of one person: their formal qualifications, a record for each need in the
    state drawn for it, and some competence nobody asks for."""

    def __init__(self, rng, today, catalog, units, logins: _Logins):
        self.rng, self.today, self.catalog, self.units, self.logins = (
            rng,
            today,
            catalog,
            units,
            logins,
        )
        self.noons: dict[datetime.date, datetime.datetime] = {}  # decision times, by day
        self.extras = [
            (extra, [code for code in extra.codes if code in catalog]) for extra in data.EXTRAS
        ]

    def plan(self, person: _Person) -> list[_Record]:
        led = any(
            set(self.units[unit].ancestors) & self.logins.led_units for unit, _, _ in person.jobs
        )
        self.leader = self.logins.leader_user if led and person.pk != self.logins.leader else None
        self.employee = self.logins.employee_user if person.pk == self.logins.employee else None
        records = [self.formal(person, code, state) for code, state in person.formal.items()]
        for code, level in person.needs.items():
            if code not in person.carried:
                records += self.need(person, self.catalog[code], level, person.statuses[code])
        records += self.unasked(person)
        for record in records:
            self.attribute(record)
        return records

    def formal(self, person: _Person, code: str, state: str) -> _Record:
        competence = self.catalog[code]
        if code in person.beyond_role:
            obtained = self.days_ago(30, 4 * 365)
        else:
            first_start = min(start for _, _, start in person.jobs)
            obtained = first_start - datetime.timedelta(days=self.rng.randint(10, 3 * 365))
        obtained = min(max(obtained, add_months(person.adult_on, 24)), self.today)
        if state == PENDING:
            return self.record(person, competence, None, obtained, RecordSource.SELF, PENDING)
        source = self.weighted(data.FORMAL_SOURCES)
        record = self.record(person, competence, None, obtained, source, RecordStatus.VERIFIED)
        record.evidence_reference = data.FORMAL_EVIDENCE
        return record

    def need(self, person, competence: _Competence, level, status: str) -> list[_Record]:
        if status == MISSING:
            if self.rng.random() >= data.REJECTED_SHARE:
                return []
            obtained = self.days_ago(10, 300)
            record = self.record(
                person, competence, self.level(competence, level), obtained, RecordSource.SELF
            )
            record.status = RecordStatus.REJECTED
            record.rejection_reason = self.rng.choice(data.REJECTION_REASONS)
            return [record]
        if status == PENDING:
            records = [
                self.record(
                    person,
                    competence,
                    self.level(competence, level),
                    self.days_ago(*data.PENDING_DAYS),
                    RecordSource.SELF,
                    RecordStatus.PENDING,
                )
            ]
            if competence.validity and self.rng.random() < data.RENEWED_PENDING_SHARE:
                low, high = data.EXPIRED_DAYS
                records.append(self.verified(person, competence, level, -high, -low))
            return records
        if status == BELOW:
            below = max(value for value in competence.levels if value < level)
            record = self.verified(person, competence, level, data.MET_MARGIN_DAYS, None)
            record.level = below
            return [record]
        if status == EXPIRED:
            low, high = data.EXPIRED_DAYS
            return [self.verified(person, competence, level, -high, -low)]
        window = data.EXPIRING_DAYS if status == EXPIRING else (data.MET_MARGIN_DAYS, None)
        record = self.verified(person, competence, level, *window)
        records = [record]
        if competence.validity and self.rng.random() < data.RENEWAL_SHARE:
            earlier = add_months(record.obtained, -competence.validity)
            earlier -= datetime.timedelta(days=self.rng.randint(0, 60))
            if earlier >= person.adult_on:
                old = self.record(
                    person, competence, record.level, earlier, record.source, record.status
                )
                old.superseded_by = record
                records.append(old)
        return records

    def verified(self, person, competence: _Competence, level, low: int, high: int | None):
        """A verified record, expiring `low` to `high` days after the reference date (negative:
        before) if the competence expires; `high` None: as late as its validity allows."""
        months = competence.validity
        if months is None:
            obtained = max(self.days_ago(30, 8 * 365), person.adult_on)
        else:
            latest = (add_months(self.today, months) - self.today).days
            if high is None:  # met: obtained as an adult, and not before the validity allows
                earliest = (add_months(person.adult_on, months) - self.today).days
                low, high = min(max(low, earliest), latest), latest
            expiry = self.today + datetime.timedelta(days=self.rng.randint(low, high))
            obtained = add_months(expiry, -months)
        source = self.weighted(data.COURSE_SOURCES)
        return self.record(
            person,
            competence,
            self.level(competence, level),
            obtained,
            source,
            RecordStatus.VERIFIED,
        )

    def unasked(self, person: _Person) -> list[_Record]:
        """Competence beyond what the person's positions ask for."""
        roles, taken = person.roles, set(person.needs) | set(person.formal)
        records = []
        for extra, codes in self.extras:
            if extra.roles and not roles & set(extra.roles):
                continue
            if self.rng.random() >= extra.share:
                continue
            codes = [code for code in codes if code not in taken]
            number = min(self.rng.randint(*extra.items), len(codes))
            obtained = self.days_ago(*extra.days)
            for code in sorted(self.rng.sample(codes, number)):
                competence = self.catalog[code]
                if not extra.same_day:
                    obtained = self.days_ago(*extra.days)
                pending = self.rng.random() < extra.pending_share
                levels = tuple(pair for pair in extra.levels if pair[0] in competence.levels)
                record = self.record(
                    person,
                    competence,
                    self.weighted(levels) if levels else None,
                    max(obtained, person.adult_on),
                    RecordSource.SELF if pending else extra.source,
                    RecordStatus.PENDING if pending else RecordStatus.VERIFIED,
                )
                record.evidence_reference = extra.evidence_reference
                records.append(record)
                taken.add(code)
        return records

    def record(self, person, competence, level, obtained, source, status=RecordStatus.PENDING):
        months = competence.validity
        record = _Record(person, competence, level, obtained, source, status)
        record.expires = add_months(obtained, months) if months else None
        if competence.kind == CompetenceKind.FURTHER_EDUCATION:
            record.credits = self.rng.choice(data.CREDITS)
        return record

    def attribute(self, record: _Record) -> None:
        """Who registered and decided, where a demo login did; when it was decided."""
        if record.source == RecordSource.SELF:
            record.created_by = self.employee
        elif record.source == RecordSource.LEADER:
            record.created_by = self.leader
        if record.status != RecordStatus.PENDING:
            day = min(
                record.obtained + datetime.timedelta(days=self.rng.randint(0, 14)), self.today
            )
            if day not in self.noons:
                self.noons[day] = timezone.make_aware(datetime.datetime.combine(day, NOON))
            record.decided_at = self.noons[day]
            if record.source in (RecordSource.SELF, RecordSource.LEADER):
                record.decided_by = self.leader

    def level(self, competence: _Competence, required: int | None) -> int | None:
        if not competence.levels:
            return None
        floor = required or competence.levels[0]
        at_least = [value for value in competence.levels if value >= floor]
        return at_least[min(self.weighted(data.LEVEL_STEPS), len(at_least) - 1)]

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def weighted(self, pairs: tuple[tuple, ...]):
        values, cumulative = _cumulative(pairs)
        return self.rng.choices(values, cum_weights=cumulative)[0]


@cache
def _cumulative(pairs: tuple[tuple, ...]) -> tuple[list, list[float]]:
    return [value for value, _ in pairs], list(accumulate(weight for _, weight in pairs))


def _write_records(records: list[_Record]) -> None:
    # Renewals point to the record that replaced them, so keys are handed out before the insert.
    for record, key in zip(records, allocate_keys(CompetenceRecord, len(records)), strict=True):
        record.key = key
    now = timezone.now()
    _insert_records(
        [
            (
                record.key,
                record.person.pk,
                record.competence.pk,
                record.level,
                record.obtained,
                record.expires,
                record.credits,
                record.source,
                record.status,
                "",
                record.evidence_reference,
                "",
                now,
                record.created_by,
                record.decided_at,
                record.decided_by,
                record.rejection_reason,
                record.superseded_by.key if record.superseded_by else None,
            )
            for record in records
        ]
    )


def _insert_records(rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        insert_rows(CompetenceRecord, RECORD_FIELDS, rows)  # COPY
        return
    # On SQLite insert_rows uses bulk_create, which builds a model instance and prepares every
    # value of each row: 8 s for the records of 10 000 people. A plain executemany takes a tenth
    # of that. SQLite's adapters (registered by Django) take dates and decimals as they are;
    # aware datetimes are stored the way Django stores them.
    adapted: dict[datetime.datetime, str] = {}

    def adapt(moment: datetime.datetime | None) -> str | None:
        if moment is None:
            return None
        if moment not in adapted:
            adapted[moment] = connection.ops.adapt_datetimefield_value(moment)
        return adapted[moment]

    moments = [
        index
        for index, name in enumerate(RECORD_FIELDS)
        if CompetenceRecord._meta.get_field(name).get_internal_type() == "DateTimeField"
    ]
    rows = [list(row) for row in rows]
    for row in rows:
        for index in moments:
            row[index] = adapt(row[index])
    quote = connection.ops.quote_name
    table = quote(CompetenceRecord._meta.db_table)
    columns = ", ".join(
        quote(CompetenceRecord._meta.get_field(name).column) for name in RECORD_FIELDS
    )
    marks = ", ".join(["%s"] * len(RECORD_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def _count_records() -> dict[str, int]:
    counts = CompetenceRecord.objects.values_list("status").annotate(count=Count("pk"))
    return {status: dict(counts).get(status, 0) for status in RecordStatus.values}
