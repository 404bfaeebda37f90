"""The demo logins have competence to show: the employee a verified record, one expiring soon, one
waiting for verification and a missing requirement; the leader records to verify; HR everything
in their scope."""

import datetime

import pytest
from django.utils import timezone

from evne.accounts.models import User
from evne.competence.models import CompetenceRecord, RecordStatus
from evne.core.visibility import visibility_for
from evne.demo.generator import build_municipality
from evne.demo.logins import DEMO_USERNAMES
from tests.demo.test_competence import requirement_states


@pytest.fixture
def demo(db):
    build_municipality(300, seed=2)  # reference date today, as visibility counts from today
    return {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}


def own_states(user) -> dict[str, str]:
    number = user.person.employee_number
    states = requirement_states(timezone.localdate())
    return {code: state for (owner, code), state in states.items() if owner == number}


def test_the_employee_has_a_verified_record(demo):
    records = visibility_for(demo["ansatt"]).records()
    assert records.filter(status=RecordStatus.VERIFIED).exists()
    assert "met" in own_states(demo["ansatt"]).values()


def test_the_employee_has_a_record_expiring_within_ninety_days(demo):
    states = own_states(demo["ansatt"])
    (expiring,) = [code for code, state in states.items() if state == "expiring"]
    record = CompetenceRecord.objects.get(
        person=demo["ansatt"].person, competence__code=expiring, superseded_by=None
    )
    today = timezone.localdate()
    assert today < record.expires_on <= today + datetime.timedelta(days=90)


def pending_requirement(user) -> CompetenceRecord:
    (code,) = [code for code, state in own_states(user).items() if state == "pending"]
    return CompetenceRecord.objects.get(
        person=user.person, competence__code=code, status=RecordStatus.PENDING
    )


def test_the_employee_has_a_registration_waiting_for_verification(demo):
    pending = pending_requirement(demo["ansatt"])
    assert pending in visibility_for(demo["ansatt"]).records()
    assert pending.created_by == demo["ansatt"]


def test_the_employee_misses_one_requirement(demo):
    assert list(own_states(demo["ansatt"]).values()).count("missing") == 1


def test_the_employees_leader_is_asked_to_verify_it(demo):
    assert pending_requirement(demo["ansatt"]) in visibility_for(demo["leder"]).verifiable_records()


def test_the_leader_has_several_records_to_verify(demo):
    queue = visibility_for(demo["leder"]).verifiable_records()
    assert queue.count() >= 5
    assert queue.values("person").distinct().count() >= 3


def test_the_leader_has_verified_registrations_before(demo):
    decided = CompetenceRecord.objects.filter(decided_by=demo["leder"])
    assert decided.filter(status=RecordStatus.VERIFIED).exists()
    assert set(decided.values_list("person", flat=True)) <= set(
        visibility_for(demo["leder"]).managed_people().values_list("pk", flat=True)
    )


def test_hr_sees_every_record_in_the_municipality(demo):
    assert visibility_for(demo["hr"]).records().count() == CompetenceRecord.objects.count()
    assert visibility_for(demo["hr"]).verifiable_records().count() == (
        CompetenceRecord.objects.filter(status=RecordStatus.PENDING)
        .exclude(person=demo["hr"].person)
        .count()
    )


@pytest.mark.parametrize("username", ["tillitsvalgt", "analytiker"])
def test_union_representative_and_analyst_see_only_their_own_records(demo, username):
    user = demo[username]
    assert set(visibility_for(user).records().values_list("person", flat=True)) <= {user.person_id}
