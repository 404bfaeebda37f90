"""The filters of the learning reports: a unit the user may see and a period. They are GET
parameters, so a report's address is a bookmark of what it shows and its export gets the same
filters."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.analysis.views.matrix import unit_choices
from evne.competence.forms.records import ISO_DATE
from evne.core.forms import DesignsystemetForm
from evne.learning.participation import years_before
from evne.learning.reports import Period


def last_twelve_months(today: datetime.date | None = None) -> Period:
    """The default period: the twelve months up to and including today."""
    today = today or timezone.localdate()
    return Period(years_before(today, 1) + datetime.timedelta(days=1), today)


class ReportFilterForm(DesignsystemetForm):
    unit = forms.ChoiceField(label=_("Unit"), help_text=_("The unit and every unit below it."))
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        help_text=_("Empty: the last twelve months up to today."),
    )

    def __init__(self, data=None, *, visibility, **kwargs):
        self.visibility = visibility
        ordered, tops = unit_choices(visibility)
        self.units = {unit.pk: unit for unit, _label in ordered}
        self.unit_options = [(str(unit.pk), label) for unit, label in ordered]
        self.default_unit = tops[0] if tops else None
        super().__init__(data, **kwargs)

    def prepare_fields(self):
        self.fields["unit"].choices = self.unit_options

    @classmethod
    def from_request(cls, request, visibility) -> ReportFilterForm:
        """Bound to the query string; a first visit (no unit asked for) shows the user's own
        top unit over the last twelve months. The defaults go into the bound data itself, which
        the form holds, so the fields show them."""
        data = request.GET.copy()
        form = cls(data, visibility=visibility)
        if not data.get("unit") and form.default_unit is not None:
            data["unit"] = str(form.default_unit.pk)
        default = last_twelve_months()
        data.setdefault("start", default.start.isoformat())
        data.setdefault("end", default.end.isoformat())
        return form

    def clean(self):
        cleaned = super().clean()
        default = last_twelve_months()
        end = cleaned.get("end") or default.end
        start = cleaned.get("start") or years_before(end, 1) + datetime.timedelta(days=1)
        if "end" in cleaned and end > default.end:
            self.add_error("end", _("The period cannot end after today."))
        elif "start" in cleaned and start > end:
            self.add_error("start", _("The period must start on or before its last day."))
        cleaned["period"] = Period(start, end)
        return cleaned

    @property
    def chosen_unit(self):
        return self.units[int(self.cleaned_data["unit"])]

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]
