from django.urls import path  # noqa: F401 - used as the sections fill

from evne.competence.views import catalog, records, requirements  # noqa: F401

# Each part of the competence pages keeps its routes together.
urlpatterns = [
    # Catalog
    # Records
    # Requirements and staffing targets
    path(
        "units/<int:pk>/requirements/",
        requirements.unit_requirements,
        name="unit_requirements",
    ),
    path(
        "units/<int:pk>/requirements/new/",
        requirements.requirement_create,
        name="requirement_create",
    ),
    path("requirements/<int:pk>/edit/", requirements.requirement_edit, name="requirement_edit"),
    path(
        "requirements/<int:pk>/delete/",
        requirements.requirement_delete,
        name="requirement_delete",
    ),
    path("roles/", requirements.roles, name="roles"),
    path("roles/<int:pk>/", requirements.role_requirements, name="role_requirements"),
    path(
        "roles/<int:pk>/requirements/new/",
        requirements.role_requirement_create,
        name="role_requirement_create",
    ),
    path(
        "units/<int:pk>/staffing-targets/new/",
        requirements.staffing_target_create,
        name="staffing_target_create",
    ),
    path(
        "staffing-targets/<int:pk>/edit/",
        requirements.staffing_target_edit,
        name="staffing_target_edit",
    ),
    path(
        "staffing-targets/<int:pk>/delete/",
        requirements.staffing_target_delete,
        name="staffing_target_delete",
    ),
]
