"""The gap engine on hand-built cases: every status, where requirements come from, implication,
the strictest requirement, the expiry window, roll-up, FTE weighting and staffing targets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from evne.analysis.engine import (
    Options,
    Status,
    assessments_in,
    assessments_of,
    coverage_for,
    staffing_for,
)
from evne.competence.models import (
    RecordStatus,
    Requirement,
    RequirementKind,
    StaffingMeasure,
    StaffingTarget,
)
from evne.core.visibility import ADMINISTRATOR, visibility_for
from evne.organization.models import Person
from tests.conftest import employ, make_record

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)


def record(person, competence, *, obtained=ON - 400 * DAY, **extra):
    return make_record(person, competence, obtained, **extra)


def status_of(person, competence, on=ON, **options):
    found = [
        assessment
        for assessment in assessments_of(
            person, visibility=ADMINISTRATOR, on=on, options=Options(**options)
        )
        if assessment.competence == competence
    ]
    assert len(found) <= 1
    return found[0].status if found else None


@pytest.fixture
def cpr_for_nurses(municipality, catalog):
    return Requirement.objects.create(
        competence=catalog.competences["HLR"], job_role=municipality.roles["nurse"]
    )


class TestStatus:
    def test_no_record_is_missing(self, municipality, catalog, cpr_for_nurses):
        assert status_of(municipality.people["employee"], catalog.competences["HLR"]) == (
            Status.MISSING
        )

    def test_verified_record_valid_beyond_the_window_is_met(
        self, municipality, catalog, cpr_for_nurses
    ):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, obtained=ON - 10 * DAY, expires=ON + 91 * DAY)
        assert status_of(eva, cpr) == Status.MET

    def test_record_expiring_within_the_window_is_expiring(
        self, municipality, catalog, cpr_for_nurses
    ):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, obtained=ON - 300 * DAY, expires=ON + 90 * DAY)
        assert status_of(eva, cpr) == Status.EXPIRING
        assert status_of(eva, cpr, window_days=30) == Status.MET

    def test_the_expiry_date_itself_still_counts(self, municipality, catalog, cpr_for_nurses):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, expires=ON)
        assert status_of(eva, cpr) == Status.EXPIRING
        assert status_of(eva, cpr, on=ON + DAY) == Status.EXPIRED

    def test_one_record_beyond_the_window_makes_it_met(self, municipality, catalog, cpr_for_nurses):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, expires=ON + 5 * DAY)
        record(eva, cpr, obtained=ON - 5 * DAY, expires=ON + 360 * DAY)
        assert status_of(eva, cpr) == Status.MET

    def test_pending_record_is_pending_and_comes_before_expired(
        self, municipality, catalog, cpr_for_nurses
    ):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, obtained=ON - 800 * DAY, expires=ON - 400 * DAY)
        assert status_of(eva, cpr) == Status.EXPIRED
        record(eva, cpr, obtained=ON - 3 * DAY, status=RecordStatus.PENDING)
        assert status_of(eva, cpr) == Status.PENDING

    def test_rejected_record_counts_for_nothing(self, municipality, catalog, cpr_for_nurses):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, obtained=ON - 3 * DAY, status=RecordStatus.REJECTED)
        assert status_of(eva, cpr) == Status.MISSING

    def test_record_obtained_after_the_date_does_not_count_yet(
        self, municipality, catalog, cpr_for_nurses
    ):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, obtained=ON + 10 * DAY, expires=ON + 375 * DAY)
        assert status_of(eva, cpr) == Status.MISSING
        assert status_of(eva, cpr, on=ON + 10 * DAY) == Status.MET

    def test_lower_level_is_below_level(self, municipality, catalog):
        eva, dementia = municipality.people["employee"], catalog.competences["DEMENS"]
        Requirement.objects.create(
            competence=dementia, job_role=municipality.roles["nurse"], level=3
        )
        record(eva, dementia, level=2)
        assert status_of(eva, dementia) == Status.BELOW_LEVEL
        record(eva, dementia, level=3, obtained=ON - 5 * DAY)
        assert status_of(eva, dementia) == Status.MET

    def test_below_level_comes_before_expired(self, municipality, catalog):
        eva, dementia = municipality.people["employee"], catalog.competences["DEMENS"]
        Requirement.objects.create(competence=dementia, unit=municipality.units["HA"], level=3)
        record(eva, dementia, level=4, obtained=ON - 900 * DAY, expires=ON - 100 * DAY)
        assert status_of(eva, dementia) == Status.EXPIRED
        record(eva, dementia, level=1)
        assert status_of(eva, dementia) == Status.BELOW_LEVEL

    def test_pending_at_too_low_a_level_is_not_pending(self, municipality, catalog):
        eva, dementia = municipality.people["employee"], catalog.competences["DEMENS"]
        Requirement.objects.create(competence=dementia, unit=municipality.units["HA"], level=3)
        record(eva, dementia, level=2, status=RecordStatus.PENDING)
        assert status_of(eva, dementia) == Status.MISSING


class TestWhereRequirementsComeFrom:
    def test_unit_requirement_holds_below_and_not_beside(self, municipality, catalog):
        cpr = catalog.competences["HLR"]
        Requirement.objects.create(competence=cpr, unit=municipality.units["H"])
        assert status_of(municipality.people["ha1"], cpr) == Status.MISSING
        assert status_of(municipality.people["hb"], cpr) == Status.MISSING
        assert status_of(municipality.people["oc"], cpr) is None

    def test_role_in_unit_holds_for_that_role_there_and_below(self, municipality, catalog):
        cpr = catalog.competences["HLR"]
        Requirement.objects.create(
            competence=cpr, unit=municipality.units["HA"], job_role=municipality.roles["nurse"]
        )
        assert status_of(municipality.people["employee"], cpr) == Status.MISSING
        assert status_of(municipality.people["ha1"], cpr) == Status.MISSING
        assert status_of(municipality.people["leader"], cpr) is None  # another role
        assert status_of(municipality.people["hb"], cpr) is None  # a nurse beside it

    def test_every_position_brings_its_requirements(self, municipality, catalog):
        teacher_too = municipality.people["employee"]
        employ(teacher_too, municipality.units["OC"], municipality.roles["teacher"], fte=20)
        digital = catalog.competences["DIGITAL"]
        Requirement.objects.create(competence=digital, unit=municipality.units["O"], level=1)
        assert status_of(teacher_too, digital) == Status.MISSING

    def test_ended_positions_bring_nothing(self, municipality, catalog, cpr_for_nurses):
        assert status_of(municipality.people["former"], catalog.competences["HLR"]) is None


class TestStrictest:
    def test_highest_level_wins(self, municipality, catalog):
        eva, dementia = municipality.people["employee"], catalog.competences["DEMENS"]
        Requirement.objects.create(competence=dementia, unit=municipality.units["H"], level=1)
        Requirement.objects.create(
            competence=dementia, job_role=municipality.roles["nurse"], level=3
        )
        record(eva, dementia, level=2)
        [found] = [
            a
            for a in assessments_of(eva, visibility=ADMINISTRATOR, on=ON)
            if a.competence == dementia
        ]
        assert (found.level, found.status) == (3, Status.BELOW_LEVEL)

    def test_mandatory_beats_desired_on_the_same_level(self, municipality, catalog):
        eva, dementia = municipality.people["employee"], catalog.competences["DEMENS"]
        Requirement.objects.create(
            competence=dementia,
            unit=municipality.units["H"],
            level=2,
            kind=RequirementKind.DESIRED,
        )
        Requirement.objects.create(competence=dementia, unit=municipality.units["HA"], level=2)
        [found] = assessments_of(eva, visibility=ADMINISTRATOR, on=ON)
        assert found.mandatory

    def test_mandatory_only_leaves_out_the_desired(self, municipality, catalog):
        eva = municipality.people["employee"]
        Requirement.objects.create(
            competence=catalog.competences["DIGITAL"],
            unit=municipality.units["K"],
            level=2,
            kind=RequirementKind.DESIRED,
        )
        assert status_of(eva, catalog.competences["DIGITAL"]) == Status.MISSING
        assert status_of(eva, catalog.competences["DIGITAL"], mandatory_only=True) is None


class TestImplication:
    def test_implying_competence_meets_the_requirement(self, municipality, catalog):
        eva = municipality.people["employee"]
        medicines = catalog.competences["LEGEMIDDEL"]
        Requirement.objects.create(competence=medicines, job_role=municipality.roles["nurse"])
        record(eva, catalog.competences["SYKEPLEIER"])
        assert status_of(eva, medicines) == Status.MET

    def test_implication_is_transitive(self, municipality, catalog):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        catalog.competences["LEGEMIDDEL"].implies.add(cpr)
        Requirement.objects.create(competence=cpr, job_role=municipality.roles["nurse"])
        record(eva, catalog.competences["SYKEPLEIER"])
        assert status_of(eva, cpr) == Status.MET

    def test_implying_record_counts_at_its_own_level(self, municipality, catalog):
        eva, dementia = municipality.people["employee"], catalog.competences["DEMENS"]
        digital = catalog.competences["DIGITAL"]
        digital.implies.add(dementia)
        Requirement.objects.create(competence=dementia, unit=municipality.units["HA"], level=3)
        record(eva, digital, level=2)
        assert status_of(eva, dementia) == Status.BELOW_LEVEL

    def test_implication_does_not_run_backwards(self, municipality, catalog):
        eva, degree = municipality.people["employee"], catalog.competences["SYKEPLEIER"]
        Requirement.objects.create(competence=degree, job_role=municipality.roles["nurse"])
        record(eva, catalog.competences["LEGEMIDDEL"])
        assert status_of(eva, degree) == Status.MISSING


class TestDueDates:
    def test_missing_is_due_at_the_end_of_the_grace_period(self, municipality, catalog):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        Requirement.objects.create(
            competence=cpr, job_role=municipality.roles["nurse"], grace_days=60
        )
        [found] = assessments_of(eva, visibility=ADMINISTRATOR, on=ON)
        assert found.due_on == datetime.date(2020, 1, 1) + 60 * DAY

    def test_expiring_is_due_on_its_last_valid_day(self, municipality, catalog, cpr_for_nurses):
        eva, cpr = municipality.people["employee"], catalog.competences["HLR"]
        record(eva, cpr, expires=ON + 20 * DAY)
        [found] = assessments_of(eva, visibility=ADMINISTRATOR, on=ON)
        assert (found.status, found.due_on) == (Status.EXPIRING, ON + 20 * DAY)


class TestCoverage:
    def test_subtree_counts_people_once_in_their_main_unit(self, municipality, catalog):
        cpr = catalog.competences["HLR"]
        Requirement.objects.create(competence=cpr, unit=municipality.units["K"])
        employ(
            municipality.people["hb"],
            municipality.units["OC"],
            municipality.roles["teacher"],
            fte=10,
            is_primary=False,
        )
        record(municipality.people["hb"], cpr, expires=ON + 200 * DAY)
        coverage = coverage_for(municipality.units["K"], on=ON)
        units = municipality.units
        assert coverage.tally(units["K"], cpr).applicable == 15  # 6 + 2 + 3 + 4
        assert coverage.tally(units["HB"], cpr).applicable == 3
        assert coverage.tally(units["HB"], cpr)[Status.MET] == 1
        assert coverage.tally(units["OC"], cpr).applicable == 4
        parts = [coverage.tally(units[code], cpr).applicable for code in ["H", "O"]]
        assert sum(parts) == coverage.tally(units["K"], cpr).applicable

    def test_total_and_fte_weighting(self, municipality, catalog):
        cpr = catalog.competences["HLR"]
        Requirement.objects.create(competence=cpr, unit=municipality.units["HB"])
        hb_staff = municipality.people["hb"].employments.get().unit.employments.all()
        fte = {e.person_id: e.fte for e in hb_staff}
        covered = municipality.people["hb"]
        record(covered, cpr, expires=ON + 200 * DAY)
        tally = coverage_for(municipality.units["HB"], on=ON).tally(municipality.units["HB"])
        assert tally.coverage == pytest.approx(1 / 3)
        assert tally.fte_coverage == pytest.approx(float(fte[covered.pk] / sum(fte.values())))

    def test_future_date_shows_what_will_have_expired(self, municipality, catalog):
        cpr = catalog.competences["HLR"]
        Requirement.objects.create(competence=cpr, unit=municipality.units["HB"])
        for person in Person.objects.filter(employments__unit=municipality.units["HB"]):
            record(person, cpr, expires=ON + 100 * DAY)
        unit = municipality.units["HB"]
        assert coverage_for(unit, on=ON).tally(unit).coverage == 1
        later = coverage_for(unit, on=ON + 101 * DAY).tally(unit)
        assert later.coverage == 0 and later[Status.EXPIRED] == 3

    def test_figures_under_five_people_are_suppressed_for_aggregate_users(
        self, municipality, catalog
    ):
        cpr = catalog.competences["HLR"]
        Requirement.objects.create(competence=cpr, unit=municipality.units["H"])
        union = visibility_for(municipality.users["union_rep"])
        coverage = coverage_for(municipality.units["H"], on=ON, visibility=union)
        assert not coverage.cell(municipality.units["HA"], cpr).suppressed  # 8 people
        hb = coverage.cell(municipality.units["HB"], cpr)  # 3 people
        assert hb.suppressed and hb.shown is None
        hr = visibility_for(municipality.users["hr"])
        assert (
            not coverage_for(municipality.units["H"], on=ON, visibility=hr)
            .cell(municipality.units["HB"], cpr)
            .suppressed
        )

    def test_aggregate_users_get_no_people(self, municipality, catalog):
        union = visibility_for(municipality.users["union_rep"])
        with pytest.raises(PermissionDenied):
            assessments_in(municipality.units["HA"], visibility=union, on=ON)
        outsider = visibility_for(municipality.users["outsider"])
        with pytest.raises(PermissionDenied):
            coverage_for(municipality.units["K"], on=ON, visibility=outsider)


class TestStaffingTargets:
    def test_counts_qualified_people_and_their_fte_below_the_unit(self, municipality, catalog):
        dementia = catalog.competences["DEMENS"]
        units, people = municipality.units, municipality.people
        people_target = StaffingTarget.objects.create(
            unit=units["HA"], competence=dementia, level=2, minimum=2
        )
        fte_target = StaffingTarget.objects.create(
            unit=units["HA"],
            competence=dementia,
            level=2,
            minimum=Decimal("1.5"),
            measure=StaffingMeasure.FTE,
        )
        record(people["employee"], dementia, level=3)  # 80 %
        record(people["ha1"], dementia, level=2)  # in the department below
        record(people["ha0"], dementia, level=1)  # too low
        record(people["hb"], dementia, level=4)  # elsewhere
        results = {r.target: r for r in staffing_for(units["K"], on=ON)}
        ha1_fte = people["ha1"].employments.get().fte
        assert results[people_target].people == 2
        assert results[people_target].reached
        assert results[fte_target].fte == (Decimal(80) + ha1_fte) / 100
        assert results[fte_target].reached == ((Decimal(80) + ha1_fte) / 100 >= Decimal("1.5"))


def test_someone_else_may_not_read_my_gaps(municipality, catalog):
    colleague = visibility_for(municipality.users["employee"])
    with pytest.raises(PermissionDenied):
        assessments_of(municipality.people["leader"], visibility=colleague, on=ON)


def test_a_total_is_hidden_when_fewer_than_five_people_are_behind_it(municipality, catalog):
    # Hjemmetjenesten: 3 people with two requirements each, six requirements in all.
    units = municipality.units
    Requirement.objects.create(competence=catalog.competences["HLR"], unit=units["H"])
    Requirement.objects.create(competence=catalog.competences["LEGEMIDDEL"], unit=units["HB"])
    union = visibility_for(municipality.users["union_rep"])
    coverage = coverage_for(units["H"], on=ON, visibility=union)
    assert coverage.tally(units["HB"]).applicable == 6
    assert coverage.people_behind(units["HB"]) == 3
    assert coverage.cell(units["HB"]).suppressed
    assert coverage.people_behind(units["H"]) == 11
    assert not coverage.cell(units["H"]).suppressed


def test_a_tally_answers_only_statuses_by_key(municipality, catalog, cpr_for_nurses):
    tally = coverage_for(municipality.units["HA"], on=ON).tally(municipality.units["HA"])
    assert tally["missing"] == tally[Status.MISSING] == tally.applicable
    with pytest.raises(KeyError):
        tally["covered"]


def test_staffing_targets_elsewhere_show_nothing_to_an_employee(municipality, catalog):
    hb_target = StaffingTarget.objects.create(
        unit=municipality.units["HB"], competence=catalog.competences["HLR"], minimum=1
    )
    employee = visibility_for(municipality.users["employee"])
    assert employee.detail_for(municipality.units["HB"]) == 0
    admin_results = staffing_for(municipality.units["H"], on=ON)
    assert [result.target for result in admin_results] == [hb_target]
    assert not admin_results[0].suppressed


def test_a_reference_date_at_the_end_of_the_calendar_still_answers(
    municipality, catalog, cpr_for_nurses
):
    last_day = datetime.date.max
    assert status_of(municipality.people["employee"], catalog.competences["HLR"], on=last_day) == (
        Status.MISSING
    )
