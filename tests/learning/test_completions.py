import datetime

from evne.competence.models import CompetenceRecord, RecordSource, RecordStatus
from evne.learning.completions import complete_course
from evne.learning.models import Completion, CompletionSource
from tests.conftest import make_record

DAY = datetime.date(2026, 3, 2)


def test_completion_grants_the_courses_competences_as_verified_records(
    municipality, catalog, courses
):
    eva = municipality.people["employee"]
    completion, created = complete_course(
        eva, courses.courses["privacy"], completed_on=DAY, source=CompletionSource.ELEARNING
    )
    assert created
    record = completion.records.get()
    assert record.competence == catalog.competences["DIGITAL"]
    assert record.level == 1
    assert record.status == RecordStatus.VERIFIED
    assert record.source == RecordSource.ELEARNING
    assert record.expires_on == datetime.date(2028, 3, 2)


def test_a_grant_without_validity_uses_the_competences_own(municipality, catalog, courses):
    eva = municipality.people["employee"]
    completion, _ = complete_course(
        eva, courses.courses["cpr"], completed_on=DAY, source=CompletionSource.SESSION
    )
    assert completion.records.get().expires_on == datetime.date(2027, 3, 2)


def test_completing_twice_on_the_same_day_grants_once(municipality, catalog, courses):
    eva = municipality.people["employee"]
    for _ in range(2):
        complete_course(
            eva, courses.courses["cpr"], completed_on=DAY, source=CompletionSource.IMPORT
        )
    assert Completion.objects.filter(person=eva).count() == 1
    assert CompetenceRecord.objects.filter(person=eva).count() == 1


def test_a_completion_renews_the_older_record(municipality, catalog, courses):
    eva = municipality.people["employee"]
    old = make_record(eva, catalog.competences["HLR"], datetime.date(2025, 3, 1))
    completion, _ = complete_course(
        eva, courses.courses["cpr"], completed_on=DAY, source=CompletionSource.SESSION
    )
    old.refresh_from_db()
    assert old.superseded_by == completion.records.get()


def test_a_pending_record_of_the_same_day_is_verified_not_doubled(municipality, catalog, courses):
    eva = municipality.people["employee"]
    pending = make_record(eva, catalog.competences["HLR"], DAY, status=RecordStatus.PENDING)
    completion, _ = complete_course(
        eva, courses.courses["cpr"], completed_on=DAY, source=CompletionSource.SESSION
    )
    pending.refresh_from_db()
    assert completion.records.get() == pending
    assert pending.status == RecordStatus.VERIFIED
