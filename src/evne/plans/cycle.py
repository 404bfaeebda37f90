"""The annual cycle (årshjul) of a unit as a calendar: its own activities and those of the units
above it, on their dates in a given year, and the same year as iCalendar for Outlook."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from evne.organization.models import OrgUnit
from evne.plans.models import CycleActivity


def occurrence(activity: CycleActivity, year: int) -> datetime.date:
    """The activity's date in `year`: its day, or the 1st when only the month is set; 29
    February falls on the 28th in other years."""
    last = calendar.monthrange(year, activity.month)[1]
    return datetime.date(year, activity.month, min(activity.day or 1, last))


def next_occurrence(activity: CycleActivity, today: datetime.date) -> datetime.date:
    """The activity's first date on or after `today`."""
    this_year = occurrence(activity, today.year)
    return this_year if this_year >= today else occurrence(activity, today.year + 1)


def activities_for(unit: OrgUnit) -> QuerySet[CycleActivity]:
    """The unit's activities and those of every unit above it."""
    return CycleActivity.objects.filter(unit_id__in=[*unit.ancestor_ids, unit.pk]).select_related(
        "unit", "responsible__person"
    )


@dataclass
class Month:
    number: int
    first: datetime.date
    is_current: bool
    activities: list[CycleActivity] = field(default_factory=list)


def months(unit: OrgUnit, year: int, today: datetime.date) -> list[Month]:
    """The twelve months of `year` with their activities in date order; each activity carries
    `starts`, `ends` and `inherited` (it belongs to a unit above)."""
    calendar_months = [
        Month(
            number,
            datetime.date(year, number, 1),
            (year, number) == (today.year, today.month),
        )
        for number in range(1, 13)
    ]
    for activity in activities_for(unit):
        activity.starts = occurrence(activity, year)
        activity.ends = activity.starts + datetime.timedelta(days=activity.duration_days - 1)
        activity.inherited = activity.unit_id != unit.pk
        calendar_months[activity.month - 1].activities.append(activity)
    for month in calendar_months:
        month.activities.sort(key=lambda a: (a.day is None, a.starts, len(a.unit.path), a.pk))
    return calendar_months


def responsible_name(activity: CycleActivity) -> str:
    user = activity.responsible
    if user is None:
        return ""
    if user.person_id:
        return user.person.full_name
    return user.get_full_name() or user.username


# iCalendar (RFC 5545)


def ics_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ical(unit: OrgUnit, year: int, calendar_months: list[Month], host: str) -> str:
    """The year's activities as all-day events; their ids stay the same between downloads, so
    a new download updates the events instead of adding them twice."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Evne//Annual cycle//NB",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text(f'{unit.name} {year}')}",
    ]
    for month in calendar_months:
        for activity in month.activities:
            end = activity.ends + datetime.timedelta(days=1)
            lines += [
                "BEGIN:VEVENT",
                f"UID:cycle-{activity.pk}-{year}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{activity.starts:%Y%m%d}",
                f"DTEND;VALUE=DATE:{end:%Y%m%d}",
                f"SUMMARY:{ics_text(activity.title)}",
                f"CATEGORIES:{ics_text(str(activity.get_kind_display()))}",
            ]
            if activity.description:
                lines.append(f"DESCRIPTION:{ics_text(activity.description)}")
            lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
