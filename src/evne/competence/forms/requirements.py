"""Forms for requirements (kompetansekrav) and staffing targets (bemanningsmål)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evne.competence.models import (
    Competence,
    Requirement,
    ScaleLevel,
    StaffingMeasure,
    StaffingTarget,
)
from evne.core.forms import DesignsystemetModelForm
from evne.core.imports.problems import lazy_message
from evne.organization.models import JobRole

# A level is chosen as "scale:value": scales may share level numbers, and the scale tells which
# one the user meant.
LEVEL_SEPARATOR = ":"


def competences_to_choose(current: Competence | None):
    """Competences in use, and the current one when it is no longer in use, so that editing an
    old requirement does not silently change it."""
    allowed = Q(is_active=True) | Q(pk=current.pk) if current else Q(is_active=True)
    return Competence.objects.filter(allowed)


def competence_choices(competences) -> list:
    """The competences grouped by area, by name within each."""
    groups: dict[str, list] = {}
    for competence in competences.select_related("area"):
        area = competence.area.display_name if competence.area else str(_("Other"))
        groups.setdefault(area, []).append(
            (competence.pk, f"{competence.display_name} ({competence.code})")
        )
    for members in groups.values():
        members.sort(key=lambda choice: choice[1].casefold())
    return [("", "---------"), *sorted(groups.items(), key=lambda item: item[0].casefold())]


def level_choices() -> list:
    """Every named level, grouped by scale, with "no level" for a competence one has or not."""
    groups: dict[str, list] = {}
    for level in ScaleLevel.objects.select_related("scale").order_by("scale__name", "value"):
        groups.setdefault(level.scale.display_name, []).append(
            (f"{level.scale_id}{LEVEL_SEPARATOR}{level.value}", str(level))
        )
    return [("", _("No level (had or not)")), *groups.items()]


def level_key(competence: Competence | None, level: int | None) -> str:
    if competence is None or competence.scale_id is None or level is None:
        return ""
    return f"{competence.scale_id}{LEVEL_SEPARATOR}{level}"


def competence_field(current: Competence | None) -> forms.ModelChoiceField:
    competences = competences_to_choose(current)
    field = forms.ModelChoiceField(queryset=competences, label=_("Competence"))
    field.choices = competence_choices(competences)
    return field


class LevelMixin:
    """A level chosen by name, checked against the competence's scale: required for a
    competence on a scale, empty for one that is had or not."""

    def setup_level(self, help_text):
        self.fields["level"] = forms.ChoiceField(
            label=_("Level"), required=False, choices=level_choices(), help_text=help_text
        )
        if self.instance.pk:
            self.initial["level"] = level_key(self.instance.competence, self.instance.level)

    def clean_level(self):
        text = self.cleaned_data.get("level") or ""
        if not text:
            return None
        scale_id, _separator, value = text.partition(LEVEL_SEPARATOR)
        return int(scale_id), int(value)

    def check_level(self, cleaned_data):
        competence = cleaned_data.get("competence")
        chosen = cleaned_data.get("level")
        cleaned_data["level"] = chosen[1] if chosen else None
        if competence is None or "level" in self.errors:
            return
        if competence.scale_id is None:
            if chosen:
                self.add_error("level", _("This competence is had or not: leave the level empty."))
            return
        if not chosen or chosen[0] != competence.scale_id:
            self.add_error(
                "level",
                lazy_message(
                    _("Choose a level of the scale %(scale)s, which this competence uses."),
                    scale=competence.scale.display_name,
                ),
            )


DUPLICATE_REQUIREMENT = _(
    "There is already a requirement for this competence here. Edit that one instead."
)


class RequirementForm(LevelMixin, DesignsystemetModelForm):
    """A requirement of a unit (optionally only for one job role there) or of a job role.

    The holder comes with the instance: `Requirement(unit=…)` or `Requirement(job_role=…)`.
    """

    class Meta:
        model = Requirement
        fields = ["competence", "job_role", "kind", "level", "legal_basis", "grace_days"]
        widgets = {"kind": forms.RadioSelect}
        labels = {
            "kind": _("Requirement"),
            "legal_basis": _("Legal basis"),
            "grace_days": _("Grace period for new hires (days)"),
        }
        help_texts = {
            "legal_basis": _(
                "The law or regulation behind the requirement. Empty: the competence's legal "
                "reference from the catalog is shown."
            ),
            "grace_days": _(
                "How many days someone newly hired has to meet the requirement. Empty: from "
                "the first day."
            ),
        }

    def prepare_fields(self):
        current = self.instance.competence if self.instance.competence_id else None
        self.fields["competence"] = competence_field(current)
        self.setup_level(
            _("The lowest level that meets the requirement. Each scale names its levels.")
        )
        if self.instance.unit_id is None:
            # A job role's own requirement: the role is fixed by the page it is made on.
            del self.fields["job_role"]
        else:
            role = self.fields["job_role"]
            role.queryset = JobRole.objects.order_by("name")
            role.label = _("Only for the job role")
            role.help_text = _(
                "Empty: the requirement holds for everyone in the unit and in the units below it."
            )
            role.empty_label = _("Everyone in the unit")

    def clean(self):
        cleaned_data = super().clean()
        self.check_level(cleaned_data)
        competence = cleaned_data.get("competence")
        job_role = cleaned_data.get("job_role", self.instance.job_role)
        if competence is not None:
            duplicate = Requirement.objects.filter(
                competence=competence, unit=self.instance.unit, job_role=job_role
            ).exclude(pk=self.instance.pk)
            if duplicate.exists():
                self.add_error("competence", DUPLICATE_REQUIREMENT)
        return cleaned_data


class CommaDecimalField(forms.DecimalField):
    """A number with a decimal comma or point in either language: people in Norway write 1,5
    whatever language the pages are in."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\xa0", "").replace(",", ".")
        return super().to_python(value)


class StaffingTargetForm(LevelMixin, DesignsystemetModelForm):
    """A staffing target of a unit; the unit comes with the instance."""

    minimum = CommaDecimalField(
        label=_("At least"),
        max_digits=7,
        decimal_places=1,
        localize=True,
        help_text=_("A number of people (a whole number), or of full-time equivalents (1,5)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = StaffingTarget
        fields = ["competence", "level", "measure", "minimum", "due_on", "note"]
        widgets = {
            "measure": forms.RadioSelect,
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"measure": _("Counted in"), "due_on": _("By"), "note": _("Note")}
        help_texts = {"due_on": _("Empty: the target applies now.")}

    def prepare_fields(self):
        current = self.instance.competence if self.instance.competence_id else None
        self.fields["competence"] = competence_field(current)
        self.setup_level(_("The lowest level that counts. Each scale names its levels."))
        minimum = self.instance.minimum
        if minimum is not None and minimum == minimum.to_integral_value():
            self.initial["minimum"] = minimum.quantize(1)  # 2 people, not 2,0

    def clean(self):
        cleaned_data = super().clean()
        self.check_level(cleaned_data)
        minimum = cleaned_data.get("minimum")
        if minimum is not None:
            if minimum <= 0:
                self.add_error("minimum", _("The target must be more than 0."))
            elif (
                cleaned_data.get("measure") == StaffingMeasure.PEOPLE
                and minimum != minimum.to_integral_value()
            ):
                self.add_error("minimum", _("People are counted in whole numbers."))
        return cleaned_data
