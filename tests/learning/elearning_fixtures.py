"""Fixtures and helpers shared by the e-learning tests."""

import pytest
from django.utils import translation

from evne.learning.models import Choice, Question, QuestionKind


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages are checked in English, the source language."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def right_answers(attempt) -> dict[int, set[int]]:
    """The right options of each question of the attempt."""
    return {
        answer.question_id: set(
            answer.question.choices.filter(is_correct=True).values_list("pk", flat=True)
        )
        for answer in attempt.answers.select_related("question")
    }


def wrong_answers(attempt) -> dict[int, set[int]]:
    """One wrong option of each question of the attempt."""
    return {
        answer.question_id: set(
            answer.question.choices.filter(is_correct=False).values_list("pk", flat=True)[:1]
        )
        for answer in attempt.answers.select_related("question")
    }


def right_form(attempt) -> dict[str, list[str]]:
    """The test form with every question answered right."""
    return {
        f"q{question_id}": [str(pk) for pk in choices]
        for question_id, choices in right_answers(attempt).items()
    }


def add_questions(module, count, **extra) -> list[Question]:
    """`count` more single-choice questions, each with one right and one wrong option."""
    questions = []
    for index in range(count):
        question = Question.objects.create(
            module=module, kind=QuestionKind.SINGLE, text=f"Spørsmål {index}", **extra
        )
        Choice.objects.create(question=question, text="Riktig", is_correct=True)
        Choice.objects.create(question=question, text="Galt")
        questions.append(question)
    return questions
