"""Forms for competence plans (kompetanseplaner): the plan, its goals (mål) and measures
(tiltak), comments in consultation (drøfting), the meeting, adoption and evaluation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evne.competence.models import Competence
from evne.core.forms import DesignsystemetForm, DesignsystemetModelForm
from evne.plans.diffs import GOAL_FIELDS, MEASURE_FIELDS
from evne.plans.models import CompetencePlan, Goal, GoalResult, Measure

ISO_DATE = "%Y-%m-%d"


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


class PlanForm(DesignsystemetModelForm):
    """A plan's heading: unit (only when new), title, period, summary and the plan above."""

    class Meta:
        model = CompetencePlan
        fields = ["unit", "title", "period_start", "period_end", "summary", "parent"]
        widgets = {
            "period_start": date_input(),
            "period_end": date_input(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "parent": _("Empty: the plan of the nearest unit above for an overlapping period."),
        }

    def __init__(self, *args, units=None, readable=None, **kwargs):
        self.units, self.readable = units, readable
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        if self.instance.pk:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = self.units.order_by("name")
            self.fields["unit"].empty_label = _("Choose")
        parent = self.fields["parent"]
        parent.queryset = self.readable.select_related("unit").order_by(
            "unit__name", "-period_start"
        )
        parent.label_from_instance = lambda plan: f"{plan.title} ({plan.unit.name})"
        parent.empty_label = _("The nearest plan above")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        unit = data.get("unit") or (self.instance.unit if self.instance.pk else None)
        parent = data.get("parent")
        if unit and parent and parent.unit_id not in unit.ancestor_ids:
            self.add_error("parent", _("The plan above must be a plan of a unit above this one."))
        return data


class GoalForm(DesignsystemetModelForm):
    class Meta:
        model = Goal
        # What an owner edits is what a revision compares.
        fields = GOAL_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_date": date_input(),
            "level": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "target_value": forms.NumberInput(attrs={"min": 0, "step": "0.1"}),
            "serves": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "competence": _("The competence whose progress the goal follows, live."),
            "level": _("Empty: any level counts."),
            "target_value": _("A percentage for coverage; a number of people or FTE otherwise."),
        }

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        competence = self.fields["competence"]
        competence.queryset = Competence.objects.select_related("scale").order_by("name")
        competence.label_from_instance = lambda c: c.display_name
        competence.empty_label = _("None")
        serves = self.fields["serves"]
        if self.plan.parent_id:
            serves.queryset = self.plan.parent.goals.all()
        else:
            del self.fields["serves"]

    def clean(self):
        data = super().clean()
        competence, level = data.get("competence"), data.get("level")
        if level is not None:
            if competence is None:
                self.add_error("level", _("Choose the competence the level is of."))
            elif competence.scale_id is None:
                self.add_error("level", _("This competence has no levels: leave it empty."))
            elif not competence.scale.levels.filter(value=level).exists():
                self.add_error(
                    "level", _("The competence's scale has no level %(level)s.") % {"level": level}
                )
        value = data.get("target_value")
        if value is not None and value < 0:
            self.add_error("target_value", _("The target cannot be negative."))
        if value is not None and data.get("target_kind") == "coverage" and value > 100:
            self.add_error("target_value", _("Coverage is at most 100 %."))
        if value is not None and competence is None:
            self.add_error("competence", _("A target needs the competence it counts."))
        return data


class MeasureForm(DesignsystemetModelForm):
    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": date_input(),
            "ends_on": date_input(),
            "cost": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["goal"].queryset = self.plan.goals.all()
        self.fields["goal"].empty_label = _("None")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The measure cannot end before it starts."))
        cost = data.get("cost")
        if cost is not None and cost < 0:
            self.add_error("cost", _("The cost cannot be negative."))
        return data


class CommentForm(DesignsystemetForm):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    goal = forms.ModelChoiceField(
        queryset=None, label=_("About the goal"), required=False, empty_label=_("The whole plan")
    )

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["goal"].queryset = self.plan.goals.all()

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write the comment."), code="empty")
        return body


class MeetingForm(DesignsystemetForm):
    meeting_on = forms.DateField(label=_("Meeting date"), widget=date_input())
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What was discussed and agreed with the union representatives."),
    )


class AdoptForm(DesignsystemetForm):
    # On the plan page beside the comment form, whose field has the same name.
    prefix = "adopt"

    body = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        help_text=_("The body that adopted the plan, e.g. the municipal council."),
    )


class EvaluationForm(DesignsystemetForm):
    """One result and note per goal, and the plan's summary of what to improve."""

    summary = forms.CharField(
        label=_("What to improve"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("For the next period's plan: what worked, what did not."),
    )

    def __init__(self, *args, plan=None, goals=(), **kwargs):
        self.plan, self.goals = plan, list(goals)
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        for goal in self.goals:
            self.fields[f"result_{goal.pk}"] = forms.ChoiceField(
                label=_("Result"),
                choices=[("", _("Not evaluated")), *GoalResult.choices],
                required=False,
                initial=goal.result,
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=_("What to improve"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=goal.result_note,
            )
        self.fields["summary"].initial = self.plan.evaluation_summary

    def rows(self):
        return [(goal, self[f"result_{goal.pk}"], self[f"note_{goal.pk}"]) for goal in self.goals]

    def results(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            goal.pk: (data[f"result_{goal.pk}"], data[f"note_{goal.pk}"]) for goal in self.goals
        }
