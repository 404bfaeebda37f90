from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from evne.accounts.models import Role
from evne.core.visibility import visibility_for
from evne.organization.models import OrgUnit


def home(request):
    """What the signed-in user can do here, by role."""
    visibility = visibility_for(request.user)
    led_units = []
    scoped_grants = []
    if visibility.has_role(Role.LEADER):
        led_units = OrgUnit.objects.filter(leaders=visibility.person_id).order_by("name")
    if visibility.roles & {Role.HR, Role.UNION_REPRESENTATIVE, Role.ANALYST}:
        scoped_grants = request.user.role_grants.select_related("unit").order_by("role")
    return render(
        request,
        "core/home.html",
        {
            "Role": Role,
            "roles": sorted(visibility.roles, key=list(Role).index),
            "led_units": led_units,
            "scoped_grants": scoped_grants,
        },
    )


@login_not_required
def accessibility_statement(request):
    return render(request, "core/accessibility.html")
