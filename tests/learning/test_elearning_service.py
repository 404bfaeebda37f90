"""Drawing, scoring and passing an e-learning test (evne.learning.elearning)."""

import pytest

from evne.learning import elearning
from evne.learning.models import Attempt, Certificate, Completion, CompletionSource
from tests.learning.elearning_fixtures import (  # noqa: F401 - fixture
    add_questions,
    english,
    right_answers,
    wrong_answers,
)


def test_the_draw_takes_as_many_questions_as_set_and_only_those_in_use(municipality, courses):
    module = courses.module
    add_questions(module, 5)
    retired = add_questions(module, 3, is_active=False)
    module.questions_per_attempt = 4
    module.save()
    seen = set()
    for _ in range(20):
        drawn = elearning.draw_questions(module)
        assert len(drawn) == 4
        assert not set(drawn) & set(retired)
        seen |= {question.pk for question in drawn}
    # Random: over twenty draws more than the first four questions come up.
    assert len(seen) > 4


def test_without_a_number_every_question_in_use_is_drawn(municipality, courses):
    assert elearning.draw_questions(courses.module) == courses.questions


def test_a_reloaded_test_shows_the_same_questions(municipality, courses):
    module = courses.module
    add_questions(module, 6)
    module.questions_per_attempt = 3
    module.save()
    eva = municipality.people["employee"]
    first = elearning.start_attempt(module, eva)
    again = elearning.start_attempt(module, eva)
    assert again == first
    assert Attempt.objects.count() == 1
    assert first.answers.count() == 3


@pytest.mark.parametrize(
    ("kind", "chosen", "right"),
    [
        ("single", ["Alle ansatte som får vite dem"], True),
        ("single", ["Bare legen"], False),
        ("multiple", ["Et navn", "Et fødselsnummer"], True),
        ("multiple", ["Et navn"], False),  # partly right is wrong
        ("multiple", ["Et navn", "Et fødselsnummer", "Kommunens organisasjonsnummer"], False),
        ("true_false", ["Usant"], True),
        ("true_false", ["Sant"], False),
    ],
)
def test_each_kind_is_right_only_with_exactly_the_right_options(courses, kind, chosen, right):
    question = next(q for q in courses.questions if q.kind == kind)
    choices = list(question.choices.all())
    ids = {choice.pk for choice in choices if choice.text in chosen}
    assert elearning.is_right(choices, ids) is right


def test_exactly_the_pass_mark_passes_and_one_below_fails(municipality, courses):
    module = courses.module
    add_questions(module, 2)  # five questions: 4 right is 80 %
    eva = municipality.people["employee"]
    attempt = elearning.start_attempt(module, eva)
    answers = right_answers(attempt)
    first = attempt.answers.first().question_id
    answers[first] = wrong_answers(attempt)[first]
    result = elearning.submit_attempt(attempt, answers)
    assert (result.score_percent, result.passed) == (80, True)

    module.pass_mark_percent = 81
    module.save()
    Completion.objects.all().delete()
    Attempt.objects.all().delete()
    attempt = elearning.start_attempt(module, eva)
    answers = right_answers(attempt)
    answers[first] = wrong_answers(attempt)[first]
    result = elearning.submit_attempt(attempt, answers)
    assert (result.score_percent, result.passed) == (80, False)


def test_the_attempts_allowed_are_a_limit(municipality, courses):
    eva = municipality.people["employee"]
    module = courses.module  # three attempts
    for left in (2, 1, 0):
        attempt = elearning.start_attempt(module, eva)
        elearning.submit_attempt(attempt, wrong_answers(attempt))
        assert elearning.attempts_left(module, eva) == left
    with pytest.raises(elearning.AttemptRefused, match="used all 3 attempts"):
        elearning.start_attempt(module, eva)


def test_a_pass_creates_one_completion_its_records_and_a_certificate(
    municipality, catalog, courses
):
    eva = municipality.people["employee"]
    attempt = elearning.start_attempt(courses.module, eva)
    result = elearning.submit_attempt(attempt, right_answers(attempt))
    # Handing in again (another tab) changes nothing.
    elearning.submit_attempt(attempt, wrong_answers(attempt))
    completion = Completion.objects.get()
    assert result.completion == completion
    assert (completion.person, completion.source) == (eva, CompletionSource.ELEARNING)
    assert completion.records.get().competence == catalog.competences["DIGITAL"]
    assert Certificate.objects.get().completion == completion
    assert result.passed and result.score_percent == 100
    with pytest.raises(elearning.AttemptRefused, match="already passed"):
        elearning.start_attempt(courses.module, eva)


def test_answers_are_stored_for_the_statistics(municipality, courses):
    eva = municipality.people["employee"]
    attempt = elearning.start_attempt(courses.module, eva)
    elearning.submit_attempt(attempt, wrong_answers(attempt))
    answers = list(attempt.answers.prefetch_related("chosen"))
    assert [answer.is_correct for answer in answers] == [False, False, False]
    assert all(answer.chosen.count() == 1 for answer in answers)
    assert Completion.objects.count() == 0


def test_options_of_another_question_are_ignored(municipality, courses):
    eva = municipality.people["employee"]
    attempt = elearning.start_attempt(courses.module, eva)
    answers = right_answers(attempt)
    first, second = list(answers)[:2]
    answers[first] = answers[first] | answers[second]
    elearning.submit_attempt(attempt, answers)
    assert attempt.answers.get(question_id=first).is_correct is True


def test_an_unpublished_module_cannot_be_taken(municipality, courses):
    courses.module.is_published = False
    courses.module.save()
    with pytest.raises(elearning.AttemptRefused):
        elearning.start_attempt(courses.module, municipality.people["employee"])
