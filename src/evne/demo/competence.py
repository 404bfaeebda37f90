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
from dataclasses import dataclass

from django.db.models import Count

from evne.accounts.models import User
from evne.competence.models import (
    Competence,
    CompetenceRecord,
    RecordStatus,
    Requirement,
    RequirementKind,
    ScaleLevel,
    StaffingMeasure,
    StaffingTarget,
)
from evne.competence.starter import load_starter
from evne.demo import competence_data as data
from evne.demo.competence_records import (
    BELOW,
    EXPIRED,
    EXPIRING,
    MET,
    MISSING,
    PENDING,
    CatalogEntry,
    DemoLogins,
    Holder,
    RecordPlanner,
    write_records,
)
from evne.organization.models import Employment, JobRole, OrgUnit, Person

SHARES = {
    EXPIRING: data.EXPIRING_SHARE,
    EXPIRED: data.EXPIRED_SHARE,
    PENDING: data.PENDING_SHARE,
    BELOW: data.BELOW_LEVEL_SHARE,
    MISSING: data.MISSING_SHARE,
}
CHUNK = 2000  # people whose records are planned and written together


@dataclass(frozen=True)
class CompetenceSummary:
    requirements: int
    staffing_targets: int
    records: dict[str, int]  # by RecordStatus value

    @property
    def record_total(self) -> int:
        return sum(self.records.values())


@dataclass(frozen=True)
class _Unit:
    pk: int
    code: str
    name: str
    rank: int
    kind: str
    ancestors: tuple[int, ...]  # ids from the root down to the unit itself


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
        person.led = person.pk != logins.leader and any(
            logins.led_units.intersection(units[unit].ancestors) for unit, _, _ in person.jobs
        )
        _draw_formal(rng, person)
    _arrange_logins(rng, catalog, people, logins)
    _draw_statuses(rng, catalog, people)
    planner = RecordPlanner(rng, today, catalog, logins)
    for start in range(0, len(people), CHUNK):
        write_records([rec for p in people[start : start + CHUNK] for rec in planner.plan(p)])
    return CompetenceSummary(requirements, targets, _count_records())


# Reading


def _read_catalog() -> dict[str, CatalogEntry]:
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
        code: CatalogEntry(
            pk, code, kind, validity, tuple(levels.get(scale, ())), frozenset(implies[code])
        )
        for pk, code, kind, validity, scale in Competence.objects.values_list(
            "pk", "code", "kind", "validity_months", "scale_id"
        )
    }
    _check(catalog)
    return catalog


def _check(catalog: dict[str, CatalogEntry]) -> None:
    """Refuse a catalog that lacks a competence the demo relies on, or the level it asks for
    (the catalog may have been edited since it was loaded)."""
    needs = [need for needs in data.ROLE_NEEDS.values() for need in needs]
    needs += [need for _, needs in data.UNIT_NEEDS for need in needs]
    needs += [need for _, _, needs in data.ROLE_IN_UNIT_NEEDS for need in needs]
    wanted = [(need.code, need.level) for need in needs]
    wanted += [(target.code, target.level) for target in data.STAFFING_TARGETS]
    wanted += [(code, None) for code in data.FORMAL_BY_ROLE.values()]
    wanted += [(code, None) for _, code, _ in data.EXTRA_FORMAL]
    wanted += [(code, None) for extra in data.EXTRAS if not extra.optional for code in extra.codes]
    missing = sorted({code for code, _ in wanted if code not in catalog})
    if missing:
        raise ValueError(f"The catalog lacks competences the demo needs: {', '.join(missing)}.")
    levels = sorted(
        {
            f"{code} {level}"
            for code, level in wanted
            if level is not None and level not in catalog[code].levels
        }
    )
    if levels:
        raise ValueError(f"The catalog lacks levels the demo needs: {', '.join(levels)}.")


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


def _read_people(today: datetime.date) -> list[Holder]:
    """Everyone with a position on the reference date, by employee number."""
    people = {
        pk: Holder(pk, number, birth)
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


def _read_logins() -> DemoLogins:
    users = {
        username: (pk, person)
        for username, pk, person in User.objects.filter(
            username__in=(data.EMPLOYEE_LOGIN, data.LEADER_LOGIN)
        ).values_list("username", "pk", "person_id")
    }
    employee_user, employee = users.get(data.EMPLOYEE_LOGIN, (None, None))
    leader_user, leader = users.get(data.LEADER_LOGIN, (None, None))
    led = OrgUnit.objects.filter(leaders=leader).values_list("pk", flat=True) if leader else []
    return DemoLogins(employee, employee_user, leader, leader_user, frozenset(led))


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


def _applicable(person: Holder, units, unit_needs, role_unit_needs) -> dict[str, int | None]:
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


def _draw_formal(rng: random.Random, person: Holder) -> None:
    roles = person.roles
    for role in sorted(roles):
        code = data.FORMAL_BY_ROLE.get(role)
        if code and code not in person.formal:
            person.formal[code] = PENDING if rng.random() < data.FORMAL_PENDING_SHARE else MET
    for role, code, share in data.EXTRA_FORMAL:
        if role in roles and code not in person.formal and rng.random() < share:
            person.formal[code] = MET
            person.beyond_role.add(code)


def _settle_carried(catalog, person: Holder) -> None:
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


def _eligible(competence: CatalogEntry, level: int | None, status: str) -> bool:
    if status in (EXPIRING, EXPIRED):
        return competence.validity is not None
    if status == BELOW:
        return level is not None and level > competence.levels[0]
    return True


def _arrange_logins(rng, catalog, people: list[Holder], logins: DemoLogins) -> None:
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
    candidates = []
    for person in people:
        if not person.led or person.pk == logins.employee:
            continue
        _settle_carried(catalog, person)
        candidates += [(person, code) for code in person.needs if code not in person.statuses]
    for person, code in rng.sample(candidates, min(data.LEADER_PENDING, len(candidates))):
        person.statuses[code] = PENDING


def _draw_statuses(rng: random.Random, catalog, people: list[Holder]) -> None:
    """Draw the state of every need not settled yet, so that the totals hit the shares. Needs of
    people in units drawn as weaker come first in line for a shortfall."""
    weights: dict[int, float] = {}
    free: list[tuple[float, Holder, str]] = []
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


def _count_records() -> dict[str, int]:
    counts = CompetenceRecord.objects.values_list("status").annotate(count=Count("pk"))
    return {status: dict(counts).get(status, 0) for status in RecordStatus.values}
