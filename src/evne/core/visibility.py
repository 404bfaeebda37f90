"""Who may see what. Every page, export, API endpoint and import asks this module; views never
filter personal data on their own (DESIGN.md, "Visibility").

- employee: their own person and employments; the units they work in, as figures only;
- leader (follows from leading a unit): people in the units they lead and below;
- HR (granted with a unit scope): people in that subtree;
- union representative and analyst (granted with a unit scope): figures only, no people;
- administrator (superuser): everything.

A user holding several roles sees the union of what each role shows. People are reached through
their current or future employments: someone whose positions in a subtree have all ended drops
out of that subtree's view.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from evne.accounts.models import Role
from evne.competence.models import CompetenceRecord, RecordStatus
from evne.core.models import ImportBatch
from evne.learning.models import Attempt, Completion, Enrolment
from evne.organization.models import Employment, OrgUnit, Person
from evne.plans.models import Assignment, CompetencePlan, LearningPlan, PlanStatus

# Figures over fewer people than this are hidden from users who may not see the people.
MIN_GROUP_SIZE = 5

PERSONAL_ROLES = {Role.HR}
AGGREGATE_ROLES = {Role.UNION_REPRESENTATIVE, Role.ANALYST}


class Detail(enum.IntEnum):
    """How much of a unit a user may see."""

    NONE = 0
    AGGREGATE = 1
    PERSONAL = 2


@dataclass(frozen=True)
class Visibility:
    roles: frozenset[Role]
    person_id: int | None = None
    personal_paths: tuple[str, ...] = ()
    aggregate_paths: tuple[str, ...] = ()
    own_unit_ids: frozenset[int] = frozenset()
    hr_root_ids: frozenset[int] = frozenset()
    user_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def may_import(self) -> bool:
        """Imports change a whole organisation, so they are for administrators and for HR
        granted a root unit (a whole municipality)."""
        return self.is_admin or bool(self.hr_root_ids)

    def import_roots(self) -> frozenset[str] | None:
        """Codes of the organisations (root units) the user may import into; None for all."""
        if self.is_admin:
            return None
        return frozenset(
            OrgUnit.objects.filter(pk__in=self.hr_root_ids).values_list("code", flat=True)
        )

    def import_batches(self) -> QuerySet[ImportBatch]:
        """Imports whose organisations all lie within what the user may import into: an
        installation may serve several municipalities, and a batch holds personal data."""
        if self.is_admin:
            return ImportBatch.objects.all()
        if not self.hr_root_ids:
            return ImportBatch.objects.none()
        other_roots = OrgUnit.objects.filter(parent=None).exclude(pk__in=self.hr_root_ids)
        return ImportBatch.objects.exclude(roots__in=other_roots)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def detail_for(self, unit: OrgUnit) -> Detail:
        if self.is_admin or unit.path.startswith(self.personal_paths):
            return Detail.PERSONAL
        if unit.path.startswith(self.aggregate_paths) or unit.pk in self.own_unit_ids:
            return Detail.AGGREGATE
        return Detail.NONE

    def units(self) -> QuerySet[OrgUnit]:
        """Units the user may open, at any detail."""
        if self.is_admin:
            return OrgUnit.objects.all()
        return OrgUnit.objects.filter(
            Q(pk__in=OrgUnit.objects.within(*self.personal_paths, *self.aggregate_paths))
            | Q(pk__in=self.own_unit_ids)
        )

    def personal_units(self) -> QuerySet[OrgUnit]:
        if self.is_admin:
            return OrgUnit.objects.all()
        return OrgUnit.objects.within(*self.personal_paths)

    def employments(self) -> QuerySet[Employment]:
        """Employments whose details the user may see: their own, and current or future ones in
        units they may see people in (all of them for an administrator)."""
        if self.is_admin:
            return Employment.objects.all()
        today = timezone.localdate()
        in_scope = Q(
            pk__in=Employment.objects.current_or_future(today).filter(
                unit__in=self.personal_units()
            )
        )
        if self.person_id is not None:
            in_scope |= Q(person_id=self.person_id)
        return Employment.objects.filter(in_scope)

    def people(self) -> QuerySet[Person]:
        """People whose profile the user may open."""
        if self.is_admin:
            return Person.objects.all()
        return Person.objects.filter(pk__in=self.employments().values("person_id"))

    # Competence

    @property
    def may_edit_catalog(self) -> bool:
        """HR keep the catalog; it is shared by the whole installation."""
        return self.is_admin or Role.HR in self.roles

    def records(self) -> QuerySet[CompetenceRecord]:
        """Competence records the user may see: their own, and those of the people they may
        see."""
        if self.is_admin:
            return CompetenceRecord.objects.all()
        return CompetenceRecord.objects.filter(person__in=self.people())

    def managed_people(self) -> QuerySet[Person]:
        """People whose competences the user may verify, reject and register directly: those in
        the units they lead or hold HR for, never themselves."""
        if self.is_admin:
            people = Person.objects.all()
        else:
            people = Person.objects.filter(
                pk__in=Employment.objects.current_or_future(timezone.localdate())
                .filter(unit__in=self.personal_units())
                .values("person_id")
            )
        if self.person_id is not None:
            people = people.exclude(pk=self.person_id)
        return people

    def verifiable_records(self) -> QuerySet[CompetenceRecord]:
        """Records waiting for this user's verification (the verification queue)."""
        if not (self.is_admin or self.personal_paths):
            return CompetenceRecord.objects.none()
        return CompetenceRecord.objects.filter(
            status=RecordStatus.PENDING, person__in=self.managed_people()
        )

    def requirement_units(self) -> QuerySet[OrgUnit]:
        """Units whose requirements and staffing targets the user may edit: HR within their
        subtree, leaders for the units they lead and below."""
        return self.personal_units()

    @property
    def may_edit_role_requirements(self) -> bool:
        """A job role's own requirements hold wherever the role is, so they are for
        administrators and HR of a whole organisation."""
        return self.is_admin or bool(self.hr_root_ids)

    # Learning

    @property
    def may_manage_courses(self) -> bool:
        """HR keep the courses, their sessions and e-learning modules, as they keep the
        competence catalog; they mark attendance and see who is enrolled."""
        return self.may_edit_catalog

    def enrolments(self) -> QuerySet[Enrolment]:
        """Enrolments the user may see: their own and those of the people they may see; course
        managers see every enrolment, as an organiser needs the whole list of a session."""
        if self.may_manage_courses:
            return Enrolment.objects.all()
        return Enrolment.objects.filter(person__in=self.people())

    def completions(self) -> QuerySet[Completion]:
        """Course completions of the user and of the people they may see."""
        if self.is_admin:
            return Completion.objects.all()
        return Completion.objects.filter(person__in=self.people())

    def attempts(self) -> QuerySet[Attempt]:
        """E-learning test attempts of the user and of the people they may see."""
        if self.is_admin:
            return Attempt.objects.all()
        return Attempt.objects.filter(person__in=self.people())

    # Plans

    def competence_plans(self) -> QuerySet[CompetencePlan]:
        """Competence plans the user may read: every plan of the units they lead or hold HR for
        (drafts too); plans past the draft of the units they see figures of (union
        representatives take part in the consultation, analysts read them); and adopted or
        evaluated plans of their own units and the units above (an employee reads the plans
        they work under)."""
        if self.is_admin:
            return CompetencePlan.objects.all()
        public = [PlanStatus.ADOPTED, PlanStatus.EVALUATED]
        shown = Q(unit__in=self.personal_units())
        if self.aggregate_paths:
            shown |= Q(unit__in=OrgUnit.objects.within(*self.aggregate_paths)) & ~Q(
                status=PlanStatus.DRAFT
            )
        if self.own_unit_ids:
            above = {
                int(part)
                for path in OrgUnit.objects.filter(pk__in=self.own_unit_ids).values_list(
                    "path", flat=True
                )
                for part in path.strip("/").split("/")
            }
            shown |= Q(unit__in=above, status__in=public)
        return CompetencePlan.objects.filter(shown)

    def may_edit_plan(self, plan: CompetencePlan) -> bool:
        """Only a plan's owners edit it (and administrators); the owners are whoever created it
        and whom they add."""
        if self.is_admin:
            return True
        return plan.owners.filter(pk=self.user_id).exists() if self.user_id else False

    @property
    def may_create_plans(self) -> bool:
        """Leaders and HR make plans for the units they lead or hold HR for."""
        return self.is_admin or bool(self.personal_paths)

    def learning_plans(self) -> QuerySet[LearningPlan]:
        """Learning plans the user manages: those of the units they lead or hold HR for."""
        if self.is_admin:
            return LearningPlan.objects.all()
        return LearningPlan.objects.filter(unit__in=self.personal_units())

    def assignments(self) -> QuerySet[Assignment]:
        """Learning-plan assignments of the user and of the people they may see."""
        if self.is_admin:
            return Assignment.objects.all()
        return Assignment.objects.filter(person__in=self.people())

    def may_see_figure(self, unit: OrgUnit, group_size: int) -> bool:
        """Whether a count or sum over `group_size` people in `unit` may be shown."""
        detail = self.detail_for(unit)
        if detail == Detail.PERSONAL:
            return True
        return detail == Detail.AGGREGATE and group_size >= MIN_GROUP_SIZE


