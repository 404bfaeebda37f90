from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "evne.competence"
    verbose_name = _("Competence")

    def ready(self):
        from auditlog.registry import auditlog

        from evne.competence import importers  # noqa: F401 - registers the importers
        from evne.competence.models import (
            Competence,
            CompetenceRecord,
            Requirement,
            StaffingTarget,
        )

        auditlog.register(Competence, m2m_fields={"implies"})
        auditlog.register(CompetenceRecord)
        auditlog.register(Requirement)
        auditlog.register(StaffingTarget)
