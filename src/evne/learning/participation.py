"""Participation in learning (deltakelse): the share of a unit subtree's employees who took part
in learning during a period, overall and by gender, age, FTE, education and job role.

Participation is skewed: those with the most education, the largest positions and the youngest
take part most (the action plan's "alle skal med"). The breakdowns show where it is skewed.

- *Employees* are the people with a position in the subtree on the period's last day, each
  counted once at their main position, as the gap engine counts them; someone who left before
  the period ended is not counted, and their FTE band is that of all their positions together.
- *Took part* means a completion of any course dated within the period, or a session within the
  period where the person's attendance is marked.
- A breakdown's group of fewer than five people is hidden from everyone, leaders and HR too: the
  page is statistics, and a group that small points at people by their gender, age or
  education. Those who may see the people follow each one in the course reports. Where one
  group alone would be hidden, the next smallest is hidden as well, so that the total does not
  give it away. The overall figure follows the visibility rule of every figure.
"""

# The SQL is assembled from this module's own fragments; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evne.analysis import sql
from evne.analysis.views.matrix import percent
from evne.core.visibility import MIN_GROUP_SIZE, Visibility
from evne.learning.models import Completion, Enrolment, Session
from evne.learning.reports import Period, counted
from evne.organization.models import EducationLevel, Gender, JobRole, OrgUnit, Person

# Age on the period's last day: the lower bound of each band in years, youngest band last so
# that the first bound reached names the band.
AGE_BANDS = ((60, "60_plus"), (50, "50_59"), (40, "40_49"), (30, "30_39"), (0, "under_30"))
AGE_LABELS = {
    "under_30": _("Under 30"),
    "30_39": _("30–39"),
    "40_49": _("40–49"),
    "50_59": _("50–59"),
    "60_plus": _("60 and over"),
    "unknown": _("Birth date not registered"),
}
FTE_LABELS = {
    "under_50": _("Under 50 %"),
    "50_79": _("50–79 %"),
    "80_99": _("80–99 %"),
    "100": _("100 %"),
}
NOT_REGISTERED = _("Not registered")
ALL_EMPLOYEES = _("All employees")

BREAKDOWNS = (
    ("gender", _("By gender")),
    ("age", _("By age")),
    ("fte", _("By FTE")),
    ("education", _("By education")),
    ("job_role", _("By job role")),
)


@dataclass
class Group:
    label: str
    employees: int
    took_part: int
    hidden: bool = False

    @property
    def share(self) -> float | None:
        return self.took_part / self.employees if self.employees else None

    @property
    def percent(self) -> int | None:
        """The share as whole per cent, as every figure of Evne shows it; None when hidden."""
        return None if self.hidden else percent(self.share)


@dataclass
class Breakdown:
    key: str
    title: str
    groups: list[Group]


@dataclass
class Participation:
    unit: OrgUnit
    period: Period
    overall: Group
    breakdowns: list[Breakdown]


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _age_band(period: Period) -> tuple[str, list]:
    """A CASE naming the age band from the birth date: someone whose birthday falls on the
    period's last day has reached that age."""
    cases, params = [], []
    for years, band in AGE_BANDS[:-1]:
        cases.append("WHEN p.birth_date <= %s THEN %s")
        params += [years_before(period.end, years), band]
    text = (
        "CASE WHEN p.birth_date IS NULL THEN 'unknown' " + " ".join(cases) + " ELSE 'under_30' END"
    )
    return text, params


FTE_BAND = (
    "CASE WHEN h.fte_total < 50 THEN 'under_50' WHEN h.fte_total < 80 THEN '50_79' "
    "WHEN h.fte_total < 100 THEN '80_99' ELSE '100' END"
)


