from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evne.accounts.models import Role
from evne.core.visibility import visibility_for


def navigation(request):
    """The main menu, by what the signed-in user's roles let them do."""
    if not hasattr(request, "user") or not request.user.is_authenticated:
        return {"navigation": []}
    visibility = visibility_for(request.user)
    items = [(_("Home"), reverse("home"))]
    if visibility.person_id is not None:
        items.append((_("My page"), reverse("person", args=[visibility.person_id])))
        items.append((_("My competences"), reverse("my_competences")))
    if visibility.roles - {Role.EMPLOYEE} or visibility.own_unit_ids:
        items.append((_("Organisation"), reverse("unit_tree")))
    # The catalog holds no personal data: everyone signed in may read it.
    items.append((_("Competences"), reverse("catalog")))
    # Coverage: everyone has their own gaps; leaders, HR and those with figures see more there.
    if visibility.person_id is not None or visibility.roles - {Role.EMPLOYEE}:
        items.append((_("Coverage"), reverse("analysis")))
    items.append((_("Learning"), reverse("learning")))
    if visibility.roles - {Role.EMPLOYEE} or visibility.own_unit_ids:
        items.append((_("Plans"), reverse("plans")))
    # Records: leaders, HR and administrators verify what people register.
    if visibility.is_admin or visibility.personal_paths:
        items.append((_("Verification"), reverse("verification_queue")))
    if visibility.may_import:
        items.append((_("Import"), reverse("imports")))
    if request.user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    # A menu item is current on its own page, and marks its section on the pages below it.
    path = request.path
    exact = any(path == url for _, url in items)
    navigation = [
        (label, url, path == url, not exact and url != "/" and path.startswith(url))
        for label, url in items
    ]
    return {"navigation": navigation, "visibility": visibility}
