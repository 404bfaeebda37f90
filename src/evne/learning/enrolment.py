"""Enrolment (påmelding) and attendance: the rules for who gets a place on a session.

Views, the admin and tests call these functions; each checks the user's rights itself through
`core.visibility`, so no caller can skip the check.

- A person enrols themself; a leader or HR enrols the people they manage (`managed_people`).
- A course that `requires_approval` keeps a person's own enrolment waiting until someone who
  manages them approves or declines it; an enrolment made by such a manager needs no approval.
- A full session puts people on its waiting list (venteliste), in the order they asked. When a
  place frees (a cancellation, a removal, more places) the first on the list moves up and is
  told by email.
- Every change of places happens with the session row locked (`select_for_update`) inside a
  transaction, so two people asking for the last place at once cannot both get it. On SQLite
  the project's IMMEDIATE transactions give the same guarantee.
- Marking someone as attended completes the course (`complete_course`), which grants its
  competences as verified records. A mistaken mark can be undone on the day it was made; after
  that the records stand and are corrected in the person's records.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from evne.core.imports.problems import lazy_message
from evne.core.visibility import visibility_for
from evne.learning.completions import complete_course
from evne.learning.models import (
    Completion,
    CompletionSource,
    Enrolment,
    EnrolmentStatus,
    Session,
)

logger = logging.getLogger(__name__)

# Statuses that hold a place or a claim on one: a person has at most one of these per session.
ACTIVE = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.AWAITING_APPROVAL,
)

SESSION_CANCELLED = _("This session is cancelled. Choose another session of the course.")
SESSION_STARTED = _("This session has already started. Choose a later session of the course.")
ENROLMENT_CLOSED = _("Enrolment for this session closed on %(date)s.")
COURSE_NOT_IN_USE = _("This course is no longer given.")
NOT_YOURS = _("You can enrol yourself and the people you lead, but not %(person)s.")
ALREADY_ENROLLED = _("%(person)s is already enrolled or on the waiting list for this session.")
NOT_AWAITING = _("This enrolment no longer waits for approval.")
NOT_APPROVER = _("Only a leader of %(person)s may approve or decline this enrolment.")
NOT_CANCELLABLE = _("This enrolment is already cancelled or declined.")
CANCEL_AFTER_START = _(
    "The session has started, so the enrolment can no longer be cancelled. The organiser marks "
    "who did not come."
)
MAY_NOT_CANCEL = _("You may cancel only your own enrolments and those of the people you lead.")
NOT_ORGANISER = _("Only course administrators do this.")
ATTENDANCE_TOO_EARLY = _("Attendance can be marked once the session has started.")
ATTENDANCE_NOT_ENROLLED = _("Only people with a place on the session can be marked.")
MOVED_UP = _("You have a place")
MOVED_UP_BODY = _(
    "A place freed on %(session)s and it is yours now. If you cannot come, cancel in Evne so "
    "that the next on the waiting list gets it."
)
APPROVED = _("Your enrolment is approved")
APPROVED_WITH_PLACE = _("Your leader approved your enrolment in %(session)s. You have a place.")
APPROVED_WAITING = _(
    "Your leader approved your enrolment in %(session)s. The session is full, so you are number "
    "%(position)s on the waiting list. You will get an email if a place frees."
)
DECLINED = _("Your enrolment is declined")
DECLINED_BODY = _(
    "Your leader declined your enrolment in %(session)s. Talk with them, or choose another session."
)
SESSION_CANCELLED_SUBJECT = _("Session cancelled")
SESSION_CANCELLED_BODY = _(
    "%(session)s is cancelled. Look for another session of the course in Evne."
)
ATTENDANCE_FINAL = _(
    "The attendance was registered on %(date)s and has given competence records. Correct them on "
    "the person's competence page."
)


# Reading a session's places


def places_taken(session: Session) -> int:
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


def with_place_counts(sessions):
    """Sessions annotated with `enrolled_count`, `free_places`, `waiting_count` and
    `awaiting_count`, in the query itself so that a list of sessions costs one query."""
    counted = sessions.annotate(
        enrolled_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
        waiting_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
        awaiting_count=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.AWAITING_APPROVAL)
        ),
    )
    return counted.annotate(free_places=Greatest(F("capacity") - F("enrolled_count"), 0))


def waiting_position(enrolment: Enrolment) -> int | None:
    """The enrolment's place in its session's waiting list, from 1; None if not waiting."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = Enrolment.objects.filter(
        session_id=enrolment.session_id, status=EnrolmentStatus.WAITLISTED
    ).filter(
        Q(requested_at__lt=enrolment.requested_at)
        | Q(requested_at=enrolment.requested_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


def is_open(session: Session, now=None) -> bool:
    """Whether people can still enrol in the session."""
    return _closed_reason(session, now or timezone.now()) is None


def may_enrol(user, person) -> bool:
    visibility = visibility_for(user)
    if person.pk == visibility.person_id:
        return True
    return visibility.managed_people().filter(pk=person.pk).exists()


def may_decide(user, enrolment: Enrolment) -> bool:
    """Whether the user may approve or decline the enrolment: they manage the person."""
    return visibility_for(user).managed_people().filter(pk=enrolment.person_id).exists()


# Enrolling, approving, cancelling


def enrol(user, person, session: Session) -> Enrolment:
    """Enrol `person` in `session` on `user`'s request: a place, the waiting list, or a wait for
    the leader's approval. Raises ValidationError with the reason when it cannot be done."""
    visibility = visibility_for(user)
    by_manager = visibility.managed_people().filter(pk=person.pk).exists()
    if person.pk != visibility.person_id and not by_manager:
        raise ValidationError(lazy_message(NOT_YOURS, person=person.full_name), code="not_yours")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        reason = _closed_reason(locked, now)
        if reason:
            raise ValidationError(reason, code="closed")
        enrolment = Enrolment.objects.filter(session=locked, person=person).first()
        if enrolment is not None and enrolment.status in ACTIVE:
            raise ValidationError(
                lazy_message(ALREADY_ENROLLED, person=person.full_name), code="already"
            )
        # A cancelled or declined enrolment is asked for anew: it joins the end of the queue.
        enrolment = enrolment or Enrolment(session=locked, person=person)
        enrolment.requested_at, enrolment.requested_by = now, user
        enrolment.decided_at = enrolment.decided_by = enrolment.cancelled_at = None
        enrolment.attended = None
        if locked.course.requires_approval and not by_manager:
            enrolment.status = EnrolmentStatus.AWAITING_APPROVAL
        else:
            if locked.course.requires_approval:
                enrolment.decided_at, enrolment.decided_by = now, user
            enrolment.status = _place_or_waiting_list(locked)
        enrolment.save()
    return enrolment


def approve(user, enrolment: Enrolment) -> Enrolment:
    """Approve an enrolment waiting for the leader: it gets a place, or the waiting list when
    the session has filled meanwhile (in the order of asking)."""
    now = timezone.now()
    with transaction.atomic():
        locked_session = _locked(enrolment.session)
        enrolment = _decidable(user, enrolment)
        reason = _closed_reason(locked_session, now)
        if reason:
            raise ValidationError(reason, code="closed")
        enrolment.status = _place_or_waiting_list(locked_session)
        enrolment.decided_at, enrolment.decided_by = now, user
        enrolment.save(update_fields=["status", "decided_at", "decided_by"])
    if enrolment.status == EnrolmentStatus.ENROLLED:
        _notify(enrolment, APPROVED, APPROVED_WITH_PLACE)
    else:
        _notify(enrolment, APPROVED, APPROVED_WAITING, position=waiting_position(enrolment))
    return enrolment


def decline(user, enrolment: Enrolment) -> Enrolment:
    with transaction.atomic():
        _locked(enrolment.session)
        enrolment = _decidable(user, enrolment)
        enrolment.status = EnrolmentStatus.DECLINED
        enrolment.decided_at, enrolment.decided_by = timezone.now(), user
        enrolment.save(update_fields=["status", "decided_at", "decided_by"])
    _notify(enrolment, DECLINED, DECLINED_BODY)
    return enrolment


def cancel(user, enrolment: Enrolment) -> Enrolment:
    """Cancel an enrolment: the person's own, a managed person's, or any for course
    administrators (removing someone). A freed place goes to the first on the waiting list."""
    visibility = visibility_for(user)
    allowed = (
        enrolment.person_id == visibility.person_id
        or visibility.may_manage_courses
        or visibility.managed_people().filter(pk=enrolment.person_id).exists()
    )
    if not allowed:
        raise ValidationError(MAY_NOT_CANCEL, code="not_yours")
    with transaction.atomic():
        session = _locked(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in ACTIVE:
            raise ValidationError(NOT_CANCELLABLE, code="not_active")
        if session.starts_at <= timezone.now():
            raise ValidationError(CANCEL_AFTER_START, code="started")
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_places(session)
    _notify_moved_up(promoted)
    return enrolment


def fill_places(session: Session) -> list[Enrolment]:
    """Move people up from the waiting list into free places, after the session's capacity was
    raised. Returns the enrolments that moved up; each person is told by email."""
    with transaction.atomic():
        promoted = _fill_places(_locked(session))
    _notify_moved_up(promoted)
    return promoted


def cancel_session(user, session: Session) -> int:
    """Cancel a whole session and tell everyone enrolled, waiting or awaiting approval. The
    enrolments stay as they were, as history. Returns how many people were told."""
    if not visibility_for(user).may_manage_courses:
        raise ValidationError(NOT_ORGANISER, code="not_organiser")
    with transaction.atomic():
        session = _locked(session)
        session.is_cancelled = True
        session.save(update_fields=["is_cancelled"])
        told = list(
            session.enrolments.filter(status__in=ACTIVE).select_related("person", "session")
        )
    for enrolment in told:
        _notify(enrolment, SESSION_CANCELLED_SUBJECT, SESSION_CANCELLED_BODY)
    return len(told)


# Attendance


def mark_attendance(user, enrolment: Enrolment, attended: bool) -> Completion | None:
    """Mark whether the person came. Attending completes the course on the session's day, which
    grants its competences as verified records (source: course). Returns the completion, if
    any."""
    if not visibility_for(user).may_manage_courses:
        raise ValidationError(NOT_ORGANISER, code="not_organiser")
    session = enrolment.session
    if session.starts_at > timezone.now():
        raise ValidationError(ATTENDANCE_TOO_EARLY, code="too_early")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(ATTENDANCE_NOT_ENROLLED, code="not_enrolled")
    day = timezone.localtime(session.starts_at).date()
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        completion = Completion.objects.filter(
            person_id=enrolment.person_id, course_id=session.course_id, session=session
        ).first()
        if attended:
            completion, _created = complete_course(
                enrolment.person,
                session.course,
                completed_on=day,
                source=CompletionSource.SESSION,
                session=session,
                user=user,
            )
        elif completion is not None:
            _undo_completion(completion)
            completion = None
        enrolment.attended = attended
        enrolment.save(update_fields=["attended"])
    return completion


def _undo_completion(completion: Completion) -> None:
    """Take back a completion marked by mistake, on the day it was marked: the records it
    created go (older records it had renewed become current again); records it only confirmed,
    registered before, stay."""
    marked_on = timezone.localtime(completion.created_at).date()
    if marked_on != timezone.localdate():
        raise ValidationError(
            lazy_message(ATTENDANCE_FINAL, date=marked_on.strftime("%d.%m.%Y")), code="final"
        )
    created = completion.records.filter(created_at__gte=completion.created_at)
    # Deleted one by one so that the audit log records each record taken back.
    for record in created:
        record.delete()
    completion.delete()


# Inside the lock


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("course").get(pk=session.pk)


def _closed_reason(session: Session, now):
    if session.is_cancelled:
        return SESSION_CANCELLED
    if not session.course.is_active:
        return COURSE_NOT_IN_USE
    if session.starts_at <= now:
        return SESSION_STARTED
    closes = session.enrolment_closes_on
    if closes and closes < timezone.localdate(now):
        return lazy_message(ENROLMENT_CLOSED, date=closes.strftime("%d.%m.%Y"))
    return None


def _place_or_waiting_list(session: Session) -> str:
    if places_taken(session) < session.capacity:
        return EnrolmentStatus.ENROLLED
    return EnrolmentStatus.WAITLISTED


def _fill_places(session: Session) -> list[Enrolment]:
    """With the session locked: the first on the waiting list take the free places."""
    free = session.capacity - places_taken(session)
    if free <= 0 or session.is_cancelled or session.starts_at <= timezone.now():
        return []
    waiting = list(
        session.enrolments.filter(status=EnrolmentStatus.WAITLISTED)
        .select_related("person", "session__course")
        .order_by("requested_at", "pk")[:free]
    )
    for enrolment in waiting:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.save(update_fields=["status"])
    return waiting


def _decidable(user, enrolment: Enrolment) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("person", "session__course")
        .get(pk=enrolment.pk)
    )
    if enrolment.person_id == visibility_for(user).person_id or not may_decide(user, enrolment):
        raise ValidationError(
            lazy_message(NOT_APPROVER, person=enrolment.person.full_name), code="not_approver"
        )
    if enrolment.status != EnrolmentStatus.AWAITING_APPROVAL:
        raise ValidationError(NOT_AWAITING, code="not_awaiting")
    return enrolment


# Telling people


def _notify_moved_up(promoted: list[Enrolment]) -> None:
    for enrolment in promoted:
        _notify(enrolment, MOVED_UP, MOVED_UP_BODY)


def _session_text(session: Session) -> str:
    starts = timezone.localtime(session.starts_at)
    text = f"{session.course.display_name} {starts:%d.%m.%Y %H:%M}"
    return f"{text}, {session.place}" if session.place else text


def _notify(enrolment: Enrolment, subject, body, **params) -> None:
    """Email the person, in Bokmål (Evne's language until a user picks another), once the
    change is committed. A mail server that does not answer must not undo the enrolment, so a
    failure is logged (without the address) and passed over."""
    address = enrolment.person.email
    if not address:
        return
    with translation.override(settings.LANGUAGE_CODE):
        params["session"] = _session_text(enrolment.session)
        subject, body = f"Evne: {subject}", str(body) % params

    def send():
        try:
            send_mail(subject, body, None, [address])
        except OSError:
            logger.warning("Could not send the email for enrolment %s", enrolment.pk)

    transaction.on_commit(send)
