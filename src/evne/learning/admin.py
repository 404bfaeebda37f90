"""The learning models in Django's administration.

Courses, sessions and e-learning content can be kept here. Enrolments, completions, attempts
and certificates are read-only: they change only through their rules (`enrolment.py`,
`completions.py`), which keep the waiting lists and the competence records right.
"""

from django.contrib import admin

from evne.learning.models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Completion,
    Course,
    CourseGrant,
    Enrolment,
    Module,
    ModuleImage,
    ModulePage,
    Question,
    Session,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CourseGrantInline(admin.TabularInline):
    model = CourseGrant
    extra = 0
    autocomplete_fields = ["competence"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "provider", "hours", "requires_approval", "is_active"]
    list_filter = ["kind", "is_active", "requires_approval"]
    search_fields = ["code", "name", "name_en", "provider"]
    inlines = [CourseGrantInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_at", "place", "capacity", "is_cancelled"]
    list_filter = ["is_cancelled"]
    search_fields = ["course__code", "course__name", "place"]
    autocomplete_fields = ["course"]
    list_select_related = ["course"]
    date_hierarchy = "starts_at"


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "session", "status", "requested_at", "attended"]
    list_filter = ["status"]
    search_fields = ["person__employee_number", "session__course__code"]
    list_select_related = ["person", "session__course"]


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdmin):
    list_display = ["person", "course", "completed_on", "source"]
    list_filter = ["source"]
    search_fields = ["person__employee_number", "course__code", "course__name"]
    list_select_related = ["person", "course"]


class ModulePageInline(admin.StackedInline):
    model = ModulePage
    extra = 0


class ModuleImageInline(admin.TabularInline):
    model = ModuleImage
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["course", "pass_mark_percent", "attempts_allowed", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["course__code", "course__name"]
    autocomplete_fields = ["course"]
    list_select_related = ["course"]
    inlines = [ModulePageInline, ModuleImageInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "module", "kind", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["text", "module__course__code"]
    list_select_related = ["module__course"]
    inlines = [ChoiceInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["person", "module", "started_at", "score_percent", "passed"]
    list_filter = ["passed"]
    search_fields = ["person__employee_number", "module__course__code"]
    list_select_related = ["person", "module__course"]
    inlines = [AnswerInline]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "completion", "issued_at"]
    search_fields = ["code"]
    list_select_related = ["completion__person", "completion__course"]
