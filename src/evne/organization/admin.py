from django.contrib import admin

from evne.organization.models import Employment, JobRole, OrgLevel, OrgUnit, Person


@admin.register(OrgLevel)
class OrgLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "rank"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "level"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "leaders"]
    list_select_related = ["parent", "level"]


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    autocomplete_fields = ["unit", "job_role"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "family_name", "given_name", "email"]
    search_fields = ["employee_number", "given_name", "family_name", "email"]
    list_filter = ["gender", "education_level"]
    inlines = [EmploymentInline]


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "styrk_code", "occupation_code"]
    search_fields = ["name", "styrk_code", "occupation_code"]


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ["person", "unit", "job_role", "fte", "kind", "start_date", "end_date"]
    list_filter = ["kind", "is_primary"]
    search_fields = ["person__employee_number", "person__family_name", "unit__code", "unit__name"]
    autocomplete_fields = ["person", "unit", "job_role"]
    list_select_related = ["person", "unit", "job_role"]
