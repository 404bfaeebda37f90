"""Which requirements hold for a unit (arv av kompetansekrav).

A requirement set on a unit holds for everyone in it and in every unit below it; one set on a
job role within a unit holds for that role there and below. So the requirements of a unit are
those set on the unit itself and those set on every unit on its path to the root. The path is
materialised on the unit (`OrgUnit.path`), so they all come in one query, whatever the depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from evne.competence.models import Requirement
from evne.organization.models import OrgUnit


@dataclass
class InheritedGroup:
    """The requirements a unit inherits from one unit above it."""

    source: OrgUnit
    requirements: list[Requirement] = field(default_factory=list)


@dataclass
class UnitRequirements:
    """The requirements that hold in a unit, by where they come from."""

    own: list[Requirement]  # set on the unit: everyone in it and below
    for_roles: list[Requirement]  # set on a job role within the unit
    inherited: list[InheritedGroup]  # set on units above, the nearest first

    def all(self) -> list[Requirement]:
        return [
            *self.own,
            *self.for_roles,
            *(requirement for group in self.inherited for requirement in group.requirements),
        ]


def requirements_on_path(unit: OrgUnit) -> QuerySet[Requirement]:
    """Every requirement set on the unit or on a unit above it, with what the pages show."""
    return Requirement.objects.filter(unit_id__in=[*unit.ancestor_ids, unit.pk]).select_related(
        "competence__scale", "job_role", "unit"
    )


def requirements_of_unit(unit: OrgUnit) -> UnitRequirements:
    """The requirements of `unit`, grouped: its own, its job roles', and inherited (one query)."""
    by_unit: dict[int, list[Requirement]] = {}
    # Sorted here: the databases disagree on where NULLs (the unit-wide ones) go.
    found = sorted(
        requirements_on_path(unit).order_by("competence__name", "pk"),
        key=lambda requirement: requirement.job_role.name if requirement.job_role else "",
    )
    for requirement in found:
        by_unit.setdefault(requirement.unit_id, []).append(requirement)
    here = by_unit.pop(unit.pk, [])
    inherited = [
        InheritedGroup(requirements[0].unit, requirements)
        for pk in reversed(unit.ancestor_ids)
        if (requirements := by_unit.get(pk))
    ]
    return UnitRequirements(
        own=[requirement for requirement in here if requirement.job_role_id is None],
        for_roles=[requirement for requirement in here if requirement.job_role_id is not None],
        inherited=inherited,
    )
