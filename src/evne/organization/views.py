from auditlog.signals import accessed
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from evne.core.visibility import Detail, visibility_for
from evne.organization.models import Person
from evne.organization.queries import build_tree, staff_figures

PEOPLE_PER_PAGE = 50


def unit_tree(request):
    """The organisation tree as far as the user may see it, or the units matching a search."""
    visibility = visibility_for(request.user)
    units = list(visibility.units().select_related("level").order_by("name"))
    query = request.GET.get("q", "").strip()
    context = {"query": query}
    if query:
        # Matched in Python: SQLite's LIKE folds only ASCII case, and names have æ, ø and å.
        needle = query.casefold()
        by_id = {unit.pk: unit for unit in units}
        context["matches"] = [
            (unit, [by_id[pk] for pk in unit.ancestor_ids if pk in by_id])
            for unit in units
            if needle in unit.name.casefold() or needle in unit.code.casefold()
        ]
    else:
        context["tree"] = build_tree(units)
    return render(request, "organization/unit_tree.html", context)


def unit_detail(request, pk):
    visibility = visibility_for(request.user)
    visible_units = visibility.units()
    unit = get_object_or_404(visible_units.select_related("level"), pk=pk)
    detail = visibility.detail_for(unit)
    today = timezone.localdate()

    ancestors = {u.pk: u for u in visible_units.filter(pk__in=unit.ancestor_ids)}
    children = list(visible_units.filter(parent=unit).order_by("name"))
    figures = staff_figures([unit, *children], on=today)
    leaders = list(unit.leaders.all())
    visible_leader_ids = set(
        visibility.people()
        .filter(pk__in=[leader.pk for leader in leaders])
        .values_list("pk", flat=True)
    )

    context = {
        "unit": unit,
        "shows_people": detail == Detail.PERSONAL,
        "breadcrumbs": [ancestors[pk] for pk in unit.ancestor_ids if pk in ancestors],
        "leaders": [(leader, leader.pk in visible_leader_ids) for leader in leaders],
        "figures": figures[unit.pk],
        "figures_visible": visibility.may_see_figure(unit, figures[unit.pk].headcount),
        "children": [
            (
                child,
                figures[child.pk],
                visibility.may_see_figure(child, figures[child.pk].headcount),
            )
            for child in children
        ],
    }
    if context["shows_people"]:
        # The whole subtree: a nursing home's staff sit in its departments, and its leader
        # wants to see them all at once.
        employments = (
            visibility.employments()
            .active_on(today)
            .filter(unit__path__startswith=unit.path)
            .select_related("person", "job_role", "unit")
            .order_by("person__family_name", "person__given_name", "pk")
        )
        context["page"] = Paginator(employments, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organization/unit_detail.html", context)


def person_detail(request, pk):
    visibility = visibility_for(request.user)
    person = get_object_or_404(visibility.people(), pk=pk)
    if person.pk != visibility.person_id:
        accessed.send(sender=Person, instance=person)
    employments = (
        visibility.employments()
        .filter(person=person)
        .select_related("unit", "job_role")
        .order_by("-is_primary", "-start_date")
    )
    return render(
        request,
        "organization/person_detail.html",
        {"person": person, "employments": employments, "today": timezone.localdate()},
    )
