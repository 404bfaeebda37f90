from django.urls import path

from evne.learning.views import certificates, elearning, elearning_authoring

urlpatterns = [
    # Taking a module
    path("<int:course_pk>/", elearning.module_start, name="module"),
    path("<int:course_pk>/pages/<int:number>/", elearning.module_page, name="module_page"),
    path("<int:course_pk>/test/", elearning.module_test, name="module_test"),
    path("attempts/<int:pk>/", elearning.attempt_result, name="attempt_result"),
    path("attempts/<int:pk>/submit/", elearning.attempt_submit, name="attempt_submit"),
    path("images/<int:pk>/", elearning.module_image, name="module_image"),
    # Certificates
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path("verify/", certificates.certificate_verify, name="certificate_verify"),
    path("verify/<str:code>/", certificates.certificate_verify, name="certificate_verify_code"),
    # Authoring
    path("manage/", elearning_authoring.elearning_manage, name="elearning_manage"),
    path(
        "manage/<int:course_pk>/create/",
        elearning_authoring.module_create,
        name="module_create",
    ),
    path("manage/<int:course_pk>/", elearning_authoring.module_edit, name="module_edit"),
    path("manage/<int:course_pk>/pages/add/", elearning_authoring.page_add, name="module_page_add"),
    path("manage/pages/<int:pk>/", elearning_authoring.page_edit, name="module_page_edit"),
    path("manage/pages/<int:pk>/move/", elearning_authoring.page_move, name="module_page_move"),
    path(
        "manage/pages/<int:pk>/delete/",
        elearning_authoring.page_delete,
        name="module_page_delete",
    ),
    path("manage/<int:course_pk>/images/", elearning_authoring.image_add, name="module_image_add"),
    path(
        "manage/images/<int:pk>/delete/",
        elearning_authoring.image_delete,
        name="module_image_delete",
    ),
    path(
        "manage/<int:course_pk>/questions/add/<str:kind>/",
        elearning_authoring.question_add,
        name="question_add",
    ),
    path("manage/questions/<int:pk>/", elearning_authoring.question_edit, name="question_edit"),
    path(
        "manage/questions/<int:pk>/delete/",
        elearning_authoring.question_delete,
        name="question_delete",
    ),
]
