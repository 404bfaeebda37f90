from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evne.organization.models import Employment, JobRole, OrgUnit, Person


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "parent", "level", "path"]
        read_only_fields = ["path"]

    def validate_parent(self, parent):
        unit = self.instance
        if unit is not None and parent is not None and parent.is_within(unit):
            raise serializers.ValidationError(
                _("A unit cannot be placed under itself or one of its own sub-units.")
            )
        return parent


class JobRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobRole
        fields = ["id", "name", "styrk_code", "occupation_code"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "employee_number",
            "given_name",
            "family_name",
            "email",
            "birth_date",
            "gender",
            "education_level",
        ]


class EmploymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employment
        fields = [
            "id",
            "person",
            "unit",
            "job_role",
            "fte",
            "kind",
            "start_date",
            "end_date",
            "is_primary",
        ]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": [_("The end date cannot be before the start date.")]}
            )
        return attrs
