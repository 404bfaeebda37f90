"""The demo municipality's competence: requirements per role and unit, staffing targets, and records
whose coverage on the reference date looks like a real municipality's.

The state of each applicable requirement is worked out here from the rows in the database, by the
rules of the gap engine in DESIGN.md, independently of how the generator planned it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.utils import timezone

from evne.competence.models import (
    Competence,
    CompetenceKind,
    CompetenceRecord,
    RecordStatus,
    Requirement,
    RequirementKind,
    ScaleLevel,
    StaffingMeasure,
    StaffingTarget,
)
from evne.demo import competence_data
from evne.demo.generator import build_municipality, clear_organisation_data
from evne.organization.models import Employment, OrgUnit, Person
from tests.demo.conftest import REFERENCE_DATE

WINDOW = datetime.timedelta(days=90)  # "expiring": valid, but not beyond this


@dataclass(frozen=True)
class Held:
    code: str
    level: int | None
    obtained: datetime.date
    expires: datetime.date | None
    status: str
    superseded: bool


def applicable_requirements(day: datetime.date) -> dict[str, dict[str, int]]:
    """The strictest level each person's positions on `day` ask for, by employee number and
    competence code (0 for a have/not competence)."""
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    by_role, by_unit, by_role_in_unit = defaultdict(list), defaultdict(list), defaultdict(list)
    for code, role, unit, kind, level in Requirement.objects.values_list(
        "competence__code", "job_role_id", "unit_id", "kind", "level"
    ):
        need = (code, (level or 0, kind == RequirementKind.MANDATORY))
        if unit is None:
            by_role[role].append(need)
        elif role is None:
            by_unit[unit].append(need)
        else:
            by_role_in_unit[unit, role].append(need)
    strictest: dict[str, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for number, unit, role in Employment.objects.active_on(day).values_list(
        "person__employee_number", "unit_id", "job_role_id"
    ):
        needs = list(by_role[role])
        for ancestor in (int(part) for part in paths[unit].strip("/").split("/")):
            needs += by_unit[ancestor] + by_role_in_unit[ancestor, role]
        for code, key in needs:
            if code not in strictest[number] or key > strictest[number][code]:
                strictest[number][code] = key
    return {
        number: {code: key[0] for code, key in needs.items()} for number, needs in strictest.items()
    }


def requirement_states(day: datetime.date) -> dict[tuple[str, str], str]:
    """The state of every applicable requirement on `day`, by (employee number, code)."""
    satisfied_by = defaultdict(set)
    for code in Competence.objects.values_list("code", flat=True):
        satisfied_by[code].add(code)
    for code, implied in Competence.implies.through.objects.values_list(
        "from_competence__code", "to_competence__code"
    ):
        satisfied_by[implied].add(code)
    held = defaultdict(list)
    for (
        number,
        code,
        level,
        obtained,
        expires,
        status,
        superseded,
    ) in CompetenceRecord.objects.values_list(
        "person__employee_number",
        "competence__code",
        "level",
        "obtained_on",
        "expires_on",
        "status",
        "superseded_by",
    ):
        held[number, code].append(
            Held(code, level, obtained, expires, status, superseded is not None)
        )
    states = {}
    for number, needs in applicable_requirements(day).items():
        for code, level in needs.items():
            records = [r for other in satisfied_by[code] for r in held[number, other]]
            states[number, code] = _state(code, level, records, day)
    return states


def _state(code: str, level: int, records: list[Held], day: datetime.date) -> str:
    valid = [
        r
        for r in records
        if r.status == RecordStatus.VERIFIED
        and r.obtained <= day
        and (r.expires is None or r.expires >= day)
    ]
    at_level = [r for r in valid if r.code != code or not level or (r.level or 0) >= level]
    if at_level:
        lasting = any(r.expires is None or r.expires > day + WINDOW for r in at_level)
        return "met" if lasting else "expiring"
    if any(r.status == RecordStatus.PENDING and not r.superseded for r in records):
        return "pending"
    if valid:
        return "below_level"
    if any(r.status == RecordStatus.VERIFIED for r in records):
        return "expired"
    return "missing"


@dataclass(frozen=True)
class Figures:
    """What a 400-employee run looks like on the reference date."""

    states: dict[tuple[str, str], str]
    unit_coverage: list[float]
    records: list[dict]
    scale_levels: dict[str, set[int]]
    requirements: list[dict]
    targets: list[dict]
    positions: dict[str, set[str]]  # job roles by employee number
    nursing_homes: set[str]
    requirement_codes: set[str]


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker) -> Figures:
    """Build once for the module, measure, and roll everything back."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            build_municipality(400, seed=3, today=REFERENCE_DATE)
            result = _measure()
            transaction.set_rollback(True)
        connection.close()  # or PostgreSQL refuses to drop the test database
    return result


