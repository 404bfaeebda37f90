"""Following up learning plans (oppfølging av opplæringsplaner): how far each person and each
item of a plan has come, from the statuses stored on the assignments. Every figure is one
aggregate query over a queryset of assignments the caller took from the visibility module, so
the cost does not grow with the number of people.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from evne.competence.models import CompetenceRecord, RecordStatus
from evne.core.visibility import Visibility
from evne.learning.models import Completion
from evne.organization.models import Employment, OrgUnit, Person
from evne.plans.models import Assignment, AssignmentStatus, ItemKind, LearningPlan


def _counted(status: AssignmentStatus) -> Count:
    return Count("pk", filter=Q(status=status))


COUNTS = {status.value: _counted(status) for status in AssignmentStatus}


@dataclass
class Counts:
    """Assignments by status."""

    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_started: int = 0

    @classmethod
    def of(cls, row: dict) -> Counts:
        return cls(**{status.value: row[status.value] for status in AssignmentStatus})

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.overdue + self.not_started

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def done_percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


class PersonState(enum.StrEnum):
    """Where a person stands with a plan as a whole, the most urgent first."""

    OVERDUE = "overdue"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    LEFT = "left"

    @property
    def label(self) -> str:
        return str(PERSON_STATE_LABELS[self])

    @property
    def color(self) -> str:
        return PERSON_STATE_COLORS[self]


PERSON_STATE_LABELS = {
    PersonState.OVERDUE: _("Overdue"),
    PersonState.NOT_STARTED: _("Not started"),
    PersonState.IN_PROGRESS: _("In progress"),
    PersonState.DONE: _("Done"),
    PersonState.LEFT: _("Left the group"),
}
# Designsystemet colours of the status tags; the tag's text always names the status too.
PERSON_STATE_COLORS = {
    PersonState.OVERDUE: "danger",
    PersonState.NOT_STARTED: "neutral",
    PersonState.IN_PROGRESS: "info",
    PersonState.DONE: "success",
    PersonState.LEFT: "neutral",
}


@dataclass
class PersonRow:
    """One person's progress with a plan."""

    person: Person
    counts: Counts
    next_due: datetime.date | None
    left_on: datetime.date | None
    unit: OrgUnit | None = None

    @property
    def state(self) -> PersonState:
        if self.left_on is not None:
            return PersonState.LEFT
        if self.counts.overdue:
            return PersonState.OVERDUE
        if self.counts.done == self.counts.total:
            return PersonState.DONE
        if self.counts.done or self.counts.in_progress:
            return PersonState.IN_PROGRESS
        return PersonState.NOT_STARTED


def item_name(item) -> str:
    """An item's title, or the name of its course or competence in the user's language."""
    if item.title:
        return item.title
    subject = item.course or item.competence
    return subject.display_name if subject else ""


@dataclass
class ItemRow:
    """One item of a plan with the progress of the people it is assigned to."""

    item: object
    counts: Counts = field(default_factory=Counts)

    @property
    def name(self) -> str:
        return item_name(self.item)


@dataclass
class PlanRow:
    """A learning plan with the progress of the people currently in its group."""

    plan: LearningPlan
    counts: Counts = field(default_factory=Counts)
    people: int = 0


def followed_plans(visibility: Visibility) -> QuerySet[LearningPlan]:
    """The learning plans a user follows up: those they manage, and those assigned to people
    they lead (an area's plan reaches the nursing home leader's nurses)."""
    led = visibility.assignments().filter(person__in=visibility.managed_people())
    return LearningPlan.objects.filter(
        Q(pk__in=visibility.learning_plans().values("pk")) | Q(pk__in=led.values("plan_id"))
    )


def followed_assignments(visibility: Visibility) -> QuerySet[Assignment]:
    """The assignments of the people a user follows up; a leader given a plan themselves
    follows it on "my plan", not among their people."""
    assignments = visibility.assignments()
    if visibility.person_id is not None and not visibility.is_admin:
        assignments = assignments.exclude(person_id=visibility.person_id)
    return assignments


def plan_rows(plans: QuerySet[LearningPlan], assignments: QuerySet[Assignment]) -> list[PlanRow]:
    """Each plan with its current group's counts, in two queries."""
    found = (
        assignments.filter(plan__in=plans, left_on__isnull=True)
        .order_by()
        .values("plan_id")
        .annotate(**COUNTS, people=Count("person_id", distinct=True))
    )
    by_plan = {row["plan_id"]: row for row in found}
    rows = []
    for plan in plans.select_related("unit"):
        row = by_plan.get(plan.pk)
        rows.append(PlanRow(plan, Counts.of(row), row["people"]) if row else PlanRow(plan))
    return rows


