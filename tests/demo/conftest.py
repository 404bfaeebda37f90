import datetime

import pytest
from django.test import RequestFactory

from evne.accounts.models import RoleGrant, User
from evne.organization.models import Employment, OrgUnit, Person

# A fixed day in the past, so runs compare and every "current" position is current today too.
REFERENCE_DATE = datetime.date(2025, 3, 1)


def canonical_dump() -> dict[str, list[tuple[str, ...]]]:
    """Everything the generator writes, by natural keys (ids differ between runs)."""

    def rows(queryset, *fields):
        return sorted(tuple(str(value) for value in row) for row in queryset.values_list(*fields))

    return {
        "units": rows(OrgUnit.objects, "code", "name", "parent__code", "level__name"),
        "leaders": rows(
            OrgUnit.leaders.through.objects, "orgunit__code", "person__employee_number"
        ),
        "people": rows(
            Person.objects,
            "employee_number",
            "given_name",
            "family_name",
            "email",
            "birth_date",
            "gender",
            "education_level",
        ),
        "employments": rows(
            Employment.objects,
            "person__employee_number",
            "unit__code",
            "job_role__name",
            "job_role__styrk_code",
            "fte",
            "kind",
            "start_date",
            "end_date",
            "is_primary",
        ),
        "logins": rows(
            User.objects, "username", "person__employee_number", "is_staff", "is_superuser"
        ),
        "grants": rows(RoleGrant.objects, "user__username", "role", "unit__code"),
    }


@pytest.fixture
def demo_login(client):
    """Sign in with username and password through the authentication backends."""

    def sign_in(username: str, password: str) -> bool:
        return client.login(
            request=RequestFactory().post("/login/"), username=username, password=password
        )

    return sign_in
