from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """Kjønn, kept for the equality reporting the law requires and for participation figures."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other or not stated")


class EducationLevel(models.IntegerChoices):
    """Highest completed education by the first digit of Statistics Norway's NUS code."""

    NONE = 0, _("No education or pre-school")
    PRIMARY = 1, _("Primary school")
    LOWER_SECONDARY = 2, _("Lower secondary school")
    UPPER_SECONDARY_BASIC = 3, _("Upper secondary, basic")
    UPPER_SECONDARY_FINAL = 4, _("Upper secondary, final year (e.g. trade certificate)")
    POST_SECONDARY = 5, _("Post-secondary vocational (fagskole)")
    HIGHER_SHORT = 6, _("University or college, up to 4 years")
    HIGHER_LONG = 7, _("University or college, more than 4 years")
    DOCTORATE = 8, _("Doctorate")
    UNKNOWN = 9, _("Unknown")


class Person(models.Model):
    """An employee (ansatt), keyed by the employee number from HR, never the national identity
    number."""

    employee_number = models.CharField(_("employee number"), max_length=30, unique=True)
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    education_level = models.PositiveSmallIntegerField(
        _("highest education"), choices=EducationLevel.choices, null=True, blank=True
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
