"""Courses shared by the learning tests: a CPR classroom course with a session of two places,
and the data protection e-learning course with a small question bank."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from evne.learning.models import (
    Choice,
    Course,
    CourseGrant,
    CourseKind,
    Module,
    ModulePage,
    Question,
    QuestionKind,
    Session,
)

ON = datetime.date(2026, 6, 1)


@dataclass
class Courses:
    courses: dict[str, Course] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    module: Module | None = None
    questions: list[Question] = field(default_factory=list)


@pytest.fixture
def courses(catalog) -> Courses:
    """- HLR-KURS: a classroom CPR course granting HLR (valid 12 months) with one session of
      two places (`cpr`) a month ahead;
    - PERSONVERN: the e-learning course on data protection granting DIGITAL at level 1 for 24
      months; a published module with two pages and three questions (one of each kind), all
      drawn, pass mark 80 %, three attempts.
    """
    c = Courses()
    cpr = c.courses["cpr"] = Course.objects.create(
        code="HLR-KURS",
        name="HLR-kurs for helsepersonell",
        name_en="CPR for health workers",
        kind=CourseKind.CLASSROOM,
        provider="Testvik legevakt",
        hours=3,
        cost=500,
    )
    CourseGrant.objects.create(course=cpr, competence=catalog.competences["HLR"])
    start = timezone.now() + datetime.timedelta(days=30)
    c.sessions["cpr"] = Session.objects.create(
        course=cpr,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="Solsiden sykehjem, møterom 1",
        capacity=2,
    )
    privacy = c.courses["privacy"] = Course.objects.create(
        code="PERSONVERN",
        name="Personvern i kommunen",
        name_en="Data protection in the municipality",
        kind=CourseKind.ELEARNING,
        hours=1,
    )
    CourseGrant.objects.create(
        course=privacy, competence=catalog.competences["DIGITAL"], level=1, validity_months=24
    )
    module = c.module = Module.objects.create(
        course=privacy, pass_mark_percent=80, attempts_allowed=3, is_published=True
    )
    ModulePage.objects.create(
        module=module,
        position=1,
        title="Hva er personopplysninger?",
        body="Personopplysninger er **alle** opplysninger som kan knyttes til en person.",
    )
    ModulePage.objects.create(
        module=module,
        position=2,
        title="Taushetsplikt",
        body="Taushetsplikten gjelder også overfor kolleger som ikke trenger opplysningene.",
    )
    single = Question.objects.create(
        module=module,
        kind=QuestionKind.SINGLE,
        position=1,
        text="Hvem har taushetsplikt om brukernes helseopplysninger?",
    )
    Choice.objects.create(question=single, text="Alle ansatte som får vite dem", is_correct=True)
    Choice.objects.create(question=single, text="Bare legen")
    multiple = Question.objects.create(
        module=module,
        kind=QuestionKind.MULTIPLE,
        position=2,
        text="Hvilke er personopplysninger?",
    )
    Choice.objects.create(question=multiple, text="Et navn", is_correct=True)
    Choice.objects.create(question=multiple, text="Et fødselsnummer", is_correct=True)
    Choice.objects.create(question=multiple, text="Kommunens organisasjonsnummer")
    true_false = Question.objects.create(
        module=module,
        kind=QuestionKind.TRUE_FALSE,
        position=3,
        text="Det er greit å sende helseopplysninger i vanlig e-post.",
    )
    Choice.objects.create(question=true_false, text="Sant")
    Choice.objects.create(question=true_false, text="Usant", is_correct=True)
    c.questions = [single, multiple, true_false]
    return c
