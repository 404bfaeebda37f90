from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "evne.plans"
    verbose_name = _("Plans")

    def ready(self):
        from auditlog.registry import auditlog

        from evne.plans.models import (
            Assignment,
            CompetencePlan,
            Goal,
            LearningPlan,
            Measure,
            PeopleGroup,
        )

        auditlog.register(CompetencePlan)
        auditlog.register(Goal)
        auditlog.register(Measure)
        auditlog.register(LearningPlan)
        auditlog.register(PeopleGroup, m2m_fields={"members"})
        auditlog.register(Assignment)
