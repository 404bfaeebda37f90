"""The filters every coverage screen shares: the reference date, the job role, the kind of
competence and whether only mandatory requirements count. They are GET parameters, so a screen's
address is a bookmark of what it shows and its export gets the same filters."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.analysis.engine import Options
from evne.competence.forms.records import ISO_DATE
from evne.competence.models import CompetenceKind
from evne.core.forms import DesignsystemetForm
from evne.organization.models import JobRole


class CoverageFilterForm(DesignsystemetForm):
    on = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        help_text=_("A future date shows what will have expired by then. Empty: today."),
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"),
        queryset=JobRole.objects.all(),
        required=False,
        empty_label=_("All job roles"),
    )
    kind = forms.ChoiceField(label=_("Kind of competence"), required=False)
    mandatory_only = forms.BooleanField(label=_("Mandatory requirements only"), required=False)

    def prepare_fields(self):
        self.fields["kind"].choices = [("", _("All kinds")), *CompetenceKind.choices]

    @classmethod
    def from_request(cls, request, **initial) -> CoverageFilterForm:
        """The form bound to the request's query string; an empty query string gives the
        defaults (`initial`), so a first visit shows what a user most often wants."""
        data = request.GET if request.GET else None
        form = cls(data, initial=initial)
        if data is None:
            form.cleaned_data = {"on": None, "job_role": None, "kind": "", **initial}
            form.cleaned_data.setdefault("mandatory_only", False)
        elif not form.is_valid():
            form.cleaned_data = {"on": None, "job_role": None, "kind": "", "mandatory_only": False}
        return form

    @property
    def reference_date(self) -> datetime.date:
        return self.cleaned_data.get("on") or timezone.localdate()

    def options(self) -> Options:
        kind = self.cleaned_data.get("kind")
        return Options(
            job_role=self.cleaned_data.get("job_role"),
            kinds=(kind,) if kind else (),
            mandatory_only=bool(self.cleaned_data.get("mandatory_only")),
        )


EXPORT_FORMATS = ("csv", "xlsx")


def export_format(request) -> str | None:
    """The file format asked for with `?export=csv|xlsx`, or None for the page itself."""
    value = request.GET.get("export")
    return value if value in EXPORT_FORMATS else None
