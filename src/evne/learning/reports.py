"""Completion reports for leaders (rapporter): how far the people of a unit subtree have come
with each course, and how they did in the e-learning tests.

People are counted the way the gap engine counts them (its `home`: each person once, at their
main position among the positions active on the reference date), so a unit's figure is the sum
of the units below it and its own people. Every read is one statement run where the data is,
whatever the number of people (DESIGN.md: never a query per person).

A person's progress with a course on the reference date is the first of these that holds:

- *valid*: a completion whose granted competences have not expired;
- *in progress*: enrolled in a session on or after the date, or an e-learning attempt not yet
  submitted or failed;
- *expired*: completed before, but what it granted has expired;
- *not started*: none of these.

Besides, a completion dated within the period counts as *completed in the period*.
"""

# The SQL is assembled from this module's own fragments; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.analysis import sql
from evne.competence.models import CompetenceRecord
from evne.learning.models import (
    Answer,
    Attempt,
    Completion,
    Enrolment,
    EnrolmentStatus,
    Module,
    Session,
)
from evne.organization.models import OrgUnit


class Progress(models.TextChoices):
    VALID = "valid", _("Completed, valid")
    IN_PROGRESS = "in_progress", _("In progress")
    EXPIRED = "expired", _("Completed, expired")
    NOT_STARTED = "not_started", _("Not started")


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included; the reports look at the people on its last day."""

    start: datetime.date
    end: datetime.date

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes: its first moment and the first moment after it."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, after


def _tables() -> dict[str, str]:
    return {
        "completion": Completion._meta.db_table,
        "granted": Completion.records.through._meta.db_table,
        "record": CompetenceRecord._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "session": Session._meta.db_table,
        "attempt": Attempt._meta.db_table,
        "module": Module._meta.db_table,
        "answer": Answer._meta.db_table,
    }


def counted(unit: OrgUnit, on: datetime.date) -> sql.Statement:
    """The gap engine's common table expressions up to `home`: the people of `unit`'s subtree
    on `on`, each at their main position (person_id, unit_id, job_role_id, fte_total). The
    caller adds its own expressions after a comma, and the final SELECT."""
    return sql.counted(sql.Filters(on=on, window_days=0, paths=(unit.path,)))


def _add(statement: sql.Statement, text: str, *params) -> None:
    # The statement formats its text with the engine's table names; ours are filled in first.
    statement.add(text.format(**_tables()).replace("{", "{{").replace("}", "}}"), *params)


def _progress(statement: sql.Statement, period: Period) -> None:
    """Adds `progress`: one row per person counted and course they have touched, with whether
    they hold a valid completion, one in the period, any completion, and are on their way."""
    on = period.end
    _, after = period.bounds()
    _add(
        statement,
        """,
