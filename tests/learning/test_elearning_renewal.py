"""A pass is not for ever: when what the course gave is about to expire, the person takes the
test again, with a fresh round of attempts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evne.learning import elearning
from evne.learning.models import Completion
from tests.learning.elearning_fixtures import english, right_answers, wrong_answers  # noqa: F401


def pass_test(module, person):
    attempt = elearning.start_attempt(module, person)
    return elearning.submit_attempt(attempt, right_answers(attempt))


def expire_soon(attempt, days=30):
    attempt.completion.records.update(
        expires_on=timezone.localdate() + datetime.timedelta(days=days)
    )


def test_a_current_pass_refuses_a_new_attempt(municipality, courses):
    eva = municipality.people["employee"]
    pass_test(courses.module, eva)
    with pytest.raises(elearning.AttemptRefused, match="already passed"):
        elearning.start_attempt(courses.module, eva)


def test_a_pass_that_expires_within_the_window_may_be_renewed(municipality, courses):
    eva = municipality.people["employee"]
    first = pass_test(courses.module, eva)
    expire_soon(first)
    assert elearning.renewal_due(elearning.passed_attempt(courses.module, eva))
    again = elearning.start_attempt(courses.module, eva)
    assert again.pk != first.pk


def test_a_renewal_has_its_own_attempts(municipality, courses):
    eva, module = municipality.people["employee"], courses.module
    failed = elearning.start_attempt(module, eva)
    elearning.submit_attempt(failed, wrong_answers(failed))
    expire_soon(pass_test(module, eva))
    assert elearning.attempts_left(module, eva) == 3


def test_passing_a_renewal_completes_the_course_anew(municipality, courses, settings):
    eva, module = municipality.people["employee"], courses.module
    first = pass_test(module, eva)
    two_years_ago = timezone.localdate() - datetime.timedelta(days=700)
    Completion.objects.filter(pk=first.completion_id).update(completed_on=two_years_ago)
    first.completion.records.update(obtained_on=two_years_ago)
    expire_soon(first)
    renewed = pass_test(module, eva)
    assert renewed.completion_id != first.completion_id
    assert Completion.objects.filter(person=eva, course=module.course).count() == 2
    assert not elearning.renewal_due(elearning.passed_attempt(module, eva))


def test_the_module_page_offers_the_renewal(municipality, courses, client_for):
    eva, course = municipality.people["employee"], courses.courses["privacy"]
    client = client_for(municipality.users["employee"])
    first = pass_test(courses.module, eva)
    page = client.get(reverse("module", args=[course.pk])).content.decode()
    assert "Take it again to renew it" not in page
    expire_soon(first)
    page = client.get(reverse("module", args=[course.pk])).content.decode()
    assert "Take it again to renew it" in page
    assert reverse("module_page", args=[course.pk, 1]) in page
