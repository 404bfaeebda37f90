"""EVNE_PASSWORD_LOGIN=false: single sign-on only, with passwords left to superusers."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def english(client):
    """The tests read the pages' English texts."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def passwords_off(settings):
    # What settings.py makes of EVNE_PASSWORD_LOGIN=false with an issuer set.
    settings.EVNE_PASSWORD_LOGIN = False
    settings.EVNE_OIDC_ISSUER = "https://login.example.com/tenant/v2.0"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "evne.accounts.oidc.BreakGlassBackend",
        "evne.accounts.oidc.SingleSignOnBackend",
    ]


def test_the_login_page_hides_the_password_form(passwords_off, client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page
    assert reverse("oidc_authentication_init") in page


def test_a_posted_password_is_refused_with_a_clear_message(passwords_off, client, municipality):
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 403
    assert "switched off" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_superuser_can_still_break_glass_at_the_admin_login(passwords_off, client, municipality):
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_staff_who_are_not_superusers_cannot_use_the_admin_login(
    passwords_off, client, municipality
):
    leader = municipality.users["leader"]
    leader.is_staff = True
    leader.save()
    response = client.post(
        reverse("admin:login"), {"username": "leader", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302
