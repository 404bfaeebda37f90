"""Build the synthetic demo municipality (Evnevik kommune): levels, units, job roles, people,
employments, leaders and one demo login per role.

The same seed and reference date always give the same data: every random choice comes from one
`random.Random(seed)`, and every date is counted from the reference date ("today"). Ids differ
between databases and runs; codes, employee numbers and everything else do not.

The plan is made in memory first, then written with a handful of bulk inserts in one transaction,
so 10 000 people take seconds.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate, count

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from evne.accounts.models import Role as AccessRole
from evne.accounts.models import User
from evne.competence.models import CompetenceRecord, Requirement
from evne.core.freshness import data_changed
from evne.demo import data
from evne.demo.competence import CompetenceSummary, build_competence
from evne.demo.learning import build_learning, clear_learning_data
from evne.demo.logins import DEMO_USERNAMES, create_login
from evne.demo.plans import build_plans, clear_plans_data
from evne.organization.models import (
    Employment,
    EmploymentKind,
    Gender,
    JobRole,
    OrgLevel,
    OrgUnit,
    Person,
)

MIN_EMPLOYEES = 100
BATCH_SIZE = 1000
ROOT_STAFF_SHARE = 0.002  # the municipal director's office
AREA_STAFF_SHARE = 0.008  # each area's office, besides its kommunalsjef
SECOND_POSITION_SHARE = 0.06  # people holding two positions at once
ENDED_POSITION_SHARE = 0.025  # people with an earlier position in another unit, now ended
OTHER_GENDER_SHARE = 0.003
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class BuildSummary:
    units: int
    people: int
    employments: int
    job_roles: int
    competence: CompetenceSummary
    skipped_logins: tuple[str, ...] = ()


@dataclass(eq=False)
class _Unit:
    code: str
    name: str
    rank: int
    parent: "_Unit | None"
    area: str
    kind: str
    leader_role: str
    staff: list[str] = field(default_factory=list)  # job roles of the staff, leader excluded
    leader: int = -1  # index of the leader in the people list
    obj: OrgUnit | None = None


@dataclass(eq=False)
class _Job:
    person: int
    unit: _Unit
    role: str
    fte: int
    temporary: bool
    start: datetime.date
    end: datetime.date | None = None
    primary: bool = True


def build_municipality(
    employees: int = 10_000, seed: int = 1, today: datetime.date | None = None
) -> BuildSummary:
    """Build the municipality with `employees` people into an empty organisation, with the
    starter catalog and the competence data of `evne.demo.competence`."""
    if employees < MIN_EMPLOYEES:
        raise ValueError(f"The demo municipality needs at least {MIN_EMPLOYEES} employees.")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    units = _plan_units(rng, employees)
    people = _plan_people(rng, units, today)
    jobs = _plan_jobs(rng, units, people, today)
    with transaction.atomic():
        job_roles = _save(units, people, jobs)
        skipped = _create_logins(units, people, jobs)
        competence = build_competence(today, seed, {unit.code: unit.kind for unit in units})
        build_learning(today, seed)
        build_plans(today)
        data_changed()  # the build writes in bulk, past the models' signals
    return BuildSummary(len(units), len(people), len(jobs), len(job_roles), competence, skipped)


def has_organisation_data() -> bool:
    return Person.objects.exists() or OrgUnit.objects.exists()


def clear_organisation_data() -> None:
    """Delete every unit, person and employment, the demo logins, and the competence data that
    belongs to them: records (with their people), requirements and staffing targets (with their
    units, and the job roles' own requirements), the learning history (sessions, enrolments,
    completions, test attempts) and the plans. Job roles, levels, the competence catalog and
    the courses stay (the generator reuses them). Meant for demo databases: the deletions are
    not written to the audit log."""
    with transaction.atomic(), disable_auditlog():
        clear_plans_data()
        clear_learning_data()
        User.objects.filter(username__in=DEMO_USERNAMES).delete()
        Requirement.objects.all().delete()
        _delete_records()
        Employment.objects.all().delete()
        OrgUnit.objects.update(parent=None)  # the tree protects parents from deletion
        OrgUnit.objects.all().delete()
        Person.objects.all().delete()


def _delete_records() -> None:
    # A chunk of people at a time: deleting records clears the renewal links pointing to them in
    # one UPDATE that lists every record, more variables than SQLite takes in a large demo.
    people = list(Person.objects.values_list("pk", flat=True))
    for start in range(0, len(people), BATCH_SIZE):
        CompetenceRecord.objects.filter(person__in=people[start : start + BATCH_SIZE]).delete()


# Planning: the tree


def _plan_units(rng: random.Random, employees: int) -> list[_Unit]:
    root_size = max(1, round(employees * ROOT_STAFF_SHARE))
    root = _Unit("1000", data.MUNICIPALITY, data.ROOT_RANK, None, "", "", data.ROOT_LEADER)
    root.staff = _draw(rng, data.STAFF_ROLES, root_size - 1)
    units = [root]
    places = _PlaceNames(rng)
    area_sizes = _apportion(employees - root_size, [area.share for area in data.AREAS])
    for number, (area, area_size) in enumerate(zip(data.AREAS, area_sizes, strict=True), 2):
        office = max(1, round(area_size * AREA_STAFF_SHARE))
        area_unit = _Unit(
            f"{number}000", area.name, data.AREA_RANK, root, area.name, "", data.AREA_LEADER
        )
        area_unit.staff = _draw(rng, data.STAFF_ROLES, office - 1)
        units.append(area_unit)
        codes = (f"{number}{serial:03d}" for serial in count(1))
        kind_sizes = _apportion(area_size - office, [kind.share for kind in area.kinds])
        for kind, kind_size in zip(area.kinds, kind_sizes, strict=True):
            for size in _unit_sizes(rng, kind, kind_size):
                name = kind.name
                if "{place}" in name:
                    name = name.format(place=places.take(kind.key))
                unit = _Unit(
                    next(codes),
                    name,
                    data.UNIT_RANK,
                    area_unit,
                    area.name,
                    kind.key,
                    data.UNIT_LEADER,
                )
                units.append(unit)
                units.extend(_staff_unit(rng, unit, kind, size))
    return units


def _unit_sizes(rng: random.Random, kind: data.Kind, total: int) -> list[int]:
    """Headcounts of the units of one kind, adding up to `total`."""
    if total <= 0:
        return []
    if kind.size is None:
        return [total]
    low, high = kind.size
    number = max(1, min(total, round(total * 2 / (low + high))))
    return _apportion(total, [rng.uniform(low, high) for _ in range(number)])


def _staff_unit(rng: random.Random, unit: _Unit, kind: data.Kind, size: int) -> list[_Unit]:
    """Fill a unit of `size` people (its leader included); return its departments."""
    departments = []
    in_departments = 0
    for serial, (department, name, headcount) in enumerate(_department_plan(kind, size), 1):
        code = f"{unit.code}-{serial:02d}"
        sub = _Unit(
            code, name, data.DEPARTMENT_RANK, unit, unit.area, kind.key, data.DEPARTMENT_LEADER
        )
        sub.staff = _draw(rng, department.roles or kind.roles, headcount - 1)
        departments.append(sub)
        in_departments += headcount
    unit.staff = _draw(rng, kind.roles, size - 1 - in_departments)
    return departments


def _department_plan(kind: data.Kind, size: int) -> list[tuple[data.Department, str, int]]:
    if not kind.departments:
        return []
    if kind.dept_share >= 1:
        total = size - 1 - size // 50  # the leader and, in big units, a small office stay
        number = round(total / kind.dept_size)
        if number < 2:
            return []
    else:
        total = round(size * kind.dept_share)
        number = len(kind.departments)
        if total < 4 * number:
            return []
    pool = len(kind.departments)
    chosen = [kind.departments[i % pool] for i in range(number)]
    names = [d.name if i < pool else f"{d.name} {i // pool + 1}" for i, d in enumerate(chosen)]
    sizes = _apportion(total, [department.weight for department in chosen])
    if min(sizes) < 2:
        return []
    return list(zip(chosen, names, sizes, strict=True))


class _PlaceNames:
    """Invented place names ("Solbakken", "Eikelia"), not repeated within a kind of unit."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[str, set[str]] = {}

    def take(self, kind: str) -> str:
        used = self.used.setdefault(kind, set())
        name = ""
        for _ in range(50):
            start, end = self.rng.choice(data.PLACE_STARTS), self.rng.choice(data.PLACE_ENDS)
            name = start + end
            if start.lower()[:3] not in end and name not in used:
                break
        else:
            name = f"{name} {len(used) + 1}"
        used.add(name)
        return name