def _measure() -> Figures:
    states = requirement_states(REFERENCE_DATE)
    unit_of = dict(
        Employment.objects.active_on(REFERENCE_DATE)
        .filter(unit__level__rank=2)
        .values_list("person__employee_number", "unit__code")
    )
    by_unit = defaultdict(Counter)
    for (number, _), state in states.items():
        if number in unit_of:
            by_unit[unit_of[number]][state in ("met", "expiring")] += 1
    scale_levels = defaultdict(set)
    for code, value in ScaleLevel.objects.values_list("scale__competences__code", "value"):
        scale_levels[code].add(value)
    positions = defaultdict(set)
    for number, role in Employment.objects.active_on(REFERENCE_DATE).values_list(
        "person__employee_number", "job_role__name"
    ):
        positions[number].add(role)
    return Figures(
        states=states,
        unit_coverage=[
            counts[True] / counts.total() for counts in by_unit.values() if counts.total() >= 40
        ],
        records=list(
            CompetenceRecord.objects.values(
                "pk",
                "person__employee_number",
                "competence__code",
                "competence__kind",
                "level",
                "obtained_on",
                "expires_on",
                "credits",
                "source",
                "status",
                "rejection_reason",
                "superseded_by",
                "created_at",
                "decided_at",
            )
        ),
        scale_levels=scale_levels,
        requirements=list(
            Requirement.objects.values(
                "competence__code",
                "job_role__name",
                "unit__name",
                "unit__level__rank",
                "kind",
                "level",
                "legal_basis",
                "grace_days",
            )
        ),
        targets=list(
            StaffingTarget.objects.values(
                "unit__name", "competence__code", "level", "measure", "minimum", "due_on"
            )
        ),
        positions=positions,
        nursing_homes=set(
            OrgUnit.objects.filter(name__endswith="sykehjem").values_list("name", flat=True)
        ),
        requirement_codes=set(Requirement.objects.values_list("competence__code", flat=True)),
    )


def share(figures: Figures, *states: str) -> float:
    counts = Counter(figures.states.values())
    return sum(counts[state] for state in states) / counts.total()


# Coverage


def test_most_requirements_are_met(figures):
    assert 0.75 <= share(figures, "met") <= 0.85


def test_some_requirements_are_met_but_expire_within_ninety_days(figures):
    assert 0.05 <= share(figures, "expiring") <= 0.08


def test_about_one_in_twenty_requirements_has_expired(figures):
    assert 0.035 <= share(figures, "expired") <= 0.065


def test_a_few_requirements_wait_for_verification(figures):
    assert 0.02 <= share(figures, "pending") <= 0.045


def test_the_rest_is_missing_or_below_the_level_asked_for(figures):
    assert 0.03 <= share(figures, "missing") <= 0.08
    assert 0 < share(figures, "below_level") <= 0.02


def test_some_units_do_better_than_others(figures):
    assert max(figures.unit_coverage) - min(figures.unit_coverage) >= 0.08


def test_every_person_in_a_position_has_requirements(figures):
    with_needs = {number for number, _ in figures.states}
    assert with_needs == set(figures.positions)


def test_a_nursing_degree_meets_medicine_handling_without_a_course(figures):
    course = {
        r["person__employee_number"]
        for r in figures.records
        if r["competence__code"] == "LEGEMIDDEL"
    }
    nurses = [
        number
        for number, roles in figures.positions.items()
        if roles == {"Sykepleier"} and number not in course
    ]
    assert len(nurses) > 10
    assert {figures.states[number, "LEGEMIDDEL"] for number in nurses} <= {"met", "pending"}


# Records