def _rows(unit: OrgUnit, period: Period) -> list[tuple]:
    """(job role, gender, age band, FTE band, education, took part, count) for every
    combination that occurs. One query."""
    start, after = period.bounds()
    age, age_params = _age_band(period)
    statement = counted(unit, period.end)
    statement.add(
        f""",
took_part AS (
    SELECT person_id FROM {Completion._meta.db_table}
    WHERE person_id IN (SELECT person_id FROM home) AND completed_on >= %s AND completed_on <= %s
    UNION
    SELECT en.person_id FROM {Enrolment._meta.db_table} en
    JOIN {Session._meta.db_table} se ON se.id = en.session_id
    WHERE en.person_id IN (SELECT person_id FROM home) AND en.attended = %s
        AND se.starts_at >= %s AND se.starts_at < %s
)
SELECT h.job_role_id, COALESCE(p.gender, ''), {age}, {FTE_BAND},
    COALESCE(p.education_level, %s),
    CASE WHEN t.person_id IS NULL THEN 0 ELSE 1 END, COUNT(*)
FROM home h JOIN {Person._meta.db_table} p ON p.id = h.person_id
LEFT JOIN took_part t ON t.person_id = h.person_id
GROUP BY 1, 2, 3, 4, 5, 6""",
        period.start,
        period.end,
        True,
        start,
        after,
        *age_params,
        EducationLevel.UNKNOWN.value,
    )
    return sql.run(statement)


def participation_in(unit: OrgUnit, period: Period, visibility: Visibility) -> Participation:
    """Participation in `unit`'s subtree during `period`, with what `visibility` may not see
    hidden. Two queries: the figures and the job roles' names."""
    rows = _rows(unit, period)
    totals = defaultdict(lambda: [0, 0])  # (breakdown, key) -> [employees, took part]
    overall = [0, 0]
    for job_role_id, gender, age, fte, education, took_part, number in rows:
        keys = {"gender": gender, "age": age, "fte": fte, "education": int(education)}
        keys["job_role"] = job_role_id
        for breakdown, key in keys.items():
            totals[(breakdown, key)][0] += number
            totals[(breakdown, key)][1] += number if took_part else 0
        overall[0] += number
        overall[1] += number if took_part else 0

    shown = overall[0] == 0 or visibility.may_see_figure(unit, overall[0])
    role_names = dict(
        JobRole.objects.filter(
            pk__in={key for (name, key) in totals if name == "job_role"}
        ).values_list("pk", "name")
    )
    labels = {
        "gender": lambda key: Gender(key).label if key else NOT_REGISTERED,
        "age": AGE_LABELS.__getitem__,
        "fte": FTE_LABELS.__getitem__,
        "education": lambda key: EducationLevel(key).label,
        "job_role": role_names.__getitem__,
    }
    orders = {
        "gender": [*Gender.values, ""],
        "age": [band for _years, band in reversed(AGE_BANDS)] + ["unknown"],
        "fte": list(FTE_LABELS),
        "education": EducationLevel.values,
    }
    breakdowns = []
    for name, title in BREAKDOWNS:
        keys = [key for (breakdown, key) in totals if breakdown == name]
        if name in orders:
            keys.sort(key=orders[name].index)
        else:
            keys.sort(key=lambda key: role_names[key])
        groups = [
            Group(str(labels[name](key)), *totals[(name, key)], hidden=not shown) for key in keys
        ]
        if shown:
            _suppress(groups)
        breakdowns.append(Breakdown(name, str(title), groups))
    return Participation(
        unit, period, Group(str(ALL_EMPLOYEES), overall[0], overall[1], not shown), breakdowns
    )


def _suppress(groups: list[Group]) -> None:
    """Hide the groups under the threshold, and the smallest other one when a single group
    would be hidden (the total minus the rest would show it)."""
    for group in groups:
        group.hidden = group.employees < MIN_GROUP_SIZE
    hidden = [group for group in groups if group.hidden]
    if len(hidden) == 1:
        rest = [group for group in groups if not group.hidden]
        if rest:
            min(rest, key=lambda group: group.employees).hidden = True
