"""The demo logins: one account per role, all with the same published password.

The password is printed by `evne demo` and written in the documentation; these accounts exist
only in demo databases and must never be created in production.
"""

from dataclasses import dataclass

from evne.accounts.models import Role, RoleGrant, User
from evne.organization.models import OrgUnit, Person

DEMO_PASSWORD = "evne-demo"  # noqa: S105 - published on purpose, demo databases only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # shown in the table of logins


DEMO_LOGINS = (
    DemoLogin("ansatt", "employee"),
    DemoLogin("leder", "leader"),
    DemoLogin("hr", "HR"),
    DemoLogin("tillitsvalgt", "union representative"),
    DemoLogin("analytiker", "analyst"),
    DemoLogin("admin", "administrator"),
)
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)


def create_login(
    username: str,
    person: Person | None = None,
    grant: tuple[Role, OrgUnit] | None = None,
    superuser: bool = False,
) -> bool:
    """Create one demo login; an existing account with that username is left untouched."""
    if User.objects.filter(username=username).exists():
        return False
    user = User(username=username, person=person, is_staff=superuser, is_superuser=superuser)
    if person is not None:
        user.first_name, user.last_name = person.given_name, person.family_name
        user.email = person.email
    user.set_password(DEMO_PASSWORD)
    user.save()
    if grant is not None:
        role, unit = grant
        RoleGrant.objects.create(user=user, role=role, unit=unit)
    return True


def describe_logins() -> list[tuple[str, str, str, str]]:
    """(role, username, password, what they see) for each demo login present in the database."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
            "role_grants__unit"
        )
    }
    return [
        (login.role, login.username, DEMO_PASSWORD, _what_they_see(users[login.username]))
        for login in DEMO_LOGINS
        if login.username in users
    ]


def _what_they_see(user: User) -> str:
    if user.is_superuser:
        return "everything, and the Django admin"
    parts = []
    for grant in user.role_grants.all():
        if grant.role == Role.HR:
            parts.append(f"people in {grant.unit.name} and below")
        else:
            parts.append(f"figures only (no personal records) for {grant.unit.name}")
    if user.person_id is not None:
        led = OrgUnit.objects.filter(leaders=user.person_id).order_by("code")
        parts.extend(f"people in {unit.name} and its departments" for unit in led)
        if not parts:
            parts.append(f"only their own profile{_position(user.person_id)}")
    return "; ".join(parts) or "nothing yet (no person, no role)"


def _position(person_id: int) -> str:
    employment = (
        Person.objects.get(pk=person_id)
        .employments.select_related("job_role", "unit__parent")
        .filter(is_primary=True)
        .first()
    )
    if employment is None:
        return ""
    unit = employment.unit
    where = f"{unit.name}, {unit.parent.name}" if unit.depth >= 3 else unit.name  # a department
    return f" ({employment.job_role.name.lower()}, {where})"
