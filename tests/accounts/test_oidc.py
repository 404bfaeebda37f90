"""Single sign-on through a real OpenID Connect provider on loopback (tests/oidc_provider.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from evne.accounts.models import Role, RoleGrant, User
from evne.organization.models import Person
from tests.conftest import PASSWORD
from tests.oidc_provider import new_key, running_provider, use_provider

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(autouse=True)
def english(client):
    """The tests read the pages' English texts."""
    client.cookies["django_language"] = "en"


@pytest.fixture(scope="session")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def sso(provider, settings, municipality):
    """Evne configured for the provider, which knows Eva (employee) by her email."""
    provider.reset()
    use_provider(settings, provider, CALLBACK)
    provider.add_account("eva-sub", email="EVA@testvik.no", name="Eva Ansatt")
    return provider


def start(client):
    """Evne's redirect to the provider, and the parameters it sent."""
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    return response.url, parse_qs(urlsplit(response.url).query)


def through_provider(authorize_url):
    """What the provider answers the browser: the redirect back to Evne, or its refusal."""
    return requests.get(authorize_url, allow_redirects=False, timeout=10)


def come_back(client, answer):
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def sign_in_as(client, provider, subject):
    provider.auto_approve = subject
    url, _params = start(client)
    return come_back(client, through_provider(url))


def signed_in_user(client):
    response = client.get(reverse("home"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_a_known_employee_signs_in_and_lands_on_home_as_herself(sso, client, municipality):
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user(client) == municipality.users["employee"]


def test_the_sign_in_request_carries_state_nonce_and_a_pkce_challenge(sso, client):
    _url, params = start(client)
    assert params["response_type"] == ["code"]
    assert params["scope"] == ["openid email profile"]
    assert len(params["state"][0]) >= 32
    assert len(params["nonce"][0]) >= 32
    assert params["code_challenge_method"] == ["S256"]
    assert params["code_challenge"][0]


def test_a_person_without_a_user_gets_one_linked_to_them(sso, client, municipality):
    person = municipality.people["ha0"]
    person.email = "ansatt0@testvik.no"
    person.save()
    sso.add_account("ha0-sub", email="ansatt0@testvik.no")
    assert sign_in_as(client, sso, "ha0-sub").status_code == 302
    user = User.objects.get(person=person)
    assert signed_in_user(client) == user
    assert not user.has_usable_password()


def test_an_unknown_account_is_refused_with_a_clear_page_and_nothing_is_created(sso, client):
    sso.add_account("stranger-sub", email="stranger@example.com")
    users, people = User.objects.count(), Person.objects.count()
    response = sign_in_as(client, sso, "stranger-sub")
    assert response.status_code == 403
    assert "no person that matches" in response.content.decode()
    assert (User.objects.count(), Person.objects.count()) == (users, people)
    assert signed_in_user(client) is None


def test_a_former_employee_without_a_user_is_refused(sso, client, municipality):
    person = municipality.people["former"]
    person.email = "frode@testvik.no"
    person.save()
    sso.add_account("frode-sub", email="frode@testvik.no")
    response = sign_in_as(client, sso, "frode-sub")
    assert response.status_code == 403
    assert "no current position" in response.content.decode()
    assert not User.objects.filter(person=person).exists()


def test_two_people_with_the_same_email_are_refused_rather_than_guessed(sso, client, municipality):
    twin = municipality.people["ha1"]
    twin.email = "eva@testvik.no"
    twin.save()
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert "More than one person" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_switched_off_user_is_refused(sso, client, municipality):
    User.objects.filter(pk=municipality.users["employee"].pk).update(is_active=False)
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert "switched off" in response.content.decode()


def test_people_can_be_matched_by_employee_number(sso, client, settings, municipality):
    settings.EVNE_OIDC_MATCH_CLAIM = "employeeid"
    settings.EVNE_OIDC_MATCH_FIELD = "employee_number"
    sso.add_account("liv-sub", employeeid="1001", email="someone.else@testvik.no")
    sign_in_as(client, sso, "liv-sub")
    assert signed_in_user(client) == municipality.users["leader"]


def test_an_account_without_the_matching_claim_is_refused(sso, client, settings):
    settings.EVNE_OIDC_MATCH_CLAIM = "employeeid"
    settings.EVNE_OIDC_MATCH_FIELD = "employee_number"
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert "did not tell Evne who you are" in response.content.decode()


@pytest.fixture
def role_map(sso, settings):
    settings.EVNE_OIDC_ROLE_CLAIM = "roles"
    settings.EVNE_OIDC_ROLE_MAP = [("evne-hr", "hr", "H"), ("evne-analytiker", "analyst", "K")]


def grants_of(user):
    return set(RoleGrant.objects.filter(user=user).values_list("role", "unit__code"))


def test_a_mapped_role_claim_gives_the_role_grant(role_map, sso, client, municipality):
    sso.accounts["eva-sub"]["roles"] = ["evne-hr", "something-else"]
    sign_in_as(client, sso, "eva-sub")
    assert grants_of(municipality.users["employee"]) == {(Role.HR, "H")}


def test_a_role_taken_away_in_the_provider_is_taken_away_at_the_next_sign_in(
    role_map, sso, client, municipality
):
    user = municipality.users["employee"]
    RoleGrant.objects.create(user=user, role=Role.HR, unit=municipality.units["H"])
    RoleGrant.objects.create(user=user, role=Role.ANALYST, unit=municipality.units["H"])
    sso.accounts["eva-sub"]["roles"] = "evne-analytiker"
    sign_in_as(client, sso, "eva-sub")
    # The analyst grant for H was given by hand, not by the map: it stays.
    assert grants_of(user) == {(Role.ANALYST, "K"), (Role.ANALYST, "H")}


def test_a_role_map_with_a_role_evne_does_not_grant_fails_the_system_check(settings):
    settings.EVNE_OIDC_ROLE_MAP = [("evne-boss", "boss", "K")]
    with pytest.raises(SystemCheckError, match="boss"):
        call_command("check")


def test_a_token_signed_with_another_key_is_refused(sso, client):
    sso.signing_key = new_key(sso.key.kid)
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_a_token_with_a_changed_payload_is_refused(sso, client, municipality):
    """Someone between Evne and the provider swaps the email in a genuine token for Liv's."""
    sso.forged_claims = {"email": "liv.leder@testvik.no"}
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-app"}, {"iss": "http://127.0.0.1:1"}, {"exp": 1_000_000}],
    ids=["other audience", "other issuer", "expired"],
)
def test_a_token_for_another_app_from_another_issuer_or_expired_is_refused(sso, client, claims):
    sso.id_token_claims = claims
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_a_token_with_the_wrong_nonce_is_refused(sso, client):
    sso.id_token_claims = {"nonce": "not-the-one-evne-sent"}
    response = sign_in_as(client, sso, "eva-sub")
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_an_answer_with_a_state_evne_did_not_send_is_refused(sso, client):
    sso.auto_approve = "eva-sub"
    url, params = start(client)
    answer = through_provider(url)
    forged = answer.headers["Location"].replace(params["state"][0], "forged-state")
    back = urlsplit(forged)
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    assert "could not be completed" in response.content.decode()
    assert signed_in_user(client) is None


def test_an_answer_in_a_browser_that_never_started_a_sign_in_is_refused(sso, client):
    sso.auto_approve = "eva-sub"
    url, _params = start(client)
    answer = through_provider(url)
    client.cookies.clear()
    response = come_back(client, answer)
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_the_provider_refuses_a_token_request_without_the_pkce_verifier(sso, client):
    sso.auto_approve = "eva-sub"
    url, _params = start(client)
    code = parse_qs(urlsplit(through_provider(url).headers["Location"]).query)["code"][0]
    response = requests.post(
        f"{sso.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": "evne-test-client",
            "client_secret": "evne-test-secret",
        },
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant"}


def test_evne_sends_the_pkce_verifier_the_provider_accepts(sso, client):
    sign_in_as(client, sso, "eva-sub")
    assert sso.refused_token_requests == 0
    assert signed_in_user(client) is not None


def test_a_code_cannot_be_used_twice(sso, client):
    sso.auto_approve = "eva-sub"
    url, _params = start(client)
    answer = through_provider(url)
    come_back(client, answer)
    client.post(reverse("logout"))
    assert come_back(client, answer).status_code == 403


def test_an_unreachable_provider_gets_a_clear_page(sso, client, settings):
    settings.EVNE_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 403
    assert "cannot be reached" in response.content.decode()


def test_refused_single_sign_ons_do_not_lock_out_password_sign_in(sso, client, municipality):
    sso.add_account("stranger-sub", email="stranger@example.com")
    for _ in range(6):
        sign_in_as(client, sso, "stranger-sub")
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302


def test_failed_passwords_are_still_throttled_with_single_sign_on_on(sso, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "leader", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert locked.status_code == 429


def test_the_login_page_shows_the_provider_button_and_the_password_form(sso, client):
    page = client.get(reverse("login")).content.decode()
    assert "Testvik ID" in page
    assert reverse("oidc_authentication_init") in page
    assert 'name="password"' in page


def test_without_an_issuer_the_login_page_is_as_before_and_sso_is_not_found(client, db):
    page = client.get(reverse("login")).content.decode()
    assert reverse("oidc_authentication_init") not in page
    assert 'name="password"' in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_the_login_and_refusal_pages_take_few_queries(sso, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(reverse("login"))
    sso.add_account("stranger-sub", email="stranger@example.com")
    sso.auto_approve = "stranger-sub"
    url, _params = start(client)
    answer = through_provider(url)
    with django_assert_max_num_queries(12):
        assert come_back(client, answer).status_code == 403


def test_pages_of_a_signed_in_user_do_not_need_the_provider(sso, client, settings):
    sign_in_as(client, sso, "eva-sub")
    settings.EVNE_OIDC_ISSUER = "http://127.0.0.1:9"  # the provider is gone
    assert client.get(reverse("home")).status_code == 200
