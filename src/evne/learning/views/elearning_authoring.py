"""Authoring e-learning modules, for course managers: the module's settings, its pages in order,
its images and its question bank."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evne.core.visibility import visibility_for
from evne.learning.elearning import publication_problems
from evne.learning.forms.elearning import (
    IMAGE_ACCEPT,
    ImageForm,
    ModuleForm,
    PageForm,
    QuestionForm,
    choice_formset,
)
from evne.learning.markdown import render as render_markdown
from evne.learning.models import (
    Choice,
    Course,
    CourseKind,
    Module,
    ModuleImage,
    ModulePage,
    Question,
    QuestionKind,
)
from evne.learning.views.elearning import image_urls


def _manage(request):
    if not visibility_for(request.user).may_manage_courses:
        raise Http404


def _managed_module(request, course_pk) -> Module:
    _manage(request)
    return get_object_or_404(Module.objects.select_related("course"), course_id=course_pk)


@require_GET
def elearning_manage(request):
    """The e-learning courses and their modules, with a way to create a missing module."""
    _manage(request)
    courses = (
        Course.objects.filter(kind=CourseKind.ELEARNING)
        .select_related("module")
        .annotate(
            page_count=Count("module__pages", distinct=True),
            question_count=Count(
                "module__questions", filter=Q(module__questions__is_active=True), distinct=True
            ),
        )
        .order_by("-is_active", "name")
    )
    return render(request, "learning/elearning/manage_list.html", {"courses": courses})


@require_POST
def module_create(request, course_pk):
    _manage(request)
    course = get_object_or_404(Course, pk=course_pk, kind=CourseKind.ELEARNING)
    Module.objects.get_or_create(course=course)
    messages.success(request, _("The module is created. Add pages and questions, then publish."))
    return redirect("module_edit", course_pk=course.pk)


@require_http_methods(["GET", "POST"])
def module_edit(request, course_pk):
    """The module's settings, with its pages, images and questions listed below."""
    module = _managed_module(request, course_pk)
    form = ModuleForm(instance=module)
    if request.method == "POST":
        form = ModuleForm(request.POST, instance=module)
        if form.is_valid():
            form.save()
            messages.success(request, _("The settings are saved."))
            return redirect("module_edit", course_pk=course_pk)
    return _render_module(request, module, form=form)


def _render_module(request, module, *, form=None, image_form=None, status=200):
    questions = module.questions.annotate(answer_count=Count("answers"))
    return render(
        request,
        "learning/elearning/module_edit.html",
        {
            "module": module,
            "course": module.course,
            "form": form or ModuleForm(instance=module),
            "pages": list(module.pages.only("pk", "title", "position", "module_id")),
            "images": list(module.images.all()),
            "image_form": image_form or ImageForm(),
            "image_accept": IMAGE_ACCEPT,
            "questions": list(questions),
            "kinds": QuestionKind.choices,
            "problems": publication_problems(
                module, questions_per_attempt=module.questions_per_attempt
            ),
        },
        status=status,
    )


# Pages


@require_http_methods(["GET", "POST"])
def page_add(request, course_pk):
    module = _managed_module(request, course_pk)
    return _page_form(request, module, ModulePage(module=module))


@require_http_methods(["GET", "POST"])
def page_edit(request, pk):
    _manage(request)
    page = get_object_or_404(ModulePage.objects.select_related("module__course"), pk=pk)
    return _page_form(request, page.module, page)


def _page_form(request, module, page):
    """Write a page; "Preview" shows the page as readers will see it without saving."""
    form = PageForm(instance=page)
    preview = None
    if request.method == "POST":
        form = PageForm(request.POST, instance=page)
        if "preview" in request.POST:
            preview = render_markdown(request.POST.get("body", ""), image_urls(module))
        elif form.is_valid():
            page = form.save(commit=False)
            if page.pk is None:
                last = module.pages.aggregate(last=Max("position"))["last"]
                page.position = (last or 0) + 1
            page.save()
            messages.success(request, _("The page “%(title)s” is saved.") % {"title": page.title})
            return redirect("module_edit", course_pk=module.course_id)
    return render(
        request,
        "learning/elearning/page_form.html",
        {
            "module": module,
            "course": module.course,
            "page": page,
            "form": form,
            "preview": preview,
            "images": list(module.images.all()),
        },
        status=400 if request.method == "POST" and form.errors and preview is None else 200,
    )


