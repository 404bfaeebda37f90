"""Strategic competence plans (strategiske kompetanseplaner): for a unit and a period, measurable
goals and the measures (tiltak) that reach them, through consultation with the union
representatives (drøfting), adoption, evaluation and a copy for the next period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    ADOPTED = "adopted", _("Adopted")
    EVALUATED = "evaluated", _("Evaluated")


class CompetencePlan(models.Model):
    """A strategic competence plan for an org unit (and its subtree) over a period."""

    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="competence_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("The needs the plan answers, in a few sentences.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owners"),
        related_name="owned_competence_plans",
        blank=True,
        help_text=_("Who may edit the plan, besides HR and administrators."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("plan above"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The plan of the unit above, whose goals this plan serves."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text=_("The plan of the period before, this one started as a copy of."),
    )
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=0, help_text=_("0 until first adopted; each adoption adds one.")
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_by_body = models.CharField(
        _("adopted by (body)"),
        max_length=200,
        blank=True,
        help_text=_("Who adopted it: the municipal council, the chief executive, the unit leader."),
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    evaluation_summary = models.TextField(_("what to improve"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_start", "unit__name", "pk"]
        verbose_name = _("competence plan")
        verbose_name_plural = _("competence plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title


class Consultation(models.Model):
    """A round of consultation with the union representatives of the plan's unit (drøfting):
    while it is open they read and comment; the meeting and its minutes are kept."""

    plan = models.ForeignKey(
        CompetencePlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "opened_at", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return f"{self.plan} ({self.opened_at:%d.%m.%Y})"


class PlanComment(models.Model):
    """A comment on a plan in consultation, kept with the plan."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    goal = models.ForeignKey(
        "plans.Goal",
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["consultation", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]


class TargetKind(models.TextChoices):
    COVERAGE = "coverage", _("Coverage (%)")
    PEOPLE = "people", _("Qualified people")
    FTE = "fte", _("Qualified FTE")


class GoalResult(models.TextChoices):
    REACHED = "reached", _("Reached")
    PARTLY = "partly", _("Partly reached")
    NOT_REACHED = "not_reached", _("Not reached")


class Goal(models.Model):
    """A measurable goal (mål): a competence, a target (coverage or a number of qualified
    people or FTE) and the date it is to be reached by. Its progress comes from the gap engine."""

    plan = models.ForeignKey(
        CompetencePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    competence = models.ForeignKey(
        "competence.Competence",
        verbose_name=_("competence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_goals",
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    target_kind = models.CharField(
        _("target"), max_length=20, choices=TargetKind.choices, default=TargetKind.COVERAGE
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    target_date = models.DateField(_("reached by"), null=True, blank=True)
    serves = models.ManyToManyField(
        "self",
        symmetrical=False,
        verbose_name=_("serves the goals"),
        related_name="served_by",
        blank=True,
        help_text=_("Goals of the plan above that this goal helps reach."),
    )
    result = models.CharField(
        _("evaluation"), max_length=20, choices=GoalResult.choices, blank=True
    )
    result_note = models.TextField(_("what to improve"), blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.title


class MeasureKind(models.TextChoices):
    MOBILISATION = "mobilisation", _("Mobilisation")
    DEVELOPMENT = "development", _("Development")
    RECRUITMENT = "recruitment", _("Recruitment")


class FundingSource(models.TextChoices):
    BUDGET = "budget", _("Own budget")
    GRANT = "grant", _("Grant")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Measure(models.Model):
    """A measure (tiltak) of a plan: mobilise what people know, develop it, or recruit it."""

    plan = models.ForeignKey(
        CompetencePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("measure"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    owner = models.CharField(
        _("responsible"), max_length=200, blank=True, help_text=_("A role or a name.")
    )
    cost = models.DecimalField(
        _("cost (NOK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    funding = models.CharField(
        _("funding"), max_length=20, choices=FundingSource.choices, blank=True
    )
    funding_note = models.CharField(
        _("funding details"),
        max_length=300,
        blank=True,
        help_text=_("The grant scheme, the budget line."),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.title


class PlanRevision(models.Model):
    """What a plan held when it was adopted: its goals and measures as data, so that the next
    revision's differences can be shown."""

    plan = models.ForeignKey(
        CompetencePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    adopted_at = models.DateTimeField(_("adopted at"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="revision_once_per_plan")
        ]

    def __str__(self):
        return f"{self.plan} r{self.number}"
