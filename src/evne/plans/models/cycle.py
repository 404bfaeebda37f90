"""The annual cycle (årshjul) of a unit: the activities that come back every year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CONVERSATIONS = "conversations", _("Development conversations")
    SURVEY = "survey", _("Employee survey")
    PLAN_EVALUATION = "plan_evaluation", _("Plan evaluation")
    UNION_MEETING = "union_meeting", _("Meeting with the union representatives")
    MAPPING = "mapping", _("Competence mapping")
    OTHER = "other", _("Other")


class CycleActivity(models.Model):
    """A recurring activity of a unit's annual cycle, on the same dates every year."""

    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="cycle_activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, help_text=_("Empty: some time in the month.")
    )
    duration_days = models.PositiveSmallIntegerField(
        _("lasts (days)"), default=1, help_text=_("A survey may run for weeks.")
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before"), null=True, blank=True, help_text=_("Empty: no reminder.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Gets the reminder; empty: the unit's leaders."),
    )

    class Meta:
        ordering = ["unit", "month", "day", "pk"]
        verbose_name = _("annual cycle activity")
        verbose_name_plural = _("annual cycle activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="activity_month_in_year"
            ),
            models.CheckConstraint(
                condition=models.Q(day__isnull=True) | models.Q(day__gte=1, day__lte=31),
                name="activity_day_in_month",
            ),
        ]

    def __str__(self):
        return self.title
