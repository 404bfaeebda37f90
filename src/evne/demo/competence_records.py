"""The demo's competence records: the people and competences as the planner sees them, the
records planned for each person from the state drawn for each of their requirements, and the
bulk insert that writes them (see `evne.demo.competence`)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from itertools import accumulate

from django.db import connection
from django.utils import timezone

from evne.competence.importers.records import INSERT_FIELDS
from evne.competence.models import CompetenceKind, CompetenceRecord, RecordSource, RecordStatus
from evne.competence.models.records import add_months
from evne.core.bulk import allocate_keys, insert_rows
from evne.demo import competence_data as data

# What an applicable requirement is on the reference date (the gap engine's states).
MET, EXPIRING, EXPIRED, PENDING, BELOW, MISSING = (
    "met",
    "expiring",
    "expired",
    "pending",
    "below_level",
    "missing",
)
ADULT_YEARS = 18
# Kinds of competence registered by HR from diplomas, rather than from courses.
EDUCATION_KINDS = {
    CompetenceKind.FORMAL_EDUCATION,
    CompetenceKind.FURTHER_EDUCATION,
    CompetenceKind.TRADE_CERTIFICATE,
}
REGISTERED_AT, DECIDED_AT = datetime.time(9), datetime.time(12)


@dataclass(frozen=True)
class CatalogEntry:
    """A competence of the catalog (kompetanse), as far as the planner needs it."""

    pk: int
    code: str
    kind: str
    validity: int | None  # months
    levels: tuple[int, ...]  # the values of its scale; empty for have/not
    implies: frozenset[str]


@dataclass(eq=False)
class Holder:
    """A person in a position on the reference date (ansatt), with what their positions ask for
    and the state drawn for each of those needs."""

    pk: int
    number: str
    birth: datetime.date | None
    jobs: list[tuple[int, str, datetime.date]] = field(default_factory=list)  # unit, role, start
    needs: dict[str, int | None] = field(default_factory=dict)  # applicable: code -> level
    formal: dict[str, str] = field(default_factory=dict)  # qualification code -> MET or PENDING
    beyond_role: set[str] = field(default_factory=set)  # formal codes their role does not bring
    statuses: dict[str, str] = field(default_factory=dict)  # code -> state on the reference date
    carried: set[str] = field(default_factory=set)  # needs settled by a formal qualification
    led: bool = False  # works under the leader login, not being that leader

    @property
    def roles(self) -> set[str]:
        return {role for _, role, _ in self.jobs}

    @cached_property
    def adult_on(self) -> datetime.date:
        return add_months(self.birth, 12 * ADULT_YEARS) if self.birth else datetime.date.min


@dataclass(frozen=True)
class DemoLogins:
    """The demo logins whose data is arranged (see `competence_data.EMPLOYEE_SITUATION`)."""

    employee: int | None = None  # person id
    employee_user: int | None = None
    leader: int | None = None
    leader_user: int | None = None
    led_units: frozenset[int] = frozenset()


@dataclass(eq=False, slots=True)
class PlannedRecord:
    """A competence record (kompetanseregistrering) to be written."""

    person: Holder
    competence: CatalogEntry
    level: int | None
    obtained: datetime.date
    source: str
    status: str
    expires: datetime.date | None = None
    credits: Decimal | None = None
    evidence_reference: str = ""
    rejection_reason: str = ""
    superseded_by: PlannedRecord | None = None
    created_at: datetime.datetime | None = None
    created_by: int | None = None
    decided_by: int | None = None
    decided_at: datetime.datetime | None = None
    key: int = 0


class RecordPlanner:
    """The records of one person: their formal qualifications, a record for each need in the
    state drawn for it, and some competence nobody asks for."""

    def __init__(self, rng: random.Random, today, catalog, logins: DemoLogins):
        self.rng, self.today, self.catalog, self.logins = rng, today, catalog, logins
        self.moments: dict[tuple[datetime.date, datetime.time], datetime.datetime] = {}
        self.registered_since = today - datetime.timedelta(days=data.REGISTERED_SINCE_DAYS)
        self.extras = [
            (extra, [code for code in extra.codes if code in catalog]) for extra in data.EXTRAS
        ]

    def plan(self, person: Holder) -> list[PlannedRecord]:
        records = [self.formal(person, code, state) for code, state in person.formal.items()]
        for code, level in person.needs.items():
            if code not in person.carried:
                records += self.need(person, self.catalog[code], level, person.statuses[code])
        records += self.unasked(person)
        for record in records:
            self.attribute(record)
        return records

    def formal(self, person: Holder, code: str, state: str) -> PlannedRecord:
        competence = self.catalog[code]
        if code in person.beyond_role:
            obtained = self.days_ago(30, 4 * 365)
        else:
            first_start = min(start for _, _, start in person.jobs)
            obtained = first_start - datetime.timedelta(days=self.rng.randint(10, 3 * 365))
        obtained = min(max(obtained, add_months(person.adult_on, 24)), self.today)
        if state == PENDING:
            return self.record(person, competence, None, obtained, RecordSource.SELF, PENDING)
        source = self.weighted(data.FORMAL_SOURCES)
        record = self.record(person, competence, None, obtained, source, RecordStatus.VERIFIED)
        record.evidence_reference = data.FORMAL_EVIDENCE
        return record

    def need(self, person, competence: CatalogEntry, level, status: str) -> list[PlannedRecord]:
        if status == MISSING:
            if self.rng.random() >= data.REJECTED_SHARE:
                return []
            obtained = self.days_ago(10, 300)
            record = self.record(
                person, competence, self.level(competence, level), obtained, RecordSource.SELF
            )
            record.status = RecordStatus.REJECTED
            record.rejection_reason = self.rng.choice(data.REJECTION_REASONS)
            return [record]
        if status == PENDING:
            records = [
                self.record(
                    person,
                    competence,
                    self.level(competence, level),
                    self.days_ago(*data.PENDING_DAYS),
                    RecordSource.SELF,
                    RecordStatus.PENDING,
                )
            ]
            if competence.validity and self.rng.random() < data.RENEWED_PENDING_SHARE:
                low, high = data.EXPIRED_DAYS
                records.append(self.verified(person, competence, level, -high, -low))
            return records
        if status == BELOW:
            below = max(value for value in competence.levels if value < level)
            record = self.verified(person, competence, level, data.MET_MARGIN_DAYS, None)
            record.level = below
            return [record]
        if status == EXPIRED:
            low, high = data.EXPIRED_DAYS
            return [self.verified(person, competence, level, -high, -low)]
        window = data.EXPIRING_DAYS if status == EXPIRING else (data.MET_MARGIN_DAYS, None)
        record = self.verified(person, competence, level, *window)
        records = [record]
        if competence.validity and self.rng.random() < data.RENEWAL_SHARE:
            earlier = add_months(record.obtained, -competence.validity)
            earlier -= datetime.timedelta(days=self.rng.randint(0, 60))
            if earlier >= person.adult_on:
                old = self.record(
                    person, competence, record.level, earlier, record.source, record.status
                )
                old.superseded_by = record
                records.append(old)
        return records

    def verified(self, person, competence: CatalogEntry, level, low: int, high: int | None):
        """A verified record, expiring `low` to `high` days after the reference date (negative:
        before) if the competence expires; `high` None: as late as its validity allows."""
        months = competence.validity
        if months is None:
            obtained = max(self.days_ago(30, 8 * 365), person.adult_on)
        else:
            latest = (add_months(self.today, months) - self.today).days
            if high is None:  # met: obtained as an adult, and not before the validity allows
                earliest = (add_months(person.adult_on, months) - self.today).days
                low, high = min(max(low, earliest), latest), latest
            expiry = self.today + datetime.timedelta(days=self.rng.randint(low, high))
            obtained = add_months(expiry, -months)
        educated = competence.kind in EDUCATION_KINDS
        source = self.weighted(data.FORMAL_SOURCES if educated else data.COURSE_SOURCES)
        return self.record(
            person,
            competence,
            self.level(competence, level),
            obtained,
            source,
            RecordStatus.VERIFIED,
        )

    def unasked(self, person: Holder) -> list[PlannedRecord]:
        """Competence beyond what the person's positions ask for."""
        roles, taken = person.roles, set(person.needs) | set(person.formal)
        records = []
        for extra, codes in self.extras:
            if extra.roles and not roles & set(extra.roles):
                continue
            if self.rng.random() >= extra.share:
                continue
            codes = [code for code in codes if code not in taken]
            number = min(self.rng.randint(*extra.items), len(codes))
            obtained = self.days_ago(*extra.days)
            for code in sorted(self.rng.sample(codes, number)):
                competence = self.catalog[code]
                if not extra.same_day:
                    obtained = self.days_ago(*extra.days)
                pending = self.rng.random() < extra.pending_share
                # Registered lately if still pending, so not waiting for years.
                day = self.days_ago(*data.PENDING_DAYS) if pending else obtained
                levels = tuple(pair for pair in extra.levels if pair[0] in competence.levels)
                record = self.record(
                    person,
                    competence,
                    self.weighted(levels) if levels else None,
                    max(day, person.adult_on),
                    RecordSource.SELF if pending else extra.source,
                    RecordStatus.PENDING if pending else RecordStatus.VERIFIED,
                )
                record.evidence_reference = extra.evidence_reference
                records.append(record)
                taken.add(code)
        return records

    def record(self, person, competence, level, obtained, source, status=RecordStatus.PENDING):
        months = competence.validity
        record = PlannedRecord(person, competence, level, obtained, source, status)
        record.expires = add_months(obtained, months) if months else None
        if competence.kind == CompetenceKind.FURTHER_EDUCATION:
            record.credits = self.rng.choice(data.CREDITS)
        return record

    def attribute(self, record: PlannedRecord) -> None:
        """Who registered and decided, where a demo login did; when. What was obtained before
        the municipality began to use Evne was registered when it began."""
        person = record.person
        leader = self.logins.leader_user if person.led else None
        if record.source == RecordSource.SELF and person.pk == self.logins.employee:
            record.created_by = self.logins.employee_user
        elif record.source == RecordSource.LEADER:
            record.created_by = leader
        registered = self.days_after(max(record.obtained, self.registered_since), 3)
        record.created_at = self.moment(registered, REGISTERED_AT)
        if record.status != RecordStatus.PENDING:
            record.decided_at = self.moment(self.days_after(registered, 14), DECIDED_AT)
            if record.source in (RecordSource.SELF, RecordSource.LEADER):
                record.decided_by = leader

    def days_after(self, day: datetime.date, most: int) -> datetime.date:
        """A day up to `most` days after `day`, and not after the reference date."""
        return min(day + datetime.timedelta(days=self.rng.randint(0, most)), self.today)

    def moment(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        if (day, time) not in self.moments:
            self.moments[day, time] = timezone.make_aware(datetime.datetime.combine(day, time))
        return self.moments[day, time]

    def level(self, competence: CatalogEntry, required: int | None) -> int | None:
        if not competence.levels:
            return None
        floor = required or competence.levels[0]
        at_least = [value for value in competence.levels if value >= floor]
        return at_least[min(self.weighted(data.LEVEL_STEPS), len(at_least) - 1)]

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def weighted(self, pairs: tuple[tuple, ...]):
        values, cumulative = _cumulative(pairs)
        return self.rng.choices(values, cum_weights=cumulative)[0]


@cache
def _cumulative(pairs: tuple[tuple, ...]) -> tuple[list, list[float]]:
    return [value for value, _ in pairs], list(accumulate(weight for _, weight in pairs))


def write_records(records: list[PlannedRecord]) -> None:
    # Renewals point to the record that replaced them, so keys are handed out before the insert.
    for record, key in zip(records, allocate_keys(CompetenceRecord, len(records)), strict=True):
        record.key = key
    _insert_records(
        [
            (
                record.key,
                record.person.pk,
                record.competence.pk,
                record.level,
                record.obtained,
                record.expires,
                record.credits,
                record.source,
                record.status,
                "",
                record.evidence_reference,
                "",
                record.created_at,
                record.created_by,
                record.decided_at,
                record.decided_by,
                record.rejection_reason,
                record.superseded_by.key if record.superseded_by else None,
            )
            for record in records
        ]
    )


def _insert_records(rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        insert_rows(CompetenceRecord, INSERT_FIELDS, rows)  # COPY
        return
    # On SQLite insert_rows uses bulk_create, which builds a model instance and prepares every
    # value of each row (8 s for the records of 10 000 people), and stamps every record as
    # registered during the build. A plain executemany takes a tenth of the time and keeps the
    # planned times. SQLite's adapters (registered by Django) take dates and decimals as they
    # are; aware datetimes are stored the way Django stores them.
    adapted: dict[datetime.datetime, str] = {}

    def adapt(moment: datetime.datetime | None) -> str | None:
        if moment is None:
            return None
        if moment not in adapted:
            adapted[moment] = connection.ops.adapt_datetimefield_value(moment)
        return adapted[moment]

    moments = [
        index
        for index, name in enumerate(INSERT_FIELDS)
        if CompetenceRecord._meta.get_field(name).get_internal_type() == "DateTimeField"
    ]
    rows = [list(row) for row in rows]
    for row in rows:
        for index in moments:
            row[index] = adapt(row[index])
    quote = connection.ops.quote_name
    table = quote(CompetenceRecord._meta.db_table)
    columns = ", ".join(
        quote(CompetenceRecord._meta.get_field(name).column) for name in INSERT_FIELDS
    )
    marks = ", ".join(["%s"] * len(INSERT_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
