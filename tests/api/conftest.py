import pytest
from rest_framework.test import APIClient

from evne.api.models import ApiToken


@pytest.fixture
def issue_token(municipality):
    """A token of a role on a unit (by code), and its key."""

    def issue(role, unit="K", **extra) -> tuple[ApiToken, str]:
        token = ApiToken(
            name=f"{role} on {unit}",
            role=role,
            unit=municipality.units[unit],
            created_by=municipality.users["admin"],
            **extra,
        )
        key = token.new_key()
        token.save()
        return token, key

    return issue


@pytest.fixture
def api_for(municipality, issue_token):
    """An API client for a persona (signed in with a session) or for a token, written
    "token:<role>:<unit code>"."""

    def client(who: str) -> APIClient:
        api = APIClient()
        if who.startswith("token:"):
            _prefix, role, unit = who.split(":")
            _token, key = issue_token(role, unit)
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        else:
            api.force_authenticate(municipality.users[who])
        return api

    return client
