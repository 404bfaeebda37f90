"""Signing in with an API token: `Authorization: Bearer <key>`."""

from auditlog.context import auditlog_value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from evne.api.models import ApiToken, hash_key
from evne.core.visibility import visibility_for_token

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    """The request acts as the token's creator (who signs what it registers) with the token's
    visibility only: `visibility_for(request.user)` gives the token's scope, never the
    creator's own rights."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after Bearer, and nothing else."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The key is not valid.")) from None
        now = timezone.now()
        token = (
            ApiToken.objects.usable(now)
            .select_related("unit", "created_by")
            .filter(key_hash=hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The key is not valid: unknown, expired or revoked.")
            )
        token.mark_used(now)
        user = token.created_by
        # visibility_for() reads this cache first; the user object lives for this request only.
        user._evne_visibility = visibility_for_token(token)
        sign_audit_log(user)
        return user, token

    def authenticate_header(self, request):
        return KEYWORD


def sign_audit_log(user) -> None:
    """Name the token's creator as the actor of the request's audit log entries. The audit log
    middleware takes the actor before the API reads the token, so it found nobody; its context
    for this request is a dict it reads again when each entry is saved."""
    context = auditlog_value.get(None)  # None without the middleware (a bare WSGI call)
    if context is not None:
        context["actor"] = user


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
