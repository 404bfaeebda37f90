from django.urls import include, path

# Each part of the plan pages keeps its routes in a module of its own.
urlpatterns = [
    path("", include("evne.plans.urls_competence_plans")),
    path("cycle/", include("evne.plans.urls_cycle")),
    path("learning/", include("evne.plans.urls_learning_plans")),
    path("follow-up/", include("evne.plans.urls_overview")),
]
