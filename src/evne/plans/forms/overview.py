"""The filters of a learning plan's overview: a unit within the plan's reach and where people
stand. They are GET parameters, so the address is a bookmark and the export gets the same."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evne.core.forms import DesignsystemetForm
from evne.core.visibility import Visibility
from evne.organization.models import OrgUnit
from evne.plans.followup import PersonState
from evne.plans.models import LearningPlan


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        # Indented by depth so a nursing home's departments show under it.
        return "\u2002" * unit.depth + unit.name


class OverviewFilterForm(DesignsystemetForm):
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All")
    )
    state = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data, *, plan: LearningPlan, visibility: Visibility):
        self.plan, self.visibility = plan, visibility
        super().__init__(data)

    def prepare_fields(self):
        reach = OrgUnit.objects.filter(
            Q(pk=self.plan.unit_id) | Q(pk__in=self.plan.targets.values("unit_id"))
        ).values_list("path", flat=True)
        self.fields["unit"].queryset = (
            OrgUnit.objects.within(*reach)
            .filter(pk__in=self.visibility.personal_units().values("pk"))
            .order_by("path")
        )
        self.fields["state"].choices = [
            ("", _("Everyone in the group")),
            *((state.value, state.label) for state in PersonState),
        ]

    @classmethod
    def from_request(cls, request, **kwargs) -> OverviewFilterForm:
        """The form bound to the query string; when it is invalid, no filter holds and the form
        shows what was wrong."""
        form = cls(request.GET, **kwargs)
        if not form.is_valid():
            form.cleaned_data = {"unit": None, "state": ""}
        return form

    @property
    def unit_chosen(self) -> OrgUnit | None:
        return self.cleaned_data.get("unit")

    @property
    def state_chosen(self) -> PersonState | None:
        state = self.cleaned_data.get("state")
        return PersonState(state) if state else None
