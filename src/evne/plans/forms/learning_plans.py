"""Forms for learning plans (opplæringsplaner): the plan, its items, whom it is assigned to, and
hand-made groups of people."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evne.competence.forms.records import competence_choices
from evne.competence.models import Competence
from evne.competence.recording import level_error, scale_levels
from evne.core.forms import DesignsystemetForm, DesignsystemetModelForm
from evne.learning.models import Course
from evne.organization.models import JobRole
from evne.plans.models import (
    AssignmentTargetKind,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    Measure,
    PeopleGroup,
)

COMPETENCE_MISSING = _("Choose the competence to reach.")
COURSE_MISSING = _("Choose the course to complete.")
TITLE_MISSING = _("Describe the task in the title.")
DATE_MISSING = _("Give the due date, or choose another due rule.")
DAYS_MISSING = _("Give the number of days, or choose another due rule.")
ITEM_IN_USE = _(
    "%(item)s has been given to people and cannot be removed; their history would be lost. "
    "Stop using the plan instead."
)
NO_ITEMS = _("Add at least one item: a competence, a course or a task.")


def person_label(person) -> str:
    return f"{person.full_name} ({person.employee_number})"


class LearningPlanForm(DesignsystemetModelForm):
    """The plan itself: its unit among those the user leads or holds HR for, and the measure of
    a competence plan it carries out among the plans the user may read."""

    class Meta:
        model = LearningPlan
        fields = ["title", "description", "unit", "measure", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, visibility, **kwargs):
        self.visibility = visibility
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["unit"].queryset = self.visibility.personal_units().order_by("path")
        measures = Measure.objects.filter(
            plan__in=self.visibility.competence_plans()
        ).select_related("plan")
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: f"{m.plan.title}: {m.title}"
        self.fields["measure"].empty_label = _("None")
        self.fields["is_active"].help_text = _(
            "A plan not in use gives no one new assignments; what was given stays."
        )


def catalog_choices() -> tuple[list, list]:
    """The competences and courses in use, to choose an item's from."""
    courses = [("", _("Choose a course"))] + [
        (course.pk, course.display_name) for course in Course.objects.filter(is_active=True)
    ]
    return competence_choices(), courses


class ItemForm(DesignsystemetModelForm):
    """One item: a competence at a level, a course or a task, with its due rule. Fields that do
    not belong to the chosen kind or rule are emptied, so an edit leaves nothing stale."""

    class Meta:
        model = LearningPlanItem
        fields = [
            "kind",
            "competence",
            "level",
            "course",
            "title",
            "description",
            "due_kind",
            "due_on",
            "due_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "level": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "due_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, choices=None, **kwargs):
        # The formset reads the catalog once for all its forms.
        self.catalog_choices = choices or catalog_choices()
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        competences, courses = self.catalog_choices
        self.fields["competence"].queryset = Competence.objects.filter(is_active=True)
        self.fields["competence"].choices = competences
        self.fields["course"].queryset = Course.objects.filter(is_active=True)
        self.fields["course"].choices = courses
        self.fields["level"].help_text = _(
            "For a competence on a scale, the level to reach. Empty for one that one has or not."
        )
        self.fields["title"].help_text = _("Required for a task. Empty: the competence or course.")

    def clean(self):
        data = super().clean()
        kind, due = data.get("kind"), data.get("due_kind")
        if kind == ItemKind.COMPETENCE:
            data["course"] = None
            competence = data.get("competence")
            if competence is None:
                self._missing("competence", COMPETENCE_MISSING)
            elif "level" not in self.errors:
                problem = level_error(competence, data.get("level"), scale_levels(competence))
                if problem:
                    message, params = problem
                    self.add_error("level", ValidationError(message, params=params, code="level"))
        elif kind == ItemKind.COURSE:
            data["competence"], data["level"] = None, None
            if data.get("course") is None:
                self._missing("course", COURSE_MISSING)
        elif kind == ItemKind.TASK:
            data["competence"], data["level"], data["course"] = None, None, None
            if not (data.get("title") or "").strip():
                self._missing("title", TITLE_MISSING)
        if due == DueKind.DATE:
            data["due_days"] = None
            if data.get("due_on") is None:
                self._missing("due_on", DATE_MISSING)
        elif due in (DueKind.AFTER_ASSIGNMENT, DueKind.AFTER_HIRE):
            data["due_on"] = None
            if data.get("due_days") is None:
                self._missing("due_days", DAYS_MISSING)
        elif due == DueKind.NONE:
            data["due_on"], data["due_days"] = None, None
        return data

    def _missing(self, field, message):
        if field not in self.errors:
            self.add_error(field, ValidationError(message, code="required"))


class BaseItemFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        if not hasattr(self, "_catalog_choices"):
            self._catalog_choices = catalog_choices()
        return {**super().get_form_kwargs(index), "choices": self._catalog_choices}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this item")
            form.fields["DELETE"].widget.attrs["class"] = "ds-input"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = 0
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk and form.instance.assignments.exists():
                    raise ValidationError(ITEM_IN_USE, params={"item": form.instance})
                continue
            kept += 1
        if not kept:
            raise ValidationError(NO_ITEMS, code="no_items")

    def save(self, commit=True):
        """Save the items numbered in the order they stand on the page."""
        saved = super().save(commit=False)
        for item in self.deleted_objects:
            item.delete()
        position = 0
        for form in self.forms:
            item = form.instance
            if form in self.deleted_forms or (item.pk is None and item not in saved):
                continue
            position += 1
            if item.pk is None or item in saved or item.position != position:
                item.position = position
                item.plan = self.instance
                item.save()
        return saved


ItemFormSet = forms.inlineformset_factory(
    LearningPlan, LearningPlanItem, form=ItemForm, formset=BaseItemFormSet, extra=1, can_delete=True
)


class AssignForm(DesignsystemetForm):
    """Whom to assign the plan to: one of the people the user manages, a unit with everything
    below it, a job role within a unit, or a group the user keeps."""

    kind = forms.ChoiceField(
        label=_("Assign to"), choices=AssignmentTargetKind.choices, widget=forms.RadioSelect
    )
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        help_text=_("Everyone with a position in the unit or below it, now and later."),
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"),
        queryset=JobRole.objects.all(),
        required=False,
        help_text=_("With a unit: only those in this role there."),
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)

    def __init__(self, *args, visibility, **kwargs):
        self.visibility = visibility
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        people = self.visibility.managed_people().order_by("family_name", "given_name", "pk")
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = person_label
        units = self.visibility.personal_units().order_by("path")
        self.fields["unit"].queryset = units
        self.fields["group"].queryset = PeopleGroup.objects.filter(unit__in=units)
        for name in ("person", "unit", "job_role", "group"):
            self.fields[name].empty_label = _("Choose")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needs = {
            AssignmentTargetKind.PERSON: [("person", _("Choose the person."))],
            AssignmentTargetKind.UNIT: [("unit", _("Choose the unit."))],
            AssignmentTargetKind.ROLE_IN_UNIT: [
                ("unit", _("Choose the unit.")),
                ("job_role", _("Choose the job role.")),
            ],
            AssignmentTargetKind.GROUP: [("group", _("Choose the group."))],
        }
        for field, message in needs.get(kind, []):
            if data.get(field) is None and field not in self.errors:
                self.add_error(field, ValidationError(message, code="required"))
        return data

    def target_fields(self) -> dict:
        """The fields of the target the form describes, none of the others."""
        kind = self.cleaned_data["kind"]
        used = {
            AssignmentTargetKind.PERSON: ("person",),
            AssignmentTargetKind.UNIT: ("unit",),
            AssignmentTargetKind.ROLE_IN_UNIT: ("unit", "job_role"),
            AssignmentTargetKind.GROUP: ("group",),
        }[kind]
        return {"kind": kind, **{name: self.cleaned_data[name] for name in used}}


class GroupForm(DesignsystemetModelForm):
    class Meta:
        model = PeopleGroup
        fields = ["name", "unit"]

    def __init__(self, *args, visibility, **kwargs):
        self.visibility = visibility
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["unit"].queryset = self.visibility.personal_units().order_by("path")


class MemberSearchForm(DesignsystemetForm):
    q = forms.CharField(label=_("Find a person by name or employee number"), required=False)
