from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evne.competence.forms.requirements import DUPLICATE_REQUIREMENT
from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceRecord,
    ProficiencyScale,
    Requirement,
    ScaleLevel,
    StaffingMeasure,
    StaffingTarget,
)
from evne.competence.recording import level_error, scale_levels


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetenceArea
        fields = ["id", "name", "name_en", "parent"]

    def validate_parent(self, parent):
        area = parent
        while self.instance is not None and area is not None:
            if area.pk == self.instance.pk:
                raise serializers.ValidationError(
                    _("An area cannot be placed under itself or one of its sub-areas.")
                )
            area = area.parent
        return parent


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleLevel
        fields = ["value", "name", "name_en", "description"]


class ScaleSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = ProficiencyScale
        fields = ["id", "name", "name_en", "levels"]


class CompetenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competence
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "description",
            "area",
            "kind",
            "scale",
            "validity_months",
            "nus_code",
            "esco_uri",
            "required_by_law",
            "legal_reference",
            "implies",
            "is_active",
        ]


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetenceRecord
        fields = [
            "id",
            "person",
            "competence",
            "level",
            "obtained_on",
            "expires_on",
            "credits",
            "source",
            "status",
            "evidence_reference",
            "note",
            "created_at",
            "decided_at",
            "rejection_reason",
            "superseded_by",
        ]
        read_only_fields = fields


class CodeField(serializers.SlugRelatedField):
    """A competence by its code. A NUL character cannot be in a code, and PostgreSQL refuses
    to compare text with one, so it is reported as no such code."""

    def to_internal_value(self, data):
        if "\x00" in str(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class RecordInputSerializer(serializers.Serializer):
    """A new record: the rules of evne.competence.recording apply (own records wait for
    verification; a leader's or HR's are verified at once)."""

    person = serializers.PrimaryKeyRelatedField(queryset=CompetenceRecord.objects.none())
    competence = CodeField(
        slug_field="code", queryset=Competence.objects.all(), help_text=_("The competence's code.")
    )
    level = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=32767)
    obtained_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)
    credits = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=0
    )
    evidence_reference = serializers.CharField(max_length=300, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why: the employee reads it."))


def check_level(attrs, instance):
    competence = attrs.get("competence", getattr(instance, "competence", None))
    level = attrs.get("level", getattr(instance, "level", None))
    problem = competence and level_error(competence, level, scale_levels(competence))
    if problem:
        message, params = problem
        raise serializers.ValidationError({"level": [message % params]})


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = [
            "id",
            "competence",
            "job_role",
            "unit",
            "kind",
            "level",
            "legal_basis",
            "grace_days",
        ]
        # The unique constraints are checked in validate(), with one message.
        validators = []

    def validate(self, attrs):
        values = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ["competence", "job_role", "unit"]
        }
        if values["job_role"] is None and values["unit"] is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Choose a job role, a unit, or both.")]}
            )
        check_level(attrs, self.instance)
        duplicate = Requirement.objects.filter(**values)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError({"competence": [DUPLICATE_REQUIREMENT]})
        return attrs


class StaffingTargetSerializer(serializers.ModelSerializer):
    minimum = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=0)

    class Meta:
        model = StaffingTarget
        fields = ["id", "unit", "competence", "level", "measure", "minimum", "due_on", "note"]

    def validate(self, attrs):
        check_level(attrs, self.instance)
        minimum = attrs.get("minimum", getattr(self.instance, "minimum", None))
        measure = attrs.get("measure", getattr(self.instance, "measure", StaffingMeasure.PEOPLE))
        if minimum is not None and minimum <= 0:
            raise serializers.ValidationError({"minimum": [_("The target must be more than 0.")]})
        if (
            minimum is not None
            and measure == StaffingMeasure.PEOPLE
            and minimum != minimum.to_integral_value()
        ):
            raise serializers.ValidationError(
                {"minimum": [_("People are counted in whole numbers.")]}
            )
        return attrs
