"""The demo municipality's learning: the data protection e-learning ready to take, courses
that fill up and wait for approval, and a history of completions consistent with the records
they granted; the demo employee login has not passed data protection yet."""

import datetime
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q

from evne.accounts.models import User
from evne.competence.models import CompetenceRecord
from evne.core.models import ImportBatch
from evne.demo.generator import build_municipality, clear_organisation_data
from evne.demo.learning_data import APPROVAL_COURSE, CPR_COURSE, PRIVACY_COURSE
from evne.learning.models import (
    Answer,
    Attempt,
    Certificate,
    Completion,
    CompletionSource,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Module,
    QuestionKind,
    Session,
)
from tests.demo.conftest import REFERENCE_DATE

# The mark makes pytest-django set up the test database even when only these tests run.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build once for the module (with the test database kept for the tests), roll back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        build_municipality(400, seed=3, today=REFERENCE_DATE)
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()  # or PostgreSQL refuses to drop the test database


@pytest.fixture
def db_demo(demo):
    """The demo, for a test (each in a transaction of its own within the module's)."""


def test_the_data_protection_module_is_published_with_enough_questions(db_demo):
    module = Module.objects.get(course__code=PRIVACY_COURSE)
    assert module.course.name == "Personvern og taushetsplikt"
    assert module.course.kind == CourseKind.ELEARNING
    assert module.is_published
    assert (module.pass_mark_percent, module.questions_per_attempt, module.attempts_allowed) == (
        80,
        6,
        3,
    )
    assert 4 <= module.pages.count() <= 6
    questions = module.questions.filter(is_active=True)
    assert questions.count() >= 10
    assert set(questions.values_list("kind", flat=True)) == set(QuestionKind.values)
    for question in questions.annotate(
        right=Count("choices", filter=Q(choices__is_correct=True)), options=Count("choices")
    ):
        assert question.right >= 1 and question.options > question.right
        if question.kind != QuestionKind.MULTIPLE:
            assert question.right == 1
    assert module.course.grants.get().competence.code == "PERSONVERN"


def test_courses_of_every_kind_grant_the_catalogs_competences(db_demo):
    kinds = set(Course.objects.values_list("kind", flat=True))
    assert kinds == set(CourseKind.values)
    granted = set(Course.objects.values_list("grants__competence__code", flat=True))
    assert {"HLR", "LEGEMIDDEL", "DEMENS", "PERSONVERN"} <= granted
    assert not Course.objects.filter(provider="").exists()


def test_a_full_upcoming_session_has_a_waiting_list(db_demo):
    now = datetime.datetime.combine(REFERENCE_DATE, datetime.time(), datetime.UTC)
    session = (
        Session.objects.filter(course__code=CPR_COURSE, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    statuses = Counter(session.enrolments.values_list("status", flat=True))
    assert statuses[EnrolmentStatus.ENROLLED] == session.capacity
    assert statuses[EnrolmentStatus.WAITLISTED] >= 1


def test_enrolments_wait_for_the_demo_leaders_approval(db_demo):
    awaiting = Enrolment.objects.filter(
        session__course__code=APPROVAL_COURSE, status=EnrolmentStatus.AWAITING_APPROVAL
    )
    assert awaiting.exists()
    leader = User.objects.get(username="leder").person
    led = Enrolment.objects.filter(
        pk__in=awaiting, person__employments__unit__path__startswith=leader.led_units.first().path
    )
    assert led.exists()
    assert Course.objects.get(code=APPROVAL_COURSE).requires_approval


def test_the_demo_employee_has_not_passed_data_protection(db_demo):
    employee = User.objects.get(username="ansatt").person
    assert not Completion.objects.filter(person=employee, course__code=PRIVACY_COURSE).exists()
    assert not Attempt.objects.filter(person=employee).exists()


def test_completions_come_from_sessions_tests_and_an_import(db_demo):
    sources = Counter(Completion.objects.values_list("source", flat=True))
    for source in (CompletionSource.SESSION, CompletionSource.ELEARNING, CompletionSource.IMPORT):
        assert sources[source] > 0
    batch = ImportBatch.objects.get(kind="completions")
    imported = Completion.objects.filter(source=CompletionSource.IMPORT)
    assert set(imported.values_list("import_batch", flat=True)) == {batch.pk}
    assert batch.changes.count() == imported.count()
    attended = Completion.objects.filter(source=CompletionSource.SESSION)
    assert not attended.filter(session=None).exists()
    assert (
        not Enrolment.objects.filter(session__completions__in=attended, attended=True)
        .exclude(status=EnrolmentStatus.ENROLLED)
        .exists()
    )


def test_each_completion_is_linked_to_its_record_as_completing_the_course_would(db_demo):
    links = Completion.records.through.objects.values_list(
        "completion__person",
        "completion__completed_on",
        "completion__course__grants__competence",
        "competencerecord__person",
        "competencerecord__obtained_on",
        "competencerecord__competence",
        "competencerecord__status",
    )
    assert links
    for person, day, competence, record_person, obtained, record_competence, status in links:
        assert (person, day, competence) == (record_person, obtained, record_competence)
        assert status == "verified"
    assert not Completion.objects.annotate(n=Count("records")).filter(n=0).exists()
    assert Completion.objects.filter(completed_on__lt=REFERENCE_DATE - datetime.timedelta(days=90))
    expiring = CompetenceRecord.objects.filter(
        completions__isnull=False,
        expires_on__range=(REFERENCE_DATE, REFERENCE_DATE + datetime.timedelta(days=90)),
    )
    assert expiring.exists()


def test_passed_tests_have_answers_a_score_and_a_certificate(db_demo):
    passed = Attempt.objects.filter(passed=True)
    assert passed.exists() and Attempt.objects.filter(passed=False).exists()
    assert not passed.filter(completion=None).exists()
    assert not passed.filter(score_percent__lt=80).exists()
    assert not Attempt.objects.filter(passed=False, score_percent__gte=80).exists()
    per_attempt = set(
        Answer.objects.values("attempt").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert per_attempt == {6}
    elearning = Completion.objects.filter(source=CompletionSource.ELEARNING)
    assert Certificate.objects.filter(completion__in=elearning).count() == elearning.count()
    assert Attempt.objects.filter(started_at__date__lt=REFERENCE_DATE).count() == (
        Attempt.objects.count()
    )
    wrong = Counter(
        Answer.objects.filter(is_correct=False).values_list("question__text", flat=True)
    )
    assert len(wrong) > 3  # some questions are harder than others


def test_nothing_is_dated_after_the_reference_date_except_upcoming_sessions(db_demo):
    assert not Completion.objects.filter(completed_on__gt=REFERENCE_DATE).exists()
    assert not Attempt.objects.filter(started_at__date__gt=REFERENCE_DATE).exists()
    assert Session.objects.filter(starts_at__date__gt=REFERENCE_DATE).exists()
    assert Session.objects.filter(starts_at__date__lt=REFERENCE_DATE).exists()


def test_replacing_the_demo_clears_the_learning_history(db_demo):
    with transaction.atomic():
        clear_organisation_data()
        assert not Completion.objects.exists()
        assert not Session.objects.exists()
        assert not ImportBatch.objects.filter(kind="completions").exists()
        assert Course.objects.filter(code=PRIVACY_COURSE).exists()
        transaction.set_rollback(True)
