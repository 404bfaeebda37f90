"""Competence mobilisation (kompetansemobilisering): who already holds a competence, and who holds
one that their own position does not ask for while it is short elsewhere in the organisation.

What counts as holding a competence is the gap engine's rule, read from its own SQL fragments
(sql.py): a verified record valid on the date, of the competence or of one that implies it
(transitively), at or above the level, where an implying record without a level meets any level.
Every read here is a fixed number of queries, whatever the number of people.
"""

# The SQL is assembled from the engine's fragments (sql.py); every value is a query parameter.
# ruff: noqa: S608, S611

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from evne.analysis import sql
from evne.analysis.engine import (
    Options,
    Status,
    assessments_in,
    coverage_for,
    staffing_for,
    window_days,
)
from evne.competence.models import Competence, CompetenceRecord, RecordStatus, ScaleLevel
from evne.core.visibility import ADMINISTRATOR, Detail, Visibility
from evne.organization.models import Employment, JobRole, OrgUnit, Person

# Records


def _qualifying_ids(competence: Competence, level: int | None, on: datetime.date, status: str):
    """The ids of the records of `status` that hold `competence` at `level` on `on`, as a
    subquery."""
    s = sql.Statement()
    s.add("WITH RECURSIVE " + sql.SATISFIES)
    s.add(
        f"""SELECT r.id FROM {{record}} r JOIN satisfies sat ON sat.source_id = r.competence_id
WHERE sat.target_id = %s AND r.status = %s AND {sql.valid_on("r")}
    AND {sql.qualifying("r", "sat", "%s")}""",
        competence.pk,
        status,
        on,
        on,
        level or 0,
    )
    return RawSQL(s.sql, s.params)


def qualifying_records(
    competence: Competence, level: int | None, on: datetime.date, status=RecordStatus.VERIFIED
) -> QuerySet[CompetenceRecord]:
    return CompetenceRecord.objects.filter(pk__in=_qualifying_ids(competence, level, on, status))


def _rank(record: CompetenceRecord, competence: Competence) -> tuple:
    """Which of a person's qualifying records to show: the competence itself before one that
    implies it, then the highest level, then the one valid longest."""
    return (
        record.competence_id == competence.pk,
        record.level or 0,
        record.expires_on or datetime.date.max,
    )


def level_names(competences) -> dict[tuple[int, int], str]:
    """ "3 Advanced" for (scale, 3), for the scales of `competences`."""
    scale_ids = {c.scale_id for c in competences if c.scale_id}
    return {
        (level.scale_id, level.value): str(level)
        for level in ScaleLevel.objects.filter(scale_id__in=scale_ids)
    }


# Who has X


@dataclass(frozen=True)
class Holding:
    """One person who holds the competence, with the record that shows it."""

    person: Person
    unit_id: int | None
    unit_name: str
    job_role: str
    record: CompetenceRecord
    level: str

    @property
    def via(self) -> Competence | None:
        """The competence held when it is one that implies the one asked for."""
        return self.record.competence if self.record.implied else None


SORTS = {
    "name": ("family_name", "given_name", "pk"),
    "unit": ("main_unit_name", "family_name", "given_name", "pk"),
}


def holders(
    visibility: Visibility,
    competence: Competence,
    level: int | None,
    on: datetime.date,
    unit: OrgUnit | None = None,
    sort: str = "name",
) -> QuerySet[Person]:
    """The people the user may see, with a position on `on` (in `unit`'s subtree, if given),
    who hold the competence; each annotated with the unit and job role of their main position
    as the user may see it. Sorted by name or by unit."""
    positions = visibility.employments().active_on(on)
    scoped = positions.filter(unit__path__startswith=unit.path) if unit else positions
    main = positions.filter(person=OuterRef("pk")).order_by(
        "-is_primary", "-fte", "start_date", "pk"
    )
    records = qualifying_records(competence, level, on)
    return (
        visibility.people()
        .filter(pk__in=scoped.values("person_id"))
        .filter(Exists(records.filter(person=OuterRef("pk"))))
        .annotate(
            main_unit_id=Subquery(main.values("unit_id")[:1]),
            main_unit_name=Subquery(main.values("unit__name")[:1]),
            main_role_name=Subquery(main.values("job_role__name")[:1]),
        )
        .order_by(*SORTS.get(sort, SORTS["name"]))
    )


