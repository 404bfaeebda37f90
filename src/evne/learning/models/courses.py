"""Courses (kurs) and who takes part: sessions, enrolments and completions.

A completion is the one fact the rest of Evne reads: it grants the course's competences as
verified records, whether it came from a session's attendance, a passed e-learning test or
another learning platform's export.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evne.competence.models.translated import in_language


class CourseKind(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ELEARNING = "elearning", _("E-learning")
    WEBINAR = "webinar", _("Webinar")
    WORKPLACE = "workplace", _("Workplace learning")
    MENTORING = "mentoring", _("Mentoring")
    FURTHER_EDUCATION = "further_education", _("Further education")


class Course(models.Model):
    """Something people can take part in to learn (kurs, opplæring, videreutdanning)."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Short and stable: imports from other learning platforms use it."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    description = models.TextField(_("description"), blank=True)
    provider = models.CharField(
        _("provider"), max_length=200, blank=True, help_text=_("Who gives the course.")
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    cost = models.DecimalField(
        _("cost per participant (NOK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    credits = models.DecimalField(
        _("credits"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Studiepoeng, for further education."),
    )
    requires_approval = models.BooleanField(
        _("enrolment needs the leader's approval"), default=False
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Courses no longer given stay in the history.")
    )
    competences = models.ManyToManyField(
        "competence.Competence",
        through="CourseGrant",
        verbose_name=_("competences granted"),
        related_name="courses",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class CourseGrant(models.Model):
    """A competence that completing the course gives: at a level, valid for some months."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="grants"
    )
    competence = models.ForeignKey(
        "competence.Competence",
        verbose_name=_("competence"),
        on_delete=models.PROTECT,
        related_name="course_grants",
    )
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, help_text=_("Empty for a have/not competence.")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the competence's own validity."),
    )

    class Meta:
        ordering = ["course", "competence"]
        verbose_name = _("competence granted")
        verbose_name_plural = _("competences granted")
        constraints = [
            models.UniqueConstraint(fields=["course", "competence"], name="grant_once_per_course")
        ]

    def __str__(self):
        return f"{self.course} → {self.competence}"


class Session(models.Model):
    """One time a course is given (kursdag, samling): when, where and for how many."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    enrolment_closes_on = models.DateField(_("enrolment closes"), null=True, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_has_a_place"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.course} {self.starts_at:%d.%m.%Y}"


class EnrolmentStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the leader's approval")
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined by the leader")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(models.Model):
    """A person's place on a session (påmelding), or their place in its waiting list.

    The waiting list is ordered by `requested_at`: when a place frees, the one who asked first
    moves up.
    """

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    requested_at = models.DateTimeField(_("asked for at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or declined at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or declined by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(
        _("attended"), null=True, blank=True, help_text=_("Empty until attendance is marked.")
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="enrolment_once_per_session")
        ]
        indexes = [models.Index(fields=["session", "status", "requested_at"])]

    def __str__(self):
        return f"{self.person} – {self.session}"


class CompletionSource(models.TextChoices):
    SESSION = "session", _("Attended a session")
    ELEARNING = "elearning", _("Passed the e-learning test")
    IMPORT = "import", _("Imported from another learning platform")
    REGISTERED = "registered", _("Registered by a leader or HR")


class Completion(models.Model):
    """A person completed a course on a day (gjennomført kurs). It grants the course's
    competences as verified records (`records`)."""

    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="completions",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="completions"
    )
    completed_on = models.DateField(_("completed"))
    source = models.CharField(_("source"), max_length=20, choices=CompletionSource.choices)
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completions",
    )
    result = models.CharField(
        _("result"), max_length=100, blank=True, help_text=_("A grade, a score or “passed”.")
    )
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    records = models.ManyToManyField(
        "competence.CompetenceRecord",
        verbose_name=_("competence records granted"),
        related_name="completions",
        blank=True,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="completion_once_per_day"
            )
        ]
        indexes = [models.Index(fields=["course", "completed_on"])]

    def __str__(self):
        return f"{self.person} – {self.course} {self.completed_on:%d.%m.%Y}"
