"""Who may do what through the API: the visibility of the session user or the token, and the
write rules shared by the endpoints of every app."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rest_framework import permissions

from evne.accounts.models import Role
from evne.api.models import ApiToken
from evne.core.visibility import Visibility, visibility_for
from evne.organization.models import OrgUnit


def api_visibility(request) -> Visibility:
    """The visibility of whoever calls: a signed-in user, or a token (whose authentication
    gives the request a user carrying the token's visibility)."""
    return visibility_for(request.user)


def may_keep_shared_data(visibility: Visibility) -> bool:
    """Data the whole installation shares (job roles, the catalog) is kept by HR and
    administrators."""
    return visibility.may_edit_catalog


def may_write_people(visibility: Visibility) -> bool:
    """People and positions are written by HR (within their units) and administrators; leaders
    only read them."""
    return visibility.is_admin or visibility.has_role(Role.HR)


def hr_units(request) -> QuerySet[OrgUnit]:
    """Units whose people, positions and sub-units the caller may change: the subtrees they
    hold HR for (everything for an administrator). Leading a unit shows its people but does
    not make one HR there, so a leader who is HR elsewhere writes only there."""
    visibility = api_visibility(request)
    if visibility.is_admin:
        return OrgUnit.objects.all()
    if not visibility.has_role(Role.HR):
        return OrgUnit.objects.none()
    if isinstance(request.auth, ApiToken):
        return visibility.personal_units()
    grants = request.user.role_grants.filter(role=Role.HR)
    return OrgUnit.objects.within(*grants.values_list("unit__path", flat=True))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ReadOrKeepSharedData(permissions.IsAuthenticated):
    """Anyone signed in reads; HR and administrators write."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return may_keep_shared_data(api_visibility(request))


class ReadOrWritePeople(permissions.IsAuthenticated):
    """Anyone signed in reads what their visibility shows; only HR and administrators write
    (the scope of each write is checked by the view)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return may_write_people(api_visibility(request))
