from django.urls import path

from evne.organization import views

urlpatterns = [
    path("", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
