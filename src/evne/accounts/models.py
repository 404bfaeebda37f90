from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Most users are employees and are linked to their `Person`; a user with no person
    (an integration, a break-glass administrator) has only the roles granted to it."""

    person = models.OneToOneField(
        "organization.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )


class Role(models.TextChoices):
    """What a user may do. Employee and leader follow from the data (a linked person, a led unit);
    the others are granted with a unit scope."""

    EMPLOYEE = "employee", _("Employee")
    LEADER = "leader", _("Leader")
    HR = "hr", _("HR")
    UNION_REPRESENTATIVE = "union_representative", _("Union representative")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


GRANTABLE_ROLES = [Role.HR, Role.UNION_REPRESENTATIVE, Role.ANALYST]


class RoleGrant(models.Model):
    """A role given to a user for a unit and everything below it (HR for the whole
    municipality, a union representative (tillitsvalgt) for one area …)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=[(role.value, role.label) for role in GRANTABLE_ROLES],
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit scope"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_grant"),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.unit}"
