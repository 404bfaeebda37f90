"""The learning reports: completion per course and per unit, test results, the people behind
them for those who may see the people, and participation in learning. Every page takes its
filters as GET parameters and `?export=xlsx` (every table, one sheet each) or
`?export=csv&table=<key>` (one table) for a file."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from evne.analysis.forms import export_format
from evne.analysis.views.matrix import percent, texts
from evne.core.exports import Table, export_response
from evne.core.visibility import Detail, visibility_for
from evne.learning.forms.reports import ReportFilterForm
from evne.learning.models import Course, Question
from evne.learning.participation import Participation, participation_in
from evne.learning.reports import (
    Counts,
    ModuleResult,
    Progress,
    QuestionResult,
    completion_figures,
    hardest_questions,
    module_results,
    people_progress,
)

HIDDEN = _("Hidden: fewer than five people.")


@dataclass
class CountsRow:
    """A course or a unit with its counts, or None for the counts when they are hidden."""

    subject: object
    counts: Counts | None
    link_unit: object = None

    @property
    def valid_percent(self) -> int | None:
        return percent(self.counts.valid_share) if self.counts else None


@dataclass
class ResultRow:
    course: Course
    result: ModuleResult | None

    @property
    def pass_percent(self) -> int | None:
        return percent(self.result.pass_rate) if self.result else None


def _filters(request):
    """The visibility, the filter form and, when the form is valid, the chosen unit."""
    visibility = visibility_for(request.user)
    form = ReportFilterForm.from_request(request, visibility)
    if form.default_unit is None:
        raise Http404
    return visibility, form, form.chosen_unit if form.is_valid() else None


def _download(request, tables: dict[str, Table], basename: str):
    """The tables as a file when the query string asks for one, else None."""
    file_format = export_format(request)
    if not file_format:
        return None
    if file_format == "csv":
        key = request.GET.get("table")
        chosen = [tables[key]] if key in tables else list(tables.values())[:1]
        return export_response(chosen, "csv", f"{basename}-{key or 'report'}")
    return export_response(list(tables.values()), "xlsx", basename)


def _basename(name: str, unit, period) -> str:
    return f"{name}-{unit.code}-{period.start.isoformat()}-{period.end.isoformat()}"


def _counts_headers(first) -> list[str]:
    return texts(
        first,
        _("People"),
        _("Completed in the period"),
        *(progress.label for progress in Progress),
        _("Completed and valid %"),
    )


def _counts_values(counts: Counts | None) -> list:
    if counts is None:
        return [None] * 7
    return [
        counts.people,
        counts.in_period,
        counts.valid,
        counts.in_progress,
        counts.expired,
        counts.not_started,
        percent(counts.valid_share),
    ]


def _results_table(rows: list[ResultRow]) -> Table:
    headers = texts(
        _("Course"), _("Attempts"), _("People"), _("Passed"), _("Pass rate %"), _("Average score %")
    )
    values = []
    for row in rows:
        result = row.result
        figures = (
            [result.attempts, result.people, result.passed, row.pass_percent]
            if result
            else [None] * 4
        )
        average = round(result.average_score) if result and result.average_score else None
        values.append([row.course.display_name, *figures, average])
    return Table(str(_("Test results")), headers, values)


@require_GET
def learning_reports(request):
    """Completion per course and test results for a unit's subtree."""
    visibility, form, unit = _filters(request)
    context = {"form": form}
    if unit is not None:
        period = form.period
        figures = completion_figures(unit, period)
        results = module_results(unit, period)
        shown = visibility.may_see_figure(unit, figures.people(unit))
        courses = Course.objects.filter(pk__in=figures.course_ids() | set(results))
        course_rows = [
            CountsRow(course, figures.of(unit, course.pk) if shown else None)
            for course in courses
            if course.pk in figures.course_ids()
        ]
        result_rows = [
            ResultRow(course, result if visibility.may_see_figure(unit, result.people) else None)
            for course in courses
            if (result := results.get(course.pk))
        ]
        tables = {
            "courses": Table(
                str(_("Completion per course")),
                _counts_headers(_("Course")),
                [[row.subject.display_name, *_counts_values(row.counts)] for row in course_rows],
            ),
            "results": _results_table(result_rows),
        }
        download = _download(request, tables, _basename("learning", unit, period))
        if download:
            return download
        context |= {
            "unit": unit,
            "period": period,
            "people": figures.people(unit) if shown else None,
            "course_rows": course_rows,
            "result_rows": result_rows,
            "personal": visibility.detail_for(unit) == Detail.PERSONAL,
        }
    return render(request, "learning/reports/index.html", context | {"hidden": HIDDEN})


@dataclass
class PersonRow:
    person: object
    unit: object
    progress: Progress
    completion: object = None  # the latest completion, with its certificate


@dataclass
class QuestionRow:
    question: Question
    result: QuestionResult

    @property
    def wrong_percent(self) -> int | None:
        return percent(self.result.wrong_share)


