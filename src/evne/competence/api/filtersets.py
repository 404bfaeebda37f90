import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from evne.competence.models import Competence, CompetenceRecord, Requirement, StaffingTarget
from evne.organization.api.filtersets import WithinFilter


class CompetenceFilter(django_filters.FilterSet):
    class Meta:
        model = Competence
        fields = ["code", "area", "kind", "scale", "required_by_law", "is_active"]


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC before the database sees it: PostgreSQL refuses
    offsets beyond ±15:59, and a time near year 1 or 9999 may not exist in UTC."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(_("Give a time between the years 1 and 9999.")) from None


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class RecordFilter(django_filters.FilterSet):
    within = WithinFilter(unit_field="person__employments__unit")
    competence = django_filters.CharFilter(field_name="competence__code", label="Competence code")
    registered_since = SinceFilter(field_name="created_at", lookup_expr="gte")
    decided_since = SinceFilter(field_name="decided_at", lookup_expr="gte")
    current = django_filters.BooleanFilter(
        method="filter_current", label="Only what people have now (not renewed, not rejected)"
    )

    class Meta:
        model = CompetenceRecord
        fields = ["person", "status", "source"]

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current)


class RequirementFilter(django_filters.FilterSet):
    competence = django_filters.CharFilter(field_name="competence__code", label="Competence code")

    class Meta:
        model = Requirement
        fields = ["job_role", "unit", "kind"]


class StaffingTargetFilter(django_filters.FilterSet):
    competence = django_filters.CharFilter(field_name="competence__code", label="Competence code")
    within = WithinFilter(unit_field="unit")

    class Meta:
        model = StaffingTarget
        fields = ["unit", "measure"]
