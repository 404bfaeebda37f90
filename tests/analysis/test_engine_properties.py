"""Properties of the gap engine on small random municipalities: a few units in a tree, people
with one or two positions, requirements of job roles, units and roles in units at random levels,
and records with random levels, dates and statuses.

- coverage stays within 0..1, by headcount and by FTE;
- a valid verified record never lowers coverage;
- a later reference date never raises coverage when nobody obtains anything or changes
  position in between;
- a unit's figures are its own people's plus each child's subtree, for every count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evne.analysis.engine import Status, assessments_in, coverage_for
from evne.competence.models import (
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    Requirement,
    RequirementKind,
)
from evne.core.visibility import ADMINISTRATOR
from evne.organization.models import Employment, JobRole, OrgUnit, Person

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
SCALED = ("DEMENS", "DIGITAL")  # on the 1–4 scale; the others are had or not
CODES = ("HLR", "LEGEMIDDEL", "SYKEPLEIER", *SCALED)

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Position:
    unit: int
    role: int
    fte: int
    primary: bool
    start: int  # days from ON
    end: int | None


@dataclass(frozen=True)
class Need:
    code: str
    role: int | None
    unit: int | None
    mandatory: bool
    level: int | None


@dataclass(frozen=True)
class Held:
    person: int
    code: str
    level: int | None
    obtained: int  # days from ON
    lasts: int | None  # days until it expires; None: from the competence's validity
    status: str


@dataclass(frozen=True)
class Town:
    parents: tuple[int | None, ...]
    people: tuple[tuple[Position, ...], ...]
    needs: tuple[Need, ...]
    records: tuple[Held, ...]


def levels_for(code: str):
    return st.integers(1, 4) if code in SCALED else st.none()


@st.composite
def needs(draw, units: int) -> Need:
    code = draw(st.sampled_from(CODES))
    holder = draw(st.sampled_from(["role", "unit", "role in unit"]))
    return Need(
        code=code,
        role=None if holder == "unit" else draw(st.integers(0, 1)),
        unit=None if holder == "role" else draw(st.integers(0, units - 1)),
        mandatory=draw(st.booleans()),
        level=draw(levels_for(code)),
    )


@st.composite
def records(draw, people: int) -> Held:
    code = draw(st.sampled_from(CODES))
    return Held(
        person=draw(st.integers(0, people - 1)),
        code=code,
        level=draw(levels_for(code)),
        obtained=draw(st.integers(-1500, 60)),
        lasts=draw(st.none() | st.integers(0, 900)),
        status=draw(st.sampled_from(RecordStatus.values)),
    )


@st.composite
def towns(draw) -> Town:
    size = draw(st.integers(1, 5))
    parents = (None, *(draw(st.integers(0, index - 1)) for index in range(1, size)))
    position = st.builds(
        Position,
        unit=st.integers(0, size - 1),
        role=st.integers(0, 1),
        fte=st.sampled_from([20, 50, 80, 100]),
        primary=st.booleans(),
        start=st.integers(-2000, 30),
        end=st.none() | st.integers(-1000, 400),
    )
    people = draw(st.lists(st.lists(position, min_size=1, max_size=2), min_size=1, max_size=8))
    return Town(
        parents=parents,
        people=tuple(tuple(each) for each in people),
        needs=tuple(draw(st.lists(needs(size), max_size=6))),
        records=tuple(draw(st.lists(records(len(people)), max_size=14))),
    )


def build(town: Town, catalog) -> list[OrgUnit]:
    """The town in the database; its units, root first."""
    units: list[OrgUnit] = []
    for index, parent in enumerate(town.parents):
        units.append(
            OrgUnit.objects.create(
                code=f"P{index}",
                name=f"Enhet {index}",
                parent=None if parent is None else units[parent],
            )
        )
    roles = [JobRole.objects.create(name=f"Rolle {index}") for index in range(2)]
    people = []
    for number, positions in enumerate(town.people):
        person = Person.objects.create(
            employee_number=f"p{number}", given_name="Navn", family_name=f"Person{number}"
        )
        people.append(person)
        for position in positions:
            start = ON + position.start * DAY
            end = None if position.end is None else max(start, ON + position.end * DAY)
            Employment.objects.create(
                person=person,
                unit=units[position.unit],
                job_role=roles[position.role],
                fte=position.fte,
                is_primary=position.primary,
                start_date=start,
                end_date=end,
            )
    seen = set()
    for need in town.needs:
        key = (need.code, need.role, need.unit)
        if key in seen:
            continue
        seen.add(key)
        Requirement.objects.create(
            competence=catalog.competences[need.code],
            job_role=None if need.role is None else roles[need.role],
            unit=None if need.unit is None else units[need.unit],
            kind=RequirementKind.MANDATORY if need.mandatory else RequirementKind.DESIRED,
            level=need.level,
        )
    for held in town.records:
        add_record(people[held.person], catalog.competences[held.code], held)
    return units


def add_record(person, competence, held: Held) -> CompetenceRecord:
    obtained = ON + held.obtained * DAY
    return CompetenceRecord.objects.create(
        person=person,
        competence=competence,
        level=held.level,
        obtained_on=obtained,
        expires_on=None if held.lasts is None else obtained + held.lasts * DAY,
        source=RecordSource.HR,
        status=held.status,
    )


def in_rollback():
    """Each example in a savepoint of its own, undone after it, so examples do not add up."""

    class Savepoint:
        def __enter__(self):
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            transaction.set_rollback(True)
            return self.atomic.__exit__(*exc)

    return Savepoint()


def figures(coverage, unit):
    """Every tally of the unit's subtree: the total, and per competence and kind."""
    found = {("total", None): coverage.tally(unit)}
    for mandatory in (True, False):
        for competence in coverage.competences_in(unit, mandatory):
            found[(competence.pk, mandatory)] = coverage.tally(unit, competence, mandatory)
    return found


