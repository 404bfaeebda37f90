"""The gap engine's SQL: one statement computes every applicable requirement's status for a set
of people, the same text on SQLite and PostgreSQL.

It runs in the database because it must stay a fixed number of queries whatever the size of the
municipality (DESIGN.md, "The gap engine"): half a million people's requirements are joined,
grouped and counted where the data is, and only the answer travels. The common table expressions
read from the top down:

- `satisfies`: which competence counts as which (itself, and everything it implies, transitively);
- `staff`: the active positions on the reference date of the people in scope;
- `home`: each person's main position, where they are counted (so a subtree's figures are the sum
  of its parts), their total FTE and their first start date;
- `chain`, `lineage`, `holders`, `applies`, `need`: every requirement that reaches a position
  (its job role; its unit and the units above, found through a fixed chain of parent joins,
  which stays linear in the number of units; its role within those units), then the strictest
  per person and competence, as one number: level × 2, plus 1 when mandatory (the highest level
  wins, and on the same level mandatory beats desired);
- `evidence`: what the person's records say about each need on the date;
- `assessed`: the one status of each need.
"""

# The SQL is assembled from this module's own fragments; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection

from evne.competence.models import Competence, CompetenceRecord, Requirement, StaffingTarget
from evne.organization.models import Employment, OrgUnit

# A record of a competence that implies the needed one, and has no level of its own (a degree),
# meets the need at any level.
ANY_LEVEL = 32767


def _tables() -> dict[str, str]:
    return {
        "competence": Competence._meta.db_table,
        "implies": Competence.implies.through._meta.db_table,
        "employment": Employment._meta.db_table,
        "unit": OrgUnit._meta.db_table,
        "requirement": Requirement._meta.db_table,
        "record": CompetenceRecord._meta.db_table,
        "target": StaffingTarget._meta.db_table,
    }


@dataclass
class Statement:
    """SQL text with its positional parameters, built in order."""

    parts: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, text: str, *params) -> None:
        self.parts.append(text)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return "\n".join(self.parts).format(**_tables())


def run(statement: Statement) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Filters:
    """Who and what is counted: the people in the subtrees of `paths` (or one person), on a
    date, with an expiry window; optionally only people whose main position is in a job role,
    only competences of some kinds or some competences, only mandatory requirements."""

    on: datetime.date
    window_days: int
    paths: tuple[str, ...] = ()
    person_id: int | None = None
    job_role_id: int | None = None
    kinds: tuple[str, ...] = ()
    competence_ids: tuple[int, ...] = ()
    mandatory_only: bool = False

    @property
    def horizon(self) -> datetime.date:
        try:
            return self.on + datetime.timedelta(days=self.window_days)
        except OverflowError:  # a reference date near the end of the calendar
            return datetime.date.max


def _active(alias: str) -> str:
    return f"{alias}.start_date <= %s AND ({alias}.end_date IS NULL OR {alias}.end_date >= %s)"


def _within(alias: str, paths: tuple[str, ...]) -> str:
    return "(" + " OR ".join(f"{alias}.path LIKE %s" for _ in paths) + ")"


def _like(paths: tuple[str, ...]) -> list[str]:
    # Paths hold digits and slashes only, so they need no escaping in LIKE.
    return [f"{path}%" for path in paths]


