"""A goal's live progress against a hand-built case: coverage of the goal's competence in the
plan's subtree, and the qualified people and FTE, at the goal's level when it has one.

Solsiden sykehjem (HA) counts 8 people: the leader, Eva (80 %), four nurses (ha0–ha3, 50 % or
100 %) and two in Avdeling Øst (HA1). HLR is required of the nurses in HA (and so of HA1).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from evne.competence.models import Requirement, RequirementKind
from evne.core.visibility import visibility_for
from evne.plans.models import CompetencePlan, Goal, TargetKind
from evne.plans.progress import progress_for
from tests.conftest import make_record

TODAY = timezone.localdate()
LAST_YEAR = TODAY - datetime.timedelta(days=200)


@pytest.fixture
def case(municipality, catalog):
    units, people, c = municipality.units, municipality.people, catalog.competences
    Requirement.objects.create(
        competence=c["HLR"],
        unit=units["HA"],
        job_role=municipality.roles["nurse"],
        kind=RequirementKind.MANDATORY,
    )
    # Three of the seven nurses have valid HLR; one has an expired one.
    for key in ("employee", "ha0", "ha1"):
        make_record(people[key], c["HLR"], LAST_YEAR, expires=TODAY + datetime.timedelta(days=300))
    make_record(people["ha2"], c["HLR"], TODAY - datetime.timedelta(days=800), expires=LAST_YEAR)
    # Dementia care: Eva at level 3, ha0 at level 2, the leader at level 4.
    make_record(people["employee"], c["DEMENS"], LAST_YEAR, level=3)
    make_record(people["ha0"], c["DEMENS"], LAST_YEAR, level=2)
    make_record(people["leader"], c["DEMENS"], LAST_YEAR, level=4)
    plan = CompetencePlan.objects.create(
        unit=units["HA"],
        title="Solsiden",
        period_start=TODAY,
        period_end=TODAY + datetime.timedelta(days=700),
    )

    def goal(kind, competence, value, level=None):
        return Goal.objects.create(
            plan=plan,
            title=f"{kind} {competence} {level}",
            competence=c[competence],
            level=level,
            target_kind=kind,
            target_value=value,
        )

    return plan, [
        goal(TargetKind.COVERAGE, "HLR", 90),
        goal(TargetKind.PEOPLE, "DEMENS", 4, level=3),
        goal(TargetKind.FTE, "DEMENS", Decimal("1.5"), level=3),
        goal(TargetKind.PEOPLE, "DEMENS", 2),
        goal(TargetKind.COVERAGE, "DEMENS", 50, level=3),
    ]


def test_progress_counts_coverage_and_qualified_people_and_fte(municipality, case):
    plan, goals = case
    found = progress_for(plan, goals, visibility_for(municipality.users["leader"]))
    coverage, people, fte, any_level, unrequired = (found[goal.pk] for goal in goals)
    # 3 of 7 nurses have valid HLR.
    assert coverage.now == Decimal("42.9") and coverage.group == 7
    assert coverage.share == 47 and not coverage.reached
    # Level 3 or above: Eva (80 %) and the leader (100 %).
    assert people.now == 2 and people.share == 50
    assert fte.now == Decimal("1.8") and fte.reached
    # Any level: ha0 counts too.
    assert any_level.now == 3 and any_level.reached
    # Nobody is required to have dementia care: no coverage to speak of.
    assert unrequired.now is None and not unrequired.suppressed


def test_the_plan_page_shows_the_figures(municipality, case, client_for):
    plan, _goals = case
    client = client_for(municipality.users["leader"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "42.9 % coverage" in page
    assert "2 qualified people" in page
    assert 'value="47"' in page


def test_small_groups_are_hidden_from_union_representatives(municipality, catalog):
    units = municipality.units
    plan = CompetencePlan.objects.create(
        unit=units["HB"],
        title="Hjemmetjenesten",
        period_start=TODAY,
        period_end=TODAY + datetime.timedelta(days=365),
        status="consultation",
    )
    goal = Goal.objects.create(
        plan=plan, title="HLR", competence=catalog.competences["HLR"], target_kind="people"
    )
    shown = progress_for(plan, [goal], visibility_for(municipality.users["union_rep"]))[goal.pk]
    assert shown.suppressed and shown.now is None
    leader_of_all = progress_for(plan, [goal], visibility_for(municipality.users["hr"]))[goal.pk]
    assert not leader_of_all.suppressed and leader_of_all.now == 0


def test_union_representatives_see_figures_of_groups_of_five_or_more(municipality, case):
    plan, goals = case
    found = progress_for(plan, goals, visibility_for(municipality.users["union_rep"]))
    assert found[goals[0].pk].now == Decimal("42.9")
    assert found[goals[1].pk].now == 2


def test_a_goal_without_a_competence_has_no_live_progress(municipality, plans):
    goal = Goal.objects.create(plan=plans.unit, title="Bedre kultur for læring")
    found = progress_for(plans.unit, [goal], visibility_for(municipality.users["leader"]))
    assert found[goal.pk].now is None and found[goal.pk].share is None
