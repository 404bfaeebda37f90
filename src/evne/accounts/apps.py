from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "evne.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog

        from evne.accounts import oidc  # noqa: F401 (registers the check of EVNE_OIDC_ROLE_MAP)
        from evne.accounts.models import RoleGrant, User

        auditlog.register(RoleGrant)
        # Who may do what changes here (superuser, staff, linked person); hashes are not logged.
        auditlog.register(User, exclude_fields=["password", "last_login"])
