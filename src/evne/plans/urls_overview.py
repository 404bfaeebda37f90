from django.urls import path

from evne.plans.views import overview

urlpatterns = [
    path("", overview.learning_plans_followup, name="learning_plans_followup"),
    path("mine/", overview.my_plan, name="my_plan"),
    path("<int:pk>/", overview.learning_plan_overview, name="learning_plan_overview"),
    path(
        "<int:pk>/people/<int:person_pk>/",
        overview.learning_plan_person,
        name="learning_plan_person",
    ),
]
