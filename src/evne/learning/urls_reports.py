from django.urls import path

from evne.learning.views import reports

# The reports take their filters as GET parameters and `?export=xlsx|csv` for the same tables.
urlpatterns = [
    path("", reports.learning_reports, name="learning_reports"),
    path("courses/<int:pk>/", reports.course_report, name="course_report"),
    path("participation/", reports.participation, name="participation"),
]
