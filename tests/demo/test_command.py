"""`evne demo`: builds into an empty database, never over existing data unless told to."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evne.accounts.models import RoleGrant, User
from evne.demo.logins import DEMO_PASSWORD, DEMO_USERNAMES
from evne.organization.models import OrgUnit, Person
from tests.demo.conftest import canonical_dump


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_builds_the_municipality_and_prints_the_logins(db):
    output = demo("--employees", "300", "--seed", "4")
    assert Person.objects.count() == 300
    assert "Built Evnevik kommune" in output
    for username in DEMO_USERNAMES:
        assert f" {username} " in output
    assert DEMO_PASSWORD in output


def test_the_number_of_employees_defaults_to_the_setting(db, settings):
    settings.EVNE_DEMO_EMPLOYEES = 150
    demo()
    assert Person.objects.count() == 150


def test_same_seed_and_reference_date_give_the_same_data_through_the_command(db):
    demo("--employees", "200", "--seed", "9", "--reference-date", "2025-03-01")
    first = canonical_dump()
    demo("--employees", "200", "--seed", "9", "--reference-date", "2025-03-01", "--replace")
    assert canonical_dump() == first


def test_if_empty_does_not_build_twice_but_prints_the_logins(db):
    demo("--employees", "300", "--if-empty")
    before = canonical_dump()
    output = demo("--employees", "300", "--if-empty")
    assert canonical_dump() == before
    assert "nothing was built" in output
    assert all(f" {username} " in output for username in DEMO_USERNAMES)


def test_a_populated_database_is_refused_without_if_empty_or_replace(db):
    demo("--employees", "300")
    with pytest.raises(CommandError, match="--if-empty.*--replace"):
        demo("--employees", "300")
    assert Person.objects.count() == 300


def test_replace_deletes_the_old_data_and_builds_anew(db):
    demo("--employees", "300", "--seed", "4")
    old_codes = set(OrgUnit.objects.values_list("pk", flat=True))
    demo("--employees", "200", "--seed", "5", "--replace")
    assert Person.objects.count() == 200
    assert not OrgUnit.objects.filter(pk__in=old_codes).exists()
    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)
    assert RoleGrant.objects.count() == 3


def test_an_existing_account_with_a_demo_username_is_left_unchanged(db):
    own = User.objects.create_user("admin", password="the operator's own secret")
    output = demo("--employees", "200")
    own.refresh_from_db()
    assert own.check_password("the operator's own secret")
    assert not own.is_superuser
    assert "'admin' already existed" in output


def test_too_few_employees_is_refused(db):
    with pytest.raises(CommandError, match="at least 100"):
        demo("--employees", "50")
    assert not Person.objects.exists()


def test_if_empty_and_replace_cannot_be_combined(db):
    with pytest.raises(CommandError):
        demo("--employees", "200", "--if-empty", "--replace")
