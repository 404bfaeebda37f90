"""What is needed: requirements (kompetansekrav) and staffing targets (bemanningsmål)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequirementKind(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    DESIRED = "desired", _("Desired")


class Requirement(models.Model):
    """A competence needed at a level, for a job role, for an org unit (and everything below
    it), or for a job role within a unit (both set).

    The gap engine gathers a person's requirements from their roles, the units on the path to
    the root and their roles within those units, and keeps the strictest per competence.
    """

    competence = models.ForeignKey(
        "competence.Competence",
        verbose_name=_("competence"),
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    job_role = models.ForeignKey(
        "organization.JobRole",
        verbose_name=_("job role"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirements",
        help_text=_("Applies to the unit and every unit below it."),
    )
    kind = models.CharField(
        _("requirement"),
        max_length=10,
        choices=RequirementKind.choices,
        default=RequirementKind.MANDATORY,
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        help_text=_("The lowest level that meets it; empty for a have/not competence."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    grace_days = models.PositiveSmallIntegerField(
        _("grace period for new hires (days)"),
        null=True,
        blank=True,
        help_text=_("How long someone newly hired has to meet it."),
    )

    class Meta:
        ordering = ["competence__name", "pk"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(job_role__isnull=False) | models.Q(unit__isnull=False),
                name="requirement_has_role_or_unit",
            ),
            # One requirement per competence and holder; NULLs are distinct in a plain unique
            # constraint, so each combination has its own.
            models.UniqueConstraint(
                fields=["competence", "job_role"],
                condition=models.Q(unit__isnull=True),
                name="requirement_unique_for_role",
            ),
            models.UniqueConstraint(
                fields=["competence", "unit"],
                condition=models.Q(job_role__isnull=True),
                name="requirement_unique_for_unit",
            ),
            models.UniqueConstraint(
                fields=["competence", "unit", "job_role"],
                condition=models.Q(unit__isnull=False, job_role__isnull=False),
                name="requirement_unique_for_role_in_unit",
            ),
        ]

    def __str__(self):
        return f"{self.competence} ({self.holder_label()})"

    def holder_label(self) -> str:
        if self.job_role_id and self.unit_id:
            return _("%(role)s in %(unit)s") % {"role": self.job_role, "unit": self.unit}
        return str(self.job_role or self.unit)

    def clean(self):
        if self.job_role_id is None and self.unit_id is None:
            raise ValidationError(_("Choose a job role, a unit, or both."))


class StaffingMeasure(models.TextChoices):
    PEOPLE = "people", _("People")
    FTE = "fte", _("FTE")


class StaffingTarget(models.Model):
    """A unit needs at least N people, or N full-time equivalents, with a competence — now, or
    from a date (bemanningsmål: "minst to sykepleiere med videreutdanning i demens på hver
    vakt")."""

    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="staffing_targets",
    )
    competence = models.ForeignKey(
        "competence.Competence",
        verbose_name=_("competence"),
        on_delete=models.PROTECT,
        related_name="staffing_targets",
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    measure = models.CharField(
        _("counted in"),
        max_length=10,
        choices=StaffingMeasure.choices,
        default=StaffingMeasure.PEOPLE,
    )
    minimum = models.DecimalField(
        _("at least"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("The number of people, or of full-time equivalents (1.0 = one full time)."),
    )
    due_on = models.DateField(
        _("by"), null=True, blank=True, help_text=_("Empty: the target applies now.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["unit__name", "competence__name"]
        verbose_name = _("staffing target")
        verbose_name_plural = _("staffing targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__gte=0), name="staffing_target_minimum_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.unit}: {self.minimum} {self.get_measure_display()} – {self.competence}"
