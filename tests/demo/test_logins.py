"""The demo logins: one per role, they sign in, and each sees what the role should."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone

from evne import settings as project_settings
from evne.accounts.models import Role, User
from evne.core.visibility import Detail, visibility_for
from evne.demo.generator import build_municipality
from evne.demo.logins import DEMO_PASSWORD, DEMO_USERNAMES
from evne.organization.models import Employment, OrgUnit, Person


@pytest.fixture
def demo(db):
    build_municipality(300, seed=2)  # reference date today, as visibility counts from today
    return {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}


def test_one_login_per_role(demo):
    assert sorted(demo) == sorted(DEMO_USERNAMES)


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_demo_login_signs_in_with_the_demo_password(demo, demo_login, username):
    assert demo_login(username, DEMO_PASSWORD)


def test_demo_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    build_municipality(300, seed=2)
    for user in User.objects.filter(username__in=DEMO_USERNAMES):
        assert identify_hasher(user.password).algorithm == "argon2"


def test_the_employee_works_in_a_nursing_home_and_sees_only_themselves(demo):
    user = demo["ansatt"]
    employment = Employment.objects.get(person=user.person)
    nursing_home = employment.unit if employment.unit.depth == 2 else employment.unit.parent
    assert nursing_home.name.endswith("sykehjem")
    assert not OrgUnit.objects.filter(leaders=user.person).exists()
    assert list(visibility_for(user).people()) == [user.person]


def test_the_leader_sees_the_people_of_their_nursing_home(demo):
    user = demo["leder"]
    (unit,) = OrgUnit.objects.filter(leaders=user.person)
    assert unit.name.endswith("sykehjem")
    assert Employment.objects.filter(
        person=user.person, unit=unit, job_role__name="Enhetsleder"
    ).exists()
    current = Employment.objects.current_or_future(timezone.localdate())
    in_unit = current.filter(unit__in=OrgUnit.objects.within(unit))
    staff = set(in_unit.values_list("person", flat=True))
    seen = set(visibility_for(user).people().values_list("pk", flat=True))
    assert len(staff) > 1
    assert staff <= seen
    assert demo["hr"].person_id not in seen


def test_hr_sees_everyone_in_the_municipality(demo):
    user = demo["hr"]
    assert user.role_grants.get().role == Role.HR
    assert visibility_for(user).people().count() == Person.objects.count()


@pytest.mark.parametrize(
    ("username", "role", "scope"),
    [
        ("tillitsvalgt", Role.UNION_REPRESENTATIVE, "Helse og mestring"),
        ("analytiker", Role.ANALYST, "Evnevik kommune"),
    ],
)
def test_union_representative_and_analyst_see_figures_not_people(demo, username, role, scope):
    user = demo[username]
    grant = user.role_grants.get()
    assert (grant.role, grant.unit.name) == (role, scope)
    visibility = visibility_for(user)
    assert visibility.detail_for(grant.unit) == Detail.AGGREGATE
    assert list(visibility.people()) == [user.person]


def test_the_administrator_is_a_superuser_without_a_person(demo):
    user = demo["admin"]
    assert user.is_superuser and user.is_staff
    assert user.person is None