pytestmark = pytest.mark.django_db


@PROPERTY_SETTINGS
@given(town=towns(), on=st.integers(-400, 400))
def test_coverage_stays_between_none_and_all(catalog, town, on):
    with in_rollback():
        units = build(town, catalog)
        coverage = coverage_for(units[0], on=ON + on * DAY)
        for unit in units:
            for tally in figures(coverage, unit).values():
                for share in (tally.coverage, tally.fte_coverage):
                    assert share is None or 0 <= share <= 1
                assert (tally.coverage is None) == (tally.applicable == 0)


@PROPERTY_SETTINGS
@given(town=towns(), extra=st.data())
def test_a_valid_verified_record_never_lowers_coverage(catalog, town, extra):
    with in_rollback():
        units = build(town, catalog)
        before = coverage_for(units[0], on=ON)
        code = extra.draw(st.sampled_from(CODES))
        obtained = extra.draw(st.integers(-1500, 0))
        held = Held(
            person=extra.draw(st.integers(0, len(town.people) - 1)),
            code=code,
            level=extra.draw(levels_for(code)),
            obtained=obtained,
            lasts=-obtained + extra.draw(st.integers(0, 800)),  # valid on ON
            status=RecordStatus.VERIFIED,
        )
        add_record(
            Person.objects.get(employee_number=f"p{held.person}"),
            catalog.competences[code],
            held,
        )
        after = coverage_for(units[0], on=ON)
        for unit in units:
            old, new = figures(before, unit), figures(after, unit)
            assert old.keys() == new.keys()
            for key, tally in old.items():
                assert new[key].applicable == tally.applicable
                assert new[key].covered >= tally.covered
                if tally.fte_coverage is not None:
                    assert new[key].fte_coverage >= tally.fte_coverage - 1e-9


def settled(town: Town, later: int) -> Town:
    """The town with nothing obtained, started or ended between ON and `later` days after:
    such dates move to ON (obtained, started) or to the later date (last day of a position)."""

    def moved(day: int) -> int:
        return 0 if 0 < day <= later else day

    def position(p: Position) -> Position:
        start = moved(p.start)
        end = None if p.end is None else max(start, p.end)  # as build() stores it
        if end is not None and 0 <= end < later:
            end = later
        return replace(p, start=start, end=end)

    return replace(
        town,
        people=tuple(tuple(position(p) for p in positions) for positions in town.people),
        records=tuple(replace(held, obtained=moved(held.obtained)) for held in town.records),
    )


@PROPERTY_SETTINGS
@given(town=towns(), later=st.integers(1, 500))
def test_a_later_date_never_raises_coverage_when_nothing_is_obtained_in_between(
    catalog, town, later
):
    then = ON + later * DAY
    town = settled(town, later)
    with in_rollback():
        units = build(town, catalog)
        now, afterwards = coverage_for(units[0], on=ON), coverage_for(units[0], on=then)
        for unit in units:
            old, new = figures(now, unit), figures(afterwards, unit)
            assert old.keys() == new.keys()
            for key, tally in old.items():
                assert new[key].applicable == tally.applicable
                assert new[key].covered <= tally.covered
                if tally.fte_coverage is not None:
                    assert new[key].fte_coverage <= tally.fte_coverage + 1e-9


@PROPERTY_SETTINGS
@given(town=towns(), on=st.integers(-200, 200))
def test_a_subtree_is_its_own_people_plus_each_childs_subtree(catalog, town, on):
    day = ON + on * DAY
    with in_rollback():
        units = build(town, catalog)
        coverage = coverage_for(units[0], on=day)
        assessments = assessments_in(units[0], visibility=ADMINISTRATOR, on=day)
        for unit in units:
            children = coverage.children(unit)
            own = [each for each in assessments if each.unit_id == unit.pk]
            for key, tally in figures(coverage, unit).items():
                competence_id, mandatory = key

                def mine(assessment, competence_id=competence_id, mandatory=mandatory):
                    return competence_id == "total" or (
                        assessment.competence.pk == competence_id
                        and assessment.mandatory == mandatory
                    )

                for status in Status:
                    parts = sum(1 for each in own if mine(each) and each.status == status)
                    for child in children:
                        if competence_id == "total":
                            parts += coverage.tally(child)[status]
                        else:
                            child_competence = coverage.competences[competence_id]
                            parts += coverage.tally(child, child_competence, mandatory)[status]
                    assert tally[status] == parts, (unit.code, key, status)
            # The same subtree asked for on its own gives the same figures.
            alone = coverage_for(unit, on=day)
            for key, tally in figures(coverage, unit).items():
                assert figures(alone, unit)[key].people == tally.people
            people = len({each.person_id for each in own})
            counted = sum(coverage.people(child)[0] for child in children)
            assert coverage.people(unit)[0] >= people + counted
