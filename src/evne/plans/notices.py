"""Notices (varsler) by email: new assignments, due dates, expiring competences, the annual
cycle's activities, and plans sent to the union representatives for consultation.

Each notice is sent once. Before an email goes out, a `Notice` row for every thing it tells
about (`kind` + `key`, unique together) is inserted in the same transaction as the sending: a
key already there means it was sent, and a send that fails rolls the rows back so that the next
run tries again. Two runs at once cannot both send: the second insert waits for the first and
then conflicts. The key holds what makes a notice distinct, such as the due date, so a moved due
date is recalled anew.

Emails are written in Bokmål, the language Evne speaks until a user picks another (a person's
choice is not stored), and link to the page in Evne (`EVNE_BASE_URL`). Addresses and names are
never logged.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from evne.accounts.models import Role, User
from evne.analysis.engine import window_days
from evne.competence.models import CompetenceRecord, RecordStatus
from evne.organization.models import Employment, OrgUnit, Person
from evne.plans.cycle import next_occurrence
from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    Consultation,
    CycleActivity,
    Notice,
)

logger = logging.getLogger(__name__)


class Kind:
    """The kinds of notice, as stored in `Notice.kind`."""

    ASSIGNED = "assigned"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    EXPIRING = "expiring"
    EXPIRING_DIGEST = "expiring_digest"
    ACTIVITY = "activity"
    CONSULTATION = "consultation"


@dataclass
class Tally:
    """What a round of notices did: emails sent, recipients without an address, failed sends."""

    sent: int = 0
    without_address: int = 0
    failed: int = 0

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.without_address += other.without_address
        self.failed += other.failed


@dataclass
class Letter:
    """One email to one recipient, about one or more things (the keys)."""

    kind: str
    keys: list[str]
    address: str
    subject: str
    body: str
    person_id: int | None = None
    user_id: int | None = None


def link(path: str) -> str:
    """An absolute address in Evne, for emails."""
    return settings.EVNE_BASE_URL.rstrip("/") + path


def date_text(day: datetime.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def unsent(kind: str, keys: Iterable[str]) -> set[str]:
    """Those of `keys` with no notice of `kind` yet."""
    keys = set(keys)
    if not keys:
        return keys
    sent = Notice.objects.filter(kind=kind, key__in=keys).values_list("key", flat=True)
    return keys - set(sent)


def deliver(letters: Iterable[Letter], *, dry_run: bool = False) -> Tally:
    """Send each letter once: its notices recorded and the email sent in one transaction."""
    tally = Tally()
    for letter in letters:
        if not letter.address:
            tally.without_address += 1
            continue
        if dry_run:
            tally.sent += 1
            continue
        try:
            with transaction.atomic():
                Notice.objects.bulk_create(
                    Notice(
                        kind=letter.kind,
                        key=key,
                        person_id=letter.person_id,
                        user_id=letter.user_id,
                    )
                    for key in letter.keys
                )
                send_mail(f"Evne: {letter.subject}", letter.body, None, [letter.address])
        except IntegrityError:
            # Another run sent it meanwhile.
            continue
        except OSError:
            # The mail server did not answer or refused: nothing is recorded, so the next run
            # tries again.
            logger.warning("Could not send a notice of kind %s", letter.kind)
            tally.failed += 1
            continue
        tally.sent += 1
    return tally


def compose(subject, intro, lines: list[str], path: str, **params) -> tuple[str, str]:
    """Subject and body of an email in Bokmål: an introduction, a list, and a link to Evne."""
    with translation.override("nb"):
        body = "\n".join(
            [
                str(intro) % params,
                "",
                *(f"- {line}" for line in lines),
                "",
                str(_("Open Evne: %(url)s")) % {"url": link(path)},
            ]
        )
        return str(subject) % params, body


# Learning-plan assignments


def my_plan_path() -> str:
    """The employee's own learning plan ("my plan"), or the start page until it exists."""
    try:
        return reverse("my_plan")
    except NoReverseMatch:
        return reverse("home")


def assignment_line(assignment: Assignment) -> str:
    title = str(assignment.item) or assignment.plan.title
    with translation.override("nb"):
        if assignment.due_on:
            return str(_("%(item)s (%(plan)s), due %(date)s")) % {
                "item": title,
                "plan": assignment.plan.title,
                "date": date_text(assignment.due_on),
            }
        return str(_("%(item)s (%(plan)s)")) % {"item": title, "plan": assignment.plan.title}