# Planning: people and their positions


def _plan_people(rng: random.Random, units: list[_Unit], today: datetime.date) -> list[Person]:
    headcount = sum(1 + len(unit.staff) for unit in units)
    numbers = rng.sample(range(100_000, 1_000_000), headcount)
    emails = Counter()
    people = []
    for unit in units:
        unit.leader = len(people)
        for role in (unit.leader_role, *unit.staff):
            people.append(_person(rng, data.ROLES[role], today, str(numbers[len(people)]), emails))
    return people


def _person(
    rng: random.Random, role: data.Role, today: datetime.date, number: str, emails: Counter
) -> Person:
    draw = rng.random()
    if draw < OTHER_GENDER_SHARE:
        gender, names = Gender.OTHER, rng.choice((data.WOMEN, data.MEN))
    elif draw < role.women:
        gender, names = Gender.FEMALE, data.WOMEN
    else:
        gender, names = Gender.MALE, data.MEN
    given, family = rng.choice(names), rng.choice(data.FAMILY_NAMES)
    age = _age(rng, role)
    birth = today - datetime.timedelta(days=round(age * DAYS_PER_YEAR) + rng.randrange(365))
    return Person(
        employee_number=number,
        given_name=given,
        family_name=family,
        email=_email(given, family, emails),
        birth_date=birth,
        gender=gender,
        education_level=_weighted(rng, role.education),
    )


