"""The annual cycle (årshjul) of a unit: a calendar of the year's recurring activities, its
iCalendar download, and adding, editing and deleting activities.

Whoever may open a unit reads its cycle; the activities are no personal data. Leaders and HR of
the unit (`personal_units()`) edit its own activities; activities inherited from a unit above
are edited there. Everyone else finds nothing at the editing addresses (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from evne.core.visibility import visibility_for
from evne.organization.models import OrgUnit
from evne.plans.cycle import ical, months, responsible_name
from evne.plans.forms.cycle import CycleActivityForm
from evne.plans.models import CycleActivity

FIRST_YEAR, LAST_YEAR = 2000, 2100


def chosen_year(request, today) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= LAST_YEAR else today.year


def default_unit(visibility, units):
    """The unit the user works in, else the first they may see."""
    own = units.filter(pk__in=visibility.own_unit_ids).order_by("path").first()
    return own or units.order_by("path").first()


def cycle_url(unit: OrgUnit, year: int | None = None) -> str:
    query = f"?unit={unit.pk}" + (f"&year={year}" if year else "")
    return reverse("cycle") + query


@require_GET
def cycle(request):
    """The chosen unit's year, month by month, with what comes from the units above."""
    visibility = visibility_for(request.user)
    units = visibility.units()
    today = timezone.localdate()
    year = chosen_year(request, today)
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        unit = get_object_or_404(units, pk=unit_id)
    else:
        unit = default_unit(visibility, units)
    calendar_months = months(unit, year, today) if unit else []
    for month in calendar_months:
        for activity in month.activities:
            activity.responsible_name = responsible_name(activity)
    may_edit = unit is not None and visibility.personal_units().filter(pk=unit.pk).exists()
    return render(
        request,
        "plans/cycle/calendar.html",
        {
            "unit": unit,
            "units": units.order_by("name", "code").only("pk", "name", "code"),
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
            "months": calendar_months,
            "may_edit": may_edit,
            "is_empty": not any(month.activities for month in calendar_months),
        },
    )


@require_GET
def cycle_ics(request, pk, year):
    """The unit's year as an iCalendar file, to open in Outlook or another calendar."""
    unit = get_object_or_404(visibility_for(request.user).units(), pk=pk)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    text = ical(unit, year, months(unit, year, timezone.localdate()), request.get_host())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arshjul-{unit.code}-{year}.ics"'
    return response


def editable_activities(request):
    return CycleActivity.objects.filter(
        unit__in=visibility_for(request.user).personal_units()
    ).select_related("unit", "responsible")


@require_http_methods(["GET", "POST"])
def activity_create(request, pk):
    unit = get_object_or_404(visibility_for(request.user).personal_units(), pk=pk)
    return edit_activity(request, CycleActivity(unit=unit))


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    return edit_activity(request, get_object_or_404(editable_activities(request), pk=pk))


@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = get_object_or_404(editable_activities(request), pk=pk)
    back = cycle_url(activity.unit)
    if request.method == "POST":
        activity.delete()
        messages.success(request, _("The activity was deleted."))
        return redirect(back)
    return render(request, "plans/cycle/delete.html", {"activity": activity, "back": back})


def edit_activity(request, activity: CycleActivity):
    form = CycleActivityForm(
        request.POST if request.method == "POST" else None,
        instance=activity,
        visibility=visibility_for(request.user),
    )
    back = cycle_url(activity.unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The activity was saved."))
        return redirect(back)
    return render(
        request, "plans/cycle/form.html", {"form": form, "activity": activity, "back": back}
    )
