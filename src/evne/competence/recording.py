"""Registering what people have (kompetanseregistrering): register, verify, reject, withdraw,
and renewal.

Pages, imports and course completions all go through these functions. Each checks the rights
itself through `core.visibility`, so no caller can skip the check:

- a person registers their own competences; the record waits for verification (pending);
- a leader or HR registering for someone they manage (`managed_people`) is verified at once;
- only records in `verifiable_records` are verified or rejected: never one's own, and never
  outside the units one leads or holds HR for.

Renewal: when a record becomes verified, the person's older verified records of the same
competence are marked as renewed by it (`superseded_by`) and stay in the history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.accounts.models import Role
from evne.competence import evidence
from evne.competence.models import (
    Competence,
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    ScaleLevel,
)
from evne.core.visibility import visibility_for

# Shared with the records import, which reports the same mistakes per row.
LEVEL_WITHOUT_SCALE = _("%(competence)s has no levels: one has it or not. Leave the level empty.")
LEVEL_MISSING = _("Choose a level: %(competence)s is registered on the scale %(scale)s.")
LEVEL_NOT_ON_SCALE = _("%(level)s is not a level of %(scale)s. The levels are: %(levels)s.")
OBTAINED_IN_FUTURE = _("The date obtained cannot be in the future.")
EXPIRES_BEFORE_OBTAINED = _("The expiry date cannot be before the date obtained.")
NOT_IN_USE = _("This competence is no longer in use and cannot be registered.")
ALREADY_REGISTERED = _(
    "This competence is already registered with this date obtained. To renew it, give the date "
    "of the new course or certificate."
)
REASON_MISSING = _("Write why the record is rejected. The employee sees the reason.")


def scale_levels(competence: Competence) -> dict[int, str]:
    """The levels of the competence's scale as {value: name}; empty for a have/not competence."""
    if competence.scale_id is None:
        return {}
    levels = ScaleLevel.objects.filter(scale_id=competence.scale_id)
    return {level.value: level.display_name for level in levels}


def level_error(competence: Competence, level: int | None, levels: dict[int, str]):
    """What is wrong with `level` for the competence (a message and its parameters), or None."""
    if competence.scale_id is None:
        if level is None:
            return None
        return LEVEL_WITHOUT_SCALE, {"competence": competence.display_name}
    scale = competence.scale.display_name
    if level is None:
        return LEVEL_MISSING, {"competence": competence.display_name, "scale": scale}
    if level not in levels:
        listed = ", ".join(f"{value} {name}" for value, name in sorted(levels.items()))
        return LEVEL_NOT_ON_SCALE, {"level": level, "scale": scale, "levels": listed}
    return None


def check_values(
    competence: Competence,
    *,
    level: int | None,
    obtained_on: datetime.date | None,
    expires_on: datetime.date | None,
    evidence_file=None,
    today: datetime.date | None = None,
) -> evidence.EvidenceType | None:
    """Raise a ValidationError naming each field that is wrong, all at once; return the type of
    the evidence file, if any."""
    today = today or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    problem = level_error(competence, level, scale_levels(competence))
    if problem:
        message, params = problem
        errors["level"] = [ValidationError(message, code="level", params=params)]
    if obtained_on and obtained_on > today:
        errors["obtained_on"] = [ValidationError(OBTAINED_IN_FUTURE, code="future")]
    if obtained_on and expires_on and expires_on < obtained_on:
        errors["expires_on"] = [ValidationError(EXPIRES_BEFORE_OBTAINED, code="before_obtained")]
    evidence_type = None
    if evidence_file:
        try:
            evidence_type = evidence.check_upload(evidence_file)
        except ValidationError as error:
            errors["evidence"] = [error]
    if errors:
        raise ValidationError(errors)
    return evidence_type