def _age(rng: random.Random, role: data.Role) -> int:
    youngest = max(20, role.min_age)
    while True:
        age = round(rng.gauss(role.age, 10))
        if youngest <= age <= 67:
            return age


_EMAIL_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", " ": "-"})


def _email(given: str, family: str, emails: Counter) -> str:
    local = f"{given}.{family}".lower().translate(_EMAIL_LETTERS)
    emails[local] += 1
    if emails[local] > 1:
        local = f"{local}.{emails[local]}"
    return f"{local}@{data.EMAIL_DOMAIN}"


def _plan_jobs(
    rng: random.Random, units: list[_Unit], people: list[Person], today: datetime.date
) -> list[_Job]:
    jobs = []
    for unit in units:
        for offset, role in enumerate((unit.leader_role, *unit.staff)):
            index = unit.leader + offset
            jobs.append(_primary_job(rng, index, unit, data.ROLES[role], people[index], today))
    leaders = {unit.leader for unit in units}
    staff_jobs = [job for job in jobs if job.person not in leaders]
    jobs += _second_jobs(rng, units, staff_jobs, len(people), today)
    jobs += _ended_jobs(rng, units, staff_jobs, people, today)
    return jobs


def _primary_job(
    rng: random.Random,
    index: int,
    unit: _Unit,
    role: data.Role,
    person: Person,
    today: datetime.date,
) -> _Job:
    fte = _weighted(rng, data.FTE_PROFILES[role.fte])
    temporary = rng.random() < role.temporary
    longest = max(14, (today - _working_life_start(person, role)).days)
    if temporary:
        days = rng.randint(14, max(14, min(3 * 365, longest)))
        end = today + datetime.timedelta(days=rng.randint(30, 365))
    else:
        days = min(longest, 14 + int(rng.expovariate(1 / (8 * 365))))
        end = None
    return _Job(index, unit, role.name, fte, temporary, today - datetime.timedelta(days=days), end)


