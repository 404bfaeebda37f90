"""Forms for competence records: registering one (the employee's own, or a leader's for their
people) and rejecting one in the verification queue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.competence import evidence, recording
from evne.competence.models import Competence, ScaleLevel
from evne.core.forms import DesignsystemetForm
from evne.core.imports.problems import lazy_message

# A level is chosen as "scale:value": scales may share level numbers, and the scale says which
# one the user meant when the page lists every scale (without JavaScript).
LEVEL_SEPARATOR = ":"
ISO_DATE = "%Y-%m-%d"  # what a browser's date picker sends and expects


def competence_choices() -> list:
    """Competences in use, grouped by area, by name within each."""
    groups: dict[str, list] = {}
    for competence in Competence.objects.filter(is_active=True).select_related("area"):
        area = competence.area.display_name if competence.area else str(_("Other"))
        groups.setdefault(area, []).append((competence.pk, competence.display_name))
    for members in groups.values():
        members.sort(key=lambda choice: choice[1].casefold())
    return [("", _("Choose a competence")), *sorted(groups.items(), key=lambda g: g[0].casefold())]


def level_choices(competence: Competence | None = None) -> list:
    """The levels to choose from: every scale's, grouped by scale, or only the competence's."""
    if competence is not None and competence.scale_id is None:
        return [("", _("No level: one has it or not"))]
    levels = ScaleLevel.objects.select_related("scale").order_by("scale__name", "value")
    if competence is not None:
        levels = levels.filter(scale_id=competence.scale_id)
    groups: dict[str, list] = {}
    for level in levels:
        groups.setdefault(level.scale.display_name, []).append(
            (f"{level.scale_id}{LEVEL_SEPARATOR}{level.value}", str(level))
        )
    if competence is not None:
        return [("", _("Choose a level")), *next(iter(groups.values()), [])]
    return [("", _("No level: one has it or not")), *groups.items()]


class CreditsField(forms.DecimalField):
    """Studiepoeng with a decimal comma or point in either language: 7,5 and 7.5 alike."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class RecordForm(DesignsystemetForm):
    """A competence record as a person registers it; `narrow_to` lists only that competence's
    levels (the level field swapped in when the competence changes)."""

    competence = forms.ModelChoiceField(
        queryset=Competence.objects.filter(is_active=True), label=_("Competence")
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        help_text=_("For a competence on a scale. Leave it empty for one that one has or not."),
    )
    obtained_on = forms.DateField(
        label=_("Date obtained"),
        help_text=_("The date of the course, the certificate or the diploma."),
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    expires_on = forms.DateField(
        label=_("Expires (optional)"),
        required=False,
        help_text=_(
            "Leave it empty to count it from the competence's validity, such as 12 months for "
            "CPR. A competence without a validity does not expire."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    credits = CreditsField(
        label=_("Credits (optional)"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        help_text=_("Studiepoeng, for further education."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": evidence.ACCEPT}),
    )
    evidence_reference = forms.CharField(
        label=_("Reference to the evidence (optional)"),
        required=False,
        max_length=300,
        help_text=_("A diploma number or an archive case, if you do not upload a file."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, narrow_to: Competence | None = None, **kwargs):
        self.narrow_to = narrow_to
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        self.fields["competence"].choices = competence_choices()
        self.fields["competence"].widget.attrs.update(
            {
                "hx-get": reverse("record_levels"),
                "hx-target": "#level-field",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
                # A level already chosen is kept when it belongs to the new competence's scale.
                "hx-include": "#id_level",
            }
        )
        self.fields["level"].choices = level_choices(self.narrow_to)
        self.fields["obtained_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["evidence"].help_text = lazy_message(
            _("A PDF, or a photo of the certificate (JPEG, PNG, WebP or HEIC), at most %(limit)s."),
            limit=filesizeformat(settings.EVNE_EVIDENCE_MAX_BYTES),
        )

    def clean_level(self) -> tuple[int, int] | None:
        text = self.cleaned_data.get("level") or ""
        if not text:
            return None
        scale_id, _separator, value = text.partition(LEVEL_SEPARATOR)
        return int(scale_id), int(value)

    def clean(self):
        cleaned = super().clean()
        competence = cleaned.get("competence")
        chosen = cleaned.get("level")
        level = None
        # A level of another scale counts as no level: the competence's own is asked for.
        if (
            competence is not None
            and chosen is not None
            and competence.scale_id in (None, chosen[0])
        ):
            level = chosen[1]
        cleaned["level"] = level
        if competence is not None and "level" not in self.errors:
            try:
                recording.check_values(
                    competence,
                    level=level,
                    obtained_on=cleaned.get("obtained_on"),
                    expires_on=cleaned.get("expires_on"),
                    evidence_file=cleaned.get("evidence"),
                )
            except ValidationError as error:
                for name, messages in error.error_dict.items():
                    self.add_error(name, messages)
        return cleaned

    def registration(self) -> dict:
        """The values for `recording.register_record`."""
        data = self.cleaned_data
        return {
            "competence": data["competence"],
            "level": data["level"],
            "obtained_on": data["obtained_on"],
            "expires_on": data["expires_on"],
            "credits": data["credits"],
            "evidence_file": data["evidence"],
            "evidence_reference": data["evidence_reference"],
            "note": data["note"],
        }


class RejectForm(DesignsystemetForm):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=2000,
        help_text=_("The employee sees the reason."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": recording.REASON_MISSING},
    )
