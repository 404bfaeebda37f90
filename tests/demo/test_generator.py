"""The demo municipality: deterministic, realistic in its figures, consistent in its structure."""

import random
import statistics
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection, transaction

from evne.demo.data import AREAS, ROLES
from evne.demo.generator import build_municipality, clear_organisation_data
from evne.organization.models import Employment, Gender, OrgUnit, Person
from tests.demo.conftest import REFERENCE_DATE, canonical_dump

HEALTH, CHILDHOOD = AREAS[0].name, AREAS[1].name


def test_same_seed_and_reference_date_build_identical_municipality(db):
    random.seed(1)  # the global generator must not matter
    build_municipality(300, seed=5, today=REFERENCE_DATE)
    first = canonical_dump()
    clear_organisation_data()
    random.seed(2)
    build_municipality(300, seed=5, today=REFERENCE_DATE)
    assert canonical_dump() == first


def test_another_seed_builds_another_municipality(db):
    build_municipality(300, seed=5, today=REFERENCE_DATE)
    first = canonical_dump()
    clear_organisation_data()
    build_municipality(300, seed=6, today=REFERENCE_DATE)
    second = canonical_dump()
    assert second["people"] != first["people"]
    assert second["employments"] != first["employments"]


def test_fewer_than_a_hundred_employees_is_refused(db):
    with pytest.raises(ValueError, match="at least 100"):
        build_municipality(99, seed=1, today=REFERENCE_DATE)


@dataclass(frozen=True)
class Figures:
    """What a 2000-employee run looks like on the reference date."""

    people: int
    units: int
    women_share: float
    headcount_by_area: dict[str, int]
    ages: list[float]
    part_time_share_in_health: float
    two_positions_share: float
    ended_employments: int
    latest_start: object
    units_without_employed_leader: list[str]
    units_with_wrong_path: list[str]
    education_by_role: dict[str, set[int]]
    employee_numbers: list[str]
    emails: list[str]


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker) -> Figures:
    """Build once for the module, measure, and roll everything back."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            build_municipality(2000, seed=11, today=REFERENCE_DATE)
            result = _measure()
            transaction.set_rollback(True)
        # Opened outside any test: closed here, or PostgreSQL refuses to drop the test database.
        connection.close()
    return result


def _measure() -> Figures:
    people = list(Person.objects.all())
    units = list(OrgUnit.objects.all())
    by_id = {unit.pk: unit for unit in units}
    current = Employment.objects.active_on(REFERENCE_DATE)
    areas = [unit for unit in units if unit.depth == 1]
    headcount = {
        area.name: current.filter(unit__path__startswith=area.path)
        .values("person")
        .distinct()
        .count()
        for area in areas
    }
    health = next(area for area in areas if area.name == HEALTH)
    in_health = current.filter(unit__path__startswith=health.path)
    positions = Counter(current.values_list("person", flat=True))
    employed = set(current.values_list("unit_id", "person_id"))
    leaders = OrgUnit.leaders.through.objects.values_list("orgunit_id", "person_id")
    led = {unit_id for unit_id, person_id in leaders if (unit_id, person_id) in employed}
    education: dict[str, set[int]] = {}
    for role, level in Employment.objects.values_list("job_role__name", "person__education_level"):
        education.setdefault(role, set()).add(level)
    return Figures(
        people=len(people),
        units=len(units),
        women_share=sum(p.gender == Gender.FEMALE for p in people) / len(people),
        headcount_by_area=headcount,
        ages=[(REFERENCE_DATE - p.birth_date).days / 365.25 for p in people],
        part_time_share_in_health=in_health.filter(fte__lt=100).count() / in_health.count(),
        two_positions_share=sum(n >= 2 for n in positions.values()) / len(people),
        ended_employments=Employment.objects.filter(end_date__lt=REFERENCE_DATE).count(),
        latest_start=max(Employment.objects.values_list("start_date", flat=True)),
        units_without_employed_leader=[unit.code for unit in units if unit.pk not in led],
        units_with_wrong_path=[
            unit.code
            for unit in units
            if unit.path != (by_id[unit.parent_id].path if unit.parent_id else "/") + f"{unit.pk}/"
        ],
        education_by_role=education,
        employee_numbers=[p.employee_number for p in people],
        emails=[p.email for p in people],
    )


def test_builds_the_requested_number_of_people(figures):
    assert figures.people == 2000


def test_units_scale_with_the_workforce(figures):
    assert 2000 / 30 <= figures.units <= 2000 / 15


def test_most_employees_are_women(figures):
    assert 0.7 <= figures.women_share <= 0.85


def test_health_and_care_is_the_largest_area_and_childhood_the_next(figures):
    ranked = sorted(figures.headcount_by_area, key=figures.headcount_by_area.get, reverse=True)
    assert ranked[:2] == [HEALTH, CHILDHOOD]
    assert 0.4 <= figures.headcount_by_area[HEALTH] / figures.people <= 0.5


def test_ages_are_those_of_a_municipal_workforce(figures):
    assert 40 <= statistics.mean(figures.ages) <= 48
    assert min(figures.ages) >= 20
    assert max(figures.ages) < 68


def test_most_positions_in_health_and_care_are_part_time(figures):
    assert figures.part_time_share_in_health > 0.5


def test_some_people_hold_two_positions(figures):
    assert 0.03 <= figures.two_positions_share <= 0.10


def test_some_positions_have_ended_and_none_starts_in_the_future(figures):
    assert figures.ended_employments > 0
    assert figures.latest_start <= REFERENCE_DATE


def test_every_unit_has_a_leader_employed_in_it(figures):
    assert figures.units_without_employed_leader == []


def test_unit_paths_follow_the_tree(figures):
    assert figures.units_with_wrong_path == []


def test_education_fits_the_job_role(figures):
    for role in ("Sykepleier", "Lærer", "Barnehagelærer", "Vernepleier", "Kommunalsjef"):
        assert min(figures.education_by_role[role]) >= 6, role
    assert figures.education_by_role["Helsefagarbeider"] <= {4, 5}


def test_employee_numbers_and_emails_are_unique(figures):
    assert len(set(figures.employee_numbers)) == figures.people
    assert all(len(number) == 6 and number.isdigit() for number in figures.employee_numbers)
    assert len(set(figures.emails)) == figures.people
    assert all(email.endswith("@evnevik.kommune.no") for email in figures.emails)


def test_styrk_codes_have_four_digits_or_none():
    assert all(role.styrk == "" or len(role.styrk) == 4 for role in ROLES.values())
