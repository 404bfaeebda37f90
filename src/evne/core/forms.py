"""Forms in Designsystemet's look, with help texts and errors tied to their fields for screen
readers (the ids are those `core/_field.html` gives them)."""

from django import forms

# Radio buttons and checkbox lists are styled per choice by their templates.
CHOICE_LIST_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class DesignsystemetFields:
    """Styles a form's fields once they are final; subclasses finish their fields (choices that
    depend on the data, the request or the settings) in `prepare_fields`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare_fields()
        for name, field in self.fields.items():
            if not isinstance(field.widget, CHOICE_LIST_WIDGETS):
                field.widget.attrs.setdefault("class", "ds-input")
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def prepare_fields(self):
        """Finish the fields before they are styled."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described_by = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described_by.insert(0, f"{self[name].auto_id}_help")
                attrs["aria-describedby"] = " ".join(described_by)


class DesignsystemetForm(DesignsystemetFields, forms.Form):
    pass


class DesignsystemetModelForm(DesignsystemetFields, forms.ModelForm):
    pass
