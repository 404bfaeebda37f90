"""The competence catalog (kompetansekatalog): areas, competences and proficiency scales."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from evne.competence.models.translated import in_language


class CompetenceKind(models.TextChoices):
    """The kinds of competence a municipality counts (seed 004, "Definisjoner og beskrivelser")."""

    FORMAL_EDUCATION = "formal_education", _("Formal education")
    FURTHER_EDUCATION = "further_education", _("Further education")
    TRADE_CERTIFICATE = "trade_certificate", _("Trade certificate")
    CERTIFICATION = "certification", _("Certification or authorisation")
    COURSE = "course", _("Course")
    INFORMAL = "informal", _("Informal learning")
    DIGITAL = "digital", _("Digital competence")
    LANGUAGE = "language", _("Language")
    BASIC_SKILL = "basic_skill", _("Basic skill")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social and emotional skill")
    TACIT = "tacit", _("Tacit competence")
    PRIOR_LEARNING = "prior_learning", _("Prior learning (realkompetanse)")


class CompetenceArea(models.Model):
    """A group of the catalog (kompetanseområde): helse og omsorg, oppvekst, ledelse …; areas
    form a tree."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)

    def clean(self):
        area = self.parent
        while area is not None:
            if area.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An area cannot be placed under itself or one of its sub-areas.")}
                )
            area = area.parent


class ProficiencyScale(models.Model):
    """A scale of named proficiency levels (ferdighetsnivåer), e.g. 1 Grunnleggende … 4 Ekspert.

    A competence without a scale is plain have/not.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("proficiency scale")
        verbose_name_plural = _("proficiency scales")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class ScaleLevel(models.Model):
    """One level of a scale: its number (higher is more) and its name."""

    scale = models.ForeignKey(
        ProficiencyScale, verbose_name=_("scale"), on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["scale", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scale_level_unique_value")
        ]

    def __str__(self):
        return f"{self.value} {self.display_name}"

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Competence(models.Model):
    """A competence of the catalog (kompetanse): what a person can have and a service can need."""

    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("A short, stable code used by files and integrations, e.g. HLR-VOKSEN."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        CompetenceArea,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competences",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CompetenceKind.choices)
    scale = models.ForeignKey(
        ProficiencyScale,
        verbose_name=_("proficiency scale"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competences",
        help_text=_("Empty for a competence one has or has not."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("For what expires and must be renewed, e.g. 12 for CPR. Empty: no expiry."),
    )
    nus_code = models.CharField(
        _("NUS code"),
        max_length=10,
        blank=True,
        help_text=_("Statistics Norway's standard classification of education."),
    )
    esco_uri = models.URLField(_("ESCO URI"), max_length=300, blank=True)
    required_by_law = models.BooleanField(_("required by law"), default=False)
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=300,
        blank=True,
        help_text=_("The law or regulation that requires it (hjemmel)."),
    )
    implies = models.ManyToManyField(
        "self",
        verbose_name=_("implies"),
        symmetrical=False,
        blank=True,
        related_name="implied_by",
        help_text=_(
            "Competences this one satisfies too: a nursing degree implies medicine handling."
        ),
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Competences no longer in use are hidden from new registrations."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)
