"""Forms for authoring e-learning modules: the settings, pages, images and the question bank."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from evne.competence import evidence
from evne.core.forms import DesignsystemetForm, DesignsystemetModelForm
from evne.learning.elearning import publication_problems
from evne.learning.models import Choice, Module, ModuleImage, ModulePage, Question, QuestionKind

# Pictures for a page: large photos are scaled down by whoever takes them, not by Evne.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_ACCEPT = ".png,.jpg,.jpeg,.gif,.webp,image/png,image/jpeg,image/gif,image/webp"
GIF = evidence.EvidenceType("image/gif", ".gif")
IMAGE_TYPES = {evidence.JPEG, evidence.PNG, evidence.WEBP, GIF}


def image_type(handle) -> evidence.EvidenceType | None:
    """The type of an image file from its first bytes (never its name): PNG, JPEG, GIF or
    WebP; None for anything else. The file is left at its start."""
    handle.seek(0)
    head = handle.read(evidence.HEAD_BYTES)
    handle.seek(0)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    found = evidence.detect(head)
    return found if found in IMAGE_TYPES else None


class ModuleForm(DesignsystemetModelForm):
    class Meta:
        model = Module
        fields = ["pass_mark_percent", "questions_per_attempt", "attempts_allowed", "is_published"]

    def prepare_fields(self):
        for name in ("pass_mark_percent", "questions_per_attempt", "attempts_allowed"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean_pass_mark_percent(self):
        mark = self.cleaned_data["pass_mark_percent"]
        if not 1 <= mark <= 100:
            raise ValidationError(_("The pass mark is a share from 1 to 100 %."))
        return mark

    def clean_questions_per_attempt(self):
        return _at_least_one(self.cleaned_data["questions_per_attempt"])

    def clean_attempts_allowed(self):
        return _at_least_one(self.cleaned_data["attempts_allowed"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_published") and "questions_per_attempt" in cleaned:
            problems = publication_problems(
                self.instance, questions_per_attempt=cleaned["questions_per_attempt"]
            )
            for problem in problems:
                self.add_error("is_published", problem)
        return cleaned


def _at_least_one(number):
    if number is not None and number < 1:
        raise ValidationError(_("Leave it empty or give a number from 1."))
    return number


class PageForm(DesignsystemetModelForm):
    class Meta:
        model = ModulePage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "body": _(
                "Markdown: **bold**, *italic*, lines starting with - for a list, ## for a "
                "heading, [text](https://…) for a link, ![what it shows](image:12) for one of "
                "the module's images."
            )
        }


class ImageForm(DesignsystemetModelForm):
    class Meta:
        model = ModuleImage
        fields = ["image", "alt_text"]
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})}

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if not upload.size:
            raise ValidationError(_("The file is empty."))
        if upload.size > IMAGE_MAX_BYTES:
            raise ValidationError(
                _("The image is too large (%(size)s). The limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)}
            )
        if image_type(upload) is None:
            raise ValidationError(_("The file is not a picture in PNG, JPEG, GIF or WebP format."))
        return upload


class QuestionForm(DesignsystemetModelForm):
    """A question; a true-or-false one also says which is right, and gets its two options."""

    true_false_answer = forms.TypedChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Question
        fields = ["text", "explanation", "is_active"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def prepare_fields(self):
        if self.kind != QuestionKind.TRUE_FALSE:
            del self.fields["true_false_answer"]
        elif self.instance.pk:
            right = self.instance.choices.filter(is_correct=True).first()
            if right is not None:
                self.initial["true_false_answer"] = "true" if right.position == 1 else "false"

    def clean_true_false_answer(self):
        answer = self.cleaned_data["true_false_answer"]
        if not answer:
            raise ValidationError(_("Choose whether the statement is true or false."))
        return answer


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["text", "is_correct"]
        labels = {"text": _("Option"), "is_correct": _("Right answer")}
        widgets = {"text": forms.TextInput(attrs={"class": "ds-input"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_correct"].widget.attrs["class"] = "ds-input"


class BaseChoiceFormSet(forms.BaseInlineFormSet):
    """The options of a single- or multiple-choice question: at least two, and one right
    (single choice) or at least one right (multiple choice). Empty rows are left out."""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this option")
            form.fields["DELETE"].widget.attrs["class"] = "ds-input"

    def kept(self) -> list[forms.ModelForm]:
        return [
            form
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("text")
            and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept()
        if len(kept) < 2:
            raise ValidationError(_("A question needs at least two options."))
        right = sum(bool(form.cleaned_data.get("is_correct")) for form in kept)
        if self.kind == QuestionKind.SINGLE and right != 1:
            raise ValidationError(_("Mark exactly one option as the right answer."))
        if self.kind == QuestionKind.MULTIPLE and right < 1:
            raise ValidationError(_("Mark at least one option as a right answer."))


def choice_formset(kind: str, *, data=None, instance=None):
    extra = 2 if instance is not None and instance.pk else 4
    formset_class = forms.inlineformset_factory(
        Question, Choice, form=ChoiceForm, formset=BaseChoiceFormSet, extra=extra, can_delete=True
    )
    return formset_class(data=data, instance=instance, kind=kind, prefix="options")


class VerifyForm(DesignsystemetForm):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example ACDE-FGHJ-KMNP."),
    )

    def prepare_fields(self):
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )
