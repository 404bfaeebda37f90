"""The verification queue: leaders and HR verify or reject what their people register."""

import pytest
from django.urls import reverse

from evne.competence.models import CompetenceRecord, RecordStatus
from evne.competence.views.records import QUEUE_PER_PAGE
from tests.competence.test_recording import days_ago, make_record, pdf
from tests.conftest import add_staff

QUEUE = "/competence/verify/"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def pending(person, competence, **extra):
    return make_record(person, competence, days_ago(5), RecordStatus.PENDING, **extra)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("hr", 200),
        ("leader", 200),
        ("outsider", 200),
        ("employee", 404),
        ("union_rep", 404),
        ("analyst", 404),
    ],
)
def test_who_has_a_verification_queue(municipality, client_for, username, status):
    assert client_for(municipality.users[username]).get(QUEUE).status_code == status


def test_the_queue_lists_pending_records_of_the_leaders_people_oldest_first(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    first = pending(m.people["employee"], c.competences["HLR"], evidence_reference="Diplom 42")
    second = pending(m.people["ha1"], c.competences["DEMENS"], level=3, evidence=pdf())
    pending(m.people["hb"], c.competences["HLR"])  # another unit
    pending(m.people["leader"], c.competences["HLR"])  # the leader's own
    make_record(m.people["ha0"], c.competences["HLR"], days_ago(3))  # already verified
    response = english(client_for(m.users["leader"])).get(QUEUE)
    assert [row["record"] for row in response.context["rows"]] == [first, second]
    content = response.content.decode()
    assert reverse("person_records", args=[m.people["employee"].pk]) in content
    assert "Solsiden sykehjem" in content
    assert "Avdeling Øst" in content
    assert "3 Advanced" in content
    assert "Diplom 42" in content
    assert reverse("record_evidence", args=[second.pk]) in content
    assert "2 registrations wait for verification, oldest first." in content


def test_an_empty_queue_says_so(municipality, client_for):
    content = english(client_for(municipality.users["leader"])).get(QUEUE).content.decode()
    assert "Nothing waits for verification." in content


def test_a_leader_verifies_a_record_and_returns_to_the_queue(municipality, catalog, client_for):
    m, c = municipality, catalog
    old = make_record(m.people["employee"], c.competences["HLR"], days_ago(400))
    record = pending(m.people["employee"], c.competences["HLR"])
    client = english(client_for(m.users["leader"]))
    response = client.post(reverse("record_verify", args=[record.pk]), follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Verified: Cardiopulmonary resuscitation for Eva Ansatt." in response.content.decode()
    record.refresh_from_db()
    old.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED
    assert record.decided_by == m.users["leader"]
    assert old.superseded_by == record


def test_a_leader_rejects_a_record_with_a_reason(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = pending(m.people["employee"], c.competences["HLR"])
    client = english(client_for(m.users["leader"]))
    response = client.post(
        reverse("record_reject", args=[record.pk]),
        {f"reject-{record.pk}-reason": "The certificate has expired.", "page": "1"},
        follow=True,
    )
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Rejected: Cardiopulmonary resuscitation for Eva Ansatt." in response.content.decode()
    record.refresh_from_db()
    assert (record.status, record.rejection_reason) == ("rejected", "The certificate has expired.")
    mine = english(client_for(m.users["employee"])).get(reverse("my_competences"))
    assert "The certificate has expired." in mine.content.decode()


def test_a_rejection_without_a_reason_is_explained_and_changes_nothing(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    record = pending(m.people["employee"], c.competences["HLR"])
    client = english(client_for(m.users["leader"]))
    response = client.post(
        reverse("record_reject", args=[record.pk]), {f"reject-{record.pk}-reason": "  "}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Write why the record is rejected. The employee sees the reason." in content
    assert '<details class="ds-details" open>' in content
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING


@pytest.mark.parametrize("action", ["record_verify", "record_reject"])
def test_a_leader_cannot_decide_outside_their_units_404_and_unchanged(
    municipality, catalog, client_for, action
):
    m, c = municipality, catalog
    record = pending(m.people["hb"], c.competences["HLR"])
    response = client_for(m.users["leader"]).post(
        reverse(action, args=[record.pk]), {f"reject-{record.pk}-reason": "Nei"}
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert (record.status, record.decided_by, record.rejection_reason) == ("pending", None, "")


@pytest.mark.parametrize("username", ["employee", "leader"])
def test_nobody_verifies_their_own_record_in_the_queue(municipality, catalog, client_for, username):
    m, c = municipality, catalog
    record = pending(m.people[username], c.competences["HLR"])
    response = client_for(m.users[username]).post(reverse("record_verify", args=[record.pk]))
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING


@pytest.mark.parametrize("username", ["union_rep", "analyst", "outsider"])
def test_others_cannot_verify(municipality, catalog, client_for, username):
    m, c = municipality, catalog
    record = pending(m.people["employee"], c.competences["HLR"])
    response = client_for(m.users[username]).post(reverse("record_verify", args=[record.pk]))
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING


def test_verify_and_reject_are_post_only(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = pending(m.people["employee"], c.competences["HLR"])
    client = client_for(m.users["leader"])
    for action in ("record_verify", "record_reject"):
        assert client.get(reverse(action, args=[record.pk])).status_code == 405
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING


def test_an_already_decided_record_is_gone_from_the_queue(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = pending(m.people["employee"], c.competences["HLR"])
    client_for(m.users["hr"]).post(reverse("record_verify", args=[record.pk]))
    response = client_for(m.users["leader"]).post(reverse("record_verify", args=[record.pk]))
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.decided_by == m.users["hr"]


def test_the_queue_is_paginated_and_a_decision_returns_to_the_same_page(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    people = add_staff(m.units["HA"], m.roles["nurse"], QUEUE_PER_PAGE + 5, "kø")
    records = [pending(person, c.competences["HLR"]) for person in people]
    client = client_for(m.users["leader"])
    second = client.get(QUEUE, {"page": 2})
    assert [row["record"] for row in second.context["rows"]] == records[QUEUE_PER_PAGE:]
    response = client.post(reverse("record_verify", args=[records[-1].pk]), {"page": "2"})
    assert response.url == f"{QUEUE}?page=2"


def test_queue_query_count_does_not_grow_with_records(
    municipality, catalog, client_for, django_assert_max_num_queries
):
    m, c = municipality, catalog
    client = client_for(m.users["leader"])
    competences = list(c.competences.values())

    def add(count):
        people = add_staff(m.units["HA1"], m.roles["nurse"], count, f"q{count}")
        for index, person in enumerate(people):
            competence = competences[index % len(competences)]
            pending(person, competence, level=2 if competence.scale_id else None, evidence=pdf())

    add(3)
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200
    add(57)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert response.context["page"].paginator.count == 60
    assert CompetenceRecord.objects.count() == 60
