"""Forms for sessions (kursdager) and for enrolling someone one leads."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evne.core.forms import DesignsystemetForm, DesignsystemetModelForm
from evne.learning.enrolment import places_taken
from evne.learning.models import Session

ISO_DATE = "%Y-%m-%d"
ISO_MINUTE = "%Y-%m-%dT%H:%M"  # what a browser's datetime-local picker sends and expects


class SessionForm(DesignsystemetModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "place", "capacity", "enrolment_closes_on", "note"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_MINUTE),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_MINUTE),
            "enrolment_closes_on": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "place": _("The address and room, or the link of a webinar."),
            "enrolment_closes_on": _("Empty: people can enrol until the session starts."),
            "note": _("What participants should bring or know. Everyone enrolled sees it."),
        }

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise ValidationError(_("A session needs at least one place."), code="no_place")
        if capacity is not None and self.instance.pk:
            taken = places_taken(self.instance)
            if capacity < taken:
                raise ValidationError(
                    _(
                        "%(taken)s people already have a place. Cancel enrolments before "
                        "lowering the places below that."
                    ),
                    params={"taken": taken},
                    code="below_taken",
                )
        return capacity

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The session cannot end before it starts."))
        closes = data.get("enrolment_closes_on")
        if starts and closes and closes > starts.date():
            self.add_error(
                "enrolment_closes_on", _("Enrolment must close on or before the session's day.")
            )
        return data


class EnrolPersonForm(DesignsystemetForm):
    """A leader or HR enrols one of the people they manage."""

    person = forms.ModelChoiceField(queryset=None, label=_("Person"), empty_label=_("Choose"))

    def __init__(self, *args, people=None, **kwargs):
        self.people = people
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        field = self.fields["person"]
        field.queryset = self.people.order_by("family_name", "given_name", "pk")
        field.label_from_instance = lambda person: f"{person.full_name} ({person.employee_number})"