def _lineage(units: str) -> str:
    """`lineage (unit_id, ancestor_id)`: each of `units` (a SELECT of unit ids) with itself and
    every unit above it, through a chain of parent joins as long as the deepest path.

    A fixed chain rather than a recursive walk: the database then knows how many rows each step
    gives and plans the joins after it well, where its guess for a recursive expression is off by
    orders of magnitude. The chain's length costs one small query on the unit table.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(LENGTH(path) - LENGTH(REPLACE(path, '/', ''))) - 1 FROM "
            + OrgUnit._meta.db_table
        )
        depth = max(cursor.fetchone()[0] or 1, 1)
    joins = "".join(
        f" LEFT JOIN {{unit}} u{step} ON u{step}.id = u{step - 1}.parent_id"
        for step in range(1, depth - 1)
    )
    columns = "".join(f", u{step}.parent_id AS above{step + 1}" for step in range(depth - 1))
    arms = "".join(
        f"\n    UNION ALL SELECT unit_id, above{step} FROM chain WHERE above{step} IS NOT NULL"
        for step in range(1, depth)
    )
    return f"""chain AS (
    SELECT u0.id AS unit_id{columns}
    FROM {{unit}} u0{joins}
    WHERE u0.id IN ({units})
),
lineage (unit_id, ancestor_id) AS (
    SELECT unit_id, unit_id FROM chain{arms}
)"""


SATISFIES = """satisfies (source_id, target_id) AS (
    SELECT id, id FROM {competence}
    UNION
    SELECT implies.from_competence_id, satisfies.target_id
    FROM satisfies JOIN {implies} implies ON implies.to_competence_id = satisfies.source_id
)"""


def qualifying(record: str, link: str, level: str) -> str:
    """A condition: the record is at or above `level` for the competence it is linked to."""
    return (
        f"(CASE WHEN {record}.level IS NULL AND {link}.source_id <> {link}.target_id "
        f"THEN {ANY_LEVEL} ELSE COALESCE({record}.level, 0) END) >= {level}"
    )


def valid_on(record: str) -> str:
    return (
        f"{record}.obtained_on <= %s AND ({record}.expires_on IS NULL OR {record}.expires_on >= %s)"
    )


def counted(filters: Filters) -> Statement:
    """The common table expressions up to `home`: the people in scope on the date, each once at
    their main position (`home`: person_id, unit_id, job_role_id, fte_total, hired_on). Other
    figures than coverage (the learning reports) count people the same way from here; the caller
    adds its own expressions after a comma, and the final SELECT."""
    f, on = filters, filters.on
    s = Statement()
    s.add("WITH RECURSIVE " + SATISFIES + ",")
    if f.person_id is not None:
        s.add("scoped (person_id) AS (SELECT %s),", f.person_id)
    else:
        s.add(
            f"""scoped (person_id) AS (
    SELECT DISTINCT e.person_id FROM {{employment}} e JOIN {{unit}} u ON u.id = e.unit_id
    WHERE {_active("e")} AND {_within("u", f.paths)}
),""",
            on,
            on,
            *_like(f.paths),
        )
    s.add(
        f"""staff AS (
    SELECT e.id, e.person_id, e.unit_id, e.job_role_id, e.fte, e.start_date, e.is_primary
    FROM {{employment}} e
    WHERE e.person_id IN (SELECT person_id FROM scoped) AND {_active("e")}
),""",
        on,
        on,
    )
    home_filters, home_params = [], []
    if f.person_id is None:
        home_filters.append(_within("hu", f.paths))
        home_params += _like(f.paths)
    if f.job_role_id is not None:
        home_filters.append("ranked.job_role_id = %s")
        home_params.append(f.job_role_id)
    s.add(
        f"""home AS (
    SELECT ranked.person_id, ranked.unit_id, ranked.job_role_id, ranked.fte_total, ranked.hired_on
    FROM (
        SELECT person_id, unit_id, job_role_id,
            SUM(fte) OVER (PARTITION BY person_id) AS fte_total,
            MIN(start_date) OVER (PARTITION BY person_id) AS hired_on,
            ROW_NUMBER() OVER (
                PARTITION BY person_id ORDER BY is_primary DESC, fte DESC, start_date, id
            ) AS position_rank
        FROM staff
    ) ranked JOIN {{unit}} hu ON hu.id = ranked.unit_id
    WHERE ranked.position_rank = 1 {"".join(" AND " + one for one in home_filters)}
)""",
        *home_params,
    )
    return s


def assessed(filters: Filters) -> Statement:
    """The common table expressions up to `assessed` (one row per person and applicable
    requirement, with its status); the caller adds the final SELECT."""
    f, on = filters, filters.on
    s = counted(filters)
    s.add(",")
    s.add(_lineage("SELECT unit_id FROM staff") + ",")
    s.add(
        """holders (unit_id, holder_id) AS (
    SELECT unit_id, ancestor_id FROM lineage
    WHERE ancestor_id IN (SELECT unit_id FROM {requirement} WHERE unit_id IS NOT NULL)
),
placed AS (
    SELECT s.person_id, s.unit_id, s.job_role_id, h.unit_id AS home_id, h.fte_total, h.hired_on
    FROM staff s JOIN home h ON h.person_id = s.person_id
),
applies AS (
    SELECT p.person_id, p.home_id, p.fte_total, p.hired_on,
        r.competence_id, r.kind, r.level, r.grace_days
    FROM placed p JOIN {requirement} r ON r.unit_id IS NULL AND r.job_role_id = p.job_role_id
    UNION ALL
    SELECT p.person_id, p.home_id, p.fte_total, p.hired_on,
        r.competence_id, r.kind, r.level, r.grace_days
    FROM placed p JOIN holders h ON h.unit_id = p.unit_id
    JOIN {requirement} r ON r.unit_id = h.holder_id
        AND (r.job_role_id IS NULL OR r.job_role_id = p.job_role_id)
),"""
    )
    need_filters, need_params = [], []
    if f.kinds:
        need_filters.append(
            "a.competence_id IN (SELECT id FROM {competence} WHERE kind IN ("
            + ", ".join("%s" for _ in f.kinds)
            + "))"
        )
        need_params += f.kinds
    if f.competence_ids:
        placeholders = ", ".join("%s" for _ in f.competence_ids)
        need_filters.append(f"a.competence_id IN ({placeholders})")
        need_params += f.competence_ids
    s.add(
        f"""need AS (
    SELECT a.person_id, a.competence_id,
        MAX(a.home_id) AS home_id, MAX(a.fte_total) AS fte_total, MAX(a.hired_on) AS hired_on,
        MAX(COALESCE(a.level, 0) * 2 + CASE WHEN a.kind = 'mandatory' THEN 1 ELSE 0 END)
            AS strictness,
        MIN(COALESCE(a.grace_days, 0)) AS grace_days
    FROM applies a
    {"WHERE " + " AND ".join(need_filters) if need_filters else ""}
    GROUP BY a.person_id, a.competence_id
),""",
        *need_params,
    )
    at_level = qualifying("r", "sat", "n.strictness / 2")
    s.add(
        f"""evidence AS (
    SELECT n.person_id, n.competence_id, MAX(n.home_id) AS home_id,
        MAX(n.fte_total) AS fte_total, MAX(n.hired_on) AS hired_on,
        MAX(n.strictness) AS strictness, MAX(n.grace_days) AS grace_days,
        MAX(CASE WHEN r.status = 'verified' AND {valid_on("r")} AND {at_level}
            THEN CASE WHEN r.expires_on IS NULL OR r.expires_on > %s THEN 2 ELSE 1 END
            ELSE 0 END) AS valid,
        MAX(CASE WHEN r.status = 'verified' AND {valid_on("r")} AND {at_level}
            THEN r.expires_on END) AS valid_until,
        MAX(CASE WHEN r.status = 'pending' AND {valid_on("r")} AND {at_level}
            THEN 1 ELSE 0 END) AS pending,
        MAX(CASE WHEN r.status = 'verified' AND {valid_on("r")} AND NOT ({at_level})
            THEN 1 ELSE 0 END) AS below,
        MAX(CASE WHEN r.status = 'verified' AND r.expires_on < %s
            THEN r.expires_on END) AS expired_on
    FROM need n
    JOIN satisfies sat ON sat.target_id = n.competence_id
    LEFT JOIN {{record}} r ON r.person_id = n.person_id AND r.competence_id = sat.source_id
    GROUP BY n.person_id, n.competence_id
),""",
        on,
        on,
        f.horizon,
        on,
        on,
        on,
        on,
        on,
        on,
        on,
    )
    mandatory = "AND e.strictness %% 2 = 1" if f.mandatory_only else ""
    s.add(
        f"""assessed AS (
    SELECT e.person_id, e.home_id, e.fte_total, e.hired_on, e.competence_id,
        e.strictness / 2 AS level, e.strictness %% 2 AS mandatory, e.grace_days,
        e.valid_until, e.expired_on,
        CASE WHEN e.valid = 2 THEN 'met'
            WHEN e.valid = 1 THEN 'expiring'
            WHEN e.pending = 1 THEN 'pending'
            WHEN e.below = 1 THEN 'below_level'
            WHEN e.expired_on IS NOT NULL THEN 'expired'
            ELSE 'missing' END AS status
    FROM evidence e WHERE 1 = 1 {mandatory}
)"""
    )
    return s


def assessments(filters: Filters) -> Statement:
    """One row per person and applicable requirement, with where the person is counted."""
    s = assessed(filters)
    s.add(
        """SELECT person_id, home_id, competence_id, level, mandatory, status,
    valid_until, expired_on, grace_days, hired_on, CAST(fte_total AS DOUBLE PRECISION)
