"""Unused competence (ubrukt kompetanse): people who hold a verified competence that their own
position does not ask for, while it is short elsewhere in their organisation. The list a leader
or HR starts from to mobilise the competence the municipality already has."""

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
from evne.analysis.views.holders import PER_PAGE, unit_field
from evne.competence.forms.requirements import competence_choices
from evne.competence.models import Competence
from evne.core.exports import Table, export_response
from evne.core.forms import DesignsystemetForm
from evne.core.visibility import Visibility, visibility_for


class UnusedForm(DesignsystemetForm):
    competence = forms.ModelChoiceField(
        label=_("Competence"), queryset=Competence.objects.all(), required=False
    )
    on = CoverageFilterForm.base_fields["on"]

    def __init__(self, *args, visibility: Visibility, **kwargs):
        self.visibility = visibility
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["competence"].choices = [
            ("", _("All competences")),
            *competence_choices(Competence.objects.all())[1:],
        ]
        # Only units whose people the user may see: the list names people.
        self.fields["unit"] = unit_field(self.visibility.personal_units(), None)
        self.order_fields(["unit", "competence", "on"])


@require_GET
def unused_competence(request):
    visibility = visibility_for(request.user)
    first = visibility.personal_units().order_by("path").first()
    if first is None:
        raise Http404
    data = request.GET if request.GET else None
    form = UnusedForm(data, visibility=visibility, initial={"unit": first})
    cleaned = form.cleaned_data if data is not None and form.is_valid() else {}
    unit = cleaned.get("unit") or first
    competence = cleaned.get("competence")
    on = cleaned.get("on") or timezone.localdate()
    found = mobilisation.unused_competence(visibility, unit, on, competence)
    fmt = export_format(request)
    if fmt:
        return export_response([_table(found)], fmt, "unused-competence")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "analysis/unused.html",
        {"form": form, "unit": unit, "competence": competence, "on": on, "page": page},
    )


def _table(found) -> Table:
    return Table(
        title=str(_("Unused competence")),
        headers=[
            str(_("Name")),
            str(_("Unit")),
            str(_("Job role")),
            str(_("Competence")),
            str(_("Level")),
            str(_("Valid until")),
            str(_("Gaps elsewhere")),
            str(_("Units with gaps")),
            str(_("Units named")),
            str(_("Staffing targets not reached")),
        ],
        rows=[
            [
                row.person.full_name,
                row.unit.name,
                row.job_role,
                row.record.competence.display_name,
                row.level,
                row.record.expires_on,
                row.need.gaps,
                row.need.unit_count,
                ", ".join(unit.name for unit in row.need.gap_units),
                row.need.target_count,
            ]
            for row in found
        ],
    )
