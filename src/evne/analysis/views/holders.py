"""Who has X (hvem har kompetansen): the people who hold a competence at or above a level on a
date, for mobilising the competence the municipality already has; figures per unit for users
who may see figures only."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from evne.analysis import mobilisation
from evne.analysis.forms import CoverageFilterForm, export_format
from evne.competence.forms.requirements import LevelMixin, competence_choices, level_choices
from evne.competence.models import Competence
from evne.core.exports import Table, export_response
from evne.core.forms import DesignsystemetForm
from evne.core.visibility import Detail, Visibility, visibility_for
from evne.organization.models import OrgUnit

PER_PAGE = 50


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth, so a long list still reads as the tree."""

    def label_from_instance(self, unit):
        return "\u00a0\u00a0" * unit.depth + unit.name


def unit_field(units, empty_label) -> UnitChoiceField:
    return UnitChoiceField(
        label=_("Unit"),
        queryset=units.order_by("path"),
        required=False,
        empty_label=empty_label,
        help_text=_("The unit and the units below it."),
    )


class WhoHasForm(LevelMixin, DesignsystemetForm):
    competence = forms.ModelChoiceField(
        label=_("Competence"), queryset=Competence.objects.filter(is_active=True), required=False
    )
    level = forms.ChoiceField(label=_("Minimum level"), required=False)
    on = CoverageFilterForm.base_fields["on"]

    def __init__(self, *args, visibility: Visibility, **kwargs):
        self.visibility = visibility
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["competence"].choices = competence_choices(
            Competence.objects.filter(is_active=True)
        )
        self.fields["level"].choices = [("", _("Any level")), *level_choices()[1:]]
        self.fields["level"].help_text = _(
            "A level of the competence's scale. Empty: any level. A record of a competence "
            "that includes this one counts too."
        )
        personal = self.visibility.is_admin or self.visibility.personal_paths
        self.fields["unit"] = unit_field(
            self.visibility.units(), _("Everyone I may see") if personal else None
        )
        self.order_fields(["competence", "level", "unit", "on"])

    def clean(self):
        cleaned_data = super().clean()
        # Unlike a requirement, a search may leave the level of a scaled competence open.
        if cleaned_data.get("level"):
            self.check_level(cleaned_data)
        return cleaned_data


def _top_unit(visibility: Visibility) -> OrgUnit | None:
    """The highest unit the user may see figures of: where figures start without a choice."""
    return visibility.units().order_by("path").first()


@require_GET
def who_has(request):
    visibility = visibility_for(request.user)
    data = request.GET if request.GET else None
    form = WhoHasForm(data, visibility=visibility)
    valid = form.is_valid() if data is not None else False
    cleaned = form.cleaned_data if valid else {}
    competence, level = cleaned.get("competence"), cleaned.get("level")
    on = cleaned.get("on") or timezone.localdate()
    unit = cleaned.get("unit")
    if unit is None and not (visibility.is_admin or visibility.personal_paths):
        unit = _top_unit(visibility)
        if unit is None:
            raise Http404
    personal = unit is None or visibility.detail_for(unit) == Detail.PERSONAL
    sort = request.GET.get("sort") if request.GET.get("sort") in mobilisation.SORTS else "name"
    basename = f"who-has-{competence.code}" if competence else "who-has"
    context = {
        "form": form,
        "competence": competence,
        "level_name": _level_label(competence, level),
        "on": on,
        "unit": unit,
        "personal": personal,
        "sort": request.GET.get("sort")
        if request.GET.get("sort") in mobilisation.SORTS
        else "name",
    }
    if competence is None:
        return render(request, "analysis/who_has.html", context)
    if personal:
        people = mobilisation.holders(visibility, competence, level, on, unit, sort)
        fmt = export_format(request)
        if fmt:
            rows = mobilisation.holdings(people, competence, level, on)
            return export_response(
                [_people_table(competence, rows)], fmt, f"who-has-{competence.code}"
            )
        page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = mobilisation.holdings(page.object_list, competence, level, on)
        context["waiting"] = mobilisation.waiting_count(visibility, competence, level, on, unit)
    else:
        counts = mobilisation.holder_counts(visibility, unit, competence, level, on)
        fmt = export_format(request)
        if fmt:
            return export_response([_counts_table(counts)], fmt, basename)
        context["counts"] = counts
    return render(request, "analysis/who_has.html", context)


def _level_label(competence, level) -> str:
    if competence is None or level is None:
        return ""
    found = competence.scale.levels.filter(value=level).first() if competence.scale_id else None
    return str(found) if found else str(level)


def _people_table(competence, rows) -> Table:
    return Table(
        title=str(_("Who has the competence")),
        headers=[
            str(_("Name")),
            str(_("Unit")),
            str(_("Job role")),
            str(_("Competence")),
            str(_("Via")),
            str(_("Level")),
            str(_("Valid until")),
        ],
        rows=[
            [
                row.person.full_name,
                row.unit_name,
                row.job_role,
                competence.display_name,
                row.via.display_name if row.via else "",
                row.level,
                row.record.expires_on,
            ]
            for row in rows
        ],
    )


def _counts_table(counts) -> Table:
    return Table(
        title=str(_("Holders per unit")),
        headers=[
            str(_("Unit code")),
            str(_("Unit")),
            str(_("People")),
            str(_("Holders")),
        ],
        rows=[
            [
                count.unit.code,
                count.unit.name,
                count.people if count.shown else None,
                count.holders if count.shown else None,
            ]
            for count in counts
        ],
    )
