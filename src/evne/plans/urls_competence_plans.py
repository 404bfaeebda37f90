from django.urls import path

from evne.plans.views import competence_plans, consultation, goals, printing

urlpatterns = [
    path("", competence_plans.plan_list, name="plans"),
    path("new/", competence_plans.plan_create, name="plan_create"),
    path("<int:pk>/", competence_plans.plan, name="plan"),
    path("<int:pk>/edit/", competence_plans.plan_edit, name="plan_edit"),
    path("<int:pk>/print/", printing.plan_print, name="plan_print"),
    path("<int:pk>/pdf/", printing.plan_pdf, name="plan_pdf"),
    path("<int:pk>/goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", goals.goal_delete, name="goal_delete"),
    path("goals/<int:pk>/move/", goals.goal_move, name="goal_move"),
    path("<int:pk>/measures/new/", goals.measure_create, name="measure_create"),
    path("measures/<int:pk>/edit/", goals.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", goals.measure_delete, name="measure_delete"),
    path("measures/<int:pk>/move/", goals.measure_move, name="measure_move"),
    path("measures/<int:pk>/status/", goals.measure_status, name="measure_status"),
    path("<int:pk>/consultation/", consultation.plan_send, name="plan_send"),
    path("<int:pk>/comments/", consultation.plan_comment, name="plan_comment"),
    path("<int:pk>/meeting/", consultation.plan_meeting, name="plan_meeting"),
    path("<int:pk>/adopt/", consultation.plan_adopt, name="plan_adopt"),
    path("<int:pk>/revise/", consultation.plan_revise, name="plan_revise"),
    path("<int:pk>/evaluate/", consultation.plan_evaluate, name="plan_evaluate"),
    path("<int:pk>/copy/", consultation.plan_copy, name="plan_copy"),
]
