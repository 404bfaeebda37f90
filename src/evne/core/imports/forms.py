"""The upload form of the import page: which kind of file, the file itself and the modes."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from evne.core.imports.pipeline import IMPORTERS
from evne.core.imports.problems import lazy_message
from evne.core.imports.reading import MAX_FILE_SIZE

# The reading layer refuses larger files too; the form says so before anything is read.
MAX_UPLOAD_BYTES = MAX_FILE_SIZE


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        # A callable: the importers register when the apps are ready, after this module loads.
        choices=lambda: [(kind, importer.label) for kind, importer in IMPORTERS.items()],
        initial="people",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (comma, semicolon or tab separated) or Excel workbook (XLSX)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "class": "ds-input"}),
    )
    sheet = forms.CharField(
        label=_("Worksheet (optional)"),
        help_text=_("For an Excel workbook: the name of the sheet to read. Default: the first."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    full_sync = forms.BooleanField(
        label=_("Full sync"),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "ds-input", "aria-describedby": "id_full_sync_description"}
        ),
    )
    force = forms.BooleanField(
        label=_("Force"),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "ds-input", "aria-describedby": "id_force_description"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                lazy_message(
                    _("The file is too large (%(size)s). The limit is %(limit)s."),
                    size=filesizeformat(upload.size),
                    limit=filesizeformat(MAX_UPLOAD_BYTES),
                ),
                code="too_large",
            )
        return upload

    def kind_choices(self):
        """The radio buttons with their explanations, for the template."""
        for radio in self["kind"]:
            yield radio, IMPORTERS[radio.data["value"]].description
