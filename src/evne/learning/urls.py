from django.urls import include, path

# Each part of the learning pages keeps its routes in a module of its own.
urlpatterns = [
    path("", include("evne.learning.urls_courses")),
    path("elearning/", include("evne.learning.urls_elearning")),
    path("reports/", include("evne.learning.urls_reports")),
]
