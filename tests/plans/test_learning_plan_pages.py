"""The learning plan pages: list, plan, keeping a plan and its items, assigning, ending a
target, marking tasks done, and groups; who reaches them and their query budgets."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    AssignmentTargetKind,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PeopleGroup,
    PlanTarget,
)


@pytest.fixture
def plan(municipality, catalog):
    plan = LearningPlan.objects.create(
        title="Opplæring nye sykepleiere", unit=municipality.units["HA"]
    )
    LearningPlanItem.objects.create(
        plan=plan,
        position=1,
        kind=ItemKind.COMPETENCE,
        competence=catalog.competences["DEMENS"],
        level=2,
        due_kind=DueKind.AFTER_HIRE,
        due_days=90,
    )
    LearningPlanItem.objects.create(
        plan=plan, position=2, kind=ItemKind.TASK, title="Signer taushetserklæring"
    )
    return plan


def item_data(prefix, index, **values):
    base = {
        "kind": "",
        "competence": "",
        "level": "",
        "course": "",
        "title": "",
        "description": "",
        "due_kind": DueKind.AFTER_ASSIGNMENT,
        "due_on": "",
        "due_days": "",
    }
    base.update(values)
    return {f"{prefix}-{index}-{key}": value for key, value in base.items()}


def plan_data(unit, *items, title="Årlig obligatorisk opplæring"):
    data = {
        "title": title,
        "description": "",
        "unit": unit.pk,
        "measure": "",
        "is_active": "on",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, values in enumerate(items):
        data.update(item_data("items", index, **values))
    return data


@pytest.mark.parametrize("username", ["employee", "union_rep", "analyst"])
def test_employees_union_representatives_and_analysts_cannot_reach_learning_plans(
    municipality, plan, client_for, username
):
    client = client_for(municipality.users[username])
    for url in (
        reverse("learning_plans"),
        reverse("learning_plan", args=[plan.pk]),
        reverse("learning_plan_assign", args=[plan.pk]),
        reverse("people_groups"),
    ):
        assert client.get(url).status_code == 404


def test_hr_of_another_municipality_cannot_open_the_plan(municipality, plan, client_for):
    client = client_for(municipality.users["outsider"])
    assert client.get(reverse("learning_plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("learning_plans")).status_code == 200


def test_the_leader_creates_a_plan_with_items_in_order(municipality, catalog, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("learning_plan_create"),
        plan_data(
            municipality.units["HA"],
            {
                "kind": ItemKind.COMPETENCE,
                "competence": catalog.competences["HLR"].pk,
                "due_days": "30",
            },
            {"kind": ItemKind.TASK, "title": "Les rutinene", "due_kind": DueKind.NONE},
        ),
    )
    plan = LearningPlan.objects.get()
    assert response.status_code == 302
    assert plan.created_by == municipality.users["leader"]
    items = list(plan.items.order_by("position"))
    assert [(i.position, i.kind) for i in items] == [(1, "competence"), (2, "task")]


def test_a_plan_with_mistakes_is_refused_with_clear_errors_and_nothing_saved(
    municipality, catalog, client_for
):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("learning_plan_create"),
        plan_data(
            municipality.units["HA"],
            {"kind": ItemKind.COMPETENCE},
            {"kind": ItemKind.TASK, "title": "Frist", "due_kind": DueKind.DATE},
            {
                "kind": ItemKind.COMPETENCE,
                "competence": catalog.competences["DEMENS"].pk,
                "level": "7",
            },
            {"kind": ItemKind.COURSE},
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Velg kompetansen" in text or "Choose the competence to reach." in text
    errors = [form.errors for form in response.context["items"].forms]
    assert "competence" in errors[0]
    assert "due_on" in errors[1]
    assert "level" in errors[2]
    assert "course" in errors[3]
    assert not LearningPlan.objects.exists()


def test_a_plan_needs_at_least_one_item(municipality, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(reverse("learning_plan_create"), plan_data(municipality.units["HA"]))
    assert response.status_code == 400
    assert response.context["items"].non_form_errors()


def test_a_leader_cannot_make_a_plan_for_a_unit_they_do_not_lead(municipality, catalog, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("learning_plan_create"),
        plan_data(
            municipality.units["OC"],
            {"kind": ItemKind.TASK, "title": "X", "due_kind": DueKind.NONE},
        ),
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


def test_assigning_to_a_role_in_the_unit_gives_everyone_their_items_and_an_email(
    municipality, plan, client_for, django_capture_on_commit_callbacks
):
    client = client_for(municipality.users["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning_plan_assign", args=[plan.pk]),
            {
                "kind": AssignmentTargetKind.ROLE_IN_UNIT,
                "unit": municipality.units["HA"].pk,
                "job_role": municipality.roles["nurse"].pk,
            },
            follow=True,
        )
    assert response.status_code == 200
    assert Assignment.objects.filter(plan=plan).count() == 14
    target = PlanTarget.objects.get(plan=plan)
    assert target.assigned_by == municipality.users["leader"]
    assert "7" in response.content.decode()
    assert len(mail.outbox) >= 1


def test_assigning_to_someone_the_user_does_not_manage_is_refused(municipality, plan, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.PERSON, "person": municipality.people["oc"].pk},
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert not PlanTarget.objects.exists()


def test_assigning_to_a_role_without_choosing_it_names_the_missing_field(
    municipality, plan, client_for
):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.ROLE_IN_UNIT, "unit": municipality.units["HA"].pk},
    )
    assert response.status_code == 400
    assert "job_role" in response.context["form"].errors


def test_ending_a_target_keeps_the_assignments(municipality, plan, client_for):
    client = client_for(municipality.users["leader"])
    client.post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.UNIT, "unit": municipality.units["HA1"].pk},
    )
    target = PlanTarget.objects.get()
    client.post(reverse("learning_plan_target_end", args=[plan.pk, target.pk]))
    target.refresh_from_db()
    assert target.ended_at is not None
    assert Assignment.objects.filter(plan=plan).count() == 4


def test_the_leader_marks_a_task_done_with_their_name(municipality, plan, client_for):
    client = client_for(municipality.users["leader"])
    client.post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.PERSON, "person": municipality.people["employee"].pk},
    )
    task = Assignment.objects.get(item__kind=ItemKind.TASK)
    page = client.get(reverse("learning_plan_tasks", args=[plan.pk]))
    assert "Eva Ansatt" in page.content.decode()
    client.post(reverse("assignment_mark_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == AssignmentStatus.DONE
    assert task.marked_done_by == municipality.users["leader"]
    assert task.done_on is not None


def test_hr_of_another_municipality_cannot_mark_a_task_done(municipality, plan, client_for):
    client_for(municipality.users["leader"]).post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.PERSON, "person": municipality.people["employee"].pk},
    )
    task = Assignment.objects.get(item__kind=ItemKind.TASK)
    client = client_for(municipality.users["outsider"])
    assert client.post(reverse("assignment_mark_done", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status != AssignmentStatus.DONE


def test_an_item_given_to_people_cannot_be_removed(municipality, plan, client_for):
    client = client_for(municipality.users["leader"])
    client.post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.PERSON, "person": municipality.people["employee"].pk},
    )
    items = list(plan.items.order_by("position"))
    data = plan_data(municipality.units["HA"], title=plan.title)
    data["items-TOTAL_FORMS"] = "2"
    data["items-INITIAL_FORMS"] = "2"
    for index, item in enumerate(items):
        data.update(
            item_data(
                "items",
                index,
                id=item.pk,
                kind=item.kind,
                competence=item.competence_id or "",
                level=item.level or "",
                title=item.title,
                due_kind=item.due_kind,
                due_days=item.due_days or "",
            )
        )
    data["items-1-DELETE"] = "on"
    response = client.post(reverse("learning_plan_edit", args=[plan.pk]), data)
    assert response.status_code == 400
    assert plan.items.count() == 2


def test_groups_keep_members_the_leader_manages(municipality, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("people_groups"), {"name": "Nattevakter", "unit": municipality.units["HA"].pk}
    )
    group = PeopleGroup.objects.get()
    assert response.url == reverse("people_group", args=[group.pk])
    found = client.get(reverse("people_group", args=[group.pk]), {"q": "Eva"})
    assert "Eva Ansatt" in found.content.decode()
    client.post(
        reverse("people_group", args=[group.pk]), {"person": municipality.people["employee"].pk}
    )
    client.post(reverse("people_group", args=[group.pk]), {"person": municipality.people["oc"].pk})
    assert list(group.members.all()) == [municipality.people["employee"]]
    client.post(
        reverse("people_group", args=[group.pk]),
        {"person": municipality.people["employee"].pk, "action": "remove"},
    )
    assert not group.members.exists()


def test_a_group_of_another_unit_is_not_found(municipality, client_for):
    group = PeopleGroup.objects.create(name="Lærere", unit=municipality.units["OC"])
    client = client_for(municipality.users["leader"])
    assert client.get(reverse("people_group", args=[group.pk])).status_code == 404


def test_the_plan_page_shows_items_targets_and_the_measure(municipality, plan, plans, client_for):
    plan.measure = plans.area_measure
    plan.save()
    client = client_for(municipality.users["hr"])
    client.post(
        reverse("learning_plan_assign", args=[plan.pk]),
        {"kind": AssignmentTargetKind.UNIT, "unit": municipality.units["HA"].pk},
    )
    response = client.get(reverse("learning_plan", args=[plan.pk]))
    text = response.content.decode()
    assert "Signer taushetserklæring" in text
    assert plans.area_measure.title in text
    assert [target.reach for target in response.context["targets"]] == [8]


def make_plans(municipality, catalog, count):
    for index in range(count):
        plan = LearningPlan.objects.create(title=f"Plan {index}", unit=municipality.units["HA"])
        LearningPlanItem.objects.create(
            plan=plan,
            kind=ItemKind.COMPETENCE,
            competence=catalog.competences["DEMENS"],
            level=2,
            due_kind=DueKind.DATE,
            due_on=datetime.date(2026, 12, 1),
        )
        PlanTarget.objects.create(
            plan=plan, kind=AssignmentTargetKind.UNIT, unit=municipality.units["HA"]
        )
        PlanTarget.objects.create(
            plan=plan,
            kind=AssignmentTargetKind.ROLE_IN_UNIT,
            unit=municipality.units["HA"],
            job_role=municipality.roles["nurse"],
        )


def test_page_query_budgets(municipality, catalog, plan, client_for, django_assert_max_num_queries):
    make_plans(municipality, catalog, 10)
    group = PeopleGroup.objects.create(name="Natt", unit=municipality.units["HA"])
    group.members.add(*[municipality.people[k] for k in ("employee", "ha0", "ha1")])
    PlanTarget.objects.create(plan=plan, kind=AssignmentTargetKind.GROUP, group=group)
    client = client_for(municipality.users["leader"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("learning_plans")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("learning_plan", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("learning_plan_edit", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning_plan_assign", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("learning_plan_tasks", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people_groups")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("people_group", args=[group.pk]), {"q": "a"}).status_code == 200
