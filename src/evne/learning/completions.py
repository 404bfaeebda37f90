"""Completing a course (gjennomføring): the one way a completion comes to be, whether from a
session's attendance, a passed e-learning test or an import, so that they all count alike.

A completion grants each of the course's competences as a verified record, obtained on the day
of completion, with the grant's level and validity; the record renews the person's older records
of that competence, as any verified record does.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from evne.competence.models import CompetenceRecord, RecordSource, RecordStatus
from evne.competence.models.records import add_months
from evne.competence.recording import renew
from evne.learning.models import Completion, CompletionSource, Course, CourseGrant

RECORD_SOURCE = {
    CompletionSource.SESSION: RecordSource.COURSE,
    CompletionSource.ELEARNING: RecordSource.ELEARNING,
    CompletionSource.IMPORT: RecordSource.COURSE,
    CompletionSource.REGISTERED: RecordSource.COURSE,
}


def complete_course(
    person,
    course: Course,
    *,
    completed_on: datetime.date,
    source: CompletionSource,
    session=None,
    result: str = "",
    import_batch=None,
    user=None,
) -> tuple[Completion, bool]:
    """Record that `person` completed `course` on `completed_on` and grant its competences.

    Returns the completion and whether it is new: completing the same course on the same day
    again changes nothing, so an import run twice, or a test passed from two tabs, grants once.
    Callers check the user's rights; this function only keeps the data consistent.
    """
    with transaction.atomic():
        completion, created = Completion.objects.get_or_create(
            person=person,
            course=course,
            completed_on=completed_on,
            defaults={
                "source": source,
                "session": session,
                "result": result,
                "import_batch": import_batch,
                "created_by": user,
            },
        )
        if created:
            grants = CourseGrant.objects.filter(course=course).select_related("competence")
            completion.records.set([_grant(completion, grant, user) for grant in grants])
    return completion, created


def _grant(completion: Completion, grant: CourseGrant, user) -> CompetenceRecord:
    """The verified record a completion gives for one of the course's competences. A record of
    the competence already obtained that day (registered by hand, say) is reused, not doubled,
    and verified if it was waiting: the completion is the evidence."""
    existing = (
        CompetenceRecord.objects.current()
        .filter(
            person_id=completion.person_id,
            competence_id=grant.competence_id,
            obtained_on=completion.completed_on,
        )
        .first()
    )
    if existing is not None:
        if existing.status == RecordStatus.PENDING:
            existing.status = RecordStatus.VERIFIED
            existing.decided_by, existing.decided_at = user, timezone.now()
            existing.save(update_fields=["status", "decided_by", "decided_at"])
            renew(existing)
        return existing
    expires_on = None
    if grant.validity_months:
        expires_on = add_months(completion.completed_on, grant.validity_months)
    record = CompetenceRecord.objects.create(
        person_id=completion.person_id,
        competence=grant.competence,
        level=grant.level,
        obtained_on=completion.completed_on,
        expires_on=expires_on,
        credits=completion.course.credits,
        source=RECORD_SOURCE[completion.source],
        status=RecordStatus.VERIFIED,
        evidence_reference=completion.course.display_name[:300],
        created_by=user,
        decided_by=user,
        decided_at=timezone.now(),
    )
    renew(record)
    return record
