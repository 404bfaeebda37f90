from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "evne.learning"
    verbose_name = _("Learning")

    def ready(self):
        from auditlog.registry import auditlog

        from evne.learning import importers  # noqa: F401 - registers the completions import
        from evne.learning.models import Completion, Course, Enrolment

        auditlog.register(Course)
        auditlog.register(Enrolment)
        auditlog.register(Completion)
