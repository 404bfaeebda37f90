"""The gap engine (kompetansegapet): what people have against what is required of them, on a
reference date. Every screen, export, the command line and the API read coverage from here.

- `coverage_for(unit, on=…)`: the unit's whole subtree, counted per unit and competence and
  rolled up, so any unit's figure is the sum of the units below it and its own people;
- `assessments_in(unit, …)` and `assessments_of(person, …)`: each person's applicable
  requirements with their status, for the pages that show people;
- `staffing_for(unit, …)`: staffing targets (bemanningsmål) against the people who qualify.

Each runs a fixed number of queries (sql.py), whatever the size. The visibility module decides
who may ask: figures over fewer than `MIN_GROUP_SIZE` people are suppressed for users who may not
see the people, and the person-level answers need the right to see those people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.analysis import sql
from evne.competence.models import Competence, StaffingMeasure, StaffingTarget
from evne.core.visibility import ADMINISTRATOR, Detail, Visibility
from evne.organization.models import JobRole, OrgUnit, Person


class Status(models.TextChoices):
    """The one status of an applicable requirement on a date: the first that holds."""

    MET = "met", _("Met")
    EXPIRING = "expiring", _("Expiring")
    PENDING = "pending", _("Pending verification")
    BELOW_LEVEL = "below_level", _("Below level")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")


COVERED = frozenset({Status.MET, Status.EXPIRING})


def window_days() -> int:
    """How many days ahead an expiry makes a record "expiring" (EVNE_EXPIRY_WINDOW_DAYS)."""
    return settings.EVNE_EXPIRY_WINDOW_DAYS


@dataclass(frozen=True)
class Options:
    """What to count besides the unit and the date; the filters of the pages and exports."""

    window_days: int | None = None  # None: the configured window
    job_role: JobRole | None = None  # only people whose main position is in this role
    kinds: tuple[str, ...] = ()  # only competences of these kinds
    competences: tuple[int, ...] = ()  # only these competences (ids)
    mandatory_only: bool = False

    def filters(self, on: datetime.date, **scope) -> sql.Filters:
        return sql.Filters(
            on=on,
            window_days=window_days() if self.window_days is None else self.window_days,
            job_role_id=self.job_role.pk if self.job_role else None,
            kinds=tuple(self.kinds),
            competence_ids=tuple(self.competences),
            mandatory_only=self.mandatory_only,
            **scope,
        )


ALL = Options()


def _date(value) -> datetime.date | None:
    # SQLite hands back dates computed by MAX() as text.
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _fte(value) -> float:
    """FTE as full-time equivalents (a position's FTE is stored as a percentage)."""
    return float(value or 0) / 100


# Figures


@dataclass
class Tally:
    """How many applicable requirements (one per person and competence) have each status, and
    the FTE of the people behind them."""

    people: dict[Status, int] = field(default_factory=lambda: defaultdict(int))
    fte: dict[Status, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, status: Status, count: int, fte: float) -> None:
        self.people[status] += count
        self.fte[status] += fte

    def merge(self, other: Tally) -> None:
        for status in Status:
            self.add(status, other.people[status], other.fte[status])

    def __getitem__(self, status: Status | str) -> int:
        # Only statuses: a template's `tally.covered` tries `tally["covered"]` first, which
        # must fail for Django to go on to the attribute.
        try:
            return self.people[Status(status)]
        except ValueError:
            raise KeyError(status) from None

    @property
    def applicable(self) -> int:
        return sum(self.people.values())

    @property
    def covered(self) -> int:
        return self.people[Status.MET] + self.people[Status.EXPIRING]

    @property
    def coverage(self) -> float | None:
        """Share of applicable requirements met (met + expiring), 0..1; None if none apply."""
        return self.covered / self.applicable if self.applicable else None

    @property
    def fte_applicable(self) -> float:
        return sum(self.fte.values())

    @property
    def fte_coverage(self) -> float | None:
        """The same share weighted by FTE: a 20 % position weighs a fifth of a full one."""
        total = self.fte_applicable
        if not total:
            return None
        return min((self.fte[Status.MET] + self.fte[Status.EXPIRING]) / total, 1.0)


@dataclass(frozen=True)
class Cell:
    """A figure as a user may see it: the tally, or nothing when it is suppressed because it
    would be computed from fewer than MIN_GROUP_SIZE people the user may not see."""

    tally: Tally
    suppressed: bool

    @property
    def shown(self) -> Tally | None:
        return None if self.suppressed else self.tally


@dataclass
class Coverage:
    """Coverage of a unit's subtree on a date: per unit (each unit's own subtree) and
    competence, split by mandatory and desired."""

    root: OrgUnit
    on: datetime.date
    options: Options
    visibility: Visibility
    units: dict[int, OrgUnit]
    competences: dict[int, Competence]
    _tallies: dict[int, dict[tuple[int, bool], Tally]]  # unit -> (competence, mandatory)
    _people: dict[int, tuple[int, float]]
    _behind: dict[tuple[int, bool | None], int]

    def tally(self, unit: OrgUnit, competence: Competence | None = None, mandatory=None) -> Tally:
        """The unit's subtree figures for one competence, or all of them (the total), for
        mandatory requirements (True), desired (False) or both (None). Not suppressed: for
        code that decides itself what to show."""
        result = Tally()
        for (competence_id, is_mandatory), tally in self._tallies.get(unit.pk, {}).items():
            if competence is not None and competence_id != competence.pk:
                continue
            if mandatory is not None and is_mandatory != mandatory:
                continue
            result.merge(tally)
        return result

    def cell(self, unit: OrgUnit, competence: Competence | None = None, mandatory=None) -> Cell:
        tally = self.tally(unit, competence, mandatory)
        # One requirement per person and competence: a competence's count is its number of
        # people. A total counts requirements, so its group is the people behind them.
        group = tally.applicable if competence else self.people_behind(unit, mandatory)
        shown = tally.applicable == 0 or self.visibility.may_see_figure(unit, group)
        return Cell(tally, suppressed=not shown)

    def people_behind(self, unit: OrgUnit, mandatory=None) -> int:
        """The number of people in the unit's subtree with at least one requirement counted:
        of any kind (None), mandatory (True) or desired (False)."""
        return self._behind.get((unit.pk, mandatory), 0)

    def people(self, unit: OrgUnit) -> tuple[int, float]:
        """People counted in the unit's subtree (by their main position) and their FTE."""
        return self._people.get(unit.pk, (0, 0.0))

    def children(self, unit: OrgUnit) -> list[OrgUnit]:
        return sorted(
            (child for child in self.units.values() if child.parent_id == unit.pk),
            key=lambda child: child.name,
        )

    def competences_in(self, unit: OrgUnit, mandatory=None) -> list[Competence]:
        """The competences required of someone in the unit's subtree, by name."""
        ids = {
            competence_id
            for (competence_id, is_mandatory) in self._tallies.get(unit.pk, {})
            if mandatory is None or is_mandatory == mandatory
        }
        return sorted((self.competences[pk] for pk in ids), key=lambda c: c.display_name)


def _check_aggregate(visibility: Visibility, unit: OrgUnit) -> None:
    if visibility.detail_for(unit) < Detail.AGGREGATE:
        raise PermissionDenied


def coverage_for(
    unit: OrgUnit,
    *,
    on: datetime.date | None = None,
    options: Options = ALL,
    visibility: Visibility = ADMINISTRATOR,
) -> Coverage:
    """Coverage of `unit` and every unit below it on `on` (today by default). Three queries:
    the units, the figures, and the competences they name."""
    _check_aggregate(visibility, unit)
    on = on or timezone.localdate()
    filters = options.filters(on, paths=(unit.path,))
    units = {u.pk: u for u in OrgUnit.objects.within(unit).select_related("level")}
    chains = {pk: _up_to(each, unit) for pk, each in units.items()}
    tallies: dict[int, dict[tuple[int, bool], Tally]] = defaultdict(lambda: defaultdict(Tally))
    competence_ids = set()
    behind: dict[tuple[int, bool | None], int] = defaultdict(int)
    for unit_id, competence_id, mandatory, status, count, fte in sql.run(sql.tallies(filters)):
        if competence_id is None:
            kind = None if mandatory is None else bool(mandatory)
            for ancestor_id in chains[unit_id]:
                behind[(ancestor_id, kind)] += count
            continue
        competence_ids.add(competence_id)
        status, fte, key = Status(status), _fte(fte), (competence_id, bool(mandatory))
        for ancestor_id in chains[unit_id]:
            tallies[ancestor_id][key].add(status, count, fte)
    people: dict[int, tuple[int, float]] = {}
    for unit_id, count, fte in sql.run(sql.headcounts(filters)):
        for ancestor_id in chains[unit_id]:
            known, known_fte = people.get(ancestor_id, (0, 0.0))
            people[ancestor_id] = (known + count, known_fte + _fte(fte))
    competences = Competence.objects.select_related("scale").in_bulk(competence_ids)
    return Coverage(
        unit, on, options, visibility, units, competences, tallies, people, dict(behind)
    )


def _up_to(unit: OrgUnit, root: OrgUnit) -> list[int]:
    """The ids of `unit` and its ancestors, up to and including `root`."""
    ids = [*unit.ancestor_ids, unit.pk]
    return ids[ids.index(root.pk) :]


# People


@dataclass(frozen=True)
class Assessment:
    """One applicable requirement of one person on the date, with its status.

    `due_on` says by when something must be done: the last valid day of what is expiring, or,
    for what is not met, the end of the grace period a new hire has (the first start date plus
    the shortest grace period of the requirements), which may already have passed."""

    person_id: int
    unit_id: int  # where the person is counted: their main position's unit
    competence: Competence
    level: int | None
    mandatory: bool
    status: Status
    valid_until: datetime.date | None
    expired_on: datetime.date | None
    due_on: datetime.date | None
    fte: float

    @property
    def covered(self) -> bool:
        return self.status in COVERED


def _assessments(filters: sql.Filters) -> list[Assessment]:
    rows = sql.run(sql.assessments(filters))
    competences = Competence.objects.select_related("scale").in_bulk({row[2] for row in rows})
    found = []
    for row in rows:
        person_id, unit_id, competence_id, level, mandatory, status, valid_until = row[:7]
        expired_on, grace_days, hired_on, fte = row[7:]
        status, valid_until = Status(status), _date(valid_until)
        if status == Status.EXPIRING:
            due_on = valid_until
        elif status in COVERED:
            due_on = None
        else:
            due_on = _date(hired_on) + datetime.timedelta(days=grace_days)
        found.append(
            Assessment(
                person_id=person_id,
                unit_id=unit_id,
                competence=competences[competence_id],
                level=level or None,
                mandatory=bool(mandatory),
                status=status,
                valid_until=valid_until,
                expired_on=_date(expired_on),
                due_on=due_on,
                fte=_fte(fte),
            )
        )
    found.sort(key=lambda a: (a.person_id, not a.mandatory, a.competence.display_name))
    return found


def assessments_in(
    unit: OrgUnit,
    *,
    visibility: Visibility,
    on: datetime.date | None = None,
    options: Options = ALL,
) -> list[Assessment]:
    """Every applicable requirement of the people counted in `unit`'s subtree. Only for users
    who may see the people there."""
    if visibility.detail_for(unit) < Detail.PERSONAL:
        raise PermissionDenied
    on = on or timezone.localdate()
    return _assessments(options.filters(on, paths=(unit.path,)))


def assessments_of(
    person: Person,
    *,
    visibility: Visibility,
    on: datetime.date | None = None,
    options: Options = ALL,
) -> list[Assessment]:
    """A person's applicable requirements ("my gaps"): for the person, and for those who may
    see them."""
    if person.pk != visibility.person_id and not visibility.people().filter(pk=person.pk).exists():
        raise PermissionDenied
    on = on or timezone.localdate()
    return _assessments(options.filters(on, person_id=person.pk))


# Staffing targets


@dataclass(frozen=True)
class StaffingResult:
    """A staffing target against the people with a position in its unit (or below) who hold
    the competence on the date; FTE counts the FTE of those positions."""

    target: StaffingTarget
    people: int
    fte: Decimal
    suppressed: bool

    @property
    def qualified(self) -> Decimal:
        """What the target counts: people, or full-time equivalents."""
        if self.target.measure == StaffingMeasure.FTE:
            return self.fte
        return Decimal(self.people)

    @property
    def shortfall(self) -> Decimal:
        return max(self.target.minimum - self.qualified, Decimal(0))

    @property
    def reached(self) -> bool:
        return self.qualified >= self.target.minimum


def staffing_for(
    unit: OrgUnit,
    *,
    on: datetime.date | None = None,
    visibility: Visibility = ADMINISTRATOR,
) -> list[StaffingResult]:
    """The staffing targets of `unit` and the units below it, checked on `on`. Two queries."""
    _check_aggregate(visibility, unit)
    on = on or timezone.localdate()
    # Decimal, like the target's minimum: "1.5 FTE" is compared exactly.
    found = {
        target_id: (people, Decimal(str(fte or 0)) / 100)
        for target_id, people, fte in sql.run(sql.staffing(on, (unit.path,)))
    }
    targets = StaffingTarget.objects.filter(unit__in=OrgUnit.objects.within(unit)).select_related(
        "unit", "competence__scale"
    )
    results = []
    for target in targets:
        people, fte = found.get(target.pk, (0, Decimal(0)))
        # Nobody qualified is no figure to protect, but only in units the user may look at.
        shown = visibility.may_see_figure(target.unit, people) or (
            people == 0 and visibility.detail_for(target.unit) >= Detail.AGGREGATE
        )
        results.append(StaffingResult(target, people, fte, suppressed=not shown))
    return results