def assignment_letters(assignments, kind: str, key_of, subject, intro) -> list[Letter]:
    """One letter per person, listing their assignments whose notice is not sent yet."""
    by_key = {key_of(a): a for a in assignments}
    fresh = unsent(kind, by_key)
    per_person: dict[int, list[tuple[str, Assignment]]] = defaultdict(list)
    for key, assignment in by_key.items():
        if key in fresh:
            per_person[assignment.person_id].append((key, assignment))
    letters = []
    path = my_plan_path()
    for pairs in per_person.values():
        person = pairs[0][1].person
        pairs.sort(key=lambda pair: (pair[1].due_on or datetime.date.max, pair[1].pk))
        lines = [assignment_line(assignment) for _key, assignment in pairs]
        subject_text, body = compose(subject, intro, lines, path, count=len(lines))
        letters.append(
            Letter(
                kind=kind,
                keys=[key for key, _assignment in pairs],
                address=person.email,
                subject=subject_text,
                body=body,
                person_id=person.pk,
            )
        )
    return letters


ASSIGNED_SUBJECT = _("New learning in your plan")
ASSIGNED_INTRO = _("Your leader has given you this to learn or do:")
DUE_SOON_SUBJECT = _("Due soon in your learning plan")
DUE_SOON_INTRO = _("This is due soon:")
OVERDUE_SUBJECT = _("Overdue in your learning plan")
OVERDUE_INTRO = _("This is past its due date. Do it as soon as you can, or talk with your leader:")


def with_details(assignments):
    return assignments.select_related("person", "plan", "item__competence", "item__course")


# Assigning a plan to a whole municipality must not keep the leader's page waiting on the mail
# server: this many people are told at once, the others by the next `evne remind`.
IMMEDIATE_LIMIT = 200


def notify_assigned(assignments: Iterable[Assignment]) -> int:
    """Tell people of their new assignments, one email per person, for the assignments not
    told of yet, once the assigning transaction commits: an assignment rolled back tells no
    one, and no lock is held while the mail server answers. Assignments already done, or of
    people who have left the group, are passed over. Returns how many emails go out now."""
    ids = [assignment.pk for assignment in assignments]
    pending = with_details(
        Assignment.objects.filter(pk__in=ids, left_on=None).exclude(status=AssignmentStatus.DONE)
    )
    letters = [letter for letter in assigned_letters(pending) if letter.address]
    letters = letters[:IMMEDIATE_LIMIT]
    transaction.on_commit(lambda: deliver(letters))
    return len(letters)


def assigned_letters(assignments) -> list[Letter]:
    return assignment_letters(
        assignments,
        Kind.ASSIGNED,
        lambda a: f"assignment:{a.pk}",
        ASSIGNED_SUBJECT,
        ASSIGNED_INTRO,
    )


def open_assignments():
    """Assignments still to do, of people still in the group, in plans in use, with a due
    date."""
    return with_details(
        Assignment.objects.filter(left_on=None, plan__is_active=True, due_on__isnull=False).exclude(
            status=AssignmentStatus.DONE
        )
    )


def remind_assignments(today: datetime.date, *, dry_run: bool = False) -> dict[str, Tally]:
    """New assignments not told of yet, due dates coming within `EVNE_REMIND_DAYS_BEFORE_DUE`
    days, and due dates passed (once per due date)."""
    new = with_details(Assignment.objects.filter(left_on=None, plan__is_active=True)).exclude(
        status=AssignmentStatus.DONE
    )
    soon_until = today + datetime.timedelta(days=settings.EVNE_REMIND_DAYS_BEFORE_DUE)
    due_soon = open_assignments().filter(due_on__gte=today, due_on__lte=soon_until)
    overdue = open_assignments().filter(due_on__lt=today)
    return {
        Kind.ASSIGNED: deliver(assigned_letters(new), dry_run=dry_run),
        Kind.DUE_SOON: deliver(
            assignment_letters(
                due_soon,
                Kind.DUE_SOON,
                lambda a: f"assignment:{a.pk}:due:{a.due_on.isoformat()}",
                DUE_SOON_SUBJECT,
                DUE_SOON_INTRO,
            ),
            dry_run=dry_run,
        ),
        Kind.OVERDUE: deliver(
            assignment_letters(
                overdue,
                Kind.OVERDUE,
                lambda a: f"assignment:{a.pk}:overdue:{a.due_on.isoformat()}",
                OVERDUE_SUBJECT,
                OVERDUE_INTRO,
            ),
            dry_run=dry_run,
        ),
    }


# Expiring competences


