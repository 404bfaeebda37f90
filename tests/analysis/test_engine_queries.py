"""The gap engine runs a fixed number of queries whatever the number of people, and gives the
same figures on SQLite and PostgreSQL (the suite runs on both): a fixed hand-built dataset with
its tallies written out."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evne.analysis.engine import Status, assessments_in, coverage_for, staffing_for
from evne.competence.models import (
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    Requirement,
    RequirementKind,
    StaffingMeasure,
    StaffingTarget,
)
from evne.core.visibility import ADMINISTRATOR
from tests.conftest import add_staff

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
M, E, P, B, X, N = (
    Status.MET,
    Status.EXPIRING,
    Status.PENDING,
    Status.BELOW_LEVEL,
    Status.EXPIRED,
    Status.MISSING,
)


def give(person, competence, *, level=None, expires=None, status=RecordStatus.VERIFIED, **extra):
    return CompetenceRecord.objects.create(
        person=person,
        competence=competence,
        level=level,
        obtained_on=extra.pop("obtained", ON - 300 * DAY),
        expires_on=expires,
        source=RecordSource.HR,
        status=status,
    )


@pytest.fixture
def requirements(municipality, catalog):
    """CPR in Helse og mestring, medicine handling of every nurse, dementia care at level 3
    wished of the nurses of Solsiden sykehjem, and two staffing targets."""
    c, u = catalog.competences, municipality.units
    Requirement.objects.create(competence=c["HLR"], unit=u["H"], grace_days=30)
    Requirement.objects.create(competence=c["LEGEMIDDEL"], job_role=municipality.roles["nurse"])
    Requirement.objects.create(
        competence=c["DEMENS"],
        unit=u["HA"],
        job_role=municipality.roles["nurse"],
        level=3,
        kind=RequirementKind.DESIRED,
    )
    StaffingTarget.objects.create(unit=u["HA"], competence=c["HLR"], minimum=3)
    StaffingTarget.objects.create(
        unit=u["H"],
        competence=c["LEGEMIDDEL"],
        minimum=Decimal("1.5"),
        measure=StaffingMeasure.FTE,
    )
    return municipality


def with_records(municipality, catalog):
    c, p = catalog.competences, municipality.people
    give(p["employee"], c["HLR"], expires=ON + 200 * DAY)  # met
    give(p["employee"], c["DEMENS"], level=2)  # below level
    give(p["employee"], c["SYKEPLEIER"])  # implies medicine handling: met
    give(p["ha0"], c["HLR"], expires=ON + 30 * DAY)  # expiring
    give(p["ha0"], c["LEGEMIDDEL"], obtained=ON - 5 * DAY, status=RecordStatus.PENDING)
    give(p["ha1"], c["HLR"], obtained=ON - 400 * DAY, expires=ON - 10 * DAY)  # expired
    give(p["ha1"], c["DEMENS"], level=4)  # met
    give(p["hb"], c["HLR"], obtained=ON - 3 * DAY, status=RecordStatus.PENDING)
    give(p["leader"], c["HLR"], expires=ON + 300 * DAY)  # met


def statuses(tally) -> dict[Status, int]:
    return {status: count for status, count in tally.people.items() if count}


class TestFixedDataset:
    """The same answers on every database; the figures are worked out by hand in comments."""

    @pytest.fixture(autouse=True)
    def dataset(self, requirements, catalog):
        with_records(requirements, catalog)
        self.m, self.c = requirements, catalog.competences

    def test_cpr_per_unit(self):
        u, cpr = self.m.units, self.c["HLR"]
        coverage = coverage_for(u["K"], on=ON)
        # Solsiden sykehjem: leader, Eva, ha0–ha3 (6) and Avdeling Øst's 2 (ha1 = hae000).
        assert statuses(coverage.tally(u["HA"], cpr)) == {M: 2, E: 1, X: 1, N: 4}
        assert statuses(coverage.tally(u["HA1"], cpr)) == {X: 1, N: 1}
        assert statuses(coverage.tally(u["HB"], cpr)) == {P: 1, N: 2}
        assert statuses(coverage.tally(u["H"], cpr)) == {M: 2, E: 1, P: 1, X: 1, N: 6}
        assert statuses(coverage.tally(u["K"], cpr)) == {M: 2, E: 1, P: 1, X: 1, N: 6}
        assert statuses(coverage.tally(u["O"], cpr)) == {}
        assert coverage.tally(u["H"], cpr).coverage == pytest.approx(3 / 11)
        # FTE: leader 100 + Eva 80 met, ha0 50 expiring, of 100+80+50+100+50+100+50+100
        # (Solsiden and Avdeling Øst) + 50+100+50 (Hjemmetjenesten) = 830.
        assert coverage.tally(u["H"], cpr).fte_coverage == pytest.approx(230 / 830)
        assert coverage.tally(u["H"], cpr).fte_applicable == pytest.approx(8.30)

    def test_medicine_handling_and_dementia_care(self):
        u, c = self.m.units, self.c
        coverage = coverage_for(u["K"], on=ON)
        # Every nurse of Testvik: Eva, ha0–ha3, 2 in Avdeling Øst, 3 in Hjemmetjenesten.
        assert statuses(coverage.tally(u["K"], c["LEGEMIDDEL"], mandatory=True)) == {
            M: 1,
            P: 1,
            N: 8,
        }
        assert statuses(coverage.tally(u["HA"], c["DEMENS"], mandatory=False)) == {
            M: 1,
            B: 1,
            N: 5,
        }
        assert statuses(coverage.tally(u["HA"], c["DEMENS"], mandatory=True)) == {}
        total = coverage.tally(u["K"])
        assert total.applicable == 11 + 10 + 7
        assert total.covered == 3 + 1 + 1
        # 15 people in Testvik (the one who left is not counted), 1130 % FTE.
        assert coverage.people(u["K"]) == (15, pytest.approx(11.3))

    def test_assessments_of_one_department(self):
        u, c = self.m.units, self.c
        found = assessments_in(u["HA1"], visibility=ADMINISTRATOR, on=ON)
        ha1 = self.m.people["ha1"]
        mine = {
            (a.competence.code, a.status, a.level, a.mandatory)
            for a in found
            if a.person_id == ha1.pk
        }
        assert mine == {
            ("HLR", X, None, True),
            ("LEGEMIDDEL", N, None, True),
            ("DEMENS", M, 3, False),
        }
        [cpr] = [a for a in found if a.person_id == ha1.pk and a.competence == c["HLR"]]
        assert cpr.expired_on == ON - 10 * DAY
        assert cpr.due_on == datetime.date(2020, 1, 31)  # started 01.01.2020, 30 days' grace
        assert len(found) == 2 * 3

    def test_staffing_targets(self):
        u = self.m.units
        results = {r.target.unit.code: r for r in staffing_for(u["K"], on=ON)}
        # CPR in Solsiden sykehjem and below, valid on the date: leader, Eva, ha0.
        assert (results["HA"].people, results["HA"].reached) == (3, True)
        # Medicine handling in Helse og mestring: Eva (80 %) by her nursing degree.
        assert results["H"].fte == Decimal("0.8")
        assert results["H"].shortfall == Decimal("0.7")


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "ask",
    [
        lambda m: coverage_for(m.units["K"], on=ON),
        lambda m: assessments_in(m.units["K"], visibility=ADMINISTRATOR, on=ON),
        lambda m: staffing_for(m.units["K"], on=ON),
    ],
    ids=["coverage_for", "assessments_in", "staffing_for"],
)
def test_the_same_number_of_queries_for_10_and_for_200_people(requirements, catalog, ask):
    m, cpr = requirements, catalog.competences["HLR"]
    for person in add_staff(m.units["HB"], m.roles["nurse"], 10, "small"):
        give(person, cpr, expires=ON + 100 * DAY)
    few = queries(lambda: ask(m))
    for unit in ("HA1", "HB", "OC"):
        for person in add_staff(m.units[unit], m.roles["nurse"], 64, f"big{unit}"):
            give(person, cpr, expires=ON + 100 * DAY)
    assert queries(lambda: ask(m)) == few
    assert few <= 6  # a handful, whatever the size