@require_GET
def course_report(request, pk):
    """One course in a unit's subtree: per unit below it, the test's hardest questions, and the
    people for those who may see them."""
    course = get_object_or_404(Course.objects.select_related("module"), pk=pk)
    visibility, form, unit = _filters(request)
    context = {"form": form, "course": course}
    if unit is None:
        return render(request, "learning/reports/course.html", context | {"hidden": HIDDEN})
    period = form.period
    figures = completion_figures(unit, period, course.pk)
    unit_rows = []
    for row_unit in [unit, *figures.children(unit)]:
        counts = figures.of(row_unit, course.pk)
        shown = visibility.may_see_figure(row_unit, counts.people)
        link = row_unit if row_unit != unit and row_unit.pk in form.units else None
        unit_rows.append(CountsRow(row_unit, counts if shown else None, link))
    tables = {
        "units": Table(
            str(_("Completion per unit")),
            _counts_headers(_("Unit")),
            [[row.subject.name, *_counts_values(row.counts)] for row in unit_rows],
        )
    }

    module = getattr(course, "module", None)
    result_rows, question_rows = [], []
    if module is not None:
        result = module_results(unit, period).get(course.pk)
        shown = result is not None and visibility.may_see_figure(unit, result.people)
        if result is not None:
            result_rows = [ResultRow(course, result if shown else None)]
        if shown:
            found = hardest_questions(unit, period, module)
            questions = Question.objects.in_bulk([q.question_id for q in found])
            question_rows = [QuestionRow(questions[q.question_id], q) for q in found]
        tables["results"] = _results_table(result_rows)
        tables["questions"] = Table(
            str(_("Hardest questions")),
            texts(_("Question"), _("Answered"), _("Answered wrongly"), _("Wrong %")),
            [
                [r.question.text, r.result.answered, r.result.wrong, r.wrong_percent]
                for r in question_rows
            ],
        )

    personal = visibility.detail_for(unit) == Detail.PERSONAL
    completed, not_completed = [], []
    if personal:
        completed, not_completed = _people(visibility, figures, unit, period, course)
        tables["completed"] = Table(
            str(_("Completed")),
            texts(
                _("Name"),
                _("Employee number"),
                _("Unit"),
                _("Status"),
                _("Completed"),
                _("Result"),
                _("Certificate code"),
            ),
            [_person_values(row) for row in completed],
        )
        tables["not_completed"] = Table(
            str(_("Not completed")),
            texts(_("Name"), _("Employee number"), _("Unit"), _("Status")),
            [_person_values(row)[:4] for row in not_completed],
        )
    download = _download(request, tables, _basename(course.code, unit, period))
    if download:
        return download
    context |= {
        "unit": unit,
        "period": period,
        "unit_rows": unit_rows,
        "module": module,
        "result_rows": result_rows,
        "question_rows": question_rows,
        "personal": personal,
        "completed": completed,
        "not_completed": not_completed,
        "hidden": HIDDEN,
    }
    return render(request, "learning/reports/course.html", context)


def _people(visibility, figures, unit, period, course) -> tuple[list, list]:
    """The people counted in the unit's subtree whom the user may see, split into those who
    completed the course (with their latest completion) and those who have not."""
    progress = people_progress(unit, period, course.pk)
    people = visibility.people().in_bulk([row.person_id for row in progress])
    latest = {}
    for completion in (
        visibility.completions()
        .filter(course=course, person_id__in=people, completed_on__lte=period.end)
        .select_related("certificate")
        .order_by("person_id", "-completed_on", "-pk")
    ):
        latest.setdefault(completion.person_id, completion)
    completed, not_completed = [], []
    for row in progress:
        person = people.get(row.person_id)
        if person is None:
            continue
        found = PersonRow(person, figures.units[row.unit_id], row.progress)
        found.completion = latest.get(row.person_id)
        (completed if found.completion else not_completed).append(found)
    order = list(Progress)

    def key(found):
        return (order.index(found.progress), found.person.family_name, found.person.given_name)

    return sorted(completed, key=key), sorted(not_completed, key=key)


def _person_values(row: PersonRow) -> list:
    completion = row.completion
    certificate = getattr(completion, "certificate", None) if completion else None
    return [
        row.person.full_name,
        row.person.employee_number,
        row.unit.name,
        row.progress.label,
        completion.completed_on if completion else None,
        completion.result if completion else "",
        certificate.code if certificate else "",
    ]


@require_GET
def participation(request):
    """Who took part in learning during a period, overall and by group."""
    visibility, form, unit = _filters(request)
    context = {"form": form, "hidden": HIDDEN}
    if unit is not None:
        found = participation_in(unit, form.period, visibility)
        tables = _participation_tables(found)
        download = _download(request, tables, _basename("participation", unit, form.period))
        if download:
            return download
        context |= {"unit": unit, "period": form.period, "participation": found}
    return render(request, "learning/reports/participation.html", context)


def _participation_tables(found: Participation) -> dict[str, Table]:
    headers = texts(_("Group"), _("Employees"), _("Took part"), _("Share %"))

    def values(group):
        if group.hidden:
            return [group.label, None, None, None]
        return [group.label, group.employees, group.took_part, group.percent]

    tables = {"overall": Table(str(_("Participation")), headers, [values(found.overall)])}
    for breakdown in found.breakdowns:
        tables[breakdown.key] = Table(
            breakdown.title, headers, [values(group) for group in breakdown.groups]
        )
    return tables