done AS (
    SELECT c.person_id, c.course_id,
        MAX(CASE WHEN c.completed_on >= %s THEN 1 ELSE 0 END) AS in_period,
        MAX(CASE WHEN NOT EXISTS (
            SELECT 1 FROM {granted} g JOIN {record} r ON r.id = g.competencerecord_id
            WHERE g.completion_id = c.id AND r.expires_on < %s
        ) THEN 1 ELSE 0 END) AS valid
    FROM {completion} c
    WHERE c.person_id IN (SELECT person_id FROM home) AND c.completed_on <= %s
    GROUP BY c.person_id, c.course_id
),
going AS (
    SELECT en.person_id, se.course_id
    FROM {enrolment} en JOIN {session} se ON se.id = en.session_id
    WHERE en.person_id IN (SELECT person_id FROM home)
        AND en.status = %s AND se.is_cancelled = %s AND se.starts_at >= %s
    UNION
    SELECT a.person_id, m.course_id
    FROM {attempt} a JOIN {module} m ON m.id = a.module_id
    WHERE a.person_id IN (SELECT person_id FROM home)
        AND a.started_at < %s AND (a.submitted_at IS NULL OR a.passed = %s)
),
touched AS (
    SELECT person_id, course_id FROM done UNION SELECT person_id, course_id FROM going
),
progress AS (
    SELECT t.person_id, t.course_id,
        CASE WHEN d.valid = 1 THEN 'valid'
            WHEN g.person_id IS NOT NULL THEN 'in_progress'
            ELSE 'expired' END AS progress,
        COALESCE(d.in_period, 0) AS in_period
    FROM touched t
    LEFT JOIN done d ON d.person_id = t.person_id AND d.course_id = t.course_id
    LEFT JOIN (SELECT DISTINCT person_id, course_id FROM going) g
        ON g.person_id = t.person_id AND g.course_id = t.course_id
)""",
        period.start,
        on,
        on,
        EnrolmentStatus.ENROLLED.value,
        False,
        datetime.datetime.combine(on, datetime.time.min, tzinfo=timezone.get_current_timezone()),
        after,
        False,
    )


@dataclass
class Counts:
    """How many people of a group have each progress with a course, and how many completed it
    within the period. `people` is everyone counted, so *not started* is what is left."""

    people: int = 0
    progress: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    in_period: int = 0

    def add(self, other: Counts) -> None:
        for key, value in other.progress.items():
            self.progress[key] += value
        self.in_period += other.in_period

    @property
    def valid(self) -> int:
        return self.progress[Progress.VALID]

    @property
    def in_progress(self) -> int:
        return self.progress[Progress.IN_PROGRESS]

    @property
    def expired(self) -> int:
        return self.progress[Progress.EXPIRED]

    @property
    def not_started(self) -> int:
        return max(self.people - self.valid - self.in_progress - self.expired, 0)

    @property
    def valid_share(self) -> float | None:
        return self.valid / self.people if self.people else None


@dataclass
class CompletionFigures:
    """Per unit of the subtree (each unit's own subtree rolled up) and course: the counts."""

    root: OrgUnit
    period: Period
    units: dict[int, OrgUnit]
    headcounts: dict[int, int]
    counts: dict[tuple[int, int], Counts]  # (unit, course) -> counts, rolled up

    def people(self, unit: OrgUnit) -> int:
        return self.headcounts.get(unit.pk, 0)

    def course_ids(self) -> set[int]:
        """Courses someone counted in the subtree has touched."""
        return {course_id for unit_id, course_id in self.counts if unit_id == self.root.pk}

    def of(self, unit: OrgUnit, course_id: int) -> Counts:
        found = Counts(people=self.people(unit))
        known = self.counts.get((unit.pk, course_id))
        if known is not None:
            found.add(known)
        return found

    def children(self, unit: OrgUnit) -> list[OrgUnit]:
        return sorted(
            (child for child in self.units.values() if child.parent_id == unit.pk),
            key=lambda child: child.name,
        )

    def own_people(self, unit: OrgUnit) -> int:
        """People counted in the unit itself, not in a unit below it."""
        return self.people(unit) - sum(self.people(child) for child in self.children(unit))


def completion_figures(
    unit: OrgUnit, period: Period, course_id: int | None = None
) -> CompletionFigures:
    """Progress with every course (or one) in `unit`'s subtree. Three queries: the units, the
    headcounts and the progress counts."""
    units = {u.pk: u for u in OrgUnit.objects.within(unit)}
    chains = {pk: _up_to(each, unit) for pk, each in units.items()}
    headcounts: dict[int, int] = defaultdict(int)
    statement = counted(unit, period.end)
    statement.add("SELECT unit_id, COUNT(*) FROM home GROUP BY unit_id")
    for unit_id, number in sql.run(statement):
        for ancestor_id in chains[unit_id]:
            headcounts[ancestor_id] += number

    statement = counted(unit, period.end)
    _progress(statement, period)
    only = "WHERE p.course_id = %s" if course_id is not None else ""
    statement.add(
        f"""SELECT h.unit_id, p.course_id, p.progress, p.in_period, COUNT(*)
FROM progress p JOIN home h ON h.person_id = p.person_id {only}
GROUP BY h.unit_id, p.course_id, p.progress, p.in_period""",
        *([course_id] if course_id is not None else []),
    )
    counts: dict[tuple[int, int], Counts] = defaultdict(Counts)
    for unit_id, found_course, progress, in_period, number in sql.run(statement):
        for ancestor_id in chains[unit_id]:
            tally = counts[(ancestor_id, found_course)]
            tally.progress[progress] += number
            if in_period:
                tally.in_period += number
    return CompletionFigures(unit, period, units, dict(headcounts), dict(counts))


@dataclass(frozen=True)
class PersonProgress:
    person_id: int
    unit_id: int
    progress: Progress
    in_period: bool


def people_progress(unit: OrgUnit, period: Period, course_id: int) -> list[PersonProgress]:
    """Each person counted in `unit`'s subtree with their progress with one course. One query.
    Callers must check that the user may see the people."""
    statement = counted(unit, period.end)
    _progress(statement, period)
    statement.add(
        """SELECT h.person_id, h.unit_id, COALESCE(p.progress, 'not_started'),
    COALESCE(p.in_period, 0)
FROM home h LEFT JOIN progress p ON p.person_id = h.person_id AND p.course_id = %s""",
        course_id,
    )
    return [
        PersonProgress(person_id, unit_id, Progress(progress), bool(in_period))
        for person_id, unit_id, progress, in_period in sql.run(statement)
    ]


# Test results


@dataclass(frozen=True)
class ModuleResult:
    """A module's submitted attempts in the period by the people counted."""

    course_id: int
    attempts: int
    people: int
    passed: int
    average_score: float | None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.attempts if self.attempts else None


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    answered: int
    wrong: int
    people: int

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.answered if self.answered else 0.0


def _tried(statement: sql.Statement, period: Period) -> None:
    start, after = period.bounds()
    _add(
        statement,
        """,
tried AS (
    SELECT a.id, a.module_id, a.person_id, a.score_percent, a.passed
    FROM {attempt} a
    WHERE a.person_id IN (SELECT person_id FROM home)
        AND a.submitted_at >= %s AND a.submitted_at < %s
)""",
        start,
        after,
    )


def module_results(unit: OrgUnit, period: Period) -> dict[int, ModuleResult]:
    """Per e-learning course (by course id): attempts submitted in the period by the people of
    `unit`'s subtree, how many passed and the average score. One query."""
    statement = counted(unit, period.end)
    _tried(statement, period)
    _add(
        statement,
        """SELECT m.course_id, COUNT(*), COUNT(DISTINCT t.person_id),
    SUM(CASE WHEN t.passed = %s THEN 1 ELSE 0 END), AVG(t.score_percent * 1.0)
FROM tried t JOIN {module} m ON m.id = t.module_id
GROUP BY m.course_id""",
        True,
    )
    return {
        row[0]: ModuleResult(
            row[0], row[1], row[2], row[3] or 0, float(row[4]) if row[4] is not None else None
        )
        for row in sql.run(statement)
    }


def hardest_questions(unit: OrgUnit, period: Period, module: Module) -> list[QuestionResult]:
    """The module's questions answered in the period by the people of `unit`'s subtree, the
    most often answered wrongly first. One query."""
    statement = counted(unit, period.end)
    _tried(statement, period)
    _add(
        statement,
        """SELECT an.question_id, COUNT(*),
    SUM(CASE WHEN an.is_correct = %s THEN 0 ELSE 1 END), COUNT(DISTINCT t.person_id)
FROM {answer} an JOIN tried t ON t.id = an.attempt_id
WHERE t.module_id = %s AND an.is_correct IS NOT NULL
GROUP BY an.question_id""",
        True,
        module.pk,
    )
    found = [QuestionResult(*row) for row in sql.run(statement)]
    return sorted(found, key=lambda q: (-q.wrong_share, -q.wrong, q.question_id))


def _up_to(unit: OrgUnit, root: OrgUnit) -> list[int]:
    """The ids of `unit` and its ancestors, up to and including `root`."""
    ids = [*unit.ancestor_ids, unit.pk]
    return ids[ids.index(root.pk) :]
