from django.urls import path

from evne.learning.views import courses, enrolments, sessions

urlpatterns = [
    path("", courses.learning, name="learning"),
    path("courses/new/", courses.course_create, name="course_create"),
    path("courses/<int:pk>/", courses.course, name="course"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session, name="session"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/attendance/", sessions.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/enrol/", enrolments.session_enrol, name="session_enrol"),
    path("enrolments/approvals/", enrolments.enrolment_approvals, name="enrolment_approvals"),
    path("enrolments/<int:pk>/cancel/", enrolments.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/approve/", enrolments.enrolment_approve, name="enrolment_approve"),
    path("enrolments/<int:pk>/decline/", enrolments.enrolment_decline, name="enrolment_decline"),
]
