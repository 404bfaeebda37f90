"""`evne import completions`: course completions (gjennomførte kurs) from another learning
platform's export, one row per person, course and day.

Every new row goes through `complete_course`, the one way a completion comes to be, so an
imported completion grants the same verified records, renews the same older ones and counts in
coverage exactly like one made in Evne. A completion is identified by person, course and day:
one Evne already has changes nothing (an earlier import's result is updated when the file's
differs), so importing a file twice changes nothing the second time. The export writes the
completions the user may see in the same columns.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evne.core import bulk
from evne.core.imports.headers import Field
from evne.core.imports.lookup import CodeIndex
from evne.core.imports.pipeline import Importer, Plan, register
from evne.core.imports.problems import Problem, lazy_message
from evne.core.imports.scope import PeopleScope
from evne.core.imports.values import InvalidValue, parse_date
from evne.learning.completions import complete_course
from evne.learning.models import Completion, CompletionSource, Course, CourseGrant
from evne.organization.models import Person

FIELDS = [
    Field("employee_number", ("Ansattnr", "Ansattnummer", "Employee number"), True, max_length=30),
    Field("course", ("Kurskode", "Kurs", "Course code", "Course"), True, max_length=200),
    Field(
        "completed_on",
        (
            "Gjennomført",
            "Gjennomført dato",
            "Fullført",
            "Fullført dato",
            "Dato",
            "Completed",
            "Completion date",
            "Date completed",
            "Date",
        ),
        True,
    ),
    Field("result", ("Resultat", "Karakter", "Poeng", "Result", "Grade", "Score"), max_length=100),
]

# Learning platforms export the moment of completion; the time of day says nothing here.
TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")

# Made once: a lazy message per row would cost seconds on a large file.
MISSING_NUMBER = _("The employee number is missing.")
UNKNOWN_EMPLOYEE = _("No one in Evne has this employee number.")
MISSING_COURSE = _("The course is missing.")
UNKNOWN_COURSE = _("No course has this code or name. Use the course code from Evne.")
AMBIGUOUS_COURSE = _("Several courses are called this (%(codes)s). Use the code.")
MISSING_DATE = _("The completion date is missing.")
FUTURE_DATE = _("The completion date cannot be in the future.")
TWICE = _("This completion (employee, course and date) is also on row %(row)d.")
GRANTS_NOTHING = _(
    "The course grants no competences: its completions are kept, but give no competence records."
)


@dataclass
class Row:
    """A valid row of the file, ready to be matched."""

    number: int
    employee_number: str
    person_id: int
    course: Course
    course_text: str  # as the file names it
    completed_on: datetime.date
    result: str


@dataclass
class Update:
    completion_id: int
    row: Row
    before: str


def parse_completion_date(text: str) -> datetime.date | None:
    """A date as `parse_date` reads it, also with the time of day learning platforms add
    ("15.03.2025 14:32", "2025-03-15T14:32:07Z"), which is dropped."""
    return parse_date(TIME_OF_DAY.sub("", text))


@register
class CompletionsImporter(PeopleScope, Importer):
    kind = "completions"
    fields = FIELDS
    label = _("Course completions")
    description = _(
        "One row per completed course from another learning platform: employee number, course "
        "code or name, date and result. Each grants the course's competences, as a completion "
        "in Evne does."
    )
    nouns = {"completions": _("Course completions")}
    exportable = True

    def plan(self) -> Plan:
        self.people = dict(Person.objects.values_list("employee_number", "id"))
        self.courses = CodeIndex(
            Course.objects.all(), unknown=UNKNOWN_COURSE, ambiguous=AMBIGUOUS_COURSE
        )
        rows = self._read_rows()
        roots = self.check_scope(rows)
        new, updates = self._match(rows)

        def write(log):
            self._write(log, new, updates)

        counts = {"completions": {"create": len(new), "update": len(updates)}}
        problems = sorted(self.problems, key=lambda problem: problem.row or 0)
        return Plan(counts, problems, self._warnings(new), [], write, roots)

    # Reading

    def _read_rows(self) -> list[Row]:
        rows: list[Row] = []
        seen: dict[tuple, int] = {}
        for line in self.table.rows:
            problems_before = len(self.problems)
            self.problems.extend(self.length_problems(line))
            number = self.cell(line, "employee_number")
            person_id = self.people.get(number)
            if not number:
                self.report(line, "employee_number", MISSING_NUMBER)
            elif person_id is None:
                self.report(line, "employee_number", UNKNOWN_EMPLOYEE)
            course = self._course(line)
            completed_on = self._date(line)
            if len(self.problems) > problems_before:
                continue
            key = (person_id, course.pk, completed_on)
            if key in seen:
                self.report(line, "completed_on", lazy_message(TWICE, row=seen[key]))
                continue
            seen[key] = line.number
            rows.append(
                Row(
                    line.number,
                    number,
                    person_id,
                    course,
                    self.cell(line, "course"),
                    completed_on,
                    self.cell(line, "result"),
                )
            )
        return rows

    def _course(self, line) -> Course | None:
        text = self.cell(line, "course")
        if not text:
            self.report(line, "course", MISSING_COURSE)
            return None
        found = self.courses.find(text)
        if isinstance(found, Course):
            return found
        self.report(line, "course", found)
        return None

    def _date(self, line) -> datetime.date | None:
        text = self.cell(line, "completed_on")
        if not text:
            self.report(line, "completed_on", MISSING_DATE)
            return None
        try:
            completed_on = parse_completion_date(text)
        except InvalidValue as error:
            self.report(line, "completed_on", error.message)
            return None
        if completed_on > self.options.today:
            self.report(line, "completed_on", FUTURE_DATE)
            return None
        return completed_on

    # Matching

    def _match(self, rows: list[Row]) -> tuple[list[Row], list[Update]]:
        """New completions, and earlier imports' completions whose result the file changes.
        Completions made in Evne (a session, a test) are the truth and left as they are."""
        if not rows:
            return [], []
        days = [row.completed_on for row in rows]
        existing = {
            (person_id, course_id, day): (pk, source, result)
            for pk, person_id, course_id, day, source, result in Completion.objects.filter(
                course_id__in={row.course.pk for row in rows},
                completed_on__range=(min(days), max(days)),
            ).values_list("pk", "person_id", "course_id", "completed_on", "source", "result")
        }
        new, updates = [], []
        for row in rows:
            found = existing.get((row.person_id, row.course.pk, row.completed_on))
            if found is None:
                new.append(row)
                continue
            pk, source, result = found
            if source == CompletionSource.IMPORT and self.has("result") and result != row.result:
                updates.append(Update(pk, row, result))
        return new, updates

    def _warnings(self, new: list[Row]) -> list[Problem]:
        """A warning on the first new row of each course that grants nothing."""
        self.granted: dict[int, list[str]] = defaultdict(list)
        grants = CourseGrant.objects.order_by("competence__code")
        for course_id, code in grants.values_list("course_id", "competence__code"):
            self.granted[course_id].append(code)
        first_rows: dict[int, Row] = {}
        for row in new:
            if row.course.pk not in self.granted:
                first_rows.setdefault(row.course.pk, row)
        return [
            Problem(
                row=row.number,
                column=self.header("course"),
                value=row.course_text,
                message=GRANTS_NOTHING,
            )
            for row in first_rows.values()
        ]

    # Writing

    def _write(self, log, new: list[Row], updates: list[Update]) -> None:
        user = log.batch.created_by
        people = Person.objects.in_bulk({row.person_id for row in new})
        for row in new:
            completion, _created = complete_course(
                people[row.person_id],
                row.course,
                completed_on=row.completed_on,
                source=CompletionSource.IMPORT,
                result=row.result,
                import_batch=log.batch,
                user=user,
            )
            changes = {
                "course": row.course.code,
                "completed_on": row.completed_on,
                "result": row.result,
                "records": self.granted.get(row.course.pk, []),
            }
            log.add(Completion, completion.pk, _text(row), "create", changes, row.number)
        completions = Completion.objects.in_bulk([update.completion_id for update in updates])
        for update in updates:
            completions[update.completion_id].result = update.row.result
            changes = {"result": [update.before, update.row.result]}
            text = _text(update.row)
            log.add(Completion, update.completion_id, text, "update", changes, update.row.number)
        Completion.objects.bulk_update(completions.values(), ["result"], batch_size=bulk.BATCH_SIZE)

    # Export

    @classmethod
    def export_rows(cls, visibility):
        completions = (
            visibility.completions()
            .order_by("person__employee_number", "course__code", "completed_on", "pk")
            .values_list("person__employee_number", "course__code", "completed_on", "result")
        )
        return completions.iterator(chunk_size=bulk.BATCH_SIZE)


def _text(row: Row) -> str:
    """How a completion is named in the import's change list: no names of people."""
    return f"{row.employee_number} {row.course.code} {row.completed_on:%d.%m.%Y}"
