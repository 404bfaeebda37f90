"""What was sent to whom, so that `evne remind` sends each notice once however often it runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """A notice sent (or due to be sent): its kind and what it is about make it unique."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(
        _("about"), max_length=200, help_text=_("What the notice is about, e.g. assignment:12:due.")
    )
    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="notice_once")]

    def __str__(self):
        return f"{self.kind} {self.key}"
