"""Forms for courses (kurs) and the competences a completion grants."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evne.competence.forms.records import CreditsField, competence_choices
from evne.competence.models import Competence
from evne.competence.recording import level_error, scale_levels
from evne.core.forms import DesignsystemetForm, DesignsystemetModelForm
from evne.core.imports.problems import lazy_message
from evne.learning.models import Course, CourseGrant, CourseKind


class CourseForm(DesignsystemetModelForm):
    class Meta:
        model = Course
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "description",
            "provider",
            "hours",
            "cost",
            "credits",
            "requires_approval",
            "is_active",
        ]
        # Hours, cost and credits take a decimal comma as Norwegians write them.
        field_classes = {"hours": CreditsField, "cost": CreditsField, "credits": CreditsField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "hours": forms.TextInput(attrs={"inputmode": "decimal"}),
            "cost": forms.TextInput(attrs={"inputmode": "decimal"}),
            "credits": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def prepare_fields(self):
        for name in ("hours", "cost", "credits"):
            self.fields[name].min_value = 0
            self.fields[name].validators.append(_not_negative)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = Course.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("Another course has the code %(code)s."), params={"code": code}, code="taken"
            )
        return code


def _not_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("Give zero or more."), code="negative")


class GrantForm(DesignsystemetModelForm):
    """One competence the course grants, with its level checked against the competence's
    scale."""

    class Meta:
        model = CourseGrant
        fields = ["competence", "level", "validity_months"]
        widgets = {"level": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})}

    def prepare_fields(self):
        self.fields["competence"].queryset = Competence.objects.filter(is_active=True)
        self.fields["competence"].choices = competence_choices()
        self.fields["level"].help_text = _(
            "For a competence on a scale, the level the course gives. Leave it empty for one "
            "that one has or not."
        )

    def clean(self):
        data = super().clean()
        competence = data.get("competence")
        if competence is not None and "level" not in self.errors:
            problem = level_error(competence, data.get("level"), scale_levels(competence))
            if problem:
                message, params = problem
                self.add_error("level", ValidationError(message, params=params, code="level"))
        return data


class BaseGrantFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this competence")
            form.fields["DELETE"].widget.attrs["class"] = "ds-input"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        chosen = [
            form.cleaned_data["competence"]
            for form in self.forms
            if form.cleaned_data.get("competence") and not form.cleaned_data.get("DELETE")
        ]
        twice = {c.display_name for c in chosen if chosen.count(c) > 1}
        if twice:
            raise ValidationError(
                lazy_message(
                    _("%(competences)s is listed twice. A course grants a competence once."),
                    competences=", ".join(sorted(twice)),
                )
            )


GrantFormSet = forms.inlineformset_factory(
    Course, CourseGrant, form=GrantForm, formset=BaseGrantFormSet, extra=1, can_delete=True
)


class CourseFilterForm(DesignsystemetForm):
    """Search and filter of the course list (GET)."""

    q = forms.CharField(label=_("Search by name, code or provider"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CourseKind.choices]
    )
