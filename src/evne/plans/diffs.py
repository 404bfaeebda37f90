"""What changed between two revisions of a plan (endringer mellom revisjoner): goals and
measures added, removed, and changed field by field, from the content each adoption stored
(`workflow.snapshot`). Values are given as a reader sees them: choices by their label, dates
as dd.mm.yyyy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from evne.plans.models import (
    CompetencePlan,
    FundingSource,
    Goal,
    Measure,
    MeasureKind,
    MeasureStatus,
    TargetKind,
)

PLAN_FIELDS = ["title", "summary", "period_start", "period_end"]
GOAL_FIELDS = [
    "title",
    "description",
    "competence",
    "level",
    "target_kind",
    "target_value",
    "target_date",
    "serves",
]
MEASURE_FIELDS = [
    "title",
    "description",
    "kind",
    "goal",
    "owner",
    "cost",
    "funding",
    "funding_note",
    "starts_on",
    "ends_on",
    "status",
]
CHOICES = {
    "target_kind": TargetKind,
    "kind": MeasureKind,
    "funding": FundingSource,
    "status": MeasureStatus,
}
DATES = {"period_start", "period_end", "target_date", "starts_on", "ends_on"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ItemChange:
    title: str
    changes: list[FieldChange]


@dataclass
class Diff:
    plan: list[FieldChange] = field(default_factory=list)
    goals_added: list[str] = field(default_factory=list)
    goals_removed: list[str] = field(default_factory=list)
    goals_changed: list[ItemChange] = field(default_factory=list)
    measures_added: list[str] = field(default_factory=list)
    measures_removed: list[str] = field(default_factory=list)
    measures_changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.plan,
                self.goals_added,
                self.goals_removed,
                self.goals_changed,
                self.measures_added,
                self.measures_removed,
                self.measures_changed,
            )
        )


def diff(old: dict, new: dict) -> Diff:
    """The differences from content `old` to content `new`."""
    result = Diff(plan=_fields(CompetencePlan, PLAN_FIELDS, old, new))
    result.goals_added, result.goals_removed, result.goals_changed = _items(
        Goal, GOAL_FIELDS, old.get("goals", []), new.get("goals", [])
    )
    result.measures_added, result.measures_removed, result.measures_changed = _items(
        Measure, MEASURE_FIELDS, old.get("measures", []), new.get("measures", [])
    )
    return result


def _items(model, names, old: list[dict], new: list[dict]):
    # Goals and measures keep their ids from revision to revision: that is what pairs them.
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    added = [item["title"] for pk, item in after.items() if pk not in before]
    removed = [item["title"] for pk, item in before.items() if pk not in after]
    changed = []
    for pk, item in after.items():
        if pk in before:
            changes = _fields(model, names, before[pk], item)
            if changes:
                changed.append(ItemChange(item["title"], changes))
    return added, removed, changed


def _fields(model, names, old: dict, new: dict) -> list[FieldChange]:
    return [
        FieldChange(
            str(model._meta.get_field(name).verbose_name),
            _display(name, old.get(name)),
            _display(name, new.get(name)),
        )
        for name in names
        if old.get(name) != new.get(name)
    ]


def _display(name: str, value) -> str:
    if value in (None, "", []):
        return str(_("(empty)"))
    if name in CHOICES:
        return str(CHOICES[name](value).label) if value in CHOICES[name].values else value
    if name in DATES:
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)
