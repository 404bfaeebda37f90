"""Authoring e-learning modules: settings, pages, images and the question bank."""

import io

import pytest
from django.urls import reverse

from evne.learning import elearning
from evne.learning.markdown import render
from evne.learning.models import Choice, Course, CourseKind, Module, ModuleImage, Question
from tests.learning.elearning_fixtures import add_questions, english  # noqa: F401

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name, content):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


@pytest.fixture
def hr(municipality, client_for):
    return client_for(municipality.users["hr"])


@pytest.mark.parametrize("name", ["employee", "leader", "analyst", "union_rep"])
def test_only_course_managers_reach_the_authoring_pages(municipality, courses, client_for, name):
    client = client_for(municipality.users[name])
    course = courses.courses["privacy"]
    assert client.get(reverse("elearning_manage")).status_code == 404
    assert client.get(reverse("module_edit", args=[course.pk])).status_code == 404


def test_hr_creates_a_module_for_an_elearning_course(municipality, courses, hr):
    course = Course.objects.create(code="NY", name="Nytt nettkurs", kind=CourseKind.ELEARNING)
    assert "Nytt nettkurs" in hr.get(reverse("elearning_manage")).content.decode()
    response = hr.post(reverse("module_create", args=[course.pk]))
    assert response.url == reverse("module_edit", args=[course.pk])
    assert Module.objects.get(course=course).is_published is False


