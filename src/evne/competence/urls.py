from django.urls import path

from evne.competence.views import catalog, records, requirements

# Each part of the competence pages keeps its routes together.
urlpatterns = [
    # Catalog
    path("", catalog.catalog, name="catalog"),
    path("<int:pk>/", catalog.competence_detail, name="competence"),
    path("new/", catalog.competence_create, name="competence_create"),
    path("<int:pk>/edit/", catalog.competence_edit, name="competence_edit"),
    path("<int:pk>/delete/", catalog.competence_delete, name="competence_delete"),
    path("areas/", catalog.areas, name="areas"),
    path("areas/new/", catalog.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", catalog.area_edit, name="area_edit"),
    path("scales/", catalog.scales, name="scales"),
    path("scales/new/", catalog.scale_create, name="scale_create"),
    path("scales/<int:pk>/edit/", catalog.scale_edit, name="scale_edit"),
    # Records
    path("mine/", records.my_competences, name="my_competences"),
    path("records/levels/", records.record_levels, name="record_levels"),
    path("records/<int:pk>/evidence/", records.record_evidence, name="record_evidence"),
    path("records/<int:pk>/withdraw/", records.record_withdraw, name="record_withdraw"),
    path("records/<int:pk>/verify/", records.record_verify, name="record_verify"),
    path("records/<int:pk>/reject/", records.record_reject, name="record_reject"),
    path("verify/", records.verification_queue, name="verification_queue"),
    path("people/<int:pk>/", records.person_records, name="person_records"),
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
