from django.urls import reverse

from tests.conftest import PASSWORD

NEW_PASSWORD = "a much longer passphrase 2026"


def test_a_user_changes_their_own_password(municipality, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("password_change_done")
    user = municipality.users["leader"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_a_wrong_current_password_is_refused_and_nothing_changes(municipality, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("password_change"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    user = municipality.users["leader"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_new_password_gets_a_reason(municipality, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert "new_password2" in response.context["form"].errors
