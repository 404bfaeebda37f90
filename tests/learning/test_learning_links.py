"""The learning pages lead to each other: the course page to its e-learning and its report,
the start page to the reports and the authoring, each for those who may use them."""

from django.urls import reverse


def links_on(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_employee_starts_a_published_e_learning_from_the_course_page(
    municipality, courses, client_for
):
    client = client_for(municipality.users["employee"])
    course = courses.courses["privacy"]
    page = links_on(client, reverse("course", args=[course.pk]))
    assert reverse("module", args=[course.pk]) in page
    assert reverse("course_report", args=[course.pk]) not in page
    assert reverse("module_edit", args=[course.pk]) not in page


def test_an_unpublished_e_learning_cannot_be_started_from_the_course_page(
    municipality, courses, client_for
):
    courses.module.is_published = False
    courses.module.save()
    course = courses.courses["privacy"]
    page = links_on(client_for(municipality.users["employee"]), reverse("course", args=[course.pk]))
    assert reverse("module", args=[course.pk]) not in page


def test_course_managers_edit_or_write_the_e_learning_and_see_the_report(
    municipality, courses, client_for
):
    client = client_for(municipality.users["hr"])
    privacy = courses.courses["privacy"]
    assert reverse("module_edit", args=[privacy.pk]) in links_on(
        client, reverse("course", args=[privacy.pk])
    )
    courses.module.delete()
    page = links_on(client, reverse("course", args=[privacy.pk]))
    assert reverse("module_create", args=[privacy.pk]) in page
    assert reverse("course_report", args=[privacy.pk]) in page


def test_the_start_page_leads_leaders_to_the_reports_and_managers_to_the_authoring(
    municipality, courses, client_for
):
    leader = links_on(client_for(municipality.users["leader"]), reverse("learning"))
    assert reverse("learning_reports") in leader
    assert reverse("participation") in leader
    assert reverse("elearning_manage") not in leader
    hr = links_on(client_for(municipality.users["hr"]), reverse("learning"))
    assert reverse("elearning_manage") in hr
    employee = links_on(client_for(municipality.users["employee"]), reverse("learning"))
    assert reverse("learning_reports") not in employee
