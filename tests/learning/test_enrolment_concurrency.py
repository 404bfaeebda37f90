"""Many people asking for the last places at the same moment: nobody is overbooked.

Each thread has its own database connection and enrols through the real rules, all released
at once by a barrier. The session row lock (`select_for_update`) makes them take turns.
"""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from evne.learning import enrolment as rules
from evne.learning.models import Course, CourseKind, Enrolment, EnrolmentStatus, Session
from tests.conftest import employ, make_person, make_user

RACERS = 8
CAPACITY = 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolment_never_overbooks_a_session(municipality):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: the test database of SQLite lives in memory, where threads "
            "cannot each hold a connection of their own. Run with DATABASE_URL=postgres://…"
        )
    course = Course.objects.create(code="RACE", name="Populært kurs", kind=CourseKind.CLASSROOM)
    session = Session.objects.create(
        course=course,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        capacity=CAPACITY,
    )
    racers = []
    for index in range(RACERS):
        person = make_person(f"R{index:02d}", f"Løper{index}", "Racesen")
        employ(person, municipality.units["HA"], municipality.roles["nurse"])
        racers.append((make_user(f"racer{index}", person=person), person))

    barrier = threading.Barrier(RACERS)
    failures: list[BaseException] = []

    def race(user, person):
        try:
            barrier.wait(timeout=10)
            rules.enrol(user, person, session)
        except BaseException as error:  # noqa: BLE001 - reported below, with the thread's cause
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures, failures
    counts = {
        status: Enrolment.objects.filter(session=session, status=status).count()
        for status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)
    }
    assert counts == {
        EnrolmentStatus.ENROLLED: CAPACITY,
        EnrolmentStatus.WAITLISTED: RACERS - CAPACITY,
    }
    # The waiting list is a strict queue: every waiting person has a distinct position.
    waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED)
    assert sorted(rules.waiting_position(e) for e in waiting) == list(
        range(1, RACERS - CAPACITY + 1)
    )
