"""Taking an e-learning test (nettkurs med test): drawing the questions of an attempt, scoring
it, and on a pass the completion and the certificate (kursbevis).

The questions drawn for an attempt are stored as its answers at once, so that reloading the test
shows the same questions, and a submitted attempt keeps what was asked and what was chosen for
the test's statistics.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.analysis.engine import window_days
from evne.learning.certificates import issue_certificate
from evne.learning.completions import complete_course
from evne.learning.models import (
    Answer,
    Attempt,
    Choice,
    CompletionSource,
    Module,
    Question,
    QuestionKind,
)

# Kinds answered with one option (radio buttons); a multiple-choice question takes several.
SINGLE_ANSWER_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.TRUE_FALSE})

# The operating system's randomness: the draw must not be predictable from earlier draws.
_random = random.SystemRandom()


class AttemptRefused(Exception):
    """A test cannot be started; the message says why, for the person taking it."""


def publication_problems(module: Module, *, questions_per_attempt=None) -> list[str]:
    """What keeps the module from being taken: it needs pages, and at least as many questions
    in use as an attempt draws."""
    problems = []
    if not module.pages.exists():
        problems.append(_("The module has no pages."))
    active = module.questions.filter(is_active=True).count()
    needed = questions_per_attempt or 1
    if active < needed:
        problems.append(
            _("An attempt draws %(needed)d questions, but only %(active)d are in use.")
            % {"needed": needed, "active": active}
        )
    return problems


def passed_attempt(module: Module, person) -> Attempt | None:
    return (
        Attempt.objects.filter(module=module, person=person, passed=True)
        .select_related("completion__certificate")
        .first()
    )


def open_attempt(module: Module, person) -> Attempt | None:
    """The attempt started and not yet submitted, if any: it is resumed, not drawn again."""
    return Attempt.objects.filter(module=module, person=person, submitted_at=None).first()


def renewal_due(passed: Attempt | None, today: datetime.date | None = None) -> bool:
    """Whether someone who passed should take the test again: a competence their pass granted
    has expired or expires within the expiry window, as the gap engine counts "expiring"."""
    if passed is None or passed.completion_id is None:
        return False
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=window_days())
    return passed.completion.records.filter(expires_on__lte=horizon).exists()


def attempts_left(module: Module, person) -> int | None:
    """Submitted attempts still allowed; None when there is no limit. A renewal starts the
    count again: only attempts after the last pass are counted."""
    if module.attempts_allowed is None:
        return None
    used = Attempt.objects.filter(module=module, person=person).exclude(submitted_at=None)
    last_pass = passed_attempt(module, person)
    if last_pass is not None:
        used = used.filter(started_at__gt=last_pass.started_at)
    return max(module.attempts_allowed - used.count(), 0)


def draw_questions(module: Module) -> list[Question]:
    """The questions of a new attempt: `questions_per_attempt` of those in use, drawn at random
    and shown in the bank's order; all of them when the module draws every question."""
    questions = list(module.questions.filter(is_active=True))
    wanted = module.questions_per_attempt
    if wanted is None or wanted >= len(questions):
        return questions
    drawn = set(_random.sample(range(len(questions)), wanted))
    return [question for index, question in enumerate(questions) if index in drawn]


def start_attempt(module: Module, person) -> Attempt:
    """The person's attempt in progress, or a new one with its questions drawn; AttemptRefused
    when the module cannot be taken or no attempts are left."""
    with transaction.atomic():
        # Serialise a person's starts (two tabs) on the person's row, so only one attempt opens.
        type(person).objects.select_for_update().filter(pk=person.pk).exists()
        current = open_attempt(module, person)
        if current is not None:
            return current
        if not module.is_published:
            raise AttemptRefused(_("This e-learning module is not published."))
        passed = passed_attempt(module, person)
        if passed is not None and not renewal_due(passed):
            raise AttemptRefused(_("You have already passed this test."))
        if attempts_left(module, person) == 0:
            raise AttemptRefused(
                _("You have used all %(allowed)d attempts at this test. Ask HR if you need more.")
                % {"allowed": module.attempts_allowed}
            )
        questions = draw_questions(module)
        if not questions:
            raise AttemptRefused(_("This test has no questions yet."))
        attempt = Attempt.objects.create(module=module, person=person)
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question=question, position=index)
            for index, question in enumerate(questions, start=1)
        )
    return attempt


def is_right(question_choices: list[Choice], chosen_ids: set[int]) -> bool:
    """Exactly the right options chosen: a multiple-choice answer with one right option
    missing, or one wrong option too many, is wrong."""
    right = {choice.pk for choice in question_choices if choice.is_correct}
    return bool(right) and chosen_ids == right


def submit_attempt(attempt: Attempt, chosen: dict[int, set[int]], *, user=None) -> Attempt:
    """Score the attempt from the options chosen per question id, store the answers, and on a
    pass complete the course and issue the certificate. An attempt is submitted once: a second
    submission (another tab) leaves the first one's result."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update().select_related("module__course").get(pk=attempt.pk)
        )
        if attempt.submitted_at is not None:
            return attempt
        answers = list(attempt.answers.all())
        choices: dict[int, list[Choice]] = {}
        for choice in Choice.objects.filter(question__in=[a.question_id for a in answers]):
            choices.setdefault(choice.question_id, []).append(choice)
        for answer in answers:
            valid = {choice.pk for choice in choices.get(answer.question_id, [])}
            picked = chosen.get(answer.question_id, set()) & valid
            answer.is_correct = is_right(choices.get(answer.question_id, []), picked)
            answer.chosen.set(picked)
        Answer.objects.bulk_update(answers, ["is_correct"])
        right = sum(answer.is_correct for answer in answers)
        # Rounded down, so that the score shown never reaches the mark without passing.
        attempt.score_percent = right * 100 // len(answers) if answers else 0
        attempt.passed = attempt.score_percent >= attempt.module.pass_mark_percent
        attempt.submitted_at = timezone.now()
        if attempt.passed:
            attempt.completion, _created = complete_course(
                attempt.person,
                attempt.module.course,
                completed_on=timezone.localdate(),
                source=CompletionSource.ELEARNING,
                result=f"{attempt.score_percent} %",
                user=user,
            )
            issue_certificate(attempt.completion, user=user)
        attempt.save(update_fields=["score_percent", "passed", "submitted_at", "completion"])
    return attempt
