"""My competences, a person's records with history, and the evidence download."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evne.competence import recording
from evne.competence.models import CompetenceRecord, RecordSource, RecordStatus
from evne.organization.models import Person
from tests.competence.test_recording import PDF_BYTES, days_ago, make_record, pdf
from tests.conftest import add_staff, make_user

MINE = "/competence/mine/"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def registration(competence, obtained, **extra):
    data = {"competence": competence.pk, "obtained_on": obtained.isoformat()}
    data.update(extra)
    return data


def level_key(catalog, value):
    return f"{catalog.scale.pk}:{value}"


# My competences


def test_an_employee_registers_a_competence_and_sees_it_pending(municipality, catalog, client_for):
    m, c = municipality, catalog
    client = english(client_for(m.users["employee"]))
    response = client.post(
        MINE,
        registration(
            c.competences["DEMENS"],
            datetime.date(2024, 5, 2),
            level=level_key(c, 2),
            evidence=pdf(),
            credits="7,5",
        ),
        follow=True,
    )
    assert response.redirect_chain == [(MINE, 302)]
    record = CompetenceRecord.objects.get()
    assert (record.person, record.level, record.status) == (m.people["employee"], 2, "pending")
    assert record.credits == 7.5
    content = response.content.decode()
    assert "Dementia care is registered and waits for your leader&#x27;s verification." in content
    assert 'data-color="info">Pending</span>' in content
    assert "2 Intermediate" in content
    assert "02.05.2024" in content


def test_the_registration_form_explains_every_problem_and_saves_nothing(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    client = english(client_for(m.users["employee"]))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        MINE,
        registration(
            c.competences["DEMENS"],
            tomorrow,
            expires_on=(tomorrow - datetime.timedelta(days=3)).isoformat(),
            evidence=SimpleUploadedFile("kursbevis.pdf", b"<html>not a pdf</html>"),
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The competence was not registered." in content
    assert "Choose a level: Dementia care is registered on the scale Proficiency 1–4." in content
    assert "The date obtained cannot be in the future." in content
    assert "The expiry date cannot be before the date obtained." in content
    assert "The file is not a PDF or a picture" in content
    assert 'aria-invalid="true"' in content
    assert not CompetenceRecord.objects.exists()


def test_a_level_of_another_scale_asks_for_the_competences_own(municipality, catalog, client_for):
    m, c = municipality, catalog
    client = english(client_for(m.users["employee"]))
    response = client.post(
        MINE, registration(c.competences["HLR"], days_ago(3), level=level_key(c, 3))
    )
    assert "has no levels: one has it or not" in response.content.decode()
    assert not CompetenceRecord.objects.exists()


def test_registering_a_competence_again_renews_it_once_verified(municipality, catalog, client_for):
    m, c = municipality, catalog
    old = make_record(m.people["employee"], c.competences["HLR"], days_ago(380))
    client = english(client_for(m.users["employee"]))
    client.post(MINE, registration(c.competences["HLR"], days_ago(2)))
    new = CompetenceRecord.objects.exclude(pk=old.pk).get()
    recording.verify_record(m.users["leader"], new)
    content = client.get(reverse("person_records", args=[m.people["employee"].pk])).content
    content = content.decode()
    current, history = content.split("History")
    assert days_ago(2).strftime("%d.%m.%Y") in current
    assert days_ago(380).strftime("%d.%m.%Y") in history
    assert f"by the record obtained {days_ago(2):%d.%m.%Y}" in history


def test_my_competences_shows_each_status(municipality, catalog, client_for):
    m, c = municipality, catalog
    person = m.people["employee"]
    make_record(person, c.competences["HLR"], days_ago(300))  # expires within 90 days
    make_record(person, c.competences["LEGEMIDDEL"], days_ago(800))  # expired
    make_record(person, c.competences["SYKEPLEIER"], days_ago(2000))  # verified, no expiry
    make_record(
        person,
        c.competences["DEMENS"],
        days_ago(10),
        "rejected",
        level=2,
        rejection_reason="The course is not a further education.",
    )
    make_record(person, c.competences["DIGITAL"], days_ago(5), "pending", level=3)
    content = english(client_for(m.users["employee"])).get(MINE).content.decode()
    for text in [
        'data-color="warning">Expires soon</span>',
        'data-color="danger">Expired</span>',
        'data-color="success">Verified</span>',
        'data-color="danger">Rejected</span>',
        "The course is not a further education.",
        'data-color="info">Pending</span>',
        "3 Advanced",
    ]:
        assert text in content


def test_a_rejected_record_is_hidden_once_the_competence_is_registered_again(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    person = m.people["employee"]
    make_record(person, c.competences["HLR"], days_ago(10), "rejected", rejection_reason="Blurry")
    client = english(client_for(m.users["employee"]))
    assert "Blurry" in client.get(MINE).content.decode()
    client.post(MINE, registration(c.competences["HLR"], days_ago(9)))
    assert "Blurry" not in client.get(MINE).content.decode()


def test_an_employee_withdraws_a_pending_record(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    client = english(client_for(m.users["employee"]))
    response = client.post(reverse("record_withdraw", args=[record.pk]), follow=True)
    assert "Your registration of Cardiopulmonary resuscitation is withdrawn." in (
        response.content.decode()
    )
    assert not CompetenceRecord.objects.exists()


def test_nobody_withdraws_someone_elses_or_a_verified_record(municipality, catalog, client_for):
    m, c = municipality, catalog
    pending = make_record(m.people["ha0"], c.competences["HLR"], days_ago(5), "pending")
    verified = make_record(m.people["employee"], c.competences["HLR"], days_ago(5))
    for user, record in [("leader", pending), ("employee", pending), ("employee", verified)]:
        response = client_for(m.users[user]).post(reverse("record_withdraw", args=[record.pk]))
        assert response.status_code == 404
    assert CompetenceRecord.objects.count() == 2


def test_withdraw_is_post_only(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    response = client_for(m.users["employee"]).get(reverse("record_withdraw", args=[record.pk]))
    assert response.status_code == 405
    assert CompetenceRecord.objects.exists()


@pytest.mark.parametrize("username", ["admin", "hr", "union_rep", "analyst"])
def test_users_without_a_person_get_404_on_my_competences(municipality, client_for, username):
    assert client_for(municipality.users[username]).get(MINE).status_code == 404


def test_the_form_offers_only_competences_in_use_grouped_by_area(municipality, catalog, client_for):
    m, c = municipality, catalog
    retired = c.competences["LEGEMIDDEL"]
    retired.is_active = False
    retired.save()
    content = english(client_for(m.users["employee"])).get(MINE).content.decode()
    assert '<optgroup label="Health">' in content
    assert '<optgroup label="Digital">' in content
    assert "Dementia care" in content
    assert "Medicine handling" not in content


def test_the_level_field_lists_the_chosen_competences_levels(municipality, catalog, client_for):
    m, c = municipality, catalog
    client = english(client_for(m.users["employee"]))
    url = reverse("record_levels")
    scaled = client.get(url, {"competence": c.competences["DEMENS"].pk}).content.decode()
    assert "4 Expert" in scaled
    assert "Choose a level" in scaled
    plain = client.get(url, {"competence": c.competences["HLR"].pk}).content.decode()
    assert "No level: one has it or not" in plain
    assert "Expert" not in plain
    kept = client.get(url, {"competence": c.competences["DEMENS"].pk, "level": level_key(c, 3)})
    assert (
        f'<option value="{level_key(c, 3)}" selected>3 Advanced</option>' in kept.content.decode()
    )
    unknown = client.get(url, {"competence": "nonsense"}).content.decode()
    assert "4 Expert" in unknown  # every scale, as without JavaScript


def test_my_competences_query_count_does_not_grow_with_records(
    municipality, catalog, client_for, django_assert_max_num_queries
):
    m, c = municipality, catalog
    client = client_for(m.users["employee"])
    competences = list(c.competences.values())

    def add(count):
        for index in range(count):
            make_record(
                m.people["employee"],
                competences[index % len(competences)],
                days_ago(index + 1),
                level=2 if competences[index % len(competences)].scale_id else None,
            )

    add(3)
    with django_assert_max_num_queries(13):
        assert client.get(MINE).status_code == 200
    add(57)
    with django_assert_max_num_queries(13):
        response = client.get(MINE)
    assert len(response.context["rows"]) == 60


# A person's records


@pytest.mark.parametrize(
    ("username", "person", "status"),
    [
        ("admin", "employee", 200),
        ("hr", "employee", 200),
        ("hr", "gx", 404),
        ("leader", "employee", 200),
        ("leader", "ha1", 200),
        ("leader", "hb", 404),
        ("employee", "employee", 200),
        ("employee", "ha0", 404),
        ("union_rep", "employee", 404),
        ("analyst", "employee", 404),
        ("outsider", "employee", 404),
        ("outsider", "gx", 200),
    ],
)
def test_who_may_open_a_persons_records(municipality, client_for, username, person, status):
    m = municipality
    url = reverse("person_records", args=[m.people[person].pk])
    assert client_for(m.users[username]).get(url).status_code == status


def test_history_shows_renewed_and_rejected_records(municipality, catalog, client_for):
    m, c = municipality, catalog
    person = m.people["ha0"]
    old = make_record(person, c.competences["HLR"], datetime.date(2023, 1, 10))
    new = make_record(person, c.competences["HLR"], datetime.date(2024, 1, 10))
    old.superseded_by = new
    old.save()
    make_record(
        person,
        c.competences["LEGEMIDDEL"],
        datetime.date(2024, 2, 1),
        "rejected",
        rejection_reason="Wrong person on the certificate",
    )
    response = english(client_for(m.users["leader"])).get(
        reverse("person_records", args=[person.pk])
    )
    assert [row["record"] for row in response.context["rows"]] == [new]
    history = [row["record"].pk for row in response.context["history"]]
    assert set(history) == {old.pk, CompetenceRecord.objects.get(status="rejected").pk}
    content = response.content.decode()
    assert "by the record obtained 10.01.2024" in content
    assert "Wrong person on the certificate" in content


def test_a_leader_registers_directly_for_their_people_as_verified(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    person = m.people["ha0"]
    url = reverse("person_records", args=[person.pk])
    client = english(client_for(m.users["leader"]))
    assert "Register as verified" in client.get(url).content.decode()
    response = client.post(url, registration(c.competences["HLR"], days_ago(4)), follow=True)
    assert response.redirect_chain == [(url, 302)]
    record = CompetenceRecord.objects.get()
    assert (record.status, record.source) == (RecordStatus.VERIFIED, RecordSource.LEADER)
    assert record.decided_by == m.users["leader"]
    assert "is registered for Ansatt0 Hasen as verified" in response.content.decode()


def test_a_leader_cannot_register_for_themselves_or_others_outside_their_units(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    client = client_for(m.users["leader"])
    own = client.get(reverse("person_records", args=[m.people["leader"].pk]))
    assert own.context["form"] is None
    for person in ("leader", "hb"):
        url = reverse("person_records", args=[m.people[person].pk])
        assert client.post(url, registration(c.competences["HLR"], days_ago(4))).status_code == 404
    employee = client_for(m.users["employee"])
    url = reverse("person_records", args=[m.people["employee"].pk])
    assert employee.post(url, registration(c.competences["HLR"], days_ago(4))).status_code == 404
    assert not CompetenceRecord.objects.exists()


def test_reading_another_persons_records_is_audited(municipality, client_for):
    m = municipality
    client_for(m.users["leader"]).get(reverse("person_records", args=[m.people["ha0"].pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk) == (m.users["leader"], str(m.people["ha0"].pk))
    assert entry.content_type.model_class() is Person
    LogEntry.objects.all().delete()
    client_for(m.users["employee"]).get(reverse("person_records", args=[m.people["employee"].pk]))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_person_page_links_to_their_records(municipality, client_for):
    m = municipality
    person = m.people["employee"]
    content = client_for(m.users["leader"]).get(reverse("person", args=[person.pk]))
    assert reverse("person_records", args=[person.pk]) in content.content.decode()


def test_person_records_query_count_does_not_grow_with_records(
    municipality, catalog, client_for, django_assert_max_num_queries
):
    m, c = municipality, catalog
    person = m.people["ha0"]
    client = client_for(m.users["leader"])
    url = reverse("person_records", args=[person.pk])
    competences = list(c.competences.values())

    def add(count):
        for index in range(count):
            competence = competences[index % len(competences)]
            record = make_record(
                person,
                competence,
                days_ago(index + 1),
                level=1 if competence.scale_id else None,
                evidence_reference="Arkivsak 2024/1",
            )
            if index % 3 == 0:
                record.superseded_by = CompetenceRecord.objects.order_by("pk").first()
                record.save()

    add(3)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    add(57)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.context["rows"]) + len(response.context["history"]) == 60


# Evidence download


def test_evidence_is_downloaded_as_an_attachment_with_its_detected_type(
    municipality, catalog, client_for
):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["employee"],
        m.people["employee"],
        c.competences["HLR"],
        obtained_on=datetime.date(2025, 1, 3),
        evidence_file=SimpleUploadedFile("scan.png", PDF_BYTES, content_type="image/png"),
    )
    response = client_for(m.users["leader"]).get(reverse("record_evidence", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="HLR-2025-01-03.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.content_type.model_class() is CompetenceRecord


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("employee", 200),
        ("leader", 200),
        ("hr", 200),
        ("admin", 200),
        ("union_rep", 404),
        ("analyst", 404),
        ("outsider", 404),
    ],
)
def test_only_those_who_see_the_record_download_its_evidence(
    municipality, catalog, client_for, username, status
):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["employee"],
        m.people["employee"],
        c.competences["HLR"],
        obtained_on=days_ago(3),
        evidence_file=pdf(),
    )
    response = client_for(m.users[username]).get(reverse("record_evidence", args=[record.pk]))
    assert response.status_code == status


def test_a_record_without_evidence_has_no_download(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(3))
    response = client_for(m.users["employee"]).get(reverse("record_evidence", args=[record.pk]))
    assert response.status_code == 404


def test_a_colleague_in_the_same_unit_cannot_download_evidence(municipality, catalog, client_for):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["leader"],
        m.people["ha0"],
        c.competences["HLR"],
        obtained_on=days_ago(3),
        evidence_file=pdf(),
    )
    colleague = add_staff(m.units["HA"], m.roles["nurse"], 1, "kollega")[0]
    user = make_user("colleague", person=colleague)
    response = client_for(user).get(reverse("record_evidence", args=[record.pk]))
    assert response.status_code == 404