@require_POST
def page_move(request, pk):
    """Move a page one place up or down: the pages are numbered again from 1."""
    _manage(request)
    page = get_object_or_404(ModulePage, pk=pk)
    pages = list(page.module.pages.all())
    index = pages.index(page)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(pages):
        pages[index], pages[other] = pages[other], pages[index]
    for position, each in enumerate(pages, start=1):
        each.position = position
    ModulePage.objects.bulk_update(pages, ["position"])
    return redirect("module_edit", course_pk=page.module.course_id)


@require_POST
def page_delete(request, pk):
    _manage(request)
    page = get_object_or_404(ModulePage.objects.select_related("module"), pk=pk)
    page.delete()
    messages.success(request, _("The page “%(title)s” is removed.") % {"title": page.title})
    return redirect("module_edit", course_pk=page.module.course_id)


# Images


@require_POST
def image_add(request, course_pk):
    module = _managed_module(request, course_pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_module(request, module, image_form=form, status=400)
    image = form.save(commit=False)
    image.module = module
    image.save()
    messages.success(
        request,
        _("The image is uploaded. Show it on a page with ![%(alt)s](image:%(id)s).")
        % {"alt": image.alt_text, "id": image.pk},
    )
    return redirect("module_edit", course_pk=course_pk)


@require_POST
def image_delete(request, pk):
    _manage(request)
    image = get_object_or_404(ModuleImage.objects.select_related("module"), pk=pk)
    image.image.delete(save=False)
    image.delete()
    messages.success(request, _("The image is removed."))
    return redirect("module_edit", course_pk=image.module.course_id)


# Questions


@require_http_methods(["GET", "POST"])
def question_add(request, course_pk, kind):
    module = _managed_module(request, course_pk)
    if kind not in QuestionKind.values:
        raise Http404
    return _question_form(request, module, Question(module=module, kind=kind))


@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    _manage(request)
    question = get_object_or_404(Question.objects.select_related("module__course"), pk=pk)
    return _question_form(request, question.module, question)


def _question_form(request, module, question):
    kind = question.kind
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, instance=question, kind=kind)
    options = None if kind == QuestionKind.TRUE_FALSE else choice_formset(kind, data=data)
    if options is not None and question.pk:
        options = choice_formset(kind, data=data, instance=question)
    if data is not None and form.is_valid() and (options is None or options.is_valid()):
        _save_question(module, form, options)
        messages.success(request, _("The question is saved."))
        return redirect("module_edit", course_pk=module.course_id)
    return render(
        request,
        "learning/elearning/question_form.html",
        {
            "module": module,
            "course": module.course,
            "question": question,
            "kind_label": QuestionKind(kind).label,
            "form": form,
            "options": options,
        },
        status=400 if data is not None else 200,
    )


@transaction.atomic
def _save_question(module, form, options):
    question = form.save(commit=False)
    if question.pk is None:
        last = module.questions.aggregate(last=Max("position"))["last"]
        question.position = (last or 0) + 1
    question.save()
    if options is None:
        _save_true_false(question, form.cleaned_data["true_false_answer"] == "true")
        return
    options.instance = question
    kept = options.kept()
    for form_ in options.forms:
        if form_.instance.pk and form_ not in kept:
            form_.instance.delete()
    for position, option_form in enumerate(kept, start=1):
        choice = option_form.save(commit=False)
        choice.question = question
        choice.position = position
        choice.save()


def _save_true_false(question, statement_is_true: bool):
    """The two options of a true-or-false question, "True" first, written in the author's
    language, with the right one marked."""
    options = ((1, _("True"), statement_is_true), (2, _("False"), not statement_is_true))
    for position, text, right in options:
        Choice.objects.update_or_create(
            question=question, position=position, defaults={"text": text, "is_correct": right}
        )


@require_POST
def question_delete(request, pk):
    """Remove a question never answered; one that has been answered is taken out of use
    instead, so the test's statistics keep it."""
    _manage(request)
    question = get_object_or_404(Question.objects.select_related("module"), pk=pk)
    if question.answers.exists():
        question.is_active = False
        question.save(update_fields=["is_active"])
        messages.info(
            request,
            _("The question has been answered, so it is taken out of use rather than removed."),
        )
    else:
        question.delete()
        messages.success(request, _("The question is removed."))
    return redirect("module_edit", course_pk=question.module.course_id)
