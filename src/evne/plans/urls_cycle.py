from django.urls import path

from evne.plans.views import cycle

urlpatterns = [
    path("", cycle.cycle, name="cycle"),
    path("<int:pk>/<int:year>.ics", cycle.cycle_ics, name="cycle_ics"),
    path("<int:pk>/new/", cycle.activity_create, name="cycle_activity_create"),
    path("activity/<int:pk>/edit/", cycle.activity_edit, name="cycle_activity_edit"),
    path("activity/<int:pk>/delete/", cycle.activity_delete, name="cycle_activity_delete"),
]
