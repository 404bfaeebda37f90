"""The catalog pages: browse, search and filter, a competence, and HR editing.

The catalog holds no personal data, so every signed-in user may read it. Editing is for those
`visibility.may_edit_catalog` allows (HR and administrators); everyone else finds nothing at
the editing addresses (404) and sees no editing buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from evne.competence.forms.catalog import (
    AreaForm,
    CompetenceForm,
    LevelFormSet,
    ScaleForm,
    descendants,
    levels_in_use,
)
from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceKind,
    CompetenceRecord,
    ProficiencyScale,
    Requirement,
    StaffingTarget,
)
from evne.core.visibility import visibility_for

COMPETENCES_PER_PAGE = 50


@dataclass
class AreaNode:
    """An area of the tree with the number of competences in it and below it."""

    area: CompetenceArea
    count: int = 0
    children: list[AreaNode] = field(default_factory=list)
    open: bool = False  # the chosen area or one above it


def area_tree(areas, counts: dict[int | None, int], chosen_id: int | None = None):
    """The areas as a tree sorted by name in the active language, each counting its own
    competences and those of its sub-areas."""
    nodes = {area.pk: AreaNode(area, counts.get(area.pk, 0)) for area in areas}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.area.parent_id)
        (parent.children if parent else roots).append(node)

    def finish(node, seen):
        node.children.sort(key=lambda child: child.area.display_name.casefold())
        for child in node.children:
            if child.area.pk not in seen:
                finish(child, seen | {child.area.pk})
                node.count += child.count
                node.open = node.open or child.open
        node.open = node.open or node.area.pk == chosen_id

    roots.sort(key=lambda node: node.area.display_name.casefold())
    for root in roots:
        finish(root, {root.area.pk})
    return roots


def area_path(area: CompetenceArea | None, by_pk: dict[int, CompetenceArea]) -> list:
    """The area with the areas above it, from the top."""
    path = []
    while area is not None and area not in path:
        path.append(area)
        area = by_pk.get(area.parent_id)
    return list(reversed(path))


def in_display_order(competences):
    """By name in the active language: English names where they are given."""
    if (get_language() or "").startswith("en"):
        return competences.order_by(Coalesce(NullIf("name_en", Value("")), "name"), "code")
    return competences.order_by("name", "code")


def editors_only(request):
    visibility = visibility_for(request.user)
    if not visibility.may_edit_catalog:
        raise Http404
    return visibility


# Reading


@require_GET
def catalog(request):
    """The catalog: browse by area, search, filter by kind, and show what is no longer in use."""
    visibility = visibility_for(request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in CompetenceKind.values:
        kind = ""
    show_inactive = request.GET.get("inactive") == "1"
    areas = list(CompetenceArea.objects.all())
    by_pk = {area.pk: area for area in areas}
    chosen = by_pk.get(_number(request.GET.get("area")))

    competences = Competence.objects.all()
    if not show_inactive:
        competences = competences.filter(is_active=True)
    if kind:
        competences = competences.filter(kind=kind)
    if query:
        competences = competences.filter(pk__in=_matching(competences, query))
    counts = dict(
        competences.order_by()
        .values_list("area_id")
        .annotate(number=Count("pk"))
        .values_list("area_id", "number")
    )
    if chosen is not None:
        competences = competences.filter(area_id__in=descendants(chosen.pk, areas))
    page = Paginator(
        in_display_order(competences.select_related("area", "scale")), COMPETENCES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "competence/catalog.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": CompetenceKind.choices,
            "show_inactive": show_inactive,
            "chosen": chosen,
            "chosen_path": area_path(chosen, by_pk),
            "tree": area_tree(areas, counts, chosen.pk if chosen else None),
            "without_area": counts.get(None, 0),
            "filtered": bool(query or kind or chosen),
            "may_edit": visibility.may_edit_catalog,
        },
    )


def _number(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _matching(competences, query: str) -> list[int]:
    """Keys of the competences whose code, names or description hold the query.

    Matched in Python: SQLite's LIKE folds only ASCII case, and names have æ, ø and å; the
    catalog is small enough to read its text at once.
    """
    needle = query.casefold()
    rows = competences.values_list("pk", "code", "name", "name_en", "description")
    return [pk for pk, *texts in rows if any(needle in text.casefold() for text in texts)]


@require_GET
def competence_detail(request, pk):
    """Everything about a competence: its scale's levels, what it implies and is implied by,
    and the requirements that ask for it (no personal data)."""
    visibility = visibility_for(request.user)
    competence = get_object_or_404(Competence.objects.select_related("scale"), pk=pk)
    by_pk = CompetenceArea.objects.in_bulk()
    levels = list(competence.scale.levels.all()) if competence.scale else []
    level_names = {level.value: level for level in levels}
    requirements = list(
        Requirement.objects.filter(competence=competence)
        .select_related("job_role", "unit")
        .order_by("kind", "job_role__name", "unit__name", "pk")
    )
    unit_ids = {requirement.unit_id for requirement in requirements if requirement.unit_id}
    visible_unit_ids = (
        set(visibility.units().filter(pk__in=unit_ids).values_list("pk", flat=True))
        if unit_ids
        else set()
    )
    return render(
        request,
        "competence/competence_detail.html",
        {
            "competence": competence,
            "area_path": area_path(by_pk.get(competence.area_id), by_pk),
            "levels": levels,
            "implies": list(in_display_order(competence.implies.all())),
            "implied_by": list(in_display_order(competence.implied_by.all())),
            "requirements": [
                (
                    requirement,
                    level_names.get(requirement.level),
                    requirement.unit_id in visible_unit_ids,
                )
                for requirement in requirements
            ],
            "may_edit": visibility.may_edit_catalog,
        },
    )


# Editing (HR)


@require_http_methods(["GET", "POST"])
def competence_create(request):
    editors_only(request)
    return _competence_form(request, Competence(), _("The competence was added."))


@require_http_methods(["GET", "POST"])
def competence_edit(request, pk):
    editors_only(request)
    competence = get_object_or_404(Competence, pk=pk)
    return _competence_form(request, competence, _("The competence was saved."))


def _competence_form(request, competence, done):
    form = CompetenceForm(request.POST or None, instance=competence)
    if request.method == "POST" and form.is_valid():
        competence = form.save()
        messages.success(request, done)
        return redirect("competence", competence.pk)
    return render(
        request,
        "competence/competence_form.html",
        {
            "form": form,
            "competence": competence,
            "deletable": competence.pk is not None and not in_use(competence),
        },
    )


def in_use(competence: Competence) -> bool:
    """Whether records, requirements or staffing targets name the competence."""
    return any(
        model.objects.filter(competence=competence).exists()
        for model in (CompetenceRecord, Requirement, StaffingTarget)
    )


@require_http_methods(["GET", "POST"])
def competence_delete(request, pk):
    """Delete a competence nobody has or needs; one in use is marked as not in use instead."""
    editors_only(request)
    competence = get_object_or_404(Competence, pk=pk)
    if in_use(competence):
        raise Http404
    if request.method == "POST":
        name = competence.display_name
        competence.delete()
        messages.success(request, _("The competence %(name)s was deleted.") % {"name": name})
        return redirect("catalog")
    return render(request, "competence/competence_delete.html", {"competence": competence})


@require_GET
def areas(request):
    """The areas as a tree, with how many competences each holds."""
    editors_only(request)
    counts = dict(
        Competence.objects.order_by()
        .values_list("area_id")
        .annotate(number=Count("pk"))
        .values_list("area_id", "number")
    )
    tree = area_tree(list(CompetenceArea.objects.all()), counts)
    return render(request, "competence/area_list.html", {"tree": tree})


@require_http_methods(["GET", "POST"])
def area_create(request):
    editors_only(request)
    return _area_form(request, CompetenceArea(), _("The area was added."))


@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    editors_only(request)
    area = get_object_or_404(CompetenceArea, pk=pk)
    return _area_form(request, area, _("The area was saved."))


def _area_form(request, area, done):
    form = AreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, done)
        return redirect("areas")
    return render(request, "competence/area_form.html", {"form": form, "area": area})


@require_GET
def scales(request):
    """The scales with their levels and how many competences use each."""
    editors_only(request)
    scale_list = (
        ProficiencyScale.objects.annotate(competence_count=Count("competences"))
        .prefetch_related("levels")
        .order_by("name")
    )
    return render(request, "competence/scale_list.html", {"scales": scale_list})


@require_http_methods(["GET", "POST"])
def scale_create(request):
    editors_only(request)
    return _scale_form(request, ProficiencyScale(), _("The scale was added."))


@require_http_methods(["GET", "POST"])
def scale_edit(request, pk):
    editors_only(request)
    scale = get_object_or_404(ProficiencyScale, pk=pk)
    return _scale_form(request, scale, _("The scale was saved."))


def _scale_form(request, scale, done):
    data = request.POST or None
    form = ScaleForm(data, instance=scale)
    levels = LevelFormSet(data, instance=scale, prefix="levels")
    if request.method == "POST" and form.is_valid() and levels.is_valid():
        with transaction.atomic():
            scale = form.save()
            levels.instance = scale
            levels.save()
        messages.success(request, done)
        return redirect("scales")
    in_use = levels_in_use(competence__scale=scale) if scale.pk else set()
    return render(
        request,
        "competence/scale_form.html",
        {"form": form, "levels": levels, "scale": scale, "in_use": in_use},
    )
