"""Plans shared by the plan tests: an adopted plan for Helse og mestring (owned by HR) and a
draft plan for Solsiden sykehjem (owned by its leader) whose goal serves the area's."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from evne.plans.models import (
    CompetencePlan,
    Goal,
    Measure,
    MeasureKind,
    PlanStatus,
    TargetKind,
)


@dataclass
class Plans:
    area: CompetencePlan
    area_goal: Goal
    area_measure: Measure
    unit: CompetencePlan
    unit_goal: Goal


@pytest.fixture
def plans(municipality, catalog) -> Plans:
    u, users, c = municipality.units, municipality.users, catalog.competences
    start, end = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
    area = CompetencePlan.objects.create(
        unit=u["H"],
        title="Kompetanseplan Helse og mestring 2026–2027",
        period_start=start,
        period_end=end,
        status=PlanStatus.ADOPTED,
        revision=1,
        adopted_at=timezone.now(),
        adopted_by=users["hr"],
        adopted_by_body="Kommunestyret",
        created_by=users["hr"],
    )
    area.owners.add(users["hr"])
    area_goal = Goal.objects.create(
        plan=area,
        position=1,
        title="Alle i helse har gyldig HLR",
        competence=c["HLR"],
        target_kind=TargetKind.COVERAGE,
        target_value=90,
        target_date=end,
    )
    area_measure = Measure.objects.create(
        plan=area,
        goal=area_goal,
        position=1,
        title="HLR-kurs i alle enheter",
        kind=MeasureKind.DEVELOPMENT,
        owner="Kommunalsjef helse",
        cost=120000,
    )
    unit = CompetencePlan.objects.create(
        unit=u["HA"],
        title="Kompetanseplan Solsiden sykehjem 2026–2027",
        period_start=start,
        period_end=end,
        parent=area,
        created_by=users["leader"],
    )
    unit.owners.add(users["leader"])
    unit_goal = Goal.objects.create(
        plan=unit,
        position=1,
        title="Seks sykepleiere med demensomsorg nivå 3",
        competence=c["DEMENS"],
        level=3,
        target_kind=TargetKind.PEOPLE,
        target_value=6,
        target_date=end,
    )
    unit_goal.serves.add(area_goal)
    return Plans(area, area_goal, area_measure, unit, unit_goal)