EXPIRING_SUBJECT = _("A competence of yours expires soon")
EXPIRING_INTRO = _(
    "This competence expires soon. Renew it in time, for example on a course, and register the "
    "new certificate in Evne:"
)
DIGEST_SUBJECT = _("Competences expiring among your people")
DIGEST_INTRO = _("These competences of people you lead expire soon:")


def expiring_records(today: datetime.date):
    """Verified records of people still employed that expire within the gap engine's window and
    have not been renewed by another record of the same competence that lasts longer."""
    until = today + datetime.timedelta(days=window_days())
    current = CompetenceRecord.objects.current().filter(status=RecordStatus.VERIFIED)
    renewed = (
        current.filter(person=OuterRef("person"), competence=OuterRef("competence"))
        .exclude(pk=OuterRef("pk"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    )
    employed = Employment.objects.current_or_future(today).values("person_id")
    return (
        current.filter(expires_on__gte=today, expires_on__lte=until, person__in=employed)
        .exclude(Exists(renewed))
        .select_related("person", "competence")
        .order_by("expires_on", "pk")
    )


def record_line(record: CompetenceRecord, *, with_name: bool = False) -> str:
    with translation.override("nb"):
        text = str(_("%(competence)s, expires %(date)s")) % {
            "competence": record.competence.display_name,
            "date": date_text(record.expires_on),
        }
    return f"{record.person.full_name}: {text}" if with_name else text


def record_key(record: CompetenceRecord) -> str:
    return f"record:{record.pk}:expires:{record.expires_on.isoformat()}"


def nearest_leaders(people_ids: set[int], today: datetime.date) -> dict[int, set[int]]:
    """For each person, the leaders of the units they work in, or of the nearest unit above
    that has leaders; never the person themself (a leader's own expiry goes to their leader)."""
    led_by: dict[int, set[int]] = defaultdict(set)
    for unit_id, leader_id in OrgUnit.leaders.through.objects.values_list(
        "orgunit_id", "person_id"
    ):
        led_by[unit_id].add(leader_id)
    leaders: dict[int, set[int]] = defaultdict(set)
    employments = (
        Employment.objects.active_on(today)
        .filter(person_id__in=people_ids)
        .values_list("person_id", "unit__path")
    )
    for person_id, path in employments:
        for unit_id in reversed([int(part) for part in path.strip("/").split("/")]):
            found = led_by.get(unit_id, set()) - {person_id}
            if found:
                leaders[person_id] |= found
                break
    return leaders


def remind_expiring(today: datetime.date, *, dry_run: bool = False) -> dict[str, Tally]:
    """Each person about their own expiring records, and each leader one digest of those of
    their people; each record once per expiry date, to each."""
    records = list(expiring_records(today))
    path = reverse("my_competences")
    fresh = unsent(Kind.EXPIRING, map(record_key, records))
    mine: dict[int, list[CompetenceRecord]] = defaultdict(list)
    for record in records:
        if record_key(record) in fresh:
            mine[record.person_id].append(record)
    own_letters = []
    for person_records in mine.values():
        person = person_records[0].person
        subject, body = compose(
            EXPIRING_SUBJECT, EXPIRING_INTRO, [record_line(r) for r in person_records], path
        )
        own_letters.append(
            Letter(
                Kind.EXPIRING,
                [record_key(r) for r in person_records],
                person.email,
                subject,
                body,
                person_id=person.pk,
            )
        )
    return {
        Kind.EXPIRING: deliver(own_letters, dry_run=dry_run),
        Kind.EXPIRING_DIGEST: deliver(digest_letters(records, today), dry_run=dry_run),
    }


def digest_letters(records: list[CompetenceRecord], today: datetime.date) -> list[Letter]:
    leaders_of = nearest_leaders({record.person_id for record in records}, today)
    per_leader: dict[int, list[tuple[str, CompetenceRecord]]] = defaultdict(list)
    for record in records:
        for leader_id in leaders_of.get(record.person_id, ()):
            per_leader[leader_id].append((f"{record_key(record)}:leader:{leader_id}", record))
    fresh = unsent(
        Kind.EXPIRING_DIGEST, (key for pairs in per_leader.values() for key, _r in pairs)
    )
    leaders = Person.objects.in_bulk(per_leader)
    path = reverse("home")
    letters = []
    for leader_id, pairs in per_leader.items():
        pairs = [(key, record) for key, record in pairs if key in fresh]
        if not pairs:
            continue
        lines = [record_line(record, with_name=True) for _key, record in pairs]
        subject, body = compose(DIGEST_SUBJECT, DIGEST_INTRO, lines, path)
        letters.append(
            Letter(
                Kind.EXPIRING_DIGEST,
                [key for key, _record in pairs],
                leaders[leader_id].email,
                subject,
                body,
                person_id=leader_id,
            )
        )
    return letters


# The annual cycle


ACTIVITY_SUBJECT = _("Coming up in the annual cycle: %(title)s")
ACTIVITY_INTRO = _("An activity of the annual cycle of %(unit)s is coming up:")


def activity_letters(today: datetime.date) -> list[Letter]:
    """Reminders of activities whose reminder day has come, to the responsible user or else the
    unit's leaders, once per activity and date."""
    due = []
    activities = CycleActivity.objects.filter(remind_days_before__isnull=False).select_related(
        "unit", "responsible__person"
    )
    for activity in activities:
        starts = next_occurrence(activity, today)
        if (starts - today).days <= activity.remind_days_before:
            due.append((f"activity:{activity.pk}:{starts.isoformat()}", activity, starts))
    fresh = unsent(Kind.ACTIVITY, (key for key, _a, _s in due))
    due = [entry for entry in due if entry[0] in fresh]
    leaders = defaultdict(list)
    led = OrgUnit.leaders.through.objects.filter(orgunit_id__in=[a.unit_id for _k, a, _s in due])
    for link_row in led.select_related("person"):
        leaders[link_row.orgunit_id].append(link_row.person)
    letters = []
    for key, activity, starts in due:
        line = f"{activity.title}, {date_text(starts)}"
        if activity.day is None:
            with translation.override("nb"):
                line = str(_("%(title)s, some time in %(month)s")) % {
                    "title": activity.title,
                    "month": MONTHS[activity.month],
                }
        if activity.description:
            line = f"{line}\n  {activity.description}"
        path = f"{reverse('cycle')}?unit={activity.unit_id}&year={starts.year}"
        params = {"title": activity.title, "unit": activity.unit.name}
        subject, body = compose(ACTIVITY_SUBJECT, ACTIVITY_INTRO, [line], path, **params)
        user = activity.responsible
        if user is not None:
            address = user.email or (user.person.email if user.person_id else "")
            letters.append(Letter(Kind.ACTIVITY, [key], address, subject, body, user_id=user.pk))
            continue
        for leader in leaders.get(activity.unit_id, []):
            # One row per leader, so that each leader's reminder is recorded on its own.
            leader_key = f"{key}:leader:{leader.pk}"
            letters.append(
                Letter(
                    Kind.ACTIVITY, [leader_key], leader.email, subject, body, person_id=leader.pk
                )
            )
    return letters


def remind_activities(today: datetime.date, *, dry_run: bool = False) -> Tally:
    return deliver(activity_letters(today), dry_run=dry_run)


def remind_all(today: datetime.date, *, dry_run: bool = False) -> dict[str, Tally]:
    """Every notice due on `today`, by kind."""
    return {
        **remind_assignments(today, dry_run=dry_run),
        **remind_expiring(today, dry_run=dry_run),
        Kind.ACTIVITY: remind_activities(today, dry_run=dry_run),
    }


# Consultation (drøfting)

CONSULTATION_SUBJECT = _("A competence plan for consultation")
CONSULTATION_INTRO = _(
    "This plan is sent to the union representatives for consultation before it is adopted. "
    "Read it and write your comments in Evne:"
)


def notify_consultation(consultation: Consultation) -> int:
    """Tell the union representatives of the plan's unit (a grant on it or a unit above) that
    the plan waits for their reading and comments, once the sending commits; once per
    consultation and representative. Returns how many emails go out."""
    plan = consultation.plan
    representatives = User.objects.filter(
        role_grants__role=Role.UNION_REPRESENTATIVE,
        role_grants__unit_id__in=[*plan.unit.ancestor_ids, plan.unit_id],
        is_active=True,
    ).select_related("person")
    with translation.override("nb"):
        line = str(_("%(plan)s (%(unit)s), %(start)s–%(end)s")) % {
            "plan": plan.title,
            "unit": plan.unit.name,
            "start": date_text(plan.period_start),
            "end": date_text(plan.period_end),
        }
    subject, body = compose(
        CONSULTATION_SUBJECT, CONSULTATION_INTRO, [line], reverse("plan", args=[plan.pk])
    )
    letters = [
        Letter(
            kind=Kind.CONSULTATION,
            keys=[f"consultation:{consultation.pk}:user:{user.pk}"],
            address=user.email or (user.person.email if user.person else ""),
            subject=subject,
            body=body,
            user_id=user.pk,
        )
        for user in representatives.distinct()
    ]
    transaction.on_commit(lambda: deliver(letters))
    return sum(1 for letter in letters if letter.address)
