"""The demo municipality's learning: courses of every kind with the competences they grant,
sessions past and upcoming (one full with a waiting list, one course needing the leader's
approval), the data protection e-learning module with its question bank, and a history of
completions, test attempts and certificates for the reports to show.

Completions are not drawn anew: they are the courses behind the competence records the demo
already has (`evne.demo.competence`), so coverage stays as planned. A record from a course
becomes a session's attendance (or a completion registered afterwards), one from the e-learning
test a passed attempt with its answers and certificate, and an imported one a completion of the
demo's import batch. Each completion is linked to the record of its day, as `complete_course`
does when the record already exists. The demo employee login has not taken the data protection
course, so its journey can be walked.

Everything is written with bulk inserts, keys handed out first; the same seed, reference date
and organisation give the same data.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from evne.accounts.models import User
from evne.competence.models import Competence, CompetenceRecord, RecordStatus
from evne.core.bulk import allocate_keys, insert_rows
from evne.core.imports.pipeline import ChangeLog
from evne.core.models import ImportBatch
from evne.demo import competence_data
from evne.demo import learning_data as data
from evne.learning.certificates import ALPHABET, CODE_LENGTH
from evne.learning.models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Completion,
    CompletionSource,
    Course,
    CourseGrant,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Module,
    ModulePage,
    Question,
    Session,
)
from evne.organization.models import Employment, OrgUnit

HISTORY_DAYS = 3 * 365  # completions kept from the learning platform used before Evne
SESSION_DAYS = 180  # course records this recent were a session's attendance in Evne
MODULE_DAYS = 2 * 365  # the e-learning module has been in Evne this long
RETAKE_SHARE = 0.2  # passed e-learning tests failed once first
FAILED_ONLY = 40  # people who failed the test and have not passed it yet
PASS_WITH_ONE_WRONG = 0.45
RENEWAL_WINDOW_DAYS = 120  # people whose record expires within this are enrolled upcoming
FULL_SESSION_WAITING = 4
AWAITING_APPROVAL = 5


@dataclass(frozen=True)
class LearningSummary:
    courses: int
    sessions: int
    enrolments: int
    completions: int
    attempts: int


@dataclass(frozen=True)
class _Record:
    pk: int
    person: int
    number: str
    course: str
    obtained: datetime.date
    source: str
    expires: datetime.date | None


@dataclass
class _Plan:
    sessions: list[tuple] = field(default_factory=list)
    enrolments: list[tuple] = field(default_factory=list)
    completions: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)  # completion, record
    attempts: list[tuple] = field(default_factory=list)
    answers: list[tuple] = field(default_factory=list)
    chosen: list[tuple] = field(default_factory=list)
    certificates: list[tuple] = field(default_factory=list)
    imported: list[tuple[int, _Record, int]] = field(default_factory=list)  # key, record, row


def clear_learning_data() -> None:
    """Delete sessions, enrolments, completions, attempts and the demo's import batch; the
    courses stay, like the catalog, and are updated by the next build."""
    Session.objects.all().delete()
    Attempt.objects.all().delete()
    Completion.objects.all().delete()
    ImportBatch.objects.filter(kind="completions", filename=data.IMPORT_FILENAME).delete()


def build_learning(today: datetime.date, seed: int) -> LearningSummary:
    """Add the courses and the learning history to the organisation in the database."""
    rng = random.Random(f"evne-demo-learning-{seed}")
    courses = _save_courses()
    questions = _save_module(courses[data.PRIVACY_COURSE])
    users = dict(
        User.objects.filter(
            username__in=(competence_data.EMPLOYEE_LOGIN, competence_data.LEADER_LOGIN, "hr")
        ).values_list("username", "pk")
    )
    employee = (
        User.objects.filter(username=competence_data.EMPLOYEE_LOGIN)
        .values_list("person_id", flat=True)
        .first()
    )
    led = _led_people(today)
    planner = _Planner(rng, today, courses, questions, users, employee, led)
    records = _course_records(courses, today)
    planner.history(records)
    planner.failed_tests(records)
    planner.upcoming(records)
    planner.write()
    plan = planner.plan
    return LearningSummary(
        len(courses),
        Session.objects.count(),
        len(plan.enrolments),
        len(plan.completions),
        len(plan.attempts),
    )


# The courses and the module


def _save_courses() -> dict[str, Course]:
    competences = dict(
        Competence.objects.filter(
            code__in={course.grant for course in data.COURSES if course.grant}
        ).values_list("code", "pk")
    )
    courses = {}
    for demo in data.COURSES:
        course, _ = Course.objects.update_or_create(
            code=demo.code,
            defaults={
                "name": demo.name,
                "name_en": demo.name_en,
                "kind": demo.kind,
                "description": demo.description,
                "provider": demo.provider,
                "hours": demo.hours,
                "cost": demo.cost,
                "credits": demo.credits,
                "requires_approval": demo.requires_approval,
                "is_active": True,
            },
        )
        CourseGrant.objects.filter(course=course).delete()
        if demo.grant in competences:
            CourseGrant.objects.create(
                course=course, competence_id=competences[demo.grant], level=demo.level
            )
        courses[demo.code] = course
    return courses


def _save_module(course: Course) -> list[tuple[int, float, str, list[int], list[int]]]:
    """The published module; its questions as (id, difficulty, kind, right and wrong choice
    ids)."""
    Module.objects.filter(course=course).delete()
    module = Module.objects.create(
        course=course,
        pass_mark_percent=data.PASS_MARK,
        questions_per_attempt=data.QUESTIONS_DRAWN,
        attempts_allowed=data.ATTEMPTS_ALLOWED,
        is_published=True,
    )
    ModulePage.objects.bulk_create(
        ModulePage(module=module, position=position, title=title, body=body)
        for position, (title, body) in enumerate(data.PAGES, 1)
    )
    questions = []
    for position, demo in enumerate(data.QUESTIONS, 1):
        question = Question.objects.create(
            module=module,
            kind=demo.kind,
            text=demo.text,
            explanation=demo.explanation,
            position=position,
        )
        choices = Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=right, position=index)
            for index, (text, right) in enumerate(demo.choices, 1)
        )
        right = [choice.pk for choice in choices if choice.is_correct]
        wrong = [choice.pk for choice in choices if not choice.is_correct]
        questions.append((question.pk, demo.difficulty, demo.kind, right, wrong))
    return questions


# Reading


def _course_records(courses: dict[str, Course], today: datetime.date) -> list[_Record]:
    """Verified records of the competences the courses grant, newest history first."""
    course_of = {
        grant.competence_id: grant.course.code
        for grant in CourseGrant.objects.filter(course__in=courses.values()).select_related(
            "course"
        )
    }
    rows = (
        CompetenceRecord.objects.filter(
            competence_id__in=course_of,
            status=RecordStatus.VERIFIED,
            obtained_on__gte=today - datetime.timedelta(days=HISTORY_DAYS),
        )
        .order_by("person__employee_number", "competence__code", "obtained_on")
        .values_list(
            "pk",
            "person_id",
            "person__employee_number",
            "competence_id",
            "obtained_on",
            "source",
            "expires_on",
        )
    )
    return [
        _Record(pk, person, number, course_of[competence], obtained, source, expires)
        for pk, person, number, competence, obtained, source, expires in rows
    ]


def _led_people(today: datetime.date) -> set[int]:
    """The people in the units the leader login leads, the leader excluded."""
    leader = (
        User.objects.filter(username=competence_data.LEADER_LOGIN)
        .values_list("person_id", flat=True)
        .first()
    )
    paths = OrgUnit.objects.filter(leaders=leader).values_list("path", flat=True)
    if leader is None or not paths:
        return set()
    people = Employment.objects.active_on(today).filter(unit__in=OrgUnit.objects.within(*paths))
    return set(people.values_list("person_id", flat=True)) - {leader}


# Planning


class _Planner:
    def __init__(self, rng, today, courses, questions, users, employee, led):
        self.rng, self.today, self.courses, self.questions = rng, today, courses, questions
        self.hr, self.leader = users.get("hr"), users.get(competence_data.LEADER_LOGIN)
        self.employee_user = users.get(competence_data.EMPLOYEE_LOGIN)
        self.employee, self.led = employee, led
        self.demo = {course.code: course for course in data.COURSES}
        self.module = courses[data.PRIVACY_COURSE].module.pk
        self.plan = _Plan()
        self.moments: dict[tuple[datetime.date, int, int], datetime.datetime] = {}
        self.codes: set[str] = set()
        self.counters: dict[type, int] = defaultdict(int)

    # The history

    def history(self, records: list[_Record]) -> None:
        """A completion for each record that came from one of the courses."""
        attended: dict[tuple[str, datetime.date], list[_Record]] = defaultdict(list)
        for record in records:
            course = self.demo[record.course]
            age = (self.today - record.obtained).days
            if record.course == data.PRIVACY_COURSE and record.person == self.employee:
                continue  # the employee login takes the course in the demo
            if record.source == "import":
                self.imported(record)
            elif record.source == "elearning" and course.kind == CourseKind.ELEARNING:
                if age <= MODULE_DAYS:
                    self.elearning(record)
            elif record.source == "course" and course.kind != CourseKind.ELEARNING:
                if course.capacity and age <= SESSION_DAYS and record.obtained.weekday() < 5:
                    attended[record.course, record.obtained].append(record)
                else:
                    self.completion(record, CompletionSource.REGISTERED, created_by=self.hr)
        for (code, day), group in sorted(attended.items()):
            self.past_session(code, day, group)

    def completion(
        self, record: _Record, source, *, session=None, result="", imported=False, created_by=None
    ) -> int:
        key = self.key(Completion)
        self.plan.completions.append(
            (
                key,
                record.person,
                self.courses[record.course].pk,
                record.obtained,
                source,
                session,
                result,
                imported,
                self.moment(record.obtained, 16),
                created_by,
            )
        )
        self.plan.links.append((key, record.pk))
        return key

    def imported(self, record: _Record) -> None:
        key = self.completion(
            record,
            CompletionSource.IMPORT,
            result=data.IMPORT_RESULT,
            imported=True,
            created_by=self.hr,
        )
        self.plan.imported.append((key, record, len(self.plan.imported) + 2))

    def past_session(self, code: str, day: datetime.date, group: list[_Record]) -> None:
        course = self.demo[code]
        start = self.moment(day, 9)
        session = self.session(course, start, max(course.capacity, len(group)))
        for record in group:
            requested = start - datetime.timedelta(days=self.rng.randint(7, 40))
            self.enrolment(session, record.person, EnrolmentStatus.ENROLLED, requested, True)
            self.completion(record, CompletionSource.SESSION, session=session, created_by=self.hr)

    def elearning(self, record: _Record) -> None:
        """A passed test on the day of the record, sometimes after a failed one."""
        if self.rng.random() < RETAKE_SHARE:
            before = record.obtained - datetime.timedelta(days=self.rng.randint(0, 3))
            self.attempt(record.person, before, passed=False)
        submitted, score = self.attempt(record.person, record.obtained, passed=True)
        key = self.completion(record, CompletionSource.ELEARNING, result=f"{score} %")
        self.plan.attempts[-1] = (*self.plan.attempts[-1][:-1], key)
        self.plan.certificates.append((key, self.certificate_code(), submitted, None))

    def failed_tests(self, records: list[_Record]) -> None:
        """People who need the data protection course, tried the test lately and failed."""
        done = {record.person for record in records if record.course == data.PRIVACY_COURSE}
        done |= {row[1] for row in self.plan.attempts}
        done.add(self.employee)
        candidates = sorted(
            set(
                Employment.objects.active_on(self.today)
                .order_by()
                .values_list("person_id", flat=True)
            )
            - done
        )
        for person in self.rng.sample(candidates, min(FAILED_ONLY, len(candidates))):
            day = self.today - datetime.timedelta(days=self.rng.randint(1, 30))
            for _ in range(self.rng.randint(1, data.ATTEMPTS_ALLOWED - 1)):
                self.attempt(person, day, passed=False)
                day += datetime.timedelta(days=self.rng.randint(0, 2))

    def attempt(self, person: int, day: datetime.date, *, passed: bool):
        """An attempt with its drawn questions and answers; returns when it was submitted and
        its score."""
        day = min(day, self.today)
        key = self.key(Attempt)
        drawn = self.rng.sample(self.questions, data.QUESTIONS_DRAWN)
        if passed:
            wrong_count = int(self.rng.random() < PASS_WITH_ONE_WRONG)
        else:
            wrong_count = self.rng.randint(2, 3)
        # The harder a question, the likelier it is among the wrong ones (weighted sampling).
        ranked = sorted(drawn, key=lambda q: self.rng.random() ** (1 / q[1]), reverse=True)
        wrong = {question[0] for question in ranked[:wrong_count]}
        for position, (question, _, kind, right, other) in enumerate(drawn, 1):
            answer = self.key(Answer)
            is_right = question not in wrong
            self.plan.answers.append((answer, key, question, position, is_right))
            if is_right:
                chosen = right
            elif kind == "multiple":
                chosen = [right[0], self.rng.choice(other)]
            else:
                chosen = [self.rng.choice(other)]
            self.plan.chosen.extend((answer, choice) for choice in chosen)
        score = (data.QUESTIONS_DRAWN - wrong_count) * 100 // data.QUESTIONS_DRAWN
        started = self.moment(day, self.rng.randint(8, 20), self.rng.randrange(0, 60, 5))
        submitted = started + datetime.timedelta(minutes=self.rng.randint(4, 25))
        self.plan.attempts.append(
            (key, self.module, person, started, submitted, score, passed, None)
        )
        return submitted, score

    # Upcoming sessions

    def upcoming(self, records: list[_Record]) -> None:
        """Sessions in the weeks ahead, filled with people whose record expires soon or has
        expired; the first of the CPR course full with a waiting list, the course needing
        approval with enrolments waiting for the leader."""
        soon = self.today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
        latest: dict[tuple[str, int], _Record] = {}
        for record in records:
            latest[record.course, record.person] = record
        due: dict[str, list[int]] = defaultdict(list)
        others: dict[str, list[int]] = defaultdict(list)
        for (code, person), record in sorted(latest.items()):
            if person != self.employee:
                expiring = record.expires and record.expires <= soon
                (due if expiring else others)[code].append(person)
        for course in data.COURSES:
            if not course.sessions:
                continue
            people, rest = due[course.code], others[course.code]
            self.rng.shuffle(people)
            self.rng.shuffle(rest)
            # The leader login's people first, so that the leader has decisions to make; those
            # whose record is still valid fill what is left.
            people = sorted(people, key=lambda person: person not in self.led) + rest
            for number in range(course.sessions):
                day = self.today + datetime.timedelta(
                    days=10 + 14 * number + self.rng.randint(0, 4)
                )
                while day.weekday() > 4:
                    day += datetime.timedelta(days=1)
                session = self.session(course, self.moment(day, 9), course.capacity)
                self.fill(course, number, session, day, people)

    def fill(self, course, number: int, session: int, day: datetime.date, people: list[int]):
        full = course.code == data.CPR_COURSE and number == 0
        wanted = course.capacity if full else round(course.capacity * self.rng.uniform(0.4, 0.9))
        if course.code == data.CPR_COURSE and number == 1 and self.employee:
            self.enrolment(session, self.employee, EnrolmentStatus.ENROLLED, self.asked(day))
            wanted -= 1
        waiting = FULL_SESSION_WAITING if full else 0
        awaiting = AWAITING_APPROVAL if course.requires_approval and number == 0 else 0
        for status, count in (
            (EnrolmentStatus.AWAITING_APPROVAL, awaiting),
            (EnrolmentStatus.ENROLLED, wanted),
            (EnrolmentStatus.WAITLISTED, waiting),
        ):
            for _ in range(min(count, len(people))):
                person = people.pop(0)
                decided = course.requires_approval and status == EnrolmentStatus.ENROLLED
                self.enrolment(session, person, status, self.asked(day), decided=decided)

    def asked(self, day: datetime.date) -> datetime.datetime:
        asked = min(day - datetime.timedelta(days=self.rng.randint(3, 30)), self.today)
        return self.moment(asked, self.rng.randint(7, 22), self.rng.randrange(0, 60))

    # Rows

    def session(self, course: data.DemoCourse, start: datetime.datetime, capacity: int) -> int:
        key = self.key(Session)
        end = start + datetime.timedelta(hours=course.session_hours)
        closes = (start - datetime.timedelta(days=3)).date()
        row = (key, self.courses[course.code].pk, start, end, course.place, capacity, closes)
        self.plan.sessions.append(row)
        return key

    def enrolment(self, session, person, status, requested, attended=None, decided=False):
        led = person in self.led
        decided_at = requested + datetime.timedelta(days=1) if decided else None
        decided_by = self.leader if decided and led else (self.hr if decided else None)
        requested_by = self.employee_user if person == self.employee else None
        self.plan.enrolments.append(
            (
                self.key(Enrolment),
                session,
                person,
                status,
                requested,
                requested_by,
                decided_at,
                decided_by,
                attended,
            )
        )

    def key(self, model) -> int:
        """A key counted from 0 per model; the database's keys are handed out when written."""
        self.counters[model] += 1
        return self.counters[model] - 1

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        if (day, hour, minute) not in self.moments:
            naive = datetime.datetime.combine(day, datetime.time(hour, minute))
            self.moments[day, hour, minute] = timezone.make_aware(naive)
        return self.moments[day, hour, minute]

    def certificate_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    # Writing

    def write(self) -> None:
        keys = {model: allocate_keys(model, count) for model, count in self.counters.items()}
        batch = self.import_batch()

        def shift(model, key):
            return None if key is None else keys[model][key]

        plan = self.plan
        _insert(
            Session,
            [
                "id",
                "course_id",
                "starts_at",
                "ends_at",
                "place",
                "capacity",
                "enrolment_closes_on",
                "is_cancelled",
                "note",
            ],  # fmt: skip
            [(shift(Session, row[0]), *row[1:], False, "") for row in plan.sessions],
        )
        _insert(
            Enrolment,
            [
                "id",
                "session_id",
                "person_id",
                "status",
                "requested_at",
                "requested_by_id",
                "decided_at",
                "decided_by_id",
                "attended",
            ],  # fmt: skip
            [
                (shift(Enrolment, row[0]), shift(Session, row[1]), *row[2:])
                for row in plan.enrolments
            ],
        )
        _insert(
            Completion,
            [
                "id",
                "person_id",
                "course_id",
                "completed_on",
                "source",
                "session_id",
                "result",
                "import_batch_id",
                "created_at",
                "created_by_id",
            ],  # fmt: skip
            [
                (
                    shift(Completion, row[0]),
                    *row[1:5],
                    shift(Session, row[5]),
                    row[6],
                    batch.pk if row[7] else None,
                    *row[8:],
                )
                for row in plan.completions
            ],
        )
        through = Completion.records.through
        _insert(
            through,
            ["completion_id", "competencerecord_id"],
            [(shift(Completion, completion), record) for completion, record in plan.links],
        )
        _insert(
            Attempt,
            [
                "id",
                "module_id",
                "person_id",
                "started_at",
                "submitted_at",
                "score_percent",
                "passed",
                "completion_id",
            ],  # fmt: skip
            [
                (shift(Attempt, row[0]), *row[1:7], shift(Completion, row[7]))
                for row in plan.attempts
            ],
        )
        _insert(
            Answer,
            ["id", "attempt_id", "question_id", "position", "is_correct"],
            [(shift(Answer, row[0]), shift(Attempt, row[1]), *row[2:]) for row in plan.answers],
        )
        _insert(
            Answer.chosen.through,
            ["answer_id", "choice_id"],
            [(shift(Answer, answer), choice) for answer, choice in plan.chosen],
        )
        _insert(
            Certificate,
            ["completion_id", "code", "issued_at", "issued_by_id"],
            [(shift(Completion, row[0]), *row[1:]) for row in plan.certificates],
        )
        log = ChangeLog(batch)
        for key, record, row in plan.imported:
            text = f"{record.number} {record.course} {record.obtained:%d.%m.%Y}"
            changes = {
                "course": record.course,
                "completed_on": record.obtained,
                "result": data.IMPORT_RESULT,
                "records": [self.demo[record.course].grant],
            }
            log.add(Completion, shift(Completion, key), text, "create", changes, row)
        log.flush()

    def import_batch(self) -> ImportBatch:
        batch = ImportBatch.objects.create(
            kind="completions",
            created_by_id=self.hr,
            filename=data.IMPORT_FILENAME,
            counts={"completions": {"create": len(self.plan.imported), "update": 0}},
        )
        batch.roots.set(OrgUnit.objects.filter(parent=None))
        return batch


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert rows as given: on SQLite `bulk_create` would stamp every `auto_now_add` moment
    (when a test was started, a completion registered) with the time of the build."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        insert_rows(model, fields, rows)  # COPY takes the values as they are
        return
    meta = model._meta
    moments = [
        index
        for index, name in enumerate(fields)
        if meta.get_field(name).get_internal_type() == "DateTimeField"
    ]
    adapt = connection.ops.adapt_datetimefield_value
    if moments:
        rows = [list(row) for row in rows]
        for row in rows:
            for index in moments:
                row[index] = adapt(row[index]) if row[index] is not None else None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608
            rows,
        )
