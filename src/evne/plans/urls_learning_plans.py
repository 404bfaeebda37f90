from django.urls import path

from evne.plans.views import learning_plans, people_groups

urlpatterns = [
    path("", learning_plans.learning_plans, name="learning_plans"),
    path("new/", learning_plans.learning_plan_create, name="learning_plan_create"),
    path("<int:pk>/", learning_plans.learning_plan, name="learning_plan"),
    path("<int:pk>/edit/", learning_plans.learning_plan_edit, name="learning_plan_edit"),
    path("<int:pk>/assign/", learning_plans.learning_plan_assign, name="learning_plan_assign"),
    path(
        "<int:pk>/targets/<int:target_pk>/end/",
        learning_plans.learning_plan_target_end,
        name="learning_plan_target_end",
    ),
    path("<int:pk>/tasks/", learning_plans.learning_plan_tasks, name="learning_plan_tasks"),
    path(
        "assignments/<int:pk>/done/",
        learning_plans.assignment_mark_done,
        name="assignment_mark_done",
    ),
    path("groups/", people_groups.people_groups, name="people_groups"),
    path("groups/<int:pk>/", people_groups.people_group, name="people_group"),
    path("groups/<int:pk>/delete/", people_groups.people_group_delete, name="people_group_delete"),
]
