"""Learning plans (opplæringsplaner): items to reach a competence, complete a course or do a
task, assigned to a person or a group, with one assignment per person and item whose status
follows the data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningPlan(models.Model):
    """A template of items (a plan for new nurses, the yearly mandatory training …)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="learning_plans",
        help_text=_("The unit the plan belongs to: its leaders and HR manage it."),
    )
    measure = models.ForeignKey(
        "plans.Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_plans",
        help_text=_("The measure of a competence plan that this learning plan carries out."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
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
        ordering = ["title", "pk"]
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")

    def __str__(self):
        return self.title


class ItemKind(models.TextChoices):
    COMPETENCE = "competence", _("Reach a competence")
    COURSE = "course", _("Complete a course")
    TASK = "task", _("Task")


class DueKind(models.TextChoices):
    DATE = "date", _("On a date")
    AFTER_ASSIGNMENT = "after_assignment", _("Days after assignment")
    AFTER_HIRE = "after_hire", _("Days after hire")
    NONE = "none", _("No due date")


class LearningPlanItem(models.Model):
    plan = models.ForeignKey(
        LearningPlan,
        verbose_name=_("learning plan"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(
        _("title"), max_length=300, blank=True, help_text=_("Empty: the competence or course.")
    )
    description = models.TextField(_("description"), blank=True)
    competence = models.ForeignKey(
        "competence.Competence",
        verbose_name=_("competence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_plan_items",
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    course = models.ForeignKey(
        "learning.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_plan_items",
    )
    due_kind = models.CharField(
        _("due"), max_length=20, choices=DueKind.choices, default=DueKind.AFTER_ASSIGNMENT
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(_("due after (days)"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("learning plan item")
        verbose_name_plural = _("learning plan items")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="competence", competence__isnull=False)
                    | models.Q(kind="course", course__isnull=False)
                    | models.Q(kind="task")
                ),
                name="item_names_what_it_needs",
            )
        ]

    def __str__(self):
        return self.title or str(self.competence or self.course or "")


class PeopleGroup(models.Model):
    """A hand-made group of people (e.g. the night shift, the new-hire cohort of March)."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="people_groups",
        help_text=_("The unit whose leaders and HR keep the group."),
    )
    members = models.ManyToManyField(
        "organization.Person", verbose_name=_("members"), related_name="people_groups", blank=True
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return self.name


class TargetKind(models.TextChoices):
    PERSON = "person", _("A person")
    UNIT = "unit", _("A unit and everything below it")
    ROLE_IN_UNIT = "role_in_unit", _("A job role within a unit")
    GROUP = "group", _("A group")


class PlanTarget(models.Model):
    """Who a learning plan is assigned to. Membership is read from the data each time the
    assignments are brought up to date: people who join get the plan, people who leave keep
    their history."""

    plan = models.ForeignKey(
        LearningPlan,
        verbose_name=_("learning plan"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = models.CharField(_("assigned to"), max_length=20, choices=TargetKind.choices)
    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    job_role = models.ForeignKey(
        "organization.JobRole",
        verbose_name=_("job role"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    group = models.ForeignKey(
        PeopleGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(
        _("ended at"), null=True, blank=True, help_text=_("No more new assignments after this.")
    )

    class Meta:
        ordering = ["plan", "assigned_at", "pk"]
        verbose_name = _("assignment target")
        verbose_name_plural = _("assignment targets")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="person", person__isnull=False)
                    | models.Q(kind="unit", unit__isnull=False)
                    | models.Q(kind="role_in_unit", unit__isnull=False, job_role__isnull=False)
                    | models.Q(kind="group", group__isnull=False)
                ),
                name="target_names_who",
            )
        ]

    def __str__(self):
        return f"{self.plan} → {self.get_kind_display()}"


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")


class Assignment(models.Model):
    """One item of a learning plan for one person. Its status is set by the data: done when the
    matching verified record or course completion appears, overdue past the due date."""

    plan = models.ForeignKey(
        LearningPlan,
        verbose_name=_("learning plan"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    item = models.ForeignKey(
        LearningPlanItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    target = models.ForeignKey(
        PlanTarget,
        verbose_name=_("through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    assigned_on = models.DateField(_("assigned"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.NOT_STARTED,
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    marked_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a task, which no record shows."),
    )
    left_on = models.DateField(
        _("left the group"),
        null=True,
        blank=True,
        help_text=_("The person no longer belongs to whom the plan is assigned; kept as history."),
    )

    class Meta:
        ordering = ["plan", "person", "item__position", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="assignment_once_per_item")
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["plan", "status"]),
        ]

    def __str__(self):
        return f"{self.person} – {self.item}"
