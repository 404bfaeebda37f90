"""The coverage section's start page: the screens the user's roles open, and the units they may
look at."""

from django.conf import settings
from django.shortcuts import render

from evne.accounts.models import Role
from evne.core.visibility import Detail, visibility_for
from evne.organization.models import OrgUnit


def analysis(request):
    visibility = visibility_for(request.user)
    # Where a user starts: the units they lead or hold a grant for (every organisation for an
    # administrator), each with whether they may see its people.
    if visibility.is_admin:
        tops = OrgUnit.objects.filter(parent=None)
    else:
        tops = OrgUnit.objects.filter(
            path__in={*visibility.personal_paths, *visibility.aggregate_paths}
        )
    starts = [
        (unit, visibility.detail_for(unit) == Detail.PERSONAL) for unit in tops.order_by("name")
    ]
    return render(
        request,
        "analysis/index.html",
        {
            "starts": starts,
            "has_person": visibility.person_id is not None,
            "sees_figures": bool(starts),
            "sees_people": visibility.is_admin or bool(visibility.personal_paths),
            "compares_areas": visibility.is_admin
            or bool(visibility.roles & {Role.HR, Role.ANALYST, Role.UNION_REPRESENTATIVE})
            or bool(visibility.personal_paths),
        },
    )


def coverage_help(request):
    """The rules of the gap engine in plain words (docs/coverage.md says the same at length)."""
    return render(request, "analysis/help.html", {"window_days": settings.EVNE_EXPIRY_WINDOW_DAYS})
