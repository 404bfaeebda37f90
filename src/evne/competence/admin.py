from django.contrib import admin

from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceRecord,
    ProficiencyScale,
    Requirement,
    ScaleLevel,
    StaffingTarget,
)


@admin.register(CompetenceArea)
class CompetenceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "parent"]
    search_fields = ["name", "name_en"]


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    extra = 0


@admin.register(ProficiencyScale)
class ProficiencyScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en"]
    inlines = [ScaleLevelInline]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "area", "validity_months", "required_by_law"]
    list_filter = ["kind", "required_by_law", "is_active", "area"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["area", "implies"]
    list_select_related = ["area"]


@admin.register(CompetenceRecord)
class CompetenceRecordAdmin(admin.ModelAdmin):
    list_display = ["person", "competence", "level", "obtained_on", "expires_on", "status"]
    list_filter = ["status", "source"]
    search_fields = ["person__employee_number", "competence__code", "competence__name"]
    autocomplete_fields = ["person", "competence", "superseded_by"]
    list_select_related = ["person", "competence"]
    readonly_fields = ["created_at", "created_by", "decided_at", "decided_by"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["competence", "job_role", "unit", "kind", "level"]
    list_filter = ["kind"]
    search_fields = ["competence__code", "competence__name", "job_role__name", "unit__name"]
    autocomplete_fields = ["competence", "job_role", "unit"]
    list_select_related = ["competence", "job_role", "unit"]


@admin.register(StaffingTarget)
class StaffingTargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "competence", "minimum", "measure", "due_on"]
    autocomplete_fields = ["unit", "competence"]
    list_select_related = ["unit", "competence"]
