from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evne.analysis.rows import OUT_OF_RANGE, in_range


class CoverageQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(
        max_length=50, help_text=_("The unit's code, or its id when no unit has that code.")
    )
    on = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=_("The reference date, YYYY-MM-DD (default: today)."),
    )
    include_desired = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Add the desired requirements as rows of their own."),
    )

    def validate_on(self, value):
        if not in_range(value):
            raise serializers.ValidationError(OUT_OF_RANGE)
        return value


def count(help_text):
    return serializers.IntegerField(allow_null=True, help_text=help_text)


class CoverageRowSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    competence_code = serializers.CharField()
    # Not an enum: the schema already names this choice set "kind" (requirements), and a second
    # name for it makes drf-spectacular warn.
    requirement = serializers.CharField(
        help_text=_("The kind of requirement: mandatory or desired.")
    )
    applicable = count(_("People the requirement applies to; null when suppressed."))
    met = count(_("Met, not expiring within the window."))
    expiring = count(_("Met, but expiring within the window."))
    pending = count(_("A record waits for verification."))
    below_level = count(_("A verified record below the level."))
    expired = count(_("Only expired records."))
    missing = count(_("No record."))
    coverage = serializers.FloatField(
        allow_null=True,
        help_text=_("(Met + expiring) / applicable, 0 to 1; null when suppressed."),
    )
    fte_coverage = serializers.FloatField(
        allow_null=True,
        help_text=_("The same share weighted by FTE; null when suppressed."),
    )
    suppressed = serializers.BooleanField(
        help_text=_("Hidden: fewer than five people, and the caller may not see them.")
    )


class UnitReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    unit = UnitReferenceSerializer()
    on = serializers.DateField()
    rows = CoverageRowSerializer(many=True)
