"""Pages that are costly to compute and read often (a leader's unit overview at 7 a.m.) are
cached per signed-in session, and never served once the data they are computed from has changed.

"Changed" is one number, the data version (`DataVersion`), which grows in the same transaction as
every change to the watched models: through their save and delete signals, and explicitly where
bulk writes bypass the signals (imports, the demo build, the starter catalog). Growing it in the
writing transaction makes it change exactly when the data does, for every process: a page cached
under the old number can hold older data, but no page is ever served under a number its data is
older than. The number is read once per cached request (one small query).

The cache key also holds the session (a page carries the session's CSRF token), the language, the
day (statuses depend on today) and the full path with its query.
"""

from __future__ import annotations

import functools

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

from evne.core.models import DataVersion

# The figures' sources, by app label and model name (so this module imports no app's models).
WATCHED = {
    ("accounts", "user"),
    ("accounts", "rolegrant"),
    ("organization", "orglevel"),
    ("organization", "orgunit"),
    ("organization", "person"),
    ("organization", "jobrole"),
    ("organization", "employment"),
    ("competence", "competencearea"),
    ("competence", "competence"),
    ("competence", "proficiencyscale"),
    ("competence", "scalelevel"),
    ("competence", "competencerecord"),
    ("competence", "requirement"),
    ("competence", "staffingtarget"),
}
# A cached page is dropped after this many seconds even if nothing changed.
TIMEOUT_SECONDS = 15 * 60
PAGE_PREFIX = "evne:page"


def data_version() -> int:
    number = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return 0 if number is None else number


def data_changed() -> None:
    """Grow the data version, within the caller's transaction if there is one."""
    with transaction.atomic():
        if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
            DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


# Saved on every sign-in, and no figure depends on it.
UNWATCHED_FIELDS = frozenset({"last_login"})


def _on_change(sender, **kwargs):
    update_fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (update_fields and set(update_fields) <= UNWATCHED_FIELDS):
        return
    data_changed()


def _is_watched(model) -> bool:
    return (model._meta.app_label, model._meta.model_name) in WATCHED


def watch(models) -> None:
    """Connect the watched models' signals; called once when the apps are ready."""
    for model in models:
        if _is_watched(model):
            post_save.connect(_on_change, sender=model, dispatch_uid=f"freshness-save-{model}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"freshness-del-{model}")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"freshness-{through}")


def _on_m2m(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        data_changed()


def cached_until_data_changes(view):
    """Serve a GET page from the cache while the data version, the session, the language and the
    day are the same; anything else (exports, POST, a page with messages waiting) goes to the
    view as usual."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        session_key = request.session.session_key
        if (
            request.method != "GET"
            or session_key is None
            or "export" in request.GET
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        key = ":".join(
            [
                PAGE_PREFIX,
                str(data_version()),
                session_key,
                translation.get_language() or "",
                timezone.localdate().isoformat(),
                request.get_full_path(),
            ]
        )
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT_SECONDS)
        return response

    return wrapped
