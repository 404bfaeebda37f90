"""A goal's live progress (måloppnåelse): where the plan's unit and everything below it stands
today against the goal's target, from the gap engine's own SQL.

- coverage (%): of the people the goal's competence is required of, the share who have it —
  as the engine counts it (met + expiring, at the required level), or, when the goal names a
  level, the share who hold it at that level or above;
- qualified people / FTE: the people counted in the subtree (each once, at their main
  position) who hold the competence on the date (verified, valid, implied competences
  included), at the goal's level if it has one, and their FTE.

One statement answers every goal of a plan at once, whatever their number. Figures over fewer
than five people are hidden from users who may not see the people (`may_see_figure`).
"""

# The SQL is the engine's fragments and placeholders; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from evne.analysis import sql
from evne.analysis.engine import Options
from evne.core.visibility import Visibility
from evne.plans.models import CompetencePlan, Goal, TargetKind


@dataclass(frozen=True)
class GoalProgress:
    """Where a goal stands on a date. `now` is a percentage for coverage goals, a count of
    people or FTE otherwise; None when nothing can be said (no competence, nobody it applies
    to) or when the figure is hidden (`suppressed`)."""

    goal: Goal
    now: Decimal | None
    group: int
    suppressed: bool

    @property
    def target(self) -> Decimal | None:
        return self.goal.target_value

    @property
    def share(self) -> int | None:
        """How far towards the target, 0..100, for the bar."""
        if self.now is None or not self.target:
            return None
        return min(int(self.now * 100 / self.target), 100)

    @property
    def reached(self) -> bool:
        return self.now is not None and self.target is not None and self.now >= self.target

    @property
    def is_percentage(self) -> bool:
        return self.goal.target_kind == TargetKind.COVERAGE


def progress_for(
    plan: CompetencePlan,
    goals: list[Goal],
    visibility: Visibility,
    on: datetime.date | None = None,
) -> dict[int, GoalProgress]:
    """Progress of `goals` (the plan's) in the plan's unit subtree on `on` (today)."""
    on = on or timezone.localdate()
    measured = [goal for goal in goals if goal.competence_id]
    figures, headcount = _figures(plan, measured, on) if measured else ({}, 0)
    found = {}
    for goal in goals:
        key = (goal.competence_id, goal.level or 0)
        applicable, covered, held, held_fte = figures.get(key, (0, 0, 0, 0.0))
        if goal.competence_id is None:
            now, group = None, 0
        elif goal.target_kind == TargetKind.COVERAGE:
            group = applicable
            now = _round(Decimal(covered * 100) / applicable) if applicable else None
        elif goal.target_kind == TargetKind.FTE:
            now, group = _round(Decimal(str(held_fte)) / 100), headcount
        else:
            now, group = Decimal(held), headcount
        hidden = now is not None and not visibility.may_see_figure(plan.unit, group)
        found[goal.pk] = GoalProgress(goal, None if hidden else now, group, hidden)
    return found


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def _figures(plan, goals, on) -> tuple[dict[tuple[int, int], tuple[int, int, int, float]], int]:
    """Per (competence, level): the people it applies to, of those how many are covered, the
    people who hold it and their FTE (as a percentage sum); and the subtree's headcount."""
    wanted = sorted({(goal.competence_id, goal.level or 0) for goal in goals})
    options = Options(competences=tuple(sorted({pk for pk, _level in wanted})))
    statement = sql.assessed(options.filters(on, paths=(plan.unit.path,)))
    values = ", ".join("(%s, %s)" for _ in wanted)
    statement.add(
        f""",
wanted (competence_id, level) AS (VALUES {values}),
held AS (
    SELECT DISTINCT w.competence_id, w.level, h.person_id, h.fte_total
    FROM wanted w
    JOIN satisfies sat ON sat.target_id = w.competence_id
    JOIN {{record}} r ON r.competence_id = sat.source_id
    JOIN home h ON h.person_id = r.person_id
    WHERE r.status = 'verified' AND {sql.valid_on("r")}
        AND {sql.qualifying("r", "sat", "w.level")}
)
SELECT w.competence_id, w.level, COUNT(a.person_id),
    SUM(CASE WHEN (w.level = 0 AND a.status IN ('met', 'expiring'))
        OR (w.level > 0 AND h.person_id IS NOT NULL) THEN 1 ELSE 0 END),
    0, 0
FROM wanted w
JOIN assessed a ON a.competence_id = w.competence_id
LEFT JOIN held h ON h.competence_id = w.competence_id AND h.level = w.level
    AND h.person_id = a.person_id
GROUP BY w.competence_id, w.level
UNION ALL
SELECT competence_id, level, 0, 0, COUNT(*), CAST(SUM(fte_total) AS DOUBLE PRECISION)
FROM held GROUP BY competence_id, level
UNION ALL
SELECT NULL, NULL, 0, 0, COUNT(*), CAST(SUM(fte_total) AS DOUBLE PRECISION) FROM home""",
        *[value for pair in wanted for value in pair],
        on,
        on,
    )
    figures: dict[tuple[int, int], list] = {}
    headcount = 0
    for competence_id, level, applicable, covered, held, fte in sql.run(statement):
        if competence_id is None:
            headcount = held
            continue
        row = figures.setdefault((competence_id, level), [0, 0, 0, 0.0])
        row[0] += applicable
        row[1] += covered or 0
        row[2] += held
        row[3] += float(fte or 0)
    return {key: tuple(row) for key, row in figures.items()}, headcount
