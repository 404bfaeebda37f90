"""Taking an e-learning module in the browser's pages: start, pages, test, result."""

import pytest
from django.urls import reverse

from evne.learning import elearning
from evne.learning.models import Attempt, Completion, ModulePage
from tests.learning.elearning_fixtures import add_questions, english, right_form  # noqa: F401


def test_the_start_page_lists_the_pages_and_the_test(municipality, courses, client_for):
    client = client_for(municipality.users["employee"])
    response = client.get(reverse("module", args=[courses.courses["privacy"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hva er personopplysninger?" in text
    assert reverse("module_test", args=[courses.courses["privacy"].pk]) in text


def test_pages_come_one_by_one_with_progress(municipality, courses, client_for):
    client = client_for(municipality.users["employee"])
    course = courses.courses["privacy"]
    first = client.get(reverse("module_page", args=[course.pk, 1])).content.decode()
    assert "<strong>alle</strong>" in first
    assert reverse("module_page", args=[course.pk, 2]) in first
    last = client.get(reverse("module_page", args=[course.pk, 2])).content.decode()
    assert reverse("module_test", args=[course.pk]) in last
    assert client.get(reverse("module_page", args=[course.pk, 3])).status_code == 404


def test_a_script_in_a_page_is_not_rendered(municipality, courses, client_for):
    page = ModulePage.objects.get(position=1)
    page.body = (
        "Før <script>alert('x')</script> etter <img src=x onerror=alert(1)> "
        "[lenke](javascript:alert(1))"
    )
    page.save()
    client = client_for(municipality.users["employee"])
    text = client.get(
        reverse("module_page", args=[courses.courses["privacy"].pk, 1])
    ).content.decode()
    body = text.split('class="module-body')[1]
    assert "<script" not in body and "alert" not in body and "onerror" not in body


def test_an_unpublished_module_is_hidden_from_employees(municipality, courses, client_for):
    courses.module.is_published = False
    courses.module.save()
    url = reverse("module", args=[courses.courses["privacy"].pk])
    assert client_for(municipality.users["employee"]).get(url).status_code == 404
    assert client_for(municipality.users["hr"]).get(url).status_code == 200


def test_reloading_the_test_shows_the_same_attempt(municipality, courses, client_for):
    client = client_for(municipality.users["employee"])
    url = reverse("module_test", args=[courses.courses["privacy"].pk])
    assert "Start the test" in client.get(url).content.decode()
    client.post(url)

    def drawn():
        return [row["question"].pk for row in client.get(url).context["questions"]]

    first = drawn()
    client.post(url)  # a second start (another tab) resumes
    assert drawn() == first
    assert Attempt.objects.count() == 1


def test_passing_shows_the_result_and_the_certificate(municipality, courses, client_for):
    client = client_for(municipality.users["employee"])
    course = courses.courses["privacy"]
    client.post(reverse("module_test", args=[course.pk]))
    attempt = Attempt.objects.get()
    response = client.post(reverse("attempt_submit", args=[attempt.pk]), right_form(attempt))
    assert response.url == reverse("attempt_result", args=[attempt.pk])
    text = client.get(response.url).content.decode()
    certificate = Completion.objects.get().certificate
    assert reverse("certificate_pdf", args=[certificate.pk]) in text
    start = client.get(reverse("module", args=[course.pk])).content.decode()
    assert reverse("certificate_pdf", args=[certificate.pk]) in start


def test_a_failed_test_shows_what_was_wrong_with_the_explanation(municipality, courses, client_for):
    question = courses.questions[2]
    question.explanation = "Vanlig e-post er ikke kryptert."
    question.save()
    client = client_for(municipality.users["employee"])
    client.post(reverse("module_test", args=[courses.courses["privacy"].pk]))
    attempt = Attempt.objects.get()
    form = right_form(attempt)
    form[f"q{question.pk}"] = [str(question.choices.get(is_correct=False).pk)]
    response = client.post(reverse("attempt_submit", args=[attempt.pk]), form, follow=True)
    text = response.content.decode()
    assert "Not passed" in text
    assert "Vanlig e-post er ikke kryptert." in text
    assert "You have 2 attempts left." in text


def test_an_unanswered_question_stores_nothing_and_keeps_the_choices(
    municipality, courses, client_for
):
    client = client_for(municipality.users["employee"])
    client.post(reverse("module_test", args=[courses.courses["privacy"].pk]))
    attempt = Attempt.objects.get()
    form = right_form(attempt)
    kept = form.pop(f"q{courses.questions[0].pk}") and form[f"q{courses.questions[1].pk}"]
    response = client.post(reverse("attempt_submit", args=[attempt.pk]), form)
    assert response.status_code == 400
    text = response.content.decode()
    assert "1 question is not answered" in text
    assert f'value="{kept[0]}" id="q{courses.questions[1].pk}_{kept[0]}" checked' in text
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_attempts_beyond_the_limit_are_refused_with_a_message(municipality, courses, client_for):
    eva = municipality.people["employee"]
    for _ in range(3):
        attempt = elearning.start_attempt(courses.module, eva)
        elearning.submit_attempt(attempt, {})
    client = client_for(municipality.users["employee"])
    url = reverse("module_test", args=[courses.courses["privacy"].pk])
    response = client.post(url, follow=True)
    assert "You have used all 3 attempts" in response.content.decode()
    assert Attempt.objects.count() == 3


def test_someone_else_cannot_submit_or_see_your_attempt(municipality, courses, client_for):
    attempt = elearning.start_attempt(courses.module, municipality.people["employee"])
    for name in ("leader", "hr", "admin"):
        client = client_for(municipality.users[name])
        assert client.post(reverse("attempt_submit", args=[attempt.pk]), {}).status_code == 404
        assert client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_user_without_a_person_cannot_take_the_test(municipality, courses, client_for):
    client = client_for(municipality.users["analyst"])
    assert client.get(reverse("module", args=[courses.courses["privacy"].pk])).status_code == 404
    client = client_for(municipality.users["hr"])
    assert (
        client.post(reverse("module_test", args=[courses.courses["privacy"].pk])).status_code == 404
    )


@pytest.mark.parametrize("extra_questions", [0, 20])
def test_the_test_and_result_pages_have_a_bounded_number_of_queries(
    municipality, courses, client_for, django_assert_max_num_queries, extra_questions
):
    add_questions(courses.module, extra_questions)
    client = client_for(municipality.users["employee"])
    course = courses.courses["privacy"]
    client.post(reverse("module_test", args=[course.pk]))
    attempt = Attempt.objects.get()
    form = right_form(attempt)
    with django_assert_max_num_queries(15):
        client.get(reverse("module", args=[course.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("module_page", args=[course.pk, 1]))
    with django_assert_max_num_queries(15):
        client.get(reverse("module_test", args=[course.pk]))
    client.post(reverse("attempt_submit", args=[attempt.pk]), form)
    with django_assert_max_num_queries(16):
        client.get(reverse("attempt_result", args=[attempt.pk]))
