"""API tokens: created by an administrator in the admin and shown once, stored hashed, scoped,
expiring and revocable."""

import datetime
import hashlib
import re

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from evne.api.models import ApiToken


def bearer(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def test_the_admin_shows_a_new_key_once_and_keeps_only_its_hash(client_for, municipality):
    client = client_for(municipality.users["admin"])
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "name": "Lønnssystemet",
            "role": "hr",
            "unit": municipality.units["K"].pk,
            "expires_at_0": "2099-01-01",
            "expires_at_1": "00:00:00",
        },
        follow=True,
    )
    key = re.search(r"evne_[\w-]+", response.content.decode()).group()
    token = ApiToken.objects.get()
    assert token.created_by == municipality.users["admin"]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix)
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(key in value for value in stored)
    assert bearer(key).get("/api/people/").json()["count"] == 15
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert key not in page.content.decode()


def test_only_administrators_manage_tokens(client_for, municipality):
    staff = municipality.users["hr"]
    staff.is_staff = True
    staff.save()
    response = client_for(staff).get(reverse("admin:api_apitoken_changelist"))
    assert response.status_code == 403


def test_an_unknown_expired_or_revoked_key_is_refused_with_the_error_body(issue_token):
    _token, expired = issue_token("hr", expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _token, revoked = issue_token("hr", revoked_at=timezone.now())
    for key in [expired, revoked, "evne_not-a-key"]:
        response = bearer(key).get("/api/people/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "authentication_failed"


def test_revoking_in_the_admin_stops_the_key_at_once(client_for, municipality, issue_token):
    token, key = issue_token("hr")
    assert bearer(key).get("/api/units/").status_code == 200
    client_for(municipality.users["admin"]).post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(key).get("/api/units/").status_code == 401


def test_without_a_key_or_session_the_api_answers_401_not_the_sign_in_page(municipality):
    response = APIClient().get("/api/people/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_last_use_is_written_at_most_once_a_minute(issue_token):
    token, key = issue_token("analyst")
    api = bearer(key)
    api.get("/api/units/")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    api.get("/api/units/")
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=first_use - datetime.timedelta(minutes=2)
    )
    api.get("/api/units/")
    token.refresh_from_db()
    assert token.last_used_at > first_use - datetime.timedelta(minutes=2)


def test_a_token_has_its_own_scope_not_its_creators_rights(issue_token, municipality):
    # Created by the administrator, yet an analyst token sees no people.
    _token, key = issue_token("analyst", "K")
    assert bearer(key).get("/api/people/").json()["count"] == 0
    assert bearer(key).get("/api/units/").json()["count"] == 7


def test_unknown_addresses_under_the_api_answer_with_the_error_body(issue_token):
    _token, key = issue_token("hr")
    response = bearer(key).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_changes_through_a_token_are_in_the_audit_log_under_its_creator(issue_token, municipality):
    from auditlog.models import LogEntry

    _token, key = issue_token("hr")
    employee = municipality.people["employee"]
    response = bearer(key).patch(
        f"/api/people/{employee.pk}/", {"email": "eva.ny@testvik.no"}, format="json"
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(employee).latest("timestamp")
    assert entry.actor == municipality.users["admin"]
    assert "email" in entry.changes_dict
