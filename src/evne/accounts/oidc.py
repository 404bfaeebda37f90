"""Single sign-on (innlogging med kommunens konto) with OpenID Connect, on mozilla-django-oidc.

The library runs the authorisation code flow with PKCE, state and nonce. Evne adds what the
library leaves open: the provider's endpoints from its discovery document, the issuer and
audience of the ID token, matching the signed-in account to a `Person` (never creating one),
role grants from a claim, and a clear page for every refusal.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from evne.accounts.models import GRANTABLE_ROLES, RoleGrant
from evne.organization.models import Employment, OrgUnit, Person

logger = logging.getLogger(__name__)

# The library's endpoint settings, and where the discovery document gives each.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered: dict[str, dict] = {}


def discovery(issuer: str) -> dict:
    """The provider's discovery document, fetched once per process (its endpoints do not move;
    its signing keys are fetched at every sign-in, so key rotation needs no restart)."""
    if issuer not in _discovered:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            raise SuspiciousOperation("The discovery document names another issuer.")
        _discovered[issuer] = document
    return _discovered[issuer]


def oidc_setting(name, *default):
    """A mozilla-django-oidc setting; endpoints come from the issuer's discovery document."""
    if name in ENDPOINTS:
        return discovery(settings.EVNE_OIDC_ISSUER)[ENDPOINTS[name]]
    return import_from_settings(name, *default)


def is_single_sign_on(request, credentials) -> bool:
    """For axes: a single sign-on callback carries a nonce, a password sign-in never does."""
    return "nonce" in (credentials or {})


def refuse(request, reason: str):
    """The page that says why single sign-on did not let someone in, and whom to ask."""
    return render(request, "accounts/sso_refused.html", {"reason": reason}, status=403)


class BreakGlassBackend(ModelBackend):
    """Passwords while password sign-in is switched off: superusers only."""

    def user_can_authenticate(self, user):
        return user.is_superuser and super().user_can_authenticate(user)


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Lets in the user of the one `Person` the provider's claim points to."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every request of a signed-in user; the endpoints (and so
        # the provider) are only needed at sign-in, see authenticate().
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:
            return None  # a password sign-in
        super().__init__()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.EVNE_OIDC_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another application.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts optional claims (employee id, groups, app roles) only in the ID token.
        return {**super().get_userinfo(access_token, id_token, payload), **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        value = str(claims.get(settings.EVNE_OIDC_MATCH_CLAIM) or "").strip()
        if not value:
            return self.refused("no_claim")
        field = settings.EVNE_OIDC_MATCH_FIELD
        lookup = {f"{field}__iexact" if field == "email" else field: value}
        people = list(Person.objects.filter(**lookup)[:2])
        if len(people) != 1:
            return self.refused("ambiguous" if people else "unknown")
        user = self.user_of(people[0])
        if user is None:
            return self.refused("no_position")
        if not user.is_active:
            return self.refused("inactive")
        if settings.EVNE_OIDC_ROLE_CLAIM:
            sync_role_grants(user, claims.get(settings.EVNE_OIDC_ROLE_CLAIM))
        return user

    def user_of(self, person):
        """The person's user; made now if the person has a position (current or starting)."""
        user = self.UserModel.objects.filter(person=person).first()
        if user is not None:
            return user
        today = timezone.localdate()
        if not Employment.objects.filter(person=person).current_or_future(today).exists():
            return None
        return self.UserModel.objects.create_user(
            username=f"sso-{person.employee_number}", person=person
        )

    def refused(self, reason: str):
        # The reason only, never who it was: the log must not hold personal data.
        logger.info("Single sign-on refused: %s", reason)
        self.request.evne_sso_refusal = reason
        return None


def sync_role_grants(user, held) -> None:
    """Give the grants EVNE_OIDC_ROLE_MAP maps the held claim values to, and take back the
    mapped grants no held value gives any more. Grants given by hand are left alone."""
    held = {held} if isinstance(held, str) else set(held or [])
    units = OrgUnit.objects.in_bulk(
        [code for _, _, code in settings.EVNE_OIDC_ROLE_MAP], field_name="code"
    )
    mapped, wanted = set(), set()
    for value, role, code in settings.EVNE_OIDC_ROLE_MAP:
        if code not in units:
            logger.warning("EVNE_OIDC_ROLE_MAP names the unit %s, which does not exist.", code)
            continue
        mapped.add((role, units[code].pk))
        if value in held:
            wanted.add((role, units[code].pk))
    for grant in RoleGrant.objects.filter(user=user):
        if (grant.role, grant.unit_id) in mapped - wanted:
            grant.delete()  # one by one, so the audit log records each
    for role, unit_id in wanted:
        RoleGrant.objects.get_or_create(user=user, role=role, unit_id=unit_id)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and the PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is looked up per sign-in, in get()

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not settings.EVNE_OIDC_ISSUER:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, KeyError, SuspiciousOperation) as error:
            logger.warning("The single sign-on provider is unreachable: %s", type(error).__name__)
            return refuse(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal shows why instead of redirecting."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not settings.EVNE_OIDC_ISSUER:
            raise Http404
        try:
            return super().get(request)
        except (
            requests.RequestException,
            jwt.InvalidTokenError,
            ValueError,
            KeyError,
            SuspiciousOperation,
        ) as error:
            # A forged or replayed answer, a tampered or expired token, an unreachable provider.
            logger.warning("Single sign-on failed: %s", error.__class__.__name__)
            return refuse(request, "failed")

    def login_failure(self):
        return refuse(self.request, getattr(self.request, "evne_sso_refusal", "failed"))


@checks.register(checks.Tags.security)
def check_role_map(app_configs, **kwargs):
    known = sorted(role.value for role in GRANTABLE_ROLES)
    return [
        checks.Error(
            f"EVNE_OIDC_ROLE_MAP gives the role {role!r}; roles that can be granted: {known}.",
            id="evne.E001",
        )
        for _, role, _ in settings.EVNE_OIDC_ROLE_MAP
        if role not in known
    ]
