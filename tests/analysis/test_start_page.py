"""The coverage section's start page, its help page, and how users find them (menu, home)."""

import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


def test_a_leader_starts_from_the_unit_they_lead(municipality, client_for, english):
    page = client_for(municipality.users["leader"]).get(reverse("analysis")).content.decode()
    assert reverse("unit_overview", args=[municipality.units["HA"].pk]) in page
    assert reverse("my_gaps") in page
    assert reverse("who_has") in page and reverse("unused_competence") in page
    assert "figures only" not in page


def test_a_union_representative_starts_from_figures_only(municipality, client_for, english):
    page = client_for(municipality.users["union_rep"]).get(reverse("analysis")).content.decode()
    assert reverse("unit_overview", args=[municipality.units["H"].pk]) in page
    assert "figures only" in page
    # No person behind the login, and no people to search.
    assert reverse("my_gaps") not in page
    assert reverse("who_has") not in page and reverse("unused_competence") not in page


def test_an_employee_is_pointed_to_their_own_gaps(municipality, client_for, english):
    page = client_for(municipality.users["employee"]).get(reverse("analysis")).content.decode()
    assert reverse("my_gaps") in page
    assert reverse("coverage_matrix") not in page
    assert reverse("unit_overview", args=[municipality.units["HA"].pk]) not in page


def test_an_administrator_starts_from_every_organisation(municipality, client_for):
    page = client_for(municipality.users["admin"]).get(reverse("analysis")).content.decode()
    for code in ["K", "G"]:
        assert reverse("unit_overview", args=[municipality.units[code].pk]) in page


def test_the_menu_and_home_page_lead_to_coverage(municipality, client_for):
    client = client_for(municipality.users["employee"])
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("analysis")}"' in page
    assert f'href="{reverse("my_gaps")}"' in page


@override_settings(EVNE_EXPIRY_WINDOW_DAYS=30)
def test_the_help_page_names_the_configured_window(municipality, client_for, english):
    page = client_for(municipality.users["employee"]).get(reverse("coverage_help")).content
    assert b"expires within 30 days" in page


def test_the_start_page_needs_signing_in(client):
    response = client.get(reverse("analysis"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