def test_a_module_without_pages_or_enough_questions_cannot_be_published(municipality, courses, hr):
    course = Course.objects.create(code="NY", name="Nytt nettkurs", kind=CourseKind.ELEARNING)
    module = Module.objects.create(course=course)
    data = {"pass_mark_percent": 80, "questions_per_attempt": 5, "is_published": "on"}
    response = hr.post(reverse("module_edit", args=[course.pk]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "The module has no pages." in text
    assert "An attempt draws 5 questions, but only 0 are in use." in text
    module.refresh_from_db()
    assert module.is_published is False


def test_the_pass_mark_must_be_a_share(municipality, courses, hr):
    course = courses.courses["privacy"]
    response = hr.post(reverse("module_edit", args=[course.pk]), {"pass_mark_percent": 120})
    assert "The pass mark is a share from 1 to 100 %." in response.content.decode()
    courses.module.refresh_from_db()
    assert courses.module.pass_mark_percent == 80


def test_settings_are_saved(municipality, courses, hr):
    course = courses.courses["privacy"]
    data = {"pass_mark_percent": 70, "questions_per_attempt": 2, "attempts_allowed": ""}
    hr.post(reverse("module_edit", args=[course.pk]), {**data, "is_published": "on"})
    courses.module.refresh_from_db()
    assert courses.module.pass_mark_percent == 70
    assert courses.module.questions_per_attempt == 2
    assert courses.module.attempts_allowed is None


def test_pages_are_added_previewed_and_reordered(municipality, courses, hr):
    course = courses.courses["privacy"]
    url = reverse("module_page_add", args=[course.pk])
    preview = hr.post(url, {"title": "Ny side", "body": "**Viktig**", "preview": "1"})
    assert "<strong>Viktig</strong>" in preview.content.decode()
    assert courses.module.pages.count() == 2
    hr.post(url, {"title": "Ny side", "body": "Tekst", "save": "1"})
    titles = list(courses.module.pages.values_list("title", flat=True))
    assert titles[-1] == "Ny side"
    last = courses.module.pages.get(title="Ny side")
    hr.post(reverse("module_page_move", args=[last.pk]), {"direction": "up"})
    assert list(courses.module.pages.values_list("title", flat=True)) == [
        "Hva er personopplysninger?",
        "Ny side",
        "Taushetsplikt",
    ]


def test_a_page_needs_a_title(municipality, courses, hr):
    url = reverse("module_page_add", args=[courses.courses["privacy"].pk])
    response = hr.post(url, {"title": "", "body": "Tekst"})
    assert response.status_code == 400
    assert "The page was not saved." in response.content.decode()


def test_an_image_is_uploaded_with_its_text_and_shown_on_a_page(municipality, courses, hr):
    course = courses.courses["privacy"]
    response = hr.post(
        reverse("module_image_add", args=[course.pk]),
        {"image": upload("bilde.png", PNG), "alt_text": "En låst arkivskuff"},
    )
    assert response.status_code == 302
    image = ModuleImage.objects.get()
    served = hr.get(reverse("module_image", args=[image.pk]))
    assert served["Content-Type"] == "image/png"
    html = render(f"![En låst arkivskuff](image:{image.pk})", lambda pk: f"/img/{pk}/")
    assert f'src="/img/{image.pk}/"' in html and 'alt="En låst arkivskuff"' in html


@pytest.mark.parametrize(
    ("name", "content", "alt", "message"),
    [
        ("bilde.png", b"<html><script>alert(1)</script></html>", "Tekst", "not a picture"),
        ("bilde.pdf", b"%PDF-1.4 ...", "Tekst", "not a picture"),
        ("bilde.png", PNG, "", "This field is required."),
    ],
)
def test_an_upload_that_is_not_an_image_or_lacks_its_text_is_refused(
    municipality, courses, hr, name, content, alt, message
):
    response = hr.post(
        reverse("module_image_add", args=[courses.courses["privacy"].pk]),
        {"image": upload(name, content), "alt_text": alt},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ModuleImage.objects.exists()


def test_images_from_elsewhere_are_left_out_of_pages():
    html = render("![Sporing](https://example.com/pixel.png) ![Ukjent](image:999)", lambda _: None)
    assert "example.com" not in html and "image:999" not in html


def test_a_single_choice_question_is_saved_with_its_options(municipality, courses, hr):
    url = reverse("question_add", args=[courses.courses["privacy"].pk, "single"])
    data = {
        "text": "Hvem eier opplysningene?",
        "explanation": "Den registrerte.",
        "is_active": "on",
        "options-TOTAL_FORMS": 4,
        "options-INITIAL_FORMS": 0,
        "options-0-text": "Kommunen",
        "options-1-text": "Den registrerte",
        "options-1-is_correct": "on",
    }
    assert hr.post(url, data).status_code == 302
    question = Question.objects.get(text="Hvem eier opplysningene?")
    assert [(c.text, c.is_correct, c.position) for c in question.choices.all()] == [
        ("Kommunen", False, 1),
        ("Den registrerte", True, 2),
    ]


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("single", {"options-0-text": "Bare én", "options-0-is_correct": "on"}, "at least two"),
        ("single", {"options-0-text": "A", "options-1-text": "B"}, "exactly one"),
        (
            "single",
            {
                "options-0-text": "A",
                "options-0-is_correct": "on",
                "options-1-text": "B",
                "options-1-is_correct": "on",
            },
            "exactly one",
        ),
        ("multiple", {"options-0-text": "A", "options-1-text": "B"}, "at least one"),
    ],
)
def test_question_options_are_checked(municipality, courses, hr, kind, options, message):
    url = reverse("question_add", args=[courses.courses["privacy"].pk, kind])
    data = {"text": "Nytt spørsmål", "options-TOTAL_FORMS": 4, "options-INITIAL_FORMS": 0}
    response = hr.post(url, {**data, **options})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.filter(text="Nytt spørsmål").exists()


def test_a_true_or_false_question_gets_its_two_options(municipality, courses, hr):
    url = reverse("question_add", args=[courses.courses["privacy"].pk, "true_false"])
    assert hr.post(url, {"text": "Passord kan deles."}).status_code == 400
    hr.post(url, {"text": "Passord kan deles.", "true_false_answer": "false"})
    question = Question.objects.get(text="Passord kan deles.")
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("True", False),
        ("False", True),
    ]


def test_an_answered_question_is_taken_out_of_use_rather_than_removed(municipality, courses, hr):
    attempt = elearning.start_attempt(courses.module, municipality.people["employee"])
    elearning.submit_attempt(attempt, {})
    question = courses.questions[0]
    hr.post(reverse("question_delete", args=[question.pk]))
    question.refresh_from_db()
    assert question.is_active is False
    unused = Question.objects.create(module=courses.module, kind="single", text="Ubrukt")
    Choice.objects.create(question=unused, text="A", is_correct=True)
    hr.post(reverse("question_delete", args=[unused.pk]))
    assert not Question.objects.filter(pk=unused.pk).exists()


def test_the_authoring_page_has_a_bounded_number_of_queries(
    municipality, courses, hr, django_assert_max_num_queries
):
    add_questions(courses.module, 30)
    with django_assert_max_num_queries(16):
        hr.get(reverse("module_edit", args=[courses.courses["privacy"].pk]))
    with django_assert_max_num_queries(12):
        hr.get(reverse("elearning_manage"))
