from django.contrib.auth.forms import PasswordChangeForm


class StyledPasswordChangeForm(PasswordChangeForm):
    """Django's password change form with Designsystemet inputs and errors tied to their fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            described_by = [f"id_{name}_help"] if field.help_text else []
            if self.errors.get(name):
                described_by.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["class"] = "ds-input"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)
