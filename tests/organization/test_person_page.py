from auditlog.models import LogEntry
from django.urls import reverse

from evne.organization.models import Person
from tests.conftest import employ


def person_url(person):
    return reverse("person", args=[person.pk])


def test_person_page_lists_positions(municipality, client_for):
    m = municipality
    employ(m.people["employee"], m.units["HA1"], m.roles["nurse"], fte=20, is_primary=False)
    response = client_for(m.users["leader"]).get(person_url(m.people["employee"]))
    content = response.content.decode()
    assert "Eva Ansatt" in content
    assert "Solsiden sykehjem" in content
    assert "Avdeling Øst" in content
    assert "01.01.2020" in content  # dates as dd.mm.yyyy


def test_positions_outside_the_viewers_scope_are_not_shown(municipality, client_for):
    m = municipality
    employ(m.people["employee"], m.units["OC"], m.roles["teacher"], fte=20, is_primary=False)
    leader_view = client_for(m.users["leader"]).get(person_url(m.people["employee"]))
    assert "Lia skole" not in leader_view.content.decode()
    own_view = client_for(m.users["employee"]).get(person_url(m.people["employee"]))
    assert "Lia skole" in own_view.content.decode()


def test_reading_another_persons_profile_is_audited(municipality, client_for):
    m = municipality
    client_for(m.users["leader"]).get(person_url(m.people["employee"]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == m.users["leader"]
    assert entry.object_pk == str(m.people["employee"].pk)
    assert entry.content_type.model_class() is Person


def test_reading_ones_own_profile_is_not_logged_as_access(municipality, client_for):
    m = municipality
    client_for(m.users["employee"]).get(person_url(m.people["employee"]))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_person_page_query_count_is_bounded(
    municipality, client_for, django_assert_max_num_queries
):
    m = municipality
    for unit in ("HA1", "HB", "OC"):
        employ(m.people["employee"], m.units[unit], m.roles["nurse"], fte=10, is_primary=False)
    client = client_for(m.users["hr"])
    with django_assert_max_num_queries(12):
        response = client.get(person_url(m.people["employee"]))
    assert len(response.context["employments"]) == 4