def _working_life_start(person: Person, role: data.Role) -> datetime.date:
    years = max(19, role.min_age - 1)
    return person.birth_date + datetime.timedelta(days=round(years * DAYS_PER_YEAR))


def _second_jobs(
    rng: random.Random,
    units: list[_Unit],
    staff_jobs: list[_Job],
    headcount: int,
    today: datetime.date,
) -> list[_Job]:
    """A second position, mostly for part-timers: another unit of the same kind, or extra hours
    in their own unit."""
    wanted = round(headcount * SECOND_POSITION_SHARE)
    part_time = [job for job in staff_jobs if job.fte <= 80]
    chosen = rng.sample(part_time, min(wanted, len(part_time)))
    full_time = [job for job in staff_jobs if job.fte > 80]
    chosen += rng.sample(full_time, min(wanted - len(chosen), len(full_time)))
    by_kind: dict[str, list[_Unit]] = {}
    for unit in units:
        if unit.kind:
            by_kind.setdefault(unit.kind, []).append(unit)
    jobs = []
    for first in chosen:
        others = [unit for unit in by_kind.get(first.unit.kind, []) if unit is not first.unit]
        unit = rng.choice(others) if others and rng.random() < 0.7 else first.unit
        room = 100 - first.fte
        fte = min(rng.choice((20, 25, 30, 40)), room) if room >= 10 else rng.choice((10, 15, 20))
        temporary = rng.random() < 0.5
        start = max(first.start, today - datetime.timedelta(days=rng.randint(30, 4 * 365)))
        end = today + datetime.timedelta(days=rng.randint(30, 365)) if temporary else None
        jobs.append(_Job(first.person, unit, first.role, fte, temporary, start, end, False))
    return jobs


def _ended_jobs(
    rng: random.Random,
    units: list[_Unit],
    staff_jobs: list[_Job],
    people: list[Person],
    today: datetime.date,
) -> list[_Job]:
    """An earlier position in another unit that ended the day before the current one began."""
    wanted = round(len(people) * ENDED_POSITION_SHARE)
    seasoned = [job for job in staff_jobs if (today - job.start).days > 400]
    workplaces = [unit for unit in units if unit.kind]
    jobs = []
    for current in rng.sample(seasoned, min(wanted, len(seasoned))):
        end = current.start - datetime.timedelta(days=1)
        earliest = _working_life_start(people[current.person], data.ROLES[current.role])
        start = max(earliest, end - datetime.timedelta(days=rng.randint(180, 6 * 365)))
        unit = rng.choice([unit for unit in workplaces if unit is not current.unit])
        fte = _weighted(rng, data.FTE_PROFILES[data.ROLES[current.role].fte])
        temporary = rng.random() < 0.4
        if start < end:
            jobs.append(_Job(current.person, unit, current.role, fte, temporary, start, end, False))
    return jobs


# Writing


def _save(units: list[_Unit], people: list[Person], jobs: list[_Job]) -> dict[str, JobRole]:
    levels = _levels()
    for rank in sorted({unit.rank for unit in units}):
        batch = [unit for unit in units if unit.rank == rank]
        for unit in batch:
            parent = unit.parent.obj if unit.parent else None
            unit.obj = OrgUnit(code=unit.code, name=unit.name, parent=parent, level=levels[rank])
        OrgUnit.objects.bulk_create([unit.obj for unit in batch], batch_size=BATCH_SIZE)
        for unit in batch:  # bulk_create skips save(), which sets the path
            unit.obj.path = unit.obj.path_under(unit.obj.parent)
    OrgUnit.objects.bulk_update([unit.obj for unit in units], ["path"], batch_size=BATCH_SIZE)

    job_roles = _job_roles()
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    Employment.objects.bulk_create(
        (
            Employment(
                person=people[job.person],
                unit=job.unit.obj,
                job_role=job_roles[job.role],
                fte=Decimal(job.fte),
                kind=EmploymentKind.TEMPORARY if job.temporary else EmploymentKind.PERMANENT,
                start_date=job.start,
                end_date=job.end,
                is_primary=job.primary,
            )
            for job in jobs
        ),
        batch_size=BATCH_SIZE,
    )
    Leader = OrgUnit.leaders.through
    Leader.objects.bulk_create(
        (Leader(orgunit_id=unit.obj.pk, person_id=people[unit.leader].pk) for unit in units),
        batch_size=BATCH_SIZE,
    )
    return job_roles


