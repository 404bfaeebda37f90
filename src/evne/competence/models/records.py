"""What people have: competence records (kompetanseregistreringer) and their verification."""

from __future__ import annotations

import calendar
import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordSource(models.TextChoices):
    SELF = "self", _("Registered by the employee")
    LEADER = "leader", _("Registered by a leader")
    HR = "hr", _("Registered by HR")
    IMPORT = "import", _("Imported")
    COURSE = "course", _("Course completion")
    ELEARNING = "elearning", _("E-learning test")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class CompetenceRecordQuerySet(models.QuerySet):
    def current(self) -> CompetenceRecordQuerySet:
        """Records not replaced by a renewal and not rejected: what a person has now, whether
        verified yet or not."""
        return self.filter(superseded_by=None).exclude(status=RecordStatus.REJECTED)

    def valid_on(self, day: datetime.date) -> CompetenceRecordQuerySet:
        """Verified records obtained by `day` and not expired before it (the expiry date itself
        still counts)."""
        return self.filter(status=RecordStatus.VERIFIED, obtained_on__lte=day).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=day)
        )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31.01 + 1 is
    28.02 or 29.02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def evidence_path(record: CompetenceRecord, filename: str) -> str:
    # Stored under a random name: the original file name may carry personal data, and the path
    # must not be guessable (the file is served only through a view that checks visibility).
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class CompetenceRecord(models.Model):
    """A person has a competence (kompetanse registrert på en ansatt): level, when obtained and
    until when valid, where it comes from and whether it is verified.

    A renewal is a new record; the one it replaces points to it through `superseded_by` and
    stays in the history.
    """

    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="competence_records",
    )
    competence = models.ForeignKey(
        "competence.Competence",
        verbose_name=_("competence"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, help_text=_("Empty for a have/not competence.")
    )
    obtained_on = models.DateField(_("obtained"))
    expires_on = models.DateField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("Empty: counted from the competence's validity, or no expiry."),
    )
    credits = models.DecimalField(
        _("credits"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Studiepoeng, for further education."),
    )
    source = models.CharField(_("source"), max_length=20, choices=RecordSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_reference = models.CharField(
        _("evidence reference"),
        max_length=300,
        blank=True,
        help_text=_("Where the evidence is, if not uploaded: a diploma number, an archive case."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("verified or rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("renewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )

    objects = CompetenceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-obtained_on", "-pk"]
        verbose_name = _("competence record")
        verbose_name_plural = _("competence records")
        indexes = [
            models.Index(fields=["person", "competence"]),
            models.Index(fields=["competence", "status"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("obtained_on")),
                name="record_expires_after_obtained",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.competence}"

    def save(self, *args, **kwargs):
        if self.expires_on is None:
            self.expires_on = self.expiry_from_validity()
        super().save(*args, **kwargs)

    def expiry_from_validity(self) -> datetime.date | None:
        """The expiry the competence's validity gives, counted from the obtained date."""
        months = self.competence.validity_months
        if not months or self.obtained_on is None:
            return None
        return add_months(self.obtained_on, months)
