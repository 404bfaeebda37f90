"""Registering, verifying, rejecting and renewing competence records (evne.competence.recording),
and the records helpers the other records tests share."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from evne.competence import recording
from evne.competence.models import CompetenceRecord, RecordSource, RecordStatus
from evne.core.visibility import visibility_for

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def make_record(person, competence, obtained, status=RecordStatus.VERIFIED, **extra):
    """A record made straight through the model, as earlier registrations left it."""
    values = {"source": RecordSource.SELF if status == RecordStatus.PENDING else RecordSource.HR}
    values.update(extra)
    return CompetenceRecord.objects.create(
        person=person, competence=competence, obtained_on=obtained, status=status, **values
    )


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def pdf(name="kursbevis.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(message) for message in errors] for field, errors in error}


# Registering


def test_an_employee_registers_their_own_competence_as_pending(municipality, catalog):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["employee"], m.people["employee"], c.competences["HLR"], obtained_on=days_ago(10)
    )
    assert record.status == RecordStatus.PENDING
    assert record.source == RecordSource.SELF
    assert record.created_by == m.users["employee"]
    assert record.decided_by is None


def test_a_leader_registering_for_their_people_is_verified_at_once(municipality, catalog):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["leader"], m.people["ha0"], c.competences["HLR"], obtained_on=days_ago(10)
    )
    assert (record.status, record.source) == (RecordStatus.VERIFIED, RecordSource.LEADER)
    assert record.decided_by == m.users["leader"]
    assert record.decided_at is not None


def test_hr_registering_is_verified_with_hr_as_source(municipality, catalog):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["hr"], m.people["oc"], c.competences["HLR"], obtained_on=days_ago(10)
    )
    assert (record.status, record.source) == (RecordStatus.VERIFIED, RecordSource.HR)


def test_a_leader_cannot_register_outside_their_units(municipality, catalog):
    m, c = municipality, catalog
    with pytest.raises(PermissionDenied):
        recording.register_record(
            m.users["leader"], m.people["hb"], c.competences["HLR"], obtained_on=days_ago(1)
        )
    assert not CompetenceRecord.objects.exists()


@pytest.mark.parametrize("username", ["employee", "union_rep", "analyst", "outsider"])
def test_nobody_else_registers_for_a_person(municipality, catalog, username):
    m, c = municipality, catalog
    with pytest.raises(PermissionDenied):
        recording.register_record(
            m.users[username], m.people["ha0"], c.competences["HLR"], obtained_on=days_ago(1)
        )
    assert not CompetenceRecord.objects.exists()


def test_a_leader_registering_their_own_competence_waits_for_verification(municipality, catalog):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["leader"], m.people["leader"], c.competences["HLR"], obtained_on=days_ago(1)
    )
    assert record.status == RecordStatus.PENDING


def test_expiry_is_counted_from_the_validity_unless_given(municipality, catalog):
    m, c = municipality, catalog
    counted = recording.register_record(
        m.users["hr"],
        m.people["ha0"],
        c.competences["HLR"],
        obtained_on=datetime.date(2024, 3, 15),
    )
    assert counted.expires_on == datetime.date(2025, 3, 15)
    given = recording.register_record(
        m.users["hr"],
        m.people["ha1"],
        c.competences["HLR"],
        obtained_on=datetime.date(2024, 3, 15),
        expires_on=datetime.date(2024, 9, 1),
    )
    assert given.expires_on == datetime.date(2024, 9, 1)
    lasting = recording.register_record(
        m.users["hr"], m.people["ha0"], c.competences["SYKEPLEIER"], obtained_on=days_ago(900)
    )
    assert lasting.expires_on is None


@pytest.mark.parametrize(
    ("obtained", "months", "expires"),
    [
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),  # leap year
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2023, 8, 31), 24, datetime.date(2025, 8, 31)),
        (datetime.date(2023, 12, 31), 6, datetime.date(2024, 6, 30)),
    ],
)
def test_expiry_from_validity_at_month_ends(municipality, catalog, obtained, months, expires):
    m, c = municipality, catalog
    competence = c.competences["LEGEMIDDEL"]
    competence.validity_months = months
    competence.save()
    record = recording.register_record(
        m.users["hr"], m.people["ha0"], competence, obtained_on=obtained
    )
    assert record.expires_on == expires


def test_every_wrong_value_is_reported_at_once(municipality, catalog):
    m, c = municipality, catalog
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        recording.register_record(
            m.users["employee"],
            m.people["employee"],
            c.competences["DEMENS"],
            level=7,
            obtained_on=tomorrow,
            expires_on=tomorrow - datetime.timedelta(days=5),
            evidence_file=pdf(content=b"MZ\x90\x00 not a pdf"),
        )
    errors = messages_of(raised.value)
    assert errors["level"] == [
        "7 is not a level of Proficiency 1–4. The levels are: "
        "1 Basic, 2 Intermediate, 3 Advanced, 4 Expert."
    ]
    assert errors["obtained_on"] == ["The date obtained cannot be in the future."]
    assert errors["expires_on"] == ["The expiry date cannot be before the date obtained."]
    assert "not a PDF or a picture" in errors["evidence"][0]
    assert not CompetenceRecord.objects.exists()


def test_a_level_is_required_on_a_scale_and_refused_without_one(municipality, catalog):
    m, c = municipality, catalog
    user, person = m.users["employee"], m.people["employee"]
    with pytest.raises(ValidationError) as raised:
        recording.register_record(user, person, c.competences["DEMENS"], obtained_on=days_ago(1))
    assert messages_of(raised.value)["level"] == [
        "Choose a level: Dementia care is registered on the scale Proficiency 1–4."
    ]
    with pytest.raises(ValidationError) as raised:
        recording.register_record(
            user, person, c.competences["HLR"], level=2, obtained_on=days_ago(1)
        )
    assert "has no levels" in messages_of(raised.value)["level"][0]


def test_a_competence_no_longer_in_use_cannot_be_registered(municipality, catalog):
    m, c = municipality, catalog
    competence = c.competences["HLR"]
    competence.is_active = False
    competence.save()
    with pytest.raises(ValidationError):
        recording.register_record(
            m.users["employee"], m.people["employee"], competence, obtained_on=days_ago(1)
        )


def test_the_same_competence_and_date_cannot_be_registered_twice(municipality, catalog):
    m, c = municipality, catalog
    arguments = (m.users["employee"], m.people["employee"], c.competences["HLR"])
    recording.register_record(*arguments, obtained_on=days_ago(3))
    with pytest.raises(ValidationError) as raised:
        recording.register_record(*arguments, obtained_on=days_ago(3))
    assert "already registered" in messages_of(raised.value)["obtained_on"][0]
    assert CompetenceRecord.objects.count() == 1


def test_the_evidence_file_is_kept_under_a_neutral_name(municipality, catalog):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["employee"],
        m.people["employee"],
        c.competences["HLR"],
        obtained_on=days_ago(3),
        evidence_file=pdf("Eva Ansatt fødselsnummer 01019012345.exe"),
    )
    assert record.evidence.name.startswith("evidence/")
    assert record.evidence.name.endswith(".pdf")
    assert "Eva" not in record.evidence.name
    with record.evidence.open("rb") as handle:
        assert handle.read() == PDF_BYTES


# Verifying and rejecting


def test_a_leader_verifies_a_pending_record_of_their_people(municipality, catalog):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    verified = recording.verify_record(m.users["leader"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED
    assert record.decided_by == m.users["leader"]
    assert verified.pk == record.pk


def test_a_leader_cannot_verify_outside_their_units_and_nothing_changes(municipality, catalog):
    m, c = municipality, catalog
    record = make_record(m.people["hb"], c.competences["HLR"], days_ago(5), "pending")
    with pytest.raises(PermissionDenied):
        recording.verify_record(m.users["leader"], record)
    with pytest.raises(PermissionDenied):
        recording.reject_record(m.users["leader"], record, "Nei")
    record.refresh_from_db()
    assert (record.status, record.decided_by, record.rejection_reason) == ("pending", None, "")


def test_nobody_verifies_their_own_record(municipality, catalog):
    m, c = municipality, catalog
    own = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    leaders_own = make_record(m.people["leader"], c.competences["HLR"], days_ago(5), "pending")
    with pytest.raises(PermissionDenied):
        recording.verify_record(m.users["employee"], own)
    with pytest.raises(PermissionDenied):
        recording.verify_record(m.users["leader"], leaders_own)
    assert set(CompetenceRecord.objects.values_list("status", flat=True)) == {"pending"}


@pytest.mark.parametrize("username", ["union_rep", "analyst"])
def test_union_representatives_and_analysts_see_and_verify_no_records(
    municipality, catalog, username
):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    visibility = visibility_for(m.users[username])
    assert not visibility.records().exists()
    assert not visibility.verifiable_records().exists()
    with pytest.raises(PermissionDenied):
        recording.verify_record(m.users[username], record)


def test_a_rejection_needs_a_reason_and_keeps_it(municipality, catalog):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    with pytest.raises(ValidationError):
        recording.reject_record(m.users["leader"], record, "   ")
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    recording.reject_record(m.users["leader"], record, " The certificate is for another course. ")
    record.refresh_from_db()
    assert record.status == RecordStatus.REJECTED
    assert record.rejection_reason == "The certificate is for another course."
    assert record.decided_by == m.users["leader"]


def test_a_decided_record_cannot_be_decided_again(municipality, catalog):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5), "pending")
    recording.reject_record(m.users["leader"], record, "Wrong course")
    with pytest.raises(PermissionDenied):
        recording.verify_record(m.users["hr"], record)
    record.refresh_from_db()
    assert record.status == RecordStatus.REJECTED


# Renewal


def test_a_verified_renewal_supersedes_the_older_record_which_stays_in_history(
    municipality, catalog
):
    m, c = municipality, catalog
    hlr = c.competences["HLR"]
    old = make_record(m.people["employee"], hlr, days_ago(400))
    new = recording.register_record(
        m.users["employee"], m.people["employee"], hlr, obtained_on=days_ago(2)
    )
    old.refresh_from_db()
    assert old.superseded_by is None  # still pending: the old one counts until verified
    recording.verify_record(m.users["leader"], new)
    old.refresh_from_db()
    assert old.superseded_by_id == new.pk
    current = CompetenceRecord.objects.current().filter(person=m.people["employee"])
    assert list(current) == [new]
    assert CompetenceRecord.objects.filter(person=m.people["employee"]).count() == 2


def test_an_older_certificate_registered_later_goes_straight_to_history(municipality, catalog):
    m, c = municipality, catalog
    hlr = c.competences["HLR"]
    newest = make_record(m.people["ha0"], hlr, days_ago(30))
    older = recording.register_record(
        m.users["leader"], m.people["ha0"], hlr, obtained_on=days_ago(400)
    )
    older.refresh_from_db()
    newest.refresh_from_db()
    assert older.superseded_by_id == newest.pk
    assert newest.superseded_by is None


def test_a_renewal_leaves_other_competences_and_people_alone(municipality, catalog):
    m, c = municipality, catalog
    other_competence = make_record(m.people["ha0"], c.competences["LEGEMIDDEL"], days_ago(400))
    other_person = make_record(m.people["ha1"], c.competences["HLR"], days_ago(400))
    recording.register_record(
        m.users["leader"], m.people["ha0"], c.competences["HLR"], obtained_on=days_ago(1)
    )
    for record in (other_competence, other_person):
        record.refresh_from_db()
        assert record.superseded_by is None


# Withdrawing


def test_an_employee_withdraws_their_own_pending_record_and_its_file(
    municipality, catalog, django_capture_on_commit_callbacks
):
    m, c = municipality, catalog
    record = recording.register_record(
        m.users["employee"],
        m.people["employee"],
        c.competences["HLR"],
        obtained_on=days_ago(3),
        evidence_file=pdf(),
    )
    storage, name = record.evidence.storage, record.evidence.name
    assert storage.exists(name)
    with pytest.raises(PermissionDenied):
        recording.withdraw_record(m.users["leader"], record)
    with django_capture_on_commit_callbacks(execute=True):
        recording.withdraw_record(m.users["employee"], record)
    assert not CompetenceRecord.objects.exists()
    assert not storage.exists(name)


def test_a_verified_record_cannot_be_withdrawn(municipality, catalog):
    m, c = municipality, catalog
    record = make_record(m.people["employee"], c.competences["HLR"], days_ago(5))
    with pytest.raises(PermissionDenied):
        recording.withdraw_record(m.users["employee"], record)
    assert CompetenceRecord.objects.filter(pk=record.pk).exists()
