from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("evne.core.urls")),
    path("", include("evne.accounts.urls")),
    path("org/", include("evne.organization.urls")),
    path("competence/", include("evne.competence.urls")),
    path("analysis/", include("evne.analysis.urls")),
    path("learning/", include("evne.learning.urls")),
    path("plans/", include("evne.plans.urls")),
    path("imports/", include("evne.core.imports.urls")),
    path("api/", include("evne.api.urls")),
    # The language switch also serves the login page, before anyone has signed in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
