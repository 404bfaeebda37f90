import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from evne.accounts.models import Role
from evne.competence.models import RecordStatus
from evne.core.visibility import visibility_for
from evne.organization.models import OrgUnit
from evne.plans.models import AssignmentStatus


def home(request):
    """What the signed-in user can do here, by role."""
    visibility = visibility_for(request.user)
    led_units = []
    scoped_grants = []
    if visibility.has_role(Role.LEADER):
        led_units = OrgUnit.objects.filter(leaders=visibility.person_id).order_by("name")
    if visibility.roles & {Role.HR, Role.UNION_REPRESENTATIVE, Role.ANALYST}:
        scoped_grants = request.user.role_grants.select_related("unit").order_by("role")
    own_records = None
    if visibility.person_id is not None:
        own_records = visibility.records().filter(person_id=visibility.person_id).current()
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=settings.EVNE_EXPIRY_WINDOW_DAYS)
        own_records = own_records.aggregate(
            pending=Count("pk", filter=Q(status=RecordStatus.PENDING)),
            expiring=Count(
                "pk",
                filter=Q(
                    status=RecordStatus.VERIFIED,
                    expires_on__gte=today,
                    expires_on__lte=soon,
                ),
            ),
        )
    own_plan = None
    if visibility.person_id is not None:
        own_plan = (
            visibility.assignments()
            .filter(person_id=visibility.person_id, left_on__isnull=True)
            .exclude(status=AssignmentStatus.DONE)
            .aggregate(
                open=Count("pk"), overdue=Count("pk", filter=Q(status=AssignmentStatus.OVERDUE))
            )
        )
    to_verify = None
    if visibility.is_admin or visibility.personal_paths:
        to_verify = visibility.verifiable_records().count()
    return render(
        request,
        "core/home.html",
        {
            "Role": Role,
            "roles": sorted(visibility.roles, key=list(Role).index),
            "led_units": led_units,
            "scoped_grants": scoped_grants,
            "own_records": own_records,
            "own_plan": own_plan,
            "to_verify": to_verify,
            "window_days": settings.EVNE_EXPIRY_WINDOW_DAYS,
        },
    )


@login_not_required
def accessibility_statement(request):
    return render(request, "core/accessibility.html")
