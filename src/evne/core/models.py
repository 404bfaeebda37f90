from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One applied import of a file (innlesing): who, when, which file, and what it changed.

    The file itself is kept with the batch, so a change can always be traced to the row that
    caused it. Dry runs write nothing and leave no batch.
    """

    kind = models.CharField(_("kind"), max_length=30)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    filename = models.CharField(_("file name"), max_length=255)
    # Empty when the import changed nothing: a nightly export that matches Evne would otherwise
    # keep a copy of the whole workforce every night.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    full_sync = models.BooleanField(_("full sync"), default=False)
    forced = models.BooleanField(_("forced"), default=False)
    counts = models.JSONField(_("counts"), default=dict, encoder=DjangoJSONEncoder)
    warnings = models.JSONField(
        _("warnings"),
        default=list,
        help_text=_("The warnings of the import, as shown when it was made."),
    )
    roots = models.ManyToManyField(
        "organization.OrgUnit",
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("The root units whose trees the file covered."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.created_at:%d.%m.%Y %H:%M})"


class ImportChange(models.Model):
    """One object an import created, updated or ended, with the fields that changed."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        END = "end", _("Ended")

    # No database constraints on these two: checked at commit for each of the 200 000 change
    # rows of a large import they cost over a second. Change rows are written only with their
    # batch, in its transaction; Django cascades a batch's deletion to them; content types are
    # never deleted while their models exist.
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        on_delete=models.CASCADE,
        related_name="changes",
        db_constraint=False,
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_constraint=False)
    object_pk = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=255)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"


class DataVersion(models.Model):
    """A number that grows with every change to what the coverage figures are computed from
    (people, positions, units, the catalog, records, requirements, role grants). Pages cached
    under one number are never served after it has grown (`evne.core.freshness`)."""

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.number)
