"""Reads of the organisation that several pages share."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from evne.organization.models import Employment, OrgUnit


@dataclass(frozen=True)
class StaffFigures:
    """Headcount (people, each counted once) and FTE of a unit's whole subtree on a day."""

    headcount: int
    fte: Decimal  # the sum of FTE percentages

    @property
    def full_time_equivalents(self) -> Decimal:
        return self.fte / 100


def staff_figures(units: list[OrgUnit], on: datetime.date) -> dict[int, StaffFigures]:
    """Figures for each unit's subtree, in one query however many units and people there are.

    The units are expected to be few (a unit and its children); each adds two columns.
    """
    if not units:
        return {}
    aggregates = {}
    for unit in units:
        in_subtree = Q(unit__path__startswith=unit.path)
        aggregates[f"headcount_{unit.pk}"] = Count("person", distinct=True, filter=in_subtree)
        aggregates[f"fte_{unit.pk}"] = Sum("fte", filter=in_subtree)
    roots = Q()
    for unit in units:
        roots |= Q(unit__path__startswith=unit.path)
    row = Employment.objects.active_on(on).filter(roots).aggregate(**aggregates)
    return {
        unit.pk: StaffFigures(
            headcount=row[f"headcount_{unit.pk}"], fte=row[f"fte_{unit.pk}"] or Decimal(0)
        )
        for unit in units
    }


@dataclass
class TreeNode:
    unit: OrgUnit
    children: list["TreeNode"]


def build_tree(units: list[OrgUnit]) -> list[TreeNode]:
    """Nest units by parent; a unit whose parent is not in the list becomes a root."""
    nodes = {unit.pk: TreeNode(unit, []) for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(nodes[unit.pk])
    return roots
