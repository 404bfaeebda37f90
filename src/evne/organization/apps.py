from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "evne.organization"
    verbose_name = _("Organisation")

    def ready(self):
        from auditlog.registry import auditlog

        from evne.organization import importers  # noqa: F401 - registers the importers
        from evne.organization.models import Employment, OrgUnit, Person

        auditlog.register(Person)
        auditlog.register(Employment)
        auditlog.register(OrgUnit, m2m_fields={"leaders"})