def holdings(people, competence: Competence, level: int | None, on: datetime.date) -> list[Holding]:
    """`people` (from `holders`) with the record that shows each holds the competence; two
    queries however many."""
    people = list(people)
    best: dict[int, CompetenceRecord] = {}
    found = (
        qualifying_records(competence, level, on)
        .filter(person__in=[person.pk for person in people])
        .select_related("competence")
    )
    for record in found:
        record.implied = record.competence_id != competence.pk
        known = best.get(record.person_id)
        if known is None or _rank(record, competence) > _rank(known, competence):
            best[record.person_id] = record
    names = level_names([record.competence for record in best.values()])
    return [
        Holding(
            person=person,
            unit_id=person.main_unit_id,
            unit_name=person.main_unit_name or "",
            job_role=person.main_role_name or "",
            record=best[person.pk],
            level=_level_name(best[person.pk], names),
        )
        for person in people
        if person.pk in best
    ]


def _level_name(record: CompetenceRecord, names) -> str:
    if record.level is None:
        return ""
    return names.get((record.competence.scale_id, record.level), str(record.level))


def waiting_count(
    visibility: Visibility,
    competence: Competence,
    level: int | None,
    on: datetime.date,
    unit: OrgUnit | None = None,
) -> int:
    """How many of the people the user may see would hold the competence once a pending
    registration is verified (and do not hold it already)."""
    positions = visibility.employments().active_on(on)
    scoped = positions.filter(unit__path__startswith=unit.path) if unit else positions
    pending = qualifying_records(competence, level, on, RecordStatus.PENDING)
    verified = qualifying_records(competence, level, on)
    return (
        visibility.people()
        .filter(pk__in=scoped.values("person_id"))
        .filter(Exists(pending.filter(person=OuterRef("pk"))))
        .exclude(Exists(verified.filter(person=OuterRef("pk"))))
        .count()
    )


@dataclass(frozen=True)
class UnitCount:
    """A unit's subtree: the people counted there (by their main position) and how many of
    them hold the competence; `shown` is False when the figure is suppressed for the user."""

    unit: OrgUnit
    people: int
    holders: int
    shown: bool


def holder_counts(
    visibility: Visibility,
    unit: OrgUnit,
    competence: Competence,
    level: int | None,
    on: datetime.date,
) -> list[UnitCount]:
    """Per unit of `unit`'s subtree that the user may see figures of, in tree order: its people
    and holders, each unit's figure including the units below it. Two queries."""
    filters = sql.Filters(on=on, window_days=window_days(), paths=(unit.path,))
    s = sql.assessed(filters)
    # `home` is where the engine counts each person: their main position on the date.
    s.add(
        f"""SELECT h.unit_id, COUNT(*), SUM(CASE WHEN EXISTS (
    SELECT 1 FROM {{record}} r JOIN satisfies sat ON sat.source_id = r.competence_id
    WHERE sat.target_id = %s AND r.person_id = h.person_id AND r.status = 'verified'
        AND {sql.valid_on("r")} AND {sql.qualifying("r", "sat", "%s")}
) THEN 1 ELSE 0 END)
FROM home h GROUP BY h.unit_id""",
        competence.pk,
        on,
        on,
        level or 0,
    )
    units = list(OrgUnit.objects.within(unit).order_by("path"))
    people: dict[int, int] = defaultdict(int)
    held: dict[int, int] = defaultdict(int)
    with_ancestors = {u.pk: [*u.ancestor_ids, u.pk] for u in units}
    for unit_id, count, holding in sql.run(s):
        for ancestor_id in with_ancestors[unit_id]:
            people[ancestor_id] += count
            held[ancestor_id] += int(holding or 0)
    return [
        UnitCount(u, people[u.pk], held[u.pk], visibility.may_see_figure(u, people[u.pk]))
        for u in units
        if visibility.detail_for(u) >= Detail.AGGREGATE
    ]


# Unused competence


@dataclass
class Need:
    """Where a competence is short in an organisation: its gaps (applicable requirements not
    met), the units they are in and the staffing targets not reached, with the units named only
    where the user may see that unit's figures."""

    competence: Competence
    gaps: int = 0
    gap_units: list[OrgUnit] = field(default_factory=list)
    hidden_gap_units: int = 0
    targets: list = field(default_factory=list)  # StaffingResult, named
    hidden_targets: int = 0

    @property
    def unit_count(self) -> int:
        return len(self.gap_units) + self.hidden_gap_units

    @property
    def target_count(self) -> int:
        return len(self.targets) + self.hidden_targets

    @property
    def short(self) -> bool:
        return bool(self.gaps or self.target_count)


@dataclass(frozen=True)
class Unused:
    """A verified competence a person holds that none of their own requirements asks for,
    while it is short elsewhere in their organisation."""

    person: Person
    unit: OrgUnit
    job_role: str
    record: CompetenceRecord
    level: str
    need: Need


