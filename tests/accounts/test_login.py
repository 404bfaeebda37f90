import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from evne import settings as evne_settings
from tests.conftest import PASSWORD


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_user_signs_in_and_lands_on_home(municipality, client):
    response = sign_in(client, "leader", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Liv" in home.content.decode()


def test_a_wrong_password_gets_a_clear_message_and_no_session(municipality, client):
    response = sign_in(client, "leader", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("home")).status_code == 302


def test_signing_out_ends_the_session(municipality, client):
    sign_in(client, "leader", PASSWORD)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_passwords_are_stored_as_argon2(municipality, settings):
    settings.PASSWORD_HASHERS = evne_settings.PASSWORD_HASHERS
    user = municipality.users["leader"]
    user.set_password("a new long passphrase")
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_repeated_failures_lock_that_username_from_that_address(municipality, client):
    for _ in range(5):
        sign_in(client, "leader", "wrong")
    locked = sign_in(client, "leader", PASSWORD)
    assert locked.status_code == 429
    assert "15" in locked.content.decode()


def test_a_locked_username_does_not_lock_colleagues_on_the_same_address(municipality, client):
    for _ in range(5):
        sign_in(client, "leader", "wrong")
    colleague = sign_in(client, "employee", PASSWORD)
    assert colleague.status_code == 302


def test_a_locked_username_can_still_sign_in_from_another_address(municipality, client):
    for _ in range(5):
        sign_in(client, "leader", "wrong")
    elsewhere = sign_in(client, "leader", PASSWORD, address="10.0.0.2")
    assert elsewhere.status_code == 302


def test_behind_a_proxy_the_forwarded_client_address_is_what_counts(municipality, client, settings):
    settings.EVNE_PROXY_COUNT = 1

    def sign_in_via_proxy(password, forwarded_for):
        return client.post(
            reverse("login"),
            {"username": "leader", "password": password},
            REMOTE_ADDR="10.9.9.9",  # the proxy
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for attempt in range(5):
        # What the client writes itself before the proxy's entry must not help it get away.
        sign_in_via_proxy("wrong", f"203.0.113.{attempt}, 192.0.2.10")
    assert sign_in_via_proxy(PASSWORD, "192.0.2.10").status_code == 429
    assert sign_in_via_proxy(PASSWORD, "192.0.2.11").status_code == 302


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(municipality, client):
    for attempt in range(5):
        client.post(
            reverse("login"),
            {"username": "leader", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    assert sign_in(client, "leader", PASSWORD, address="10.0.0.1").status_code == 429


def test_sessions_expire_after_inactivity(municipality, client, settings):
    sign_in(client, "leader", PASSWORD)
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 60 * 60


@pytest.mark.parametrize("language,text", [("nb", "Logg inn"), ("en", "Sign in")])
def test_login_page_speaks_the_chosen_language(client, language, text, db):
    client.post(reverse("set_language"), {"language": language, "next": reverse("login")})
    response = client.get(reverse("login"))
    assert text in response.content.decode()
