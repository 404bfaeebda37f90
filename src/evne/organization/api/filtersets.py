import django_filters

from evne.organization.models import Employment, JobRole, OrgUnit, Person


class WithinFilter(django_filters.NumberFilter):
    """`?within=<unit id>`: the unit and everything below it."""

    def __init__(self, *args, unit_field: str = "", **kwargs):
        kwargs.setdefault("label", "Unit id: the unit and every unit below it")
        super().__init__(*args, **kwargs)
        self.unit_field = unit_field

    def filter(self, queryset, value):
        if value is None:
            return queryset
        path = OrgUnit.objects.filter(pk=int(value)).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        prefix = f"{self.unit_field}__" if self.unit_field else ""
        return queryset.filter(**{f"{prefix}path__startswith": path}).distinct()


class UnitFilter(django_filters.FilterSet):
    within = WithinFilter()

    class Meta:
        model = OrgUnit
        fields = ["code", "parent", "level"]


class JobRoleFilter(django_filters.FilterSet):
    class Meta:
        model = JobRole
        fields = ["name", "styrk_code", "occupation_code"]


class PersonFilter(django_filters.FilterSet):
    within = WithinFilter(unit_field="employments__unit")

    class Meta:
        model = Person
        fields = ["employee_number", "email"]


class EmploymentFilter(django_filters.FilterSet):
    within = WithinFilter(unit_field="unit")
    active_on = django_filters.DateFilter(method="filter_active_on", label="Active on (date)")

    class Meta:
        model = Employment
        fields = ["person", "unit", "job_role", "kind", "is_primary"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)
