import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from evne.organization.models import Person


@pytest.mark.parametrize("model", ["orglevel", "orgunit", "person", "jobrole", "employment"])
def test_administrator_can_list_and_open_organisation_data(municipality, client_for, model):
    client = client_for(municipality.users["admin"])
    assert client.get(reverse(f"admin:organization_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:organization_{model}_add")).status_code == 200


def test_administration_is_closed_to_everyone_else(municipality, client_for):
    response = client_for(municipality.users["hr"]).get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_change_to_a_person_is_audited_with_who_and_what(municipality, client_for):
    m = municipality
    person = m.people["employee"]
    client = client_for(m.users["admin"])
    url = reverse("admin:organization_person_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "email": "eva.ny@testvik.no",
            "employments-TOTAL_FORMS": 0,
            "employments-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Person.objects.get(pk=person.pk).email == "eva.ny@testvik.no"
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == m.users["admin"]
    assert entry.changes_dict["email"] == ["eva@testvik.no", "eva.ny@testvik.no"]


def test_making_someone_an_administrator_is_audited(municipality):
    from auditlog.context import set_actor

    m = municipality
    user = m.users["employee"]
    with set_actor(m.users["admin"]):
        user.is_superuser = True
        user.save()
    entry = LogEntry.objects.get_for_object(user).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == m.users["admin"]
    assert entry.changes_dict["is_superuser"] == ["False", "True"]
    assert "password" not in entry.changes_dict
