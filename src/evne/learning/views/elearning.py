"""Taking an e-learning module (nettkurs): the start page, the pages one by one, the test and
its result. Made for a phone: one column, one thing at a time."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evne.core.visibility import visibility_for
from evne.learning import elearning
from evne.learning.certificates import display_code
from evne.learning.forms.elearning import image_type
from evne.learning.markdown import render as render_markdown
from evne.learning.models import Attempt, CourseKind, Module, ModuleImage


def _module(request, course_pk) -> tuple[Module, object]:
    """The module of an e-learning course and the visibility of the user. Anyone with a person
    may take a published module; course managers may also read an unpublished one."""
    visibility = visibility_for(request.user)
    module = get_object_or_404(
        Module.objects.select_related("course"),
        course_id=course_pk,
        course__kind=CourseKind.ELEARNING,
    )
    if not module.is_published and not visibility.may_manage_courses:
        raise Http404
    if visibility.person_id is None and not visibility.may_manage_courses:
        raise Http404
    return module, visibility


def _person(request, visibility):
    if visibility.person_id is None:
        raise Http404
    return request.user.person


@require_GET
def module_start(request, course_pk):
    """The module's start page: what the course is, its pages, the test and where the person
    stands (attempts left, or the certificate once passed)."""
    module, visibility = _module(request, course_pk)
    pages = list(module.pages.only("pk", "title", "position", "module_id"))
    status = {}
    if visibility.person_id is not None:
        person = request.user.person
        passed = elearning.passed_attempt(module, person)
        status = {
            "passed": passed,
            "certificate": _certificate_of(passed),
            "renewal_due": elearning.renewal_due(passed),
            "open_attempt": elearning.open_attempt(module, person),
            "attempts_left": elearning.attempts_left(module, person),
        }
    return render(
        request,
        "learning/elearning/module.html",
        {"module": module, "course": module.course, "pages": pages, **status},
    )


@require_GET
def module_page(request, course_pk, number):
    """Page `number` (from 1) of the module, with the way back and forward."""
    module, _visibility = _module(request, course_pk)
    pages = list(module.pages.only("pk", "title", "position", "module_id"))
    if not 1 <= number <= len(pages):
        raise Http404
    page = module.pages.get(pk=pages[number - 1].pk)
    return render(
        request,
        "learning/elearning/page.html",
        {
            "module": module,
            "course": module.course,
            "page": page,
            "body": render_markdown(page.body, image_urls(module)),
            "number": number,
            "count": len(pages),
            "progress": round(number * 100 / len(pages)),
        },
    )


def image_urls(module: Module):
    ids = set(module.images.values_list("pk", flat=True))

    def url(image_id: int) -> str | None:
        return reverse("module_image", args=[image_id]) if image_id in ids else None

    return url


@require_GET
def module_image(request, pk):
    """An image of a module's pages, for those who may read the module."""
    image = get_object_or_404(ModuleImage.objects.select_related("module"), pk=pk)
    _module(request, image.module.course_id)
    try:
        handle = image.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = image_type(handle)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=kind.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_http_methods(["GET", "POST"])
def module_test(request, course_pk):
    """The test: on GET the attempt in progress (the same questions after a reload) or the
    start button; on POST a new attempt is started and shown."""
    module, visibility = _module(request, course_pk)
    person = _person(request, visibility)
    if request.method == "POST":
        try:
            elearning.start_attempt(module, person)
        except elearning.AttemptRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("module", course_pk=course_pk)
        return redirect("module_test", course_pk=course_pk)
    attempt = elearning.open_attempt(module, person)
    context = {"module": module, "course": module.course}
    if attempt is None:
        passed = elearning.passed_attempt(module, person)
        context.update(
            passed=passed,
            certificate=_certificate_of(passed),
            renewal_due=elearning.renewal_due(passed),
            attempts_left=elearning.attempts_left(module, person),
            question_count=_question_count(module),
        )
        return render(request, "learning/elearning/test_start.html", context)
    context.update(attempt=attempt, questions=_questions(attempt))
    return render(request, "learning/elearning/test.html", context)


