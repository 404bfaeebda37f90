"""Competence plans in Django's administration, for support and corrections. Revisions,
consultations and comments are records of what happened, so they are read-only here; the
workflow (`workflow.py`) is the way a plan moves from draft to adopted."""

from django.contrib import admin

from evne.plans.models import (
    CompetencePlan,
    Consultation,
    Goal,
    Measure,
    PlanComment,
    PlanRevision,
)


class GoalInline(admin.StackedInline):
    model = Goal
    fk_name = "plan"
    extra = 0
    autocomplete_fields = ["competence"]
    filter_horizontal = ["serves"]


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0


@admin.register(CompetencePlan)
class CompetencePlanAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "period_start", "period_end", "status", "revision"]
    list_filter = ["status"]
    list_select_related = ["unit"]
    search_fields = ["title", "unit__name", "unit__code"]
    autocomplete_fields = ["unit", "parent", "copied_from", "owners"]
    readonly_fields = ["revision", "adopted_at", "adopted_by", "evaluated_at", "created_by"]
    inlines = [GoalInline, MeasureInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommentInline(admin.TabularInline):
    model = PlanComment
    extra = 0
    fields = ["author", "goal", "body", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["plan", "opened_at", "meeting_on", "closed_at"]
    list_select_related = ["plan"]
    search_fields = ["plan__title"]
    inlines = [CommentInline]


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "adopted_at", "adopted_by"]
    list_select_related = ["plan", "adopted_by"]
    search_fields = ["plan__title"]
