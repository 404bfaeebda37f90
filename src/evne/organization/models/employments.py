import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRole(models.Model):
    """A job role (stilling): sykepleier, helsefagarbeider, lærer, enhetsleder …"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    styrk_code = models.CharField(
        _("STYRK-08 code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A STYRK-08 code has four digits."))],
    )
    occupation_code = models.CharField(
        _("occupation code"),
        max_length=7,
        blank=True,
        help_text=_("The 7-digit occupation code of payroll reporting (a-ordningen)."),
        validators=[RegexValidator(r"^\d{7}$", _("An occupation code has seven digits."))],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")

    def __str__(self):
        return self.name


class EmploymentKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")


class EmploymentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "EmploymentQuerySet":
        """Employments that have started by `day` and not ended before it."""
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )

    def current_or_future(self, day: datetime.date) -> "EmploymentQuerySet":
        """Employments not ended before `day`, including those that start later."""
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


class Employment(models.Model):
    """A position (stilling) a person holds in a unit; a person can hold several at once, and one
    of them is the primary position (hovedstilling)."""

    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="employments",
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    job_role = models.ForeignKey(
        JobRole, verbose_name=_("job role"), on_delete=models.PROTECT, related_name="employments"
    )
    fte = models.DecimalField(
        _("FTE %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Stillingsprosent, 0 to 100."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=EmploymentKind.choices, default=EmploymentKind.PERMANENT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary position"), default=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fte__gte=0) & models.Q(fte__lte=100),
                name="employment_fte_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["unit", "end_date"])]

    def __str__(self):
        return f"{self.person} – {self.job_role}, {self.unit} ({self.fte} %)"
