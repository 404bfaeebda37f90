from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from evne.api import views
from evne.api.routers import open_to_tokens

urlpatterns = [
    path("", include("evne.organization.api.urls")),
    path("", include("evne.competence.api.urls")),
    path("", include("evne.analysis.api.urls")),
    *open_to_tokens([path("schema/", SpectacularAPIView.as_view(), name="api_schema")]),
    path("docs/", views.docs, name="api_docs"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
