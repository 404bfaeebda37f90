from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"


class OrgLevel(models.Model):
    """A level of the organisation tree (nivå), named by the municipality.

    Levels are data: a large municipality has område, kommunalsjefområde, enhet, avdeling and
    seksjon under the kommunedirektør; a small one has two levels.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("0 for the top of the tree, growing downwards.")
    )

    class Meta:
        ordering = ["rank"]
        verbose_name = _("organisation level")
        verbose_name_plural = _("organisation levels")

    def __str__(self):
        return self.name


class OrgUnitQuerySet(models.QuerySet):
    def within(self, *roots: "OrgUnit | str") -> "OrgUnitQuerySet":
        """The units in the subtrees of the given units (or paths), roots included."""
        paths = [root if isinstance(root, str) else root.path for root in roots]
        if not paths:
            return self.none()
        condition = models.Q()
        for path in paths:
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)


class OrgUnit(models.Model):
    """A unit of the organisation (enhet, avdeling, område …), in a tree with several roots.

    `path` holds the ids from the root down to the unit itself (`/1/4/12/`), so a whole subtree
    is one indexed prefix query and the ancestors are read off the path without a query.
    """

    code = models.CharField(
        _("unit code"), max_length=50, unique=True, help_text=_("The code from the HR system.")
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.ForeignKey(
        OrgLevel,
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    leaders = models.ManyToManyField(
        "organization.Person", verbose_name=_("leaders"), blank=True, related_name="led_units"
    )
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        # The path needs the unit's own id, so a new unit is saved once to get it.
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {key: value for key, value in kwargs.items() if key != "force_insert"}
        old_path = self.path
        self.path = self.path_under(self.parent)
        if old_path and self.path.startswith(old_path) and self.path != old_path:
            raise ValueError("A unit cannot be placed under one of its own sub-units.")
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved: the whole subtree follows in one statement.
            OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1))
            )

    def clean(self):
        if self.parent_id is not None and self.pk is not None and self.parent.is_within(self):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own sub-units.")}
            )

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, in that order."""
        return [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)][:-1]

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids)

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    def path_under(self, parent: "OrgUnit | None") -> str:
        prefix = parent.path if parent else PATH_SEPARATOR
        return f"{prefix}{self.pk}{PATH_SEPARATOR}"
