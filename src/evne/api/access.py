"""Who may do what through the API: the visibility of the session user or the token, and the
write rules shared by the endpoints of every app."""

from django.core.exceptions import PermissionDenied
from rest_framework import permissions

from evne.accounts.models import Role
from evne.core.visibility import Visibility, visibility_for


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
