from django.urls import path

from evne.analysis.views import areas, gaps, holders, index, matrix, overview, unused

# Each screen keeps its routes together. Every screen takes its filters as GET parameters and
# `?export=csv|xlsx` for the same tables as a file.
urlpatterns = [
    path("", index.analysis, name="analysis"),
    path("how/", index.coverage_help, name="coverage_help"),
    # My gaps and the unit overview
    path("mine/", gaps.my_gaps, name="my_gaps"),
    path("units/<int:pk>/", overview.unit_overview, name="unit_overview"),
    # The coverage matrix and across areas
    path("coverage/", matrix.coverage_matrix, name="coverage_matrix"),
    path("coverage/people/", matrix.coverage_people, name="coverage_people"),
    path("areas/", areas.across_areas, name="across_areas"),
    # Who has X and unused competence
    path("who-has/", holders.who_has, name="who_has"),
    path("unused/", unused.unused_competence, name="unused_competence"),
]
