"""The home page points each user to what waits for them."""

import pytest
from django.urls import reverse
from django.utils import translation

from evne.competence.models import RecordStatus
from tests.competence.test_recording import days_ago, make_record


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def test_an_employee_sees_what_waits_and_what_expires(municipality, catalog, client_for):
    employee = municipality.people["employee"]
    make_record(employee, catalog.competences["DEMENS"], days_ago(3), RecordStatus.PENDING, level=2)
    # CPR is valid 12 months: taken 11 months ago, it expires within 90 days.
    make_record(employee, catalog.competences["HLR"], days_ago(335))
    page = client_for(municipality.users["employee"]).get(reverse("home")).content.decode()
    assert "1 waits for verification" in page
    assert "1 expires within 90 days" in page
    assert reverse("my_competences") in page


def test_a_leader_sees_how_many_records_wait_for_verification(municipality, catalog, client_for):
    for person in [municipality.people["employee"], municipality.people["ha1"]]:
        make_record(person, catalog.competences["HLR"], days_ago(1), RecordStatus.PENDING)
    # Someone outside the leader's units is not theirs to verify.
    make_record(municipality.people["oc"], catalog.competences["HLR"], days_ago(1), "pending")
    page = client_for(municipality.users["leader"]).get(reverse("home")).content.decode()
    assert "2 registered competences wait for you to verify them." in page


@pytest.mark.parametrize("username", ["union_rep", "analyst", "employee"])
def test_who_verifies_nothing_sees_no_verification_card(municipality, client_for, username):
    page = client_for(municipality.users[username]).get(reverse("home")).content.decode()
    assert reverse("verification_queue") not in page
    assert reverse("catalog") in page


def test_the_home_page_makes_a_fixed_number_of_queries(
    municipality, catalog, client_for, django_assert_max_num_queries
):
    client = client_for(municipality.users["leader"])
    for days in range(30):
        make_record(municipality.people["employee"], catalog.competences["HLR"], days_ago(days))
    with django_assert_max_num_queries(13):
        client.get(reverse("home"))