def register_record(
    user,
    person,
    competence: Competence,
    *,
    obtained_on: datetime.date,
    level: int | None = None,
    expires_on: datetime.date | None = None,
    credits: Decimal | None = None,
    evidence_file=None,
    evidence_reference: str = "",
    note: str = "",
) -> CompetenceRecord:
    """Register that `person` has `competence`.

    One's own record waits for verification; a leader's or HR's record for someone they manage
    is verified at once and renews the older records of the competence. Raises PermissionDenied
    for anyone else, and ValidationError (by field) for values that do not fit. An empty expiry
    is counted from the competence's validity.
    """
    visibility = visibility_for(user)
    if person.pk == visibility.person_id:
        source, status = RecordSource.SELF, RecordStatus.PENDING
    elif visibility.managed_people().filter(pk=person.pk).exists():
        source = RecordSource.LEADER if visibility.has_role(Role.LEADER) else RecordSource.HR
        status = RecordStatus.VERIFIED
    else:
        raise PermissionDenied
    if not competence.is_active:
        raise ValidationError({"competence": ValidationError(NOT_IN_USE, code="not_in_use")})
    evidence_type = check_values(
        competence,
        level=level,
        obtained_on=obtained_on,
        expires_on=expires_on,
        evidence_file=evidence_file,
    )
    duplicate = CompetenceRecord.objects.current().filter(
        person=person, competence=competence, obtained_on=obtained_on
    )
    if duplicate.exists():
        raise ValidationError({"obtained_on": ValidationError(ALREADY_REGISTERED, code="twice")})
    record = CompetenceRecord(
        person=person,
        competence=competence,
        level=level,
        obtained_on=obtained_on,
        expires_on=expires_on,
        credits=credits,
        source=source,
        status=status,
        evidence_reference=evidence_reference,
        note=note,
        created_by=user,
    )
    if status == RecordStatus.VERIFIED:
        record.decided_by, record.decided_at = user, timezone.now()
    if evidence_file:
        # Kept under the detected type's extension: the uploaded name may mislead or carry
        # personal data.
        evidence_file.name = f"evidence{evidence_type.extension}"
        record.evidence = evidence_file
    try:
        with transaction.atomic():
            record.save()
            if status == RecordStatus.VERIFIED:
                renew(record)
    except BaseException:
        # The file is written before the row; a row that fails must not leave it behind.
        # (`_committed` is how Django's FieldFile tells a stored file from a pending upload.)
        if record.evidence and record.evidence._committed:
            record.evidence.delete(save=False)
        raise
    return record


def verify_record(user, record: CompetenceRecord) -> CompetenceRecord:
    """Mark a pending record as verified; it renews the person's older records of the
    competence. PermissionDenied unless the record is in the user's verification queue."""
    with transaction.atomic():
        record = _pending_for(user, record.pk)
        record.status = RecordStatus.VERIFIED
        record.decided_by, record.decided_at = user, timezone.now()
        record.save(update_fields=["status", "decided_by", "decided_at"])
        renew(record)
    return record


def reject_record(user, record: CompetenceRecord, reason: str) -> CompetenceRecord:
    """Mark a pending record as rejected, with the reason the employee will read."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_MISSING, code="required")})
    with transaction.atomic():
        record = _pending_for(user, record.pk)
        record.status = RecordStatus.REJECTED
        record.rejection_reason = reason
        record.decided_by, record.decided_at = user, timezone.now()
        record.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    return record


def withdraw_record(user, record: CompetenceRecord) -> None:
    """Delete one's own record that is still pending (registered by mistake, or twice)."""
    visibility = visibility_for(user)
    with transaction.atomic():
        own = CompetenceRecord.objects.select_for_update().filter(
            pk=record.pk, person_id=visibility.person_id, status=RecordStatus.PENDING
        )
        record = own.first()
        if visibility.person_id is None or record is None:
            raise PermissionDenied
        evidence_file = record.evidence
        record.delete()
        if evidence_file:
            transaction.on_commit(lambda: evidence_file.delete(save=False))


def renew(record: CompetenceRecord) -> None:
    """Link a newly verified record with the person's other current verified records of the
    competence: those obtained earlier are renewed by it, and it is itself history if a current
    record was obtained later (an old certificate registered afterwards)."""
    others = (
        CompetenceRecord.objects.select_for_update()
        .filter(
            person_id=record.person_id,
            competence_id=record.competence_id,
            status=RecordStatus.VERIFIED,
            superseded_by=None,
        )
        .exclude(pk=record.pk)
    )
    newer = []
    for other in others:
        if other.obtained_on < record.obtained_on:
            other.superseded_by = record
            other.save(update_fields=["superseded_by"])
        elif other.obtained_on > record.obtained_on:
            newer.append(other)
    if newer:
        record.superseded_by = min(newer, key=lambda other: (other.obtained_on, other.pk))
        record.save(update_fields=["superseded_by"])


def _pending_for(user, pk: int) -> CompetenceRecord:
    record = visibility_for(user).verifiable_records().select_for_update().filter(pk=pk).first()
    if record is None:
        raise PermissionDenied
    return record