def test_formal_qualifications_follow_the_role(figures):
    held = defaultdict(set)
    for r in figures.records:
        if r["status"] != RecordStatus.REJECTED:
            held[r["person__employee_number"]].add(r["competence__code"])
    for role, code in [
        ("Sykepleier", "SYKEPLEIER"),
        ("Helsefagarbeider", "HELSEFAGARBEIDER"),
        ("Lærer", "LAERER"),
        ("Barnehagelærer", "BARNEHAGELAERER"),
    ]:
        holders = [number for number, roles in figures.positions.items() if role in roles]
        assert holders, role
        assert all(code in held[number] for number in holders), role


def test_every_level_fits_the_competence_scale(figures):
    for r in figures.records:
        levels = figures.scale_levels.get(r["competence__code"])
        if levels:
            assert r["level"] in levels, r
        else:
            assert r["level"] is None, r


def test_dates_are_consistent_and_none_is_after_the_reference_date(figures):
    for r in figures.records:
        assert r["obtained_on"] <= REFERENCE_DATE, r
        assert r["expires_on"] is None or r["expires_on"] >= r["obtained_on"], r
        registered = r["created_at"].astimezone(timezone.get_current_timezone()).date()
        assert min(r["obtained_on"], REFERENCE_DATE) <= registered <= REFERENCE_DATE, r
        if r["status"] == RecordStatus.PENDING:
            assert r["decided_at"] is None
        else:
            assert r["created_at"] <= r["decided_at"], r
            assert r["decided_at"].date() <= REFERENCE_DATE


def test_renewals_keep_the_older_record_superseded_by_a_newer_one(figures):
    by_pk = {r["pk"]: r for r in figures.records}
    renewed = [r for r in figures.records if r["superseded_by"]]
    assert len(renewed) > 50
    for old in renewed:
        new = by_pk[old["superseded_by"]]
        assert new["person__employee_number"] == old["person__employee_number"]
        assert new["competence__code"] == old["competence__code"]
        assert new["obtained_on"] > old["obtained_on"]
        assert new["status"] == RecordStatus.VERIFIED


def test_a_few_registrations_are_rejected_with_a_reason(figures):
    rejected = [r for r in figures.records if r["status"] == RecordStatus.REJECTED]
    assert 3 <= len(rejected) <= len(figures.records) * 0.02
    assert all(r["rejection_reason"] for r in rejected)
    assert not any(r["rejection_reason"] for r in figures.records if r not in rejected)


def test_people_hold_competence_no_requirement_asks_for(figures):
    unasked = [
        r
        for r in figures.records
        if (r["person__employee_number"], r["competence__code"]) not in figures.states
    ]
    kinds = Counter(r["competence__kind"] for r in unasked)
    assert kinds[CompetenceKind.DIGITAL] >= 100
    assert kinds[CompetenceKind.LANGUAGE] >= 5
    assert kinds[CompetenceKind.BASIC_SKILL] >= 5
    further = [r for r in unasked if r["competence__kind"] == CompetenceKind.FURTHER_EDUCATION]
    assert len(further) >= 10
    assert all(r["credits"] in (30, 60) for r in further)


# Requirements and staffing targets


def requirements_of(figures: Figures, **where) -> dict[str, dict]:
    return {
        r["competence__code"]: r
        for r in figures.requirements
        if all(r[key] == value for key, value in where.items())
    }


def test_nurses_need_their_degree_cpr_medicines_infection_control_and_privacy(figures):
    needs = requirements_of(figures, job_role__name="Sykepleier", unit__name=None)
    assert set(needs) == {"SYKEPLEIER", "HLR", "LEGEMIDDEL", "SMITTEVERN", "PERSONVERN"}
    assert needs["LEGEMIDDEL"]["legal_basis"] and needs["LEGEMIDDEL"]["grace_days"]


def test_everyone_needs_privacy_training_and_health_and_care_needs_cpr(figures):
    assert "PERSONVERN" in requirements_of(figures, unit__level__rank=0, job_role__name=None)
    health = requirements_of(figures, unit__name="Helse og mestring", job_role__name=None)
    assert {"HLR", "SMITTEVERN"} <= set(health)


def test_nursing_homes_want_dementia_care_and_require_the_coercion_course(figures):
    assert figures.nursing_homes
    for name in figures.nursing_homes:
        needs = requirements_of(figures, unit__name=name, job_role__name=None)
        dementia, coercion = needs["DEMENS"], needs["TVANG-MAKT"]
        assert (dementia["kind"], dementia["level"]) == (RequirementKind.DESIRED, 2)
        assert coercion["kind"] == RequirementKind.MANDATORY
        assert coercion["legal_basis"] == competence_data.COERCION


