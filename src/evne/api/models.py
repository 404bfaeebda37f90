"""Tokens for integrations (API-nøkler): the payroll system, the learning platform, reporting."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.accounts.models import GRANTABLE_ROLES

KEY_START = "evne_"
PREFIX_LENGTH = len(KEY_START) + 8
# A write per request would make every read a write; a minute is precise enough to tell
# whether an integration still runs.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.EVNE_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime) -> ApiTokenQuerySet:
        return self.filter(revoked_at=None, expires_at__gt=now)


class ApiToken(models.Model):
    """A key an integration signs in with. It acts like a role grant (HR, union representative
    or analyst) on a unit and everything below it. The key is shown once; only its SHA-256 hash
    and a short prefix (to recognise it in lists) are kept."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("What uses the key, e.g. the payroll system.")
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=[(role.value, role.label) for role in GRANTABLE_ROLES],
        help_text=_("The key sees and may change what a user with this role may."),
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit scope"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    prefix = models.CharField(_("key starts with"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Protected: the records an integration registers are signed with the token's creator,
    # and an integration must not stop at night because an account was deleted.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, help_text=_("A revoked key stops working at once.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def new_key(self) -> str:
        """Give the token a new random key and return it: the only time it is readable."""
        key = KEY_START + secrets.token_urlsafe(32)
        self.prefix = key[:PREFIX_LENGTH]
        self.key_hash = hash_key(key)
        return key

    def mark_used(self, now: datetime.datetime) -> None:
        if self.last_used_at and now - self.last_used_at < LAST_USED_PRECISION:
            return
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now
