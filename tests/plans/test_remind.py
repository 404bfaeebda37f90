"""`evne remind`: each kind of notice at its time, once, and a failed send tried again."""

import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import translation

from evne.competence.models import RecordStatus
from evne.plans import notices
from evne.plans.models import (
    ActivityKind,
    Assignment,
    AssignmentTargetKind,
    CycleActivity,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    Notice,
    PlanTarget,
)
from evne.plans.notices import (
    Kind,
    remind_activities,
    remind_all,
    remind_assignments,
    remind_expiring,
)
from tests.conftest import make_record

TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


class FailingBackend(BaseEmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")


def run(today=TODAY, *options):
    out = io.StringIO()
    call_command("remind", "--today", today.isoformat(), *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan(municipality):
    return LearningPlan.objects.create(title="Ny i Solsiden", unit=municipality.units["HA"])


def assign(plan, person, due, title="Brannvern"):
    item = LearningPlanItem.objects.create(
        plan=plan, kind=ItemKind.TASK, title=title, due_kind=DueKind.DATE, due_on=due
    )
    return Assignment.objects.create(
        plan=plan, item=item, person=person, assigned_on=TODAY - 30 * DAY, due_on=due
    )


def sent_to(address, subject):
    """The emails to `address` with the subject, which goes out in Bokmål."""
    with translation.override("nb"):
        text = str(subject)
    return [m for m in mail.outbox if m.to == [address] and text in m.subject]


# Running twice


@pytest.fixture
def everything(municipality, catalog, plan):
    """Something of each kind to tell, as of TODAY."""
    p, u = municipality.people, municipality.units
    PlanTarget.objects.create(plan=plan, kind=AssignmentTargetKind.PERSON, person=p["employee"])
    LearningPlanItem.objects.create(
        plan=plan,
        kind=ItemKind.TASK,
        title="Les rutinene",
        due_kind=DueKind.DATE,
        due_on=TODAY + 10 * DAY,
    )
    make_record(p["employee"], catalog.competences["HLR"], datetime.date(2025, 4, 1))
    CycleActivity.objects.create(
        unit=u["HA"],
        kind=ActivityKind.CONVERSATIONS,
        title="Medarbeidersamtaler",
        month=3,
        day=10,
        remind_days_before=14,
    )


def test_running_twice_the_same_day_sends_nothing_the_second_time(everything):
    first = run()
    sent = len(mail.outbox)
    notices = Notice.objects.count()

    second = run()

    # New assignment, due soon, expiring HLR to Eva and to Liv, and the conversations to Liv.
    assert sent == 5
    assert "5 emails sent, 0 failed" in first
    assert len(mail.outbox) == sent
    assert Notice.objects.count() == notices
    assert "0 emails sent, 0 failed" in second


def test_running_the_next_day_sends_nothing_new_either(everything):
    run()
    sent = len(mail.outbox)

    run(TODAY + DAY)

    assert len(mail.outbox) == sent


def test_a_dry_run_counts_without_sending_or_recording(everything, plan):
    Assignment.objects.create(
        plan=plan,
        item=plan.items.get(),
        person=plan.targets.get().person,
        assigned_on=TODAY,
        due_on=TODAY + 10 * DAY,
    )

    output = run(TODAY, "--dry-run")

    assert "would send" in output
    assert not mail.outbox
    assert not Notice.objects.exists()


def test_the_summary_names_no_one(everything):
    output = run()

    assert "Eva" not in output and "eva@testvik.no" not in output and "Liv" not in output


def test_the_command_brings_assignments_up_to_date_first(everything, plan, municipality):
    run()

    assignment = Assignment.objects.get(plan=plan)
    assert assignment.person == municipality.people["employee"]
    [email] = sent_to("eva@testvik.no", notices.ASSIGNED_SUBJECT)
    assert "Les rutinene" in email.body
    assert "12.03.2026" in email.body
    assert "http://127.0.0.1:8000/plans/" in email.body


def test_a_malformed_date_is_refused_clearly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today 31.02.2026"):
        call_command("remind", "--today", "31.02.2026", stdout=io.StringIO())


# Due dates


def test_a_due_date_is_recalled_the_set_number_of_days_before(municipality, plan, settings):
    settings.EVNE_REMIND_DAYS_BEFORE_DUE = 14
    eva = municipality.people["employee"]
    assign(plan, eva, TODAY + 14 * DAY, "Brannvern")
    assign(plan, eva, TODAY + 15 * DAY, "Hygiene")

    tally = remind_assignments(TODAY)[Kind.DUE_SOON]

    assert tally.sent == 1
    [email] = sent_to("eva@testvik.no", notices.DUE_SOON_SUBJECT)
    assert "Brannvern" in email.body and "16.03.2026" in email.body
    assert "Hygiene" not in email.body
    assert remind_assignments(TODAY + DAY)[Kind.DUE_SOON].sent == 1  # Hygiene's turn
    assert remind_assignments(TODAY + 2 * DAY)[Kind.DUE_SOON].sent == 0


def test_a_moved_due_date_is_recalled_again(municipality, plan):
    assignment = assign(plan, municipality.people["employee"], TODAY + 5 * DAY)
    remind_assignments(TODAY)

    Assignment.objects.filter(pk=assignment.pk).update(due_on=TODAY + 7 * DAY)

    assert remind_assignments(TODAY)[Kind.DUE_SOON].sent == 1


def test_overdue_is_told_once(municipality, plan):
    assign(plan, municipality.people["employee"], TODAY - DAY)

    assert remind_assignments(TODAY)[Kind.OVERDUE].sent == 1
    assert remind_assignments(TODAY + DAY)[Kind.OVERDUE].sent == 0
    assert remind_assignments(TODAY + 30 * DAY)[Kind.OVERDUE].sent == 0
    assert len(sent_to("eva@testvik.no", notices.OVERDUE_SUBJECT)) == 1


def test_done_assignments_and_people_who_left_the_group_are_not_reminded(municipality, plan):
    done = assign(plan, municipality.people["employee"], TODAY - DAY, "Ferdig")
    Assignment.objects.filter(pk=done.pk).update(status="done", done_on=TODAY - 2 * DAY)
    gone = assign(plan, municipality.people["leader"], TODAY + DAY, "Sluttet")
    Assignment.objects.filter(pk=gone.pk).update(left_on=TODAY - DAY)

    tallies = remind_assignments(TODAY)

    assert sum(tally.sent for tally in tallies.values()) == 0
    assert not mail.outbox


def test_people_without_an_email_address_are_skipped_and_counted(municipality, plan):
    assign(plan, municipality.people["ha0"], TODAY + DAY)

    tallies = remind_assignments(TODAY)

    assert tallies[Kind.DUE_SOON].without_address == 1
    assert tallies[Kind.ASSIGNED].without_address == 1
    assert not mail.outbox
    assert not Notice.objects.exists()


# Failed sends


def test_a_failed_send_records_nothing_and_is_sent_on_the_next_run(municipality, plan, settings):
    assign(plan, municipality.people["employee"], TODAY - DAY)
    settings.EMAIL_BACKEND = "tests.plans.test_remind.FailingBackend"

    tallies = remind_all(TODAY)

    assert tallies[Kind.OVERDUE].failed == 1 and tallies[Kind.ASSIGNED].failed == 1
    assert not Notice.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tallies = remind_all(TODAY)

    assert tallies[Kind.OVERDUE].sent == 1 and tallies[Kind.ASSIGNED].sent == 1
    assert Notice.objects.count() == 2


def test_the_command_reports_failures_and_still_ends_well(everything, settings):
    settings.EMAIL_BACKEND = "tests.plans.test_remind.FailingBackend"

    output = run()

    assert "0 emails sent, 5 failed" in output
    assert not Notice.objects.exists()


# Expiring competences


def test_an_expiring_competence_is_told_to_the_person_and_their_leader_once(
    municipality, catalog, settings
):
    settings.EVNE_EXPIRY_WINDOW_DAYS = 90
    p, c = municipality.people, catalog.competences
    make_record(p["employee"], c["HLR"], TODAY - 365 * DAY + 90 * DAY)  # expires in 90 days
    make_record(p["employee"], c["LEGEMIDDEL"], TODAY, expires=TODAY + 91 * DAY)  # not yet

    tallies = remind_expiring(TODAY)

    assert tallies[Kind.EXPIRING].sent == 1 and tallies[Kind.EXPIRING_DIGEST].sent == 1
    [own] = sent_to("eva@testvik.no", notices.EXPIRING_SUBJECT)
    assert "Hjerte-lunge-redning" in own.body and "Legemiddel" not in own.body
    [digest] = sent_to("liv.leder@testvik.no", notices.DIGEST_SUBJECT)
    assert "Eva Ansatt: Hjerte-lunge-redning" in digest.body
    assert sum(t.sent for t in remind_expiring(TODAY).values()) == 0
    remind_expiring(TODAY + DAY)  # the other record enters the window: only it is told
    later = sent_to("eva@testvik.no", notices.EXPIRING_SUBJECT)[-1]
    assert "Legemiddel" in later.body and "Hjerte" not in later.body


def test_a_renewed_competence_is_not_told_as_expiring(municipality, catalog):
    eva, hlr = municipality.people["employee"], catalog.competences["HLR"]
    make_record(eva, hlr, datetime.date(2025, 4, 1))
    make_record(eva, hlr, TODAY - 5 * DAY)

    assert sum(t.sent for t in remind_expiring(TODAY).values()) == 0


def test_pending_records_and_people_who_have_left_are_not_told(municipality, catalog):
    hlr = catalog.competences["HLR"]
    make_record(
        municipality.people["employee"],
        hlr,
        datetime.date(2025, 4, 1),
        status=RecordStatus.PENDING,
    )
    former = municipality.people["former"]
    former.email = "frode@example.org"
    former.save()
    make_record(former, hlr, datetime.date(2025, 4, 1))

    assert sum(t.sent for t in remind_expiring(TODAY).values()) == 0


def test_a_leaders_own_expiry_goes_to_the_leader_above_not_to_themself(municipality, catalog):
    p, u = municipality.people, municipality.units
    boss = municipality.people["boss"] = type(p["leader"]).objects.create(
        employee_number="9000", given_name="Kari", family_name="Kommunalsjef", email="kari@t.no"
    )
    u["H"].leaders.add(boss)
    make_record(p["leader"], catalog.competences["HLR"], datetime.date(2025, 4, 1))

    remind_expiring(TODAY)

    assert len(sent_to("liv.leder@testvik.no", notices.EXPIRING_SUBJECT)) == 1
    assert not sent_to("liv.leder@testvik.no", notices.DIGEST_SUBJECT)
    [digest] = sent_to("kari@t.no", notices.DIGEST_SUBJECT)
    assert "Liv Leder" in digest.body


# The annual cycle


def activity(unit, **extra):
    extra.setdefault("kind", ActivityKind.SURVEY)
    extra.setdefault("title", "Medarbeiderundersøkelse")
    return CycleActivity.objects.create(unit=unit, **extra)


def test_an_activity_is_recalled_its_days_before_to_the_units_leaders(municipality):
    activity(municipality.units["HA"], month=3, day=16, remind_days_before=14)

    assert remind_activities(TODAY - DAY).sent == 0
    assert remind_activities(TODAY).sent == 1
    [email] = mail.outbox
    assert email.to == ["liv.leder@testvik.no"]
    assert "Medarbeiderundersøkelse" in email.subject and "16.03.2026" in email.body
    assert "/plans/cycle/?unit=" in email.body
    assert remind_activities(TODAY + DAY).sent == 0


def test_an_activity_goes_to_the_responsible_person_instead(municipality):
    hr = municipality.users["hr"]
    hr.email = "hr@testvik.no"
    hr.save()
    activity(municipality.units["HA"], month=3, day=2, remind_days_before=0, responsible=hr)

    assert remind_activities(TODAY).sent == 1
    assert mail.outbox[0].to == ["hr@testvik.no"]


def test_an_activity_is_recalled_again_the_next_year(municipality):
    activity(municipality.units["HA"], month=3, day=16, remind_days_before=14)
    remind_activities(TODAY)

    assert remind_activities(TODAY.replace(year=2027)).sent == 1


def test_an_activity_without_a_reminder_or_leaders_sends_nothing(municipality):
    activity(municipality.units["HA"], month=3, day=3)
    activity(municipality.units["HB"], month=3, day=3, remind_days_before=5)

    assert remind_activities(TODAY).sent == 0
    assert not mail.outbox