def _homes(unit: OrgUnit, on: datetime.date) -> dict[int, tuple[int, str]]:
    """Person id -> (unit id, job role name) of the main position, for the people the engine
    counts in `unit`'s subtree."""
    s = sql.assessed(sql.Filters(on=on, window_days=window_days(), paths=(unit.path,)))
    s.add(
        "SELECT h.person_id, h.unit_id, j.name FROM home h "
        f"LEFT JOIN {JobRole._meta.db_table} j ON j.id = h.job_role_id"
    )
    return {person_id: (unit_id, role or "") for person_id, unit_id, role in sql.run(s)}


def needs(
    visibility: Visibility, root: OrgUnit, on: datetime.date, competence_ids
) -> dict[int, Need]:
    """What is short of each competence in the organisation under `root`, with the engine's
    figures. They are computed with the administrator's visibility, since a leader of one unit
    may not see the organisation's figures; only what is safe for this user is kept: the number
    of gaps across the organisation, and unit names only where the user may see that unit's
    figures."""
    coverage = coverage_for(
        root, on=on, options=Options(competences=tuple(competence_ids)), visibility=ADMINISTRATOR
    )
    found = {pk: Need(competence) for pk, competence in coverage.competences.items()}
    children = defaultdict(list)
    for unit in coverage.units.values():
        if unit.parent_id in coverage.units:
            children[unit.parent_id].append(unit)
    for unit in sorted(coverage.units.values(), key=lambda u: u.name):
        for competence in coverage.competences_in(unit):
            subtree = coverage.tally(unit, competence)
            below = [coverage.tally(child, competence) for child in children[unit.pk]]
            applicable = subtree.applicable - sum(t.applicable for t in below)
            # Expiring counts as short: it is met today but runs out within the window.
            gaps = (applicable - subtree[Status.MET]) - sum(
                t.applicable - t[Status.MET] for t in below
            )
            if gaps <= 0:
                continue
            need = found[competence.pk]
            need.gaps += gaps
            if visibility.may_see_figure(unit, applicable):
                need.gap_units.append(unit)
            else:
                need.hidden_gap_units += 1
    for result in staffing_for(root, on=on, visibility=ADMINISTRATOR):
        competence = result.target.competence
        if result.reached or competence.pk not in set(competence_ids):
            continue
        need = found.setdefault(competence.pk, Need(competence))
        if visibility.may_see_figure(result.target.unit, result.people):
            need.targets.append(result)
        else:
            need.hidden_targets += 1
    return found


def unused_competence(
    visibility: Visibility,
    unit: OrgUnit,
    on: datetime.date,
    competence: Competence | None = None,
) -> list[Unused]:
    """The people counted in `unit`'s subtree (the user must see them personally) with a
    verified competence valid on `on` that is not among their own applicable requirements,
    while it is short elsewhere in the organisation the unit belongs to. By name, then
    competence."""
    own = defaultdict(set)
    for assessment in assessments_in(unit, visibility=visibility, on=on):
        own[assessment.person_id].add(assessment.competence.pk)
    homes = _homes(unit, on)
    records = (
        visibility.records()
        .filter(status=RecordStatus.VERIFIED)
        .valid_on(on)
        .filter(
            person__in=Employment.objects.active_on(on)
            .filter(unit__path__startswith=unit.path)
            .values("person_id")
        )
        .select_related("person", "competence")
    )
    if competence is not None:
        records = records.filter(competence=competence)
    best: dict[tuple[int, int], CompetenceRecord] = {}
    for record in records:
        key = (record.person_id, record.competence_id)
        if record.person_id not in homes or record.competence_id in own[record.person_id]:
            continue
        record.implied = False
        if key not in best or _rank(record, record.competence) > _rank(
            best[key], record.competence
        ):
            best[key] = record
    if not best:
        return []
    root_id = unit.ancestor_ids[0] if unit.parent_id else unit.pk
    root = unit if root_id == unit.pk else OrgUnit.objects.get(pk=root_id)
    short = needs(visibility, root, on, {competence_id for _, competence_id in best})
    units = OrgUnit.objects.in_bulk({homes[person_id][0] for person_id, _ in best})
    names = level_names([record.competence for record in best.values()])
    found = []
    for (person_id, competence_id), record in best.items():
        need = short.get(competence_id)
        if need is None or not need.short:
            continue
        unit_id, role = homes[person_id]
        found.append(
            Unused(record.person, units[unit_id], role, record, _level_name(record, names), need)
        )
    found.sort(
        key=lambda u: (
            u.person.family_name,
            u.person.given_name,
            u.person.pk,
            u.record.competence.display_name,
        )
    )
    return found
