from django.urls import path

from evne.analysis.api import views
from evne.api.routers import open_to_tokens

urlpatterns = open_to_tokens([path("coverage/", views.coverage, name="api-coverage")])