def _levels() -> dict[int, OrgLevel]:
    """The demo's levels by rank, reusing existing ones by name or rank."""
    by_name = {level.name: level for level in OrgLevel.objects.all()}
    by_rank = {level.rank: level for level in by_name.values()}
    return {
        rank: by_name.get(name)
        or by_rank.get(rank)
        or OrgLevel.objects.create(name=name, rank=rank)
        for name, rank in data.LEVELS
    }


def _job_roles() -> dict[str, JobRole]:
    """The demo's job roles by name, reusing existing ones."""
    existing = set(JobRole.objects.filter(name__in=data.ROLES).values_list("name", flat=True))
    JobRole.objects.bulk_create(
        JobRole(name=role.name, styrk_code=role.styrk)
        for role in data.ROLES.values()
        if role.name not in existing
    )
    return {role.name: role for role in JobRole.objects.filter(name__in=data.ROLES)}


def _create_logins(units: list[_Unit], people: list[Person], jobs: list[_Job]) -> tuple[str, ...]:
    """One login per role, linked to fitting people; returns the usernames that already existed."""
    root, health = units[0], next(unit for unit in units if unit.name == data.AREAS[0].name)
    nursing_home = next(unit for unit in units if unit.kind == "sykehjem")
    jobs_per_person = Counter(job.person for job in jobs)
    leaders = {unit.leader for unit in units}
    taken: set[int] = set()

    def pick(where, role: str) -> Person | None:
        """The first person in a unit `where` accepts with one permanent position, preferably
        in `role`."""
        candidates = [
            job
            for job in jobs
            if where(job.unit)
            and not job.temporary
            and jobs_per_person[job.person] == 1
            and job.person not in leaders
            and job.person not in taken
        ]
        if not candidates:
            return None
        chosen = next((job for job in candidates if job.role == role), candidates[0])
        taken.add(chosen.person)
        return people[chosen.person]

    employee = pick(lambda unit: nursing_home in (unit, unit.parent), "Helsefagarbeider")
    union_rep = pick(lambda unit: unit.area == health.name and unit.kind, "Sykepleier")
    hr = pick(lambda unit: unit.kind == "hr", "HR-rådgiver")
    analyst = pick(lambda unit: unit.kind == "analyse", "Rådgiver")
    created = {
        "ansatt": create_login("ansatt", employee),
        "leder": create_login("leder", people[nursing_home.leader]),
        "hr": create_login("hr", hr, (AccessRole.HR, root.obj)),
        "tillitsvalgt": create_login(
            "tillitsvalgt", union_rep, (AccessRole.UNION_REPRESENTATIVE, health.obj)
        ),
        "analytiker": create_login("analytiker", analyst, (AccessRole.ANALYST, root.obj)),
        "admin": create_login("admin", superuser=True),
    }
    return tuple(username for username, done in created.items() if not done)


# Small helpers


def _draw(rng: random.Random, weights: dict[str, float], number: int) -> list[str]:
    if number <= 0:
        return []
    return rng.choices(list(weights), cum_weights=list(accumulate(weights.values())), k=number)


def _weighted(rng: random.Random, pairs) -> int:
    values = [value for value, _ in pairs]
    return rng.choices(values, cum_weights=list(accumulate(w for _, w in pairs)))[0]


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainder; the parts add up."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts
