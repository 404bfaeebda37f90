"""The API's documentation page and schema, served by Evne itself (no CDN)."""

from django.urls import reverse


def test_the_docs_page_lists_every_resource_for_a_signed_in_user(client_for, municipality):
    response = client_for(municipality.users["employee"]).get(reverse("api_docs"))
    assert response.status_code == 200
    page = response.content.decode()
    for path in ["/api/people/", "/api/records/{id}/verify/", "/api/staffing-targets/"]:
        assert path in page
    assert "cdn" not in page.lower()


def test_the_docs_page_asks_to_sign_in_first(client):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 302


def test_the_docs_page_takes_a_fixed_number_of_queries(
    client_for, municipality, django_assert_max_num_queries
):
    client = client_for(municipality.users["hr"])
    with django_assert_max_num_queries(8):  # the session, the user and the menu
        assert client.get(reverse("api_docs")).status_code == 200


def test_the_schema_is_served_to_signed_in_callers_only(client_for, client, municipality):
    assert client.get(reverse("api_schema")).status_code == 401
    response = client_for(municipality.users["analyst"]).get(reverse("api_schema"))
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