def test_some_requirements_hold_for_a_role_within_a_unit(figures):
    within = [r for r in figures.requirements if r["job_role__name"] and r["unit__name"]]
    assert within
    assert {r["competence__code"] for r in within} & {"VARME-ARBEIDER", "DEMENS"}


def test_each_nursing_home_needs_two_people_advanced_in_dementia_care(figures):
    targets = {
        t["unit__name"]: t
        for t in figures.targets
        if t["competence__code"] == "DEMENS" and t["unit__name"] in figures.nursing_homes
    }
    assert set(targets) == figures.nursing_homes
    assert all((t["level"], t["minimum"]) == (3, 2) for t in targets.values())


def test_a_staffing_target_counts_fte_and_is_due_next_year(figures):
    dated = [t for t in figures.targets if t["due_on"]]
    assert dated
    assert all(t["due_on"].year == REFERENCE_DATE.year + 1 for t in dated)
    assert any(t["measure"] == StaffingMeasure.FTE for t in dated)


# Determinism and safety


def competence_dump() -> dict[str, list[tuple[str, ...]]]:
    def rows(queryset, *fields):
        return sorted(tuple(str(value) for value in row) for row in queryset.values_list(*fields))

    return {
        "records": rows(
            CompetenceRecord.objects,
            "person__employee_number",
            "competence__code",
            "level",
            "obtained_on",
            "expires_on",
            "credits",
            "source",
            "status",
            "rejection_reason",
            "evidence_reference",
            "superseded_by__obtained_on",
            "created_at",
            "decided_at",
        ),
        "requirements": rows(
            Requirement.objects,
            "competence__code",
            "job_role__name",
            "unit__code",
            "kind",
            "level",
            "legal_basis",
            "grace_days",
        ),
        "targets": rows(
            StaffingTarget.objects,
            "unit__code",
            "competence__code",
            "level",
            "measure",
            "minimum",
            "due_on",
        ),
    }


def test_same_seed_and_reference_date_give_the_same_competence_data(db):
    build_municipality(200, seed=8, today=REFERENCE_DATE)
    first = competence_dump()
    clear_organisation_data()
    build_municipality(200, seed=8, today=REFERENCE_DATE)
    assert competence_dump() == first
    assert len(first["records"]) > 200


def test_another_seed_gives_other_records(db):
    build_municipality(200, seed=8, today=REFERENCE_DATE)
    first = competence_dump()
    clear_organisation_data()
    build_municipality(200, seed=9, today=REFERENCE_DATE)
    assert competence_dump()["records"] != first["records"]


def test_records_count_from_the_reference_date(db):
    build_municipality(200, seed=8, today=REFERENCE_DATE)
    first = competence_dump()["records"]
    clear_organisation_data()
    later = REFERENCE_DATE + datetime.timedelta(days=10)
    build_municipality(200, seed=8, today=later)
    obtained = {row[:2]: row[3] for row in first}
    shifted = {row[:2]: row[3] for row in competence_dump()["records"]}
    moved = [
        key
        for key in obtained.keys() & shifted.keys()
        if datetime.date.fromisoformat(shifted[key]) - datetime.date.fromisoformat(obtained[key])
        == datetime.timedelta(days=10)
    ]
    assert len(moved) > len(obtained) / 2


def test_a_catalog_without_a_needed_competence_is_refused_and_nothing_is_built(db, monkeypatch):
    monkeypatch.setitem(
        competence_data.ROLE_NEEDS, "Sykepleier", (competence_data.Need("NO-SUCH-CODE"),)
    )
    with pytest.raises(ValueError, match="NO-SUCH-CODE"):
        build_municipality(200, seed=8, today=REFERENCE_DATE)
    assert not Person.objects.exists()
    assert not CompetenceRecord.objects.exists()


def test_a_catalog_without_a_level_asked_for_is_refused(db, monkeypatch):
    monkeypatch.setitem(
        competence_data.ROLE_NEEDS, "Sykepleier", (competence_data.Need("DEMENS", level=9),)
    )
    with pytest.raises(ValueError, match="DEMENS 9"):
        build_municipality(200, seed=8, today=REFERENCE_DATE)
    assert not Requirement.objects.exists()