ANONYMOUS = Visibility(roles=frozenset())
# The command line runs with the rights of whoever may run it: the server's operator.
ADMINISTRATOR = Visibility(roles=frozenset({Role.ADMIN}))


def visibility_for(user) -> Visibility:
    """The visibility of `user`, computed once per user object (that is, once per request)."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_evne_visibility", None)
    if cached is None:
        cached = _build_visibility(user)
        user._evne_visibility = cached
    return cached


def visibility_for_token(token) -> Visibility:
    """The visibility of an API token: what a user holding only a grant of the token's role on
    the token's unit sees."""
    role = Role(token.role)
    path = token.unit.path
    personal = role in PERSONAL_ROLES
    return Visibility(
        roles=frozenset({role}),
        personal_paths=(path,) if personal else (),
        aggregate_paths=() if personal else (path,),
        hr_root_ids=frozenset(
            {token.unit_id} if role == Role.HR and token.unit.parent_id is None else ()
        ),
    )


def _build_visibility(user) -> Visibility:
    roles: set[Role] = set()
    personal: list[str] = []
    aggregate: list[str] = []
    own_unit_ids: frozenset[int] = frozenset()
    hr_root_ids: set[int] = set()
    if user.is_superuser:
        roles.add(Role.ADMIN)
    grants = user.role_grants.values_list("role", "unit__path", "unit", "unit__parent")
    for role, path, unit_id, parent_id in grants:
        role = Role(role)
        roles.add(role)
        (personal if role in PERSONAL_ROLES else aggregate).append(path)
        if role == Role.HR and parent_id is None:
            hr_root_ids.add(unit_id)
    if user.person_id is not None:
        roles.add(Role.EMPLOYEE)
        led_paths = list(
            OrgUnit.objects.filter(leaders=user.person_id).values_list("path", flat=True)
        )
        if led_paths:
            roles.add(Role.LEADER)
            personal.extend(led_paths)
        own_unit_ids = frozenset(
            Employment.objects.current_or_future(timezone.localdate())
            .filter(person_id=user.person_id)
            .values_list("unit_id", flat=True)
        )
    return Visibility(
        roles=frozenset(roles),
        person_id=user.person_id,
        personal_paths=tuple(personal),
        aggregate_paths=tuple(aggregate),
        own_unit_ids=own_unit_ids,
        hr_root_ids=frozenset(hr_root_ids),
        user_id=user.pk,
    )
