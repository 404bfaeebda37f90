"""The competence catalog, records, requirements and staffing targets over the API.

The catalog is read by everyone and kept by HR. Records follow evne.competence.recording, the
same rules as the pages. Requirements and staffing targets are written within
`requirement_units()`, a job role's own requirements by those who
`may_edit_role_requirements`.
"""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evne.api.access import ReadOrKeepSharedData, api_visibility, require
from evne.competence import recording
from evne.competence.api import filtersets, serializers
from evne.competence.models import (
    Competence,
    CompetenceArea,
    ProficiencyScale,
    Requirement,
    StaffingTarget,
)

CATALOG_METHODS = ["get", "post", "put", "patch", "head", "options"]


class AreaViewSet(viewsets.ModelViewSet):
    """Competence areas (kompetanseområder)."""

    queryset = CompetenceArea.objects.all()
    serializer_class = serializers.AreaSerializer
    permission_classes = [ReadOrKeepSharedData]
    filterset_fields = ["parent"]
    ordering_fields = ["name"]
    ordering = ["name"]
    http_method_names = CATALOG_METHODS


class ScaleViewSet(viewsets.ReadOnlyModelViewSet):
    """Proficiency scales (ferdighetsnivåer) with their levels; kept in the catalog pages."""

    queryset = ProficiencyScale.objects.prefetch_related("levels")
    serializer_class = serializers.ScaleSerializer
    ordering = ["name"]


class CompetenceViewSet(viewsets.ModelViewSet):
    """Competences of the catalog (kompetanser)."""

    queryset = Competence.objects.prefetch_related("implies")
    serializer_class = serializers.CompetenceSerializer
    permission_classes = [ReadOrKeepSharedData]
    filterset_class = filtersets.CompetenceFilter
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    http_method_names = CATALOG_METHODS


class RecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Competence records (kompetanseregistreringer) the caller may see; registering, verifying
    and rejecting follow the rules of the pages."""

    serializer_class = serializers.RecordSerializer
    filterset_class = filtersets.RecordFilter
    ordering_fields = ["obtained_on", "expires_on", "created_at", "decided_at"]
    ordering = ["pk"]

    def get_queryset(self):
        return api_visibility(self.request).records()

    @extend_schema(
        request=serializers.RecordInputSerializer,
        responses={201: serializers.RecordSerializer},
    )
    def create(self, request, *args, **kwargs):
        people = api_visibility(request).people()
        given = serializers.RecordInputSerializer(data=request.data, people=people)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        record = recording.register_record(
            request.user, values.pop("person"), values.pop("competence"), **values
        )
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.RecordSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verify a pending record of someone you lead or hold HR for."""
        record = recording.verify_record(request.user, self.get_object())
        return Response(self.get_serializer(record).data)

    @extend_schema(request=serializers.RejectionSerializer, responses=serializers.RecordSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a pending record, with the reason the employee reads."""
        record = self.get_object()
        given = serializers.RejectionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        record = recording.reject_record(request.user, record, given.validated_data["reason"])
        return Response(self.get_serializer(record).data)


class UnitScopedWrites:
    """Writes of what belongs to a unit: the unit, before and after the change, must be one
    the caller may set requirements for."""

    def may_write(self, unit) -> bool:
        visibility = api_visibility(self.request)
        return visibility.requirement_units().filter(pk=unit.pk).exists()

    def check(self, serializer):
        instance = serializer.instance
        if instance is not None:
            require(self.may_write(instance.unit))
        require(
            self.may_write(serializer.validated_data.get("unit", getattr(instance, "unit", None)))
        )

    def perform_create(self, serializer):
        self.check(serializer)
        serializer.save()

    def perform_update(self, serializer):
        self.check(serializer)
        serializer.save()

    def perform_destroy(self, instance):
        require(self.may_write(instance.unit))
        instance.delete()


class RequirementViewSet(UnitScopedWrites, viewsets.ModelViewSet):
    """Requirements (kompetansekrav) of job roles, of the units the caller may open, and of job
    roles within those units."""

    serializer_class = serializers.RequirementSerializer
    filterset_class = filtersets.RequirementFilter
    ordering_fields = ["pk"]
    ordering = ["pk"]

    def get_queryset(self):
        units = api_visibility(self.request).units()
        return Requirement.objects.filter(Q(unit=None) | Q(unit__in=units))

    def may_write(self, unit):
        if unit is None:
            return api_visibility(self.request).may_edit_role_requirements
        return super().may_write(unit)


class StaffingTargetViewSet(UnitScopedWrites, viewsets.ModelViewSet):
    """Staffing targets (bemanningsmål) of the units the caller may open."""

    serializer_class = serializers.StaffingTargetSerializer
    filterset_class = filtersets.StaffingTargetFilter
    ordering_fields = ["due_on", "minimum"]
    ordering = ["pk"]

    def get_queryset(self):
        return StaffingTarget.objects.filter(unit__in=api_visibility(self.request).units())
