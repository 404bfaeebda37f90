"""The form for an activity of a unit's annual cycle (årshjul)."""

from __future__ import annotations

import calendar

from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from evne.accounts.models import User
from evne.core.forms import DesignsystemetModelForm
from evne.core.visibility import Visibility
from evne.organization.models import OrgUnit
from evne.plans.models import CycleActivity

NO_SUCH_DAY = _("%(month)s has only %(days)s days. Choose a day from 1 to %(days)s.")
# A recurring date must exist every year, so 29 February is not offered.
DAYS_IN_MONTH = {month: calendar.monthrange(2023, month)[1] for month in range(1, 13)}


def responsible_choices(unit: OrgUnit, visibility: Visibility, current: User | None):
    """Users who may get the reminders: the people of the unit and its leaders and those above,
    the editor, and whoever is responsible now."""
    above = [*unit.ancestor_ids, unit.pk]
    in_unit = Q(
        person__in=visibility.people().filter(employments__unit__in=OrgUnit.objects.within(unit))
    )
    chosen = in_unit | Q(person__led_units__in=above) | Q(pk=visibility.user_id)
    if current is not None:
        chosen |= Q(pk=current.pk)
    return (
        User.objects.filter(chosen, is_active=True)
        .select_related("person")
        .distinct()
        .order_by("person__family_name", "person__given_name", "username")
    )


class ResponsibleField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.person.full_name if obj.person_id else obj.get_full_name() or obj.username


class CycleActivityForm(DesignsystemetModelForm):
    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(number, name) for number, name in MONTHS.items()], coerce=int
    )
    day = forms.IntegerField(
        label=_("Day"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Empty: some time in the month."),
    )
    duration_days = forms.IntegerField(
        label=_("Lasts (days)"),
        min_value=1,
        max_value=366,
        initial=1,
        help_text=_("A survey may run for weeks."),
    )
    remind_days_before = forms.IntegerField(
        label=_("Remind days before"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("Empty: no reminder. The reminder goes to the responsible person by email."),
    )

    class Meta:
        model = CycleActivity
        fields = [
            "kind",
            "title",
            "description",
            "month",
            "day",
            "duration_days",
            "remind_days_before",
            "responsible",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, visibility: Visibility, **kwargs):
        self.visibility = visibility
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        instance = self.instance
        self.fields["responsible"] = ResponsibleField(
            queryset=responsible_choices(instance.unit, self.visibility, instance.responsible),
            required=False,
            label=_("Responsible"),
            help_text=_("Gets the reminder; empty: the unit's leaders."),
        )

    def clean(self):
        cleaned = super().clean()
        month, day = cleaned.get("month"), cleaned.get("day")
        if month and day and day > DAYS_IN_MONTH[month]:
            self.add_error(
                "day",
                forms.ValidationError(
                    NO_SUCH_DAY,
                    code="no_such_day",
                    params={"month": MONTHS[month], "days": DAYS_IN_MONTH[month]},
                ),
            )
        return cleaned