def _question_count(module: Module) -> int:
    active = module.questions.filter(is_active=True).count()
    wanted = module.questions_per_attempt
    return active if wanted is None else min(wanted, active)


def _questions(attempt: Attempt, chosen: dict[int, set[int]] | None = None) -> list[dict]:
    """The attempt's questions in order, with their options and what was chosen."""
    answers = attempt.answers.select_related("question").prefetch_related(
        "question__choices", "chosen"
    )
    rows = []
    for answer in answers:
        picked = (
            chosen.get(answer.question_id, set())
            if chosen is not None
            else {choice.pk for choice in answer.chosen.all()}
        )
        rows.append(
            {
                "answer": answer,
                "question": answer.question,
                "multiple": answer.question.kind not in elearning.SINGLE_ANSWER_KINDS,
                "choices": [
                    {"choice": choice, "chosen": choice.pk in picked}
                    for choice in answer.question.choices.all()
                ],
            }
        )
    return rows


@require_POST
def attempt_submit(request, pk):
    """Hand in the test. Every question must be answered; otherwise nothing is stored and the
    form comes back with the choices made so far and the unanswered questions marked."""
    visibility = visibility_for(request.user)
    attempt = get_object_or_404(
        Attempt.objects.select_related("module__course"),
        pk=pk,
        person_id=visibility.person_id,
        person_id__isnull=False,
    )
    if attempt.submitted_at is not None:
        return redirect("attempt_result", pk=attempt.pk)
    chosen = _chosen(request.POST, attempt)
    questions = _questions(attempt, chosen)
    for row in questions:
        row["missing"] = not chosen.get(row["question"].pk)
    missing = sum(row["missing"] for row in questions)
    if missing:
        return render(
            request,
            "learning/elearning/test.html",
            {
                "module": attempt.module,
                "course": attempt.module.course,
                "attempt": attempt,
                "questions": questions,
                "unanswered": missing,
            },
            status=400,
        )
    elearning.submit_attempt(attempt, chosen, user=request.user)
    return redirect("attempt_result", pk=attempt.pk)


def _chosen(data, attempt: Attempt) -> dict[int, set[int]]:
    """The options chosen per question from the form (`q<question id>` fields); anything that
    is not a number is ignored, and the service ignores options of other questions."""
    chosen: dict[int, set[int]] = {}
    for question_id in attempt.answers.values_list("question_id", flat=True):
        values = data.getlist(f"q{question_id}")
        picked = {int(value) for value in values if value.isascii() and value.isdigit()}
        if picked:
            chosen[question_id] = picked
    return chosen


@require_GET
def attempt_result(request, pk):
    """The result of a submitted attempt: score, passed or not, the questions answered wrong
    with their explanations, and the attempts left or the certificate."""
    visibility = visibility_for(request.user)
    attempt = get_object_or_404(
        Attempt.objects.select_related("module__course", "completion__certificate"),
        pk=pk,
        person_id=visibility.person_id,
        person_id__isnull=False,
    )
    if attempt.submitted_at is None:
        return redirect("module_test", course_pk=attempt.module.course_id)
    questions = _questions(attempt)
    return render(
        request,
        "learning/elearning/result.html",
        {
            "module": attempt.module,
            "course": attempt.module.course,
            "attempt": attempt,
            "wrong": [row for row in questions if not row["answer"].is_correct],
            "right_count": sum(1 for row in questions if row["answer"].is_correct),
            "count": len(questions),
            "certificate": _certificate_of(attempt),
            "attempts_left": elearning.attempts_left(attempt.module, attempt.person_id),
        },
    )


def _certificate_of(attempt: Attempt | None) -> dict | None:
    if attempt is None or attempt.completion is None:
        return None
    certificate = getattr(attempt.completion, "certificate", None)
    if certificate is None:
        return None
    return {"certificate": certificate, "code": display_code(certificate.code)}
