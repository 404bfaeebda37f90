from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "evne.core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps

        from evne.core.freshness import watch

        watch(apps.get_models())