def people_rows(assignments: QuerySet[Assignment], today: datetime.date) -> list[PersonRow]:
    """Each person's counts, next due date and, for those who left the group, when; with their
    main unit. The most urgent first: overdue, then by the next due date."""
    found = (
        assignments.order_by()
        .values("person_id")
        .annotate(
            **COUNTS,
            next_due=Min("due_on", filter=~Q(status=AssignmentStatus.DONE)),
            still_in=Count("pk", filter=Q(left_on__isnull=True)),
            left_on=Max("left_on"),
        )
    )
    rows = {
        row["person_id"]: PersonRow(
            person=None,
            counts=Counts.of(row),
            next_due=row["next_due"],
            left_on=None if row["still_in"] else row["left_on"],
        )
        for row in found
    }
    for person in Person.objects.filter(pk__in=rows):
        rows[person.pk].person = person
    units = main_units(assignments.values("person_id"), today)
    for person_id, row in rows.items():
        row.unit = units.get(person_id)
    order = list(PersonState)
    return sorted(
        rows.values(),
        key=lambda row: (
            order.index(row.state),
            row.next_due or datetime.date.max,
            row.person.family_name,
            row.person.given_name,
        ),
    )


def main_units(people, today: datetime.date) -> dict[int, OrgUnit]:
    """The unit of each person's main position (or of any current one), in one query."""
    units: dict[int, OrgUnit] = {}
    employments = (
        Employment.objects.current_or_future(today)
        .filter(person__in=people)
        .select_related("unit")
        .order_by("person_id", "-is_primary", "start_date", "pk")
    )
    for employment in employments:
        units.setdefault(employment.person_id, employment.unit)
    return units


def item_rows(plan: LearningPlan, assignments: QuerySet[Assignment]) -> list[ItemRow]:
    """Each item of the plan with the counts of its current group."""
    found = assignments.filter(left_on__isnull=True).order_by().values("item_id").annotate(**COUNTS)
    by_item = {row["item_id"]: Counts.of(row) for row in found}
    return [
        ItemRow(item, by_item.get(item.pk, Counts()))
        for item in plan.items.select_related("course", "competence")
    ]


def in_unit(assignments: QuerySet[Assignment], unit: OrgUnit, today: datetime.date):
    """The assignments of people with a current or future position in the unit's subtree."""
    staff = Employment.objects.current_or_future(today).filter(
        unit__in=OrgUnit.objects.within(unit)
    )
    return assignments.filter(person__in=staff.values("person_id"))


def evidence_for(visibility: Visibility, person: Person, assignments: list[Assignment]) -> None:
    """Set `evidence` on each done assignment: the course completion or the verified record
    that made it done (the latest one by its done date), in two queries."""
    courses = {a.item.course_id for a in assignments if a.item.kind == ItemKind.COURSE}
    competences = {a.item.competence_id for a in assignments if a.item.kind == ItemKind.COMPETENCE}
    completions: dict[int, list[Completion]] = {}
    if courses:
        for completion in (
            visibility.completions()
            .filter(person=person, course_id__in=courses)
            .order_by("-completed_on", "-pk")
        ):
            completions.setdefault(completion.course_id, []).append(completion)
    records: dict[int, list[CompetenceRecord]] = {}
    if competences:
        for record in (
            visibility.records()
            .filter(person=person, competence_id__in=competences, status=RecordStatus.VERIFIED)
            .order_by("-obtained_on", "-pk")
        ):
            records.setdefault(record.competence_id, []).append(record)
    for assignment in assignments:
        assignment.evidence = None
        if assignment.status != AssignmentStatus.DONE:
            continue
        item = assignment.item
        if item.kind == ItemKind.COURSE:
            candidates = [(c, c.completed_on) for c in completions.get(item.course_id, [])]
        elif item.kind == ItemKind.COMPETENCE:
            candidates = [
                (r, r.obtained_on)
                for r in records.get(item.competence_id, [])
                if item.level is None or (r.level or 0) >= item.level
            ]
        else:
            continue
        done_on = assignment.done_on or datetime.date.max
        assignment.evidence = next((found for found, on in candidates if on <= done_on), None)
