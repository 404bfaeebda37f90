"""Units, job roles, people and positions over the API (enheter, stillinger, ansatte).

Everyone reads what their visibility shows; HR writes within their units, administrators
everywhere. Nothing is deleted through the API: a position ends with an end date.
"""

from django.utils import timezone
from rest_framework import viewsets

from evne.api.access import (
    ReadOrKeepSharedData,
    ReadOrWritePeople,
    api_visibility,
    hr_units,
    require,
)
from evne.organization.api import filtersets, serializers
from evne.organization.models import Employment, JobRole, OrgUnit

WRITE_METHODS = ["get", "post", "put", "patch", "head", "options"]


def in_hr_units(request, unit: OrgUnit | None) -> bool:
    """Whether the caller may change what is in `unit`; None (a top-level unit) is for
    administrators."""
    if unit is None:
        return api_visibility(request).is_admin
    return hr_units(request).filter(pk=unit.pk).exists()


class UnitViewSet(viewsets.ModelViewSet):
    """Units (enheter) the caller may open. A new unit goes under a unit the caller holds HR
    for; only administrators add or move top-level units."""

    permission_classes = [ReadOrWritePeople]
    serializer_class = serializers.UnitSerializer
    filterset_class = filtersets.UnitFilter
    ordering_fields = ["code", "name", "path"]
    ordering = ["path"]
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return api_visibility(self.request).units()

    def perform_create(self, serializer):
        require(in_hr_units(self.request, serializer.validated_data.get("parent")))
        serializer.save()

    def perform_update(self, serializer):
        parent = serializer.validated_data.get("parent", serializer.instance.parent)
        require(
            in_hr_units(self.request, serializer.instance) and in_hr_units(self.request, parent)
        )
        serializer.save()


class JobRoleViewSet(viewsets.ModelViewSet):
    """Job roles (stillinger) are shared by the whole installation: anyone reads, HR writes."""

    queryset = JobRole.objects.all()
    serializer_class = serializers.JobRoleSerializer
    filterset_class = filtersets.JobRoleFilter
    permission_classes = [ReadOrKeepSharedData]
    ordering_fields = ["name", "styrk_code"]
    ordering = ["name"]
    http_method_names = WRITE_METHODS


class PersonViewSet(viewsets.ModelViewSet):
    """People (ansatte) the caller may see. HR add people and change those in their units."""

    permission_classes = [ReadOrWritePeople]
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilter
    ordering_fields = ["employee_number", "family_name", "given_name"]
    ordering = ["family_name", "given_name", "pk"]
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return api_visibility(self.request).people()

    def perform_update(self, serializer):
        visibility = api_visibility(self.request)
        positions_here = Employment.objects.current_or_future(timezone.localdate()).filter(
            unit__in=hr_units(self.request)
        )
        require(
            visibility.managed_people()
            .filter(pk=serializer.instance.pk, employments__in=positions_here)
            .exists()
        )
        serializer.save()


class EmploymentViewSet(viewsets.ModelViewSet):
    """Positions (stillinger) the caller may see. HR add and change positions in their units:
    for people they see, or for someone with no position yet (a new hire)."""

    permission_classes = [ReadOrWritePeople]
    serializer_class = serializers.EmploymentSerializer
    filterset_class = filtersets.EmploymentFilter
    ordering_fields = ["start_date", "end_date", "fte"]
    ordering = ["pk"]
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return api_visibility(self.request).employments()

    def perform_create(self, serializer):
        self.check_write(serializer.validated_data)
        serializer.save()

    def perform_update(self, serializer):
        require(in_hr_units(self.request, serializer.instance.unit))
        self.check_write(serializer.validated_data)
        serializer.save()

    def check_write(self, values):
        visibility = api_visibility(self.request)
        if "unit" in values:
            require(in_hr_units(self.request, values["unit"]))
        person = values.get("person")
        if person is not None and not visibility.is_admin:
            require(
                not person.employments.exists() or visibility.people().filter(pk=person.pk).exists()
            )