FROM assessed"""
    )
    return s


def tallies(filters: Filters) -> Statement:
    """Counts and FTE per unit (where people are counted), competence, kind and status; then,
    per unit, rows without a competence or status with the number of people behind those
    counts: with any requirement (kind NULL), with a mandatory one (1), with a desired one (0).
    They are the size of the group a total is computed from."""
    s = assessed(filters)
    s.add(
        """,
behind AS (
    SELECT home_id, MAX(mandatory) AS has_mandatory, 1 - MIN(mandatory) AS has_desired
    FROM assessed GROUP BY person_id, home_id
)
SELECT home_id, competence_id, mandatory, status, COUNT(*),
    CAST(SUM(fte_total) AS DOUBLE PRECISION)
FROM assessed
GROUP BY home_id, competence_id, mandatory, status
UNION ALL
SELECT home_id, NULL, NULL, NULL, COUNT(*), 0 FROM behind GROUP BY home_id
UNION ALL
SELECT home_id, NULL, 1, NULL, SUM(has_mandatory), 0 FROM behind GROUP BY home_id
UNION ALL
SELECT home_id, NULL, 0, NULL, SUM(has_desired), 0 FROM behind GROUP BY home_id"""
    )
    return s


def headcounts(filters: Filters) -> Statement:
    """People and FTE per unit where they are counted, whatever their requirements."""
    s = assessed(filters)
    s.add(
        "SELECT unit_id, COUNT(*), CAST(SUM(fte_total) AS DOUBLE PRECISION) FROM home "
        "GROUP BY unit_id"
    )
    return s


def staffing(on: datetime.date, paths: tuple[str, ...]) -> Statement:
    """Per staffing target of a unit within `paths`: the people with a position in the target's
    unit or below who hold the competence at the level on the date, and the FTE of those
    positions. Units below a target are found by walking up from the positions' units, and the
    records are joined, not looked up per position, so both databases plan it well."""
    s = Statement()
    s.add("WITH RECURSIVE " + SATISFIES + ",")
    s.add(
        f"""placed AS (
    SELECT e.person_id, e.unit_id, e.fte
    FROM {{employment}} e JOIN {{unit}} u ON u.id = e.unit_id
    WHERE {_active("e")} AND {_within("u", paths)}
),
{_lineage("SELECT unit_id FROM placed")},
positions AS (
    SELECT t.id AS target_id, t.competence_id, COALESCE(t.level, 0) AS level,
        p.person_id, p.fte
    FROM {{target}} t JOIN {{unit}} tu ON tu.id = t.unit_id
    JOIN lineage l ON l.ancestor_id = t.unit_id
    JOIN placed p ON p.unit_id = l.unit_id
    WHERE {_within("tu", paths)}
),
qualified AS (
    SELECT DISTINCT p.target_id, p.person_id
    FROM positions p
    JOIN satisfies sat ON sat.target_id = p.competence_id
    JOIN {{record}} r ON r.person_id = p.person_id AND r.competence_id = sat.source_id
    WHERE r.status = 'verified' AND {valid_on("r")}
        AND {qualifying("r", "sat", "p.level")}
)
SELECT p.target_id, COUNT(DISTINCT p.person_id), SUM(p.fte)
FROM positions p
JOIN qualified q ON q.target_id = p.target_id AND q.person_id = p.person_id
GROUP BY p.target_id""",
        on,
        on,
        *_like(paths),
        *_like(paths),
        on,
        on,
    )
    return s
