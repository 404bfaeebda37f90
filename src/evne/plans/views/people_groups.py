"""Hand-made groups of people (grupper) that learning plans are assigned to: the night shift,
the new-hire cohort of March. Leaders and HR keep groups of the units they lead or hold HR for,
of the people they manage."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evne.plans.forms.learning_plans import GroupForm, MemberSearchForm
from evne.plans.models import PeopleGroup
from evne.plans.views.learning_plans import managers_only

SEARCH_RESULTS = 20


def kept_groups(visibility):
    return PeopleGroup.objects.filter(unit__in=visibility.personal_units())


@require_http_methods(["GET", "POST"])
def people_groups(request):
    visibility = managers_only(request)
    form = GroupForm(request.POST or None, visibility=visibility)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("The group was made. Add its members."))
        return redirect("people_group", group.pk)
    groups = (
        kept_groups(visibility)
        .select_related("unit")
        .annotate(size=Count("members", distinct=True), plan_count=Count("targets", distinct=True))
        .order_by("name", "pk")
    )
    return render(
        request,
        "plans/learning_plans/groups.html",
        {"groups": groups, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def people_group(request, pk):
    """A group's members; add people found by name or employee number, remove members."""
    visibility = managers_only(request)
    group = get_object_or_404(kept_groups(visibility).select_related("unit"), pk=pk)
    managed = visibility.managed_people()
    if request.method == "POST":
        return _change_members(request, group, managed)
    search = MemberSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        query = search.cleaned_data["q"].strip()
        match = Q(employee_number=query)
        for word in query.split():
            match |= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        found = list(
            managed.filter(match)
            .exclude(people_groups=group)
            .order_by("family_name", "given_name", "pk")[:SEARCH_RESULTS]
        )
    members = group.members.order_by("family_name", "given_name", "pk")
    return render(
        request,
        "plans/learning_plans/group.html",
        {
            "group": group,
            "members": members,
            "search": search,
            "found": found,
            "searched": bool(request.GET.get("q", "").strip()),
            "plans": group.targets.select_related("plan").order_by("plan__title"),
        },
    )


def _change_members(request, group, managed):
    person = managed.filter(pk=request.POST.get("person")).first()
    if person is None:
        messages.error(request, _("Choose one of the people you manage."))
    elif request.POST.get("action") == "remove":
        group.members.remove(person)
        messages.success(
            request,
            _("%(person)s was removed from the group. What they were given stays in their history.")
            % {"person": person.full_name},
        )
    else:
        group.members.add(person)
        messages.success(request, _("%(person)s was added.") % {"person": person.full_name})
    return redirect("people_group", group.pk)


@require_POST
def people_group_delete(request, pk):
    visibility = managers_only(request)
    group = get_object_or_404(kept_groups(visibility), pk=pk)
    if group.targets.exists():
        messages.error(request, _("The group has learning plans assigned to it. End those first."))
        return redirect("people_group", group.pk)
    group.delete()
    messages.success(request, _("The group was deleted."))
    return redirect("people_groups")
