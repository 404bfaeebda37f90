"""Forms HR keep the catalog with: competences, areas, and scales with their levels."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceRecord,
    ProficiencyScale,
    Requirement,
    ScaleLevel,
    StaffingTarget,
)
from evne.core.forms import DesignsystemetModelForm
from evne.core.imports.problems import lazy_message

IMPLIES_LIST_SIZE = 10


def area_label(area: CompetenceArea, by_pk: dict[int, CompetenceArea]) -> str:
    """The area under its parents, "Helse og omsorg › Demens", in the active language."""
    names = []
    seen = set()
    while area is not None and area.pk not in seen:
        seen.add(area.pk)
        names.append(area.display_name)
        area = by_pk.get(area.parent_id)
    return " › ".join(reversed(names))


def area_choices(areas) -> list[tuple]:
    """Areas as paths, sorted so that each comes right after its parent."""
    by_pk = {area.pk: area for area in areas}
    choices = [(area.pk, area_label(area, by_pk)) for area in areas]
    return [("", "---------"), *sorted(choices, key=lambda choice: choice[1].casefold())]


def unique_ignoring_case(model, field_name: str, value: str, instance) -> None:
    """Imports match codes and names whatever their case, so "hlr" may not sit beside "HLR"."""
    others = model.objects.filter(**{f"{field_name}__iexact": value})
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise ValidationError(_("This is taken (capital and small letters count as the same)."))


class HttpsURLField(forms.URLField):
    """A web address; one typed without a scheme gets https://."""

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class CompetenceForm(DesignsystemetModelForm):
    class Meta:
        model = Competence
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "area",
            "scale",
            "validity_months",
            "required_by_law",
            "legal_reference",
            "nus_code",
            "esco_uri",
            "implies",
            "description",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"esco_uri": HttpsURLField}

    def prepare_fields(self):
        self.fields["area"].choices = area_choices(list(CompetenceArea.objects.all()))
        self.fields["scale"].label_from_instance = lambda scale: scale.display_name
        others = Competence.objects.order_by("code")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["implies"].queryset = others
        self.fields["implies"].label_from_instance = lambda other: (
            f"{other.code} – {other.display_name}"
        )
        self.fields["implies"].widget.attrs["size"] = IMPLIES_LIST_SIZE
        self.fields["is_active"].help_text = _(
            "A competence that has records or requirements cannot be deleted: mark it as not "
            "in use instead. It stays on the records, and is hidden from new registrations."
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        unique_ignoring_case(Competence, "code", code, self.instance)
        return code

    def clean_scale(self):
        scale = self.cleaned_data["scale"]
        if (
            self.instance.pk
            and scale != self.instance.scale
            and levels_in_use(competence=self.instance)
        ):
            raise ValidationError(
                _(
                    "Records or requirements give levels of the present scale, so the scale "
                    "cannot be changed."
                )
            )
        return scale


def levels_in_use(values=None, **where) -> set[int]:
    """The levels that records, requirements or staffing targets give, of the competences
    `where` selects (competence=…, competence__scale=…), among `values` if given."""
    used = set()
    for model in (CompetenceRecord, Requirement, StaffingTarget):
        rows = model.objects.filter(level__isnull=False, **where)
        if values is not None:
            rows = rows.filter(level__in=values)
        used.update(rows.values_list("level", flat=True).distinct())
    return used


class AreaForm(DesignsystemetModelForm):
    class Meta:
        model = CompetenceArea
        fields = ["name", "name_en", "parent"]

    def prepare_fields(self):
        areas = list(CompetenceArea.objects.all())
        if self.instance.pk:
            below = descendants(self.instance.pk, areas)
            areas = [area for area in areas if area.pk not in below]
        self.fields["parent"].choices = area_choices(areas)
        self.fields["parent"].help_text = _("Empty for a main area.")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        unique_ignoring_case(CompetenceArea, "name", name, self.instance)
        return name


def descendants(pk: int, areas) -> set[int]:
    """The area and every area below it: none of them can become its parent."""
    children: dict[int | None, list[int]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area.pk)
    found, pending = set(), [pk]
    while pending:
        current = pending.pop()
        found.add(current)
        pending.extend(child for child in children.get(current, []) if child not in found)
    return found


class ScaleForm(DesignsystemetModelForm):
    class Meta:
        model = ProficiencyScale
        fields = ["name", "name_en"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        unique_ignoring_case(ProficiencyScale, "name", name, self.instance)
        return name


class LevelForm(DesignsystemetModelForm):
    class Meta:
        model = ScaleLevel
        fields = ["value", "name", "name_en", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BaseLevelFormSet(forms.BaseInlineFormSet):
    """The levels of a scale; a level that records or requirements give cannot be removed or
    renumbered."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this level")
            form.fields["DELETE"].widget.attrs["class"] = "ds-input"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        values = [data["value"] for data in kept]
        if not values:
            raise ValidationError(_("A scale needs at least one level."))
        if len(set(values)) != len(values):
            raise ValidationError(_("Two levels have the same number."))
        if not self.instance.pk:
            return
        before = set(self.instance.levels.values_list("value", flat=True))
        removed = before - set(values)
        in_use = levels_in_use(removed, competence__scale=self.instance) if removed else set()
        if in_use:
            raise ValidationError(
                lazy_message(
                    _(
                        "Records or requirements give level %(levels)s, so it cannot be removed "
                        "or renumbered."
                    ),
                    levels=", ".join(str(value) for value in sorted(in_use)),
                )
            )


LevelFormSet = forms.inlineformset_factory(
    ProficiencyScale,
    ScaleLevel,
    form=LevelForm,
    formset=BaseLevelFormSet,
    extra=1,
    can_delete=True,
)
