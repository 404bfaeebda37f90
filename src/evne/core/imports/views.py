"""The import pages for HR: upload → preview → confirm → batch, and the batch history.

The uploaded bytes wait for the confirmation in a file under MEDIA_ROOT/imports/pending, named
by a random UUID that only the uploader's session knows; the session holds the UUID and the
choices made, never the file, and the confirmation never takes a path from the client.
"""

from __future__ import annotations

import contextlib
import datetime
import time
import uuid
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from evne.core.exports import FORMATS, export_response
from evne.core.imports.forms import UploadForm
from evne.core.imports.pipeline import IMPORTERS, Options, apply_import, plan_import
from evne.core.imports.problems import ImportProblems, shorten
from evne.core.models import ImportChange
from evne.core.visibility import visibility_for

BATCHES_PER_PAGE = 20
CHANGES_PER_PAGE = 50
# A page listing a hundred thousand problems helps no one; the first ones show what is wrong.
MAX_SHOWN_PROBLEMS = 1000
SESSION_KEY = "evne_pending_imports"
# Uploads kept per session waiting for confirmation (one per open preview tab).
MAX_PENDING_PER_SESSION = 5
# Pending files nobody confirmed (a cancelled preview, a closed tab) are removed after this.
PENDING_MAX_AGE = datetime.timedelta(days=1)

ACTIONS = ["create", "update", "end"]
PLANNED_ACTIONS = {
    "create": gettext_lazy("To create"),
    "update": gettext_lazy("To update"),
    "end": gettext_lazy("To end"),
}
DONE_ACTIONS = dict(ImportChange.Action.choices)


def importers_only(view):
    """Imports are for those who may import; everyone else finds nothing here."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not visibility_for(request.user).may_import:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# Pages


@require_GET
@importers_only
def import_list(request):
    return _render_list(request, UploadForm())


@require_http_methods(["GET", "POST"])
@importers_only
def upload(request):
    if request.method == "GET":  # e.g. the language switch on a preview returns here
        return redirect("imports")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, form)
    upload_file = form.cleaned_data["file"]
    data = b"".join(upload_file.chunks())
    pending = {
        "kind": form.cleaned_data["kind"],
        "filename": Path(upload_file.name).name[:255] or "import.csv",
        "sheet": form.cleaned_data["sheet"].strip() or None,
        "full_sync": form.cleaned_data["full_sync"],
        "force": form.cleaned_data["force"],
    }
    try:
        plan = plan_import(
            pending["kind"],
            data,
            pending["filename"],
            options=_options(request, pending),
            sheet=pending["sheet"],
        )
    except ImportProblems as error:
        return _render_preview(request, pending, problems=error.problems)
    if plan.problems:
        return _render_preview(request, pending, plan=plan, problems=plan.problems)
    token = _keep_pending(request, data, pending)
    return _render_preview(request, pending, plan=plan, token=token)


@require_http_methods(["GET", "POST"])
@importers_only
def confirm(request):
    if request.method == "GET":
        return redirect("imports")
    token, pending = _pop_pending(request)
    path = _pending_path(token)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Http404 from None
    try:
        batch = apply_import(
            pending["kind"],
            data,
            pending["filename"],
            user=request.user,
            options=_options(request, pending),
            sheet=pending["sheet"],
        )
    except ImportProblems as error:
        return _render_preview(request, pending, problems=error.problems, changed_since=True)
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        _("The file %(filename)s was imported.") % {"filename": batch.filename},
    )
    return redirect("import_batch", pk=batch.pk)


@require_GET
@importers_only
def batch_detail(request, pk):
    batches = visibility_for(request.user).import_batches()
    batch = get_object_or_404(batches.select_related("created_by"), pk=pk)
    changes = batch.changes.select_related("content_type").order_by("pk")
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "kind_label": kind_label(batch.kind),
            "counts": counts_table(batch.counts, DONE_ACTIONS),
            "page": page,
            "changes": [(change, describe_changes(change)) for change in page],
        },
    )


@require_GET
@importers_only
def batch_file(request, pk):
    batch = get_object_or_404(visibility_for(request.user).import_batches(), pk=pk)
    if not batch.file:
        raise Http404
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=batch.filename)


@require_GET
def export(request, kind, file_format):
    """The current data of a kind, in the format its import reads (catalog, requirements,
    records), limited to what the user may see."""
    importer = IMPORTERS.get(kind)
    visibility = visibility_for(request.user)
    if importer is None or file_format not in FORMATS or not importer.may_export(visibility):
        raise Http404
    basename = f"evne-{kind}-{timezone.localdate():%Y-%m-%d}"
    return export_response([importer.export_table(visibility)], file_format, basename)


# Rendering


def _render_list(request, form):
    batches = visibility_for(request.user).import_batches().select_related("created_by")
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "full_sync_limit": settings.EVNE_FULL_SYNC_LIMIT_PERCENT,
            "page": page,
            "batches": [(batch, kind_label(batch.kind), summarise(batch.counts)) for batch in page],
        },
    )


def _render_preview(request, pending, *, plan=None, problems=(), token=None, changed_since=False):
    problems = list(problems)
    return render(
        request,
        "imports/preview.html",
        {
            "pending": pending,
            "kind_label": kind_label(pending["kind"]),
            "plan": plan,
            "counts": counts_table(plan.counts, PLANNED_ACTIONS) if plan else None,
            "warnings": [warning.format() for warning in plan.warnings] if plan else [],
            "problems": [
                (problem, shorten(problem.value) if problem.value is not None else "")
                for problem in problems[:MAX_SHOWN_PROBLEMS]
            ],
            "problem_count": len(problems),
            "problems_cut": len(problems) > MAX_SHOWN_PROBLEMS,
            "max_shown_problems": MAX_SHOWN_PROBLEMS,
            "token": token,
            "changed_since": changed_since,
        },
    )


def kind_label(kind: str) -> str:
    return str(IMPORTERS[kind].label) if kind in IMPORTERS else kind


def noun_label(noun: str) -> str:
    for importer in IMPORTERS.values():
        if noun in importer.nouns:
            return str(importer.nouns[noun])
    return noun


def counts_table(counts: dict, labels: dict) -> dict:
    """Counts as a table: a column per action any noun has, a row per noun."""
    actions = [action for action in ACTIONS if any(action in a for a in counts.values())]
    actions += sorted({action for a in counts.values() for action in a} - set(actions))
    return {
        "actions": [labels.get(action, action) for action in actions],
        "rows": [
            (noun_label(noun), [numbers.get(action) for action in actions])
            for noun, numbers in counts.items()
        ],
    }


def summarise(counts: dict) -> str:
    """One line for the history: "People: 3 created, 1 updated; Positions: 4 created"."""
    parts = []
    for noun, numbers in counts.items():
        done = [
            f"{number} {str(DONE_ACTIONS.get(action, action)).lower()}"
            for action, number in numbers.items()
            if number
        ]
        if done:
            parts.append(f"{noun_label(noun)}: {', '.join(done)}")
    return "; ".join(parts) or _("No changes")


def describe_changes(change: ImportChange) -> list[tuple[str, str, str | None]]:
    """The changed fields as (field, before, after), or (field, value, None) for a creation.

    Updates and ends store [before, after] pairs; creations store plain values, of which the
    empty ones are left out.
    """
    model = change.content_type.model_class()
    described = []
    for name, value in (change.changes or {}).items():
        label = _field_label(model, name)
        if change.action != ImportChange.Action.CREATE and _is_pair(value):
            described.append((label, _shown(value[0]), _shown(value[1])))
        elif value not in (None, "", []):  # a creation's empty fields say nothing
            described.append((label, _shown(value), None))
    return described


def _is_pair(value) -> bool:
    return isinstance(value, list) and len(value) == 2


def _field_label(model, name: str) -> str:
    if model is not None:
        with contextlib.suppress(FieldDoesNotExist):  # a field since removed keeps its name
            return str(model._meta.get_field(name).verbose_name)
    return name.replace("_", " ")


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "d.m.Y")
        except ValueError:
            return shorten(value)
    return str(value)


# Pending uploads


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "pending"


def _pending_path(token: str) -> Path:
    return _pending_dir() / str(uuid.UUID(token))


def _keep_pending(request, data: bytes, pending: dict) -> str:
    _remove_stale_pending_files()
    token = str(uuid.uuid4())
    directory = _pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / token, "xb") as handle:
        handle.write(data)
    waiting = dict(request.session.get(SESSION_KEY, {}))
    waiting[token] = pending
    # The oldest previews give way; their files go with them.
    for old in list(waiting)[:-MAX_PENDING_PER_SESSION]:
        del waiting[old]
        _pending_path(old).unlink(missing_ok=True)
    request.session[SESSION_KEY] = waiting
    return token


def _pop_pending(request) -> tuple[str, dict]:
    """The upload the session is waiting to confirm, by the token posted; 404 for any other."""
    token = request.POST.get("token", "")
    waiting = dict(request.session.get(SESSION_KEY, {}))
    try:
        token = str(uuid.UUID(token))
    except ValueError:
        raise Http404 from None
    if token not in waiting:
        raise Http404
    pending = waiting.pop(token)
    request.session[SESSION_KEY] = waiting
    return token, pending


def _remove_stale_pending_files() -> None:
    directory = _pending_dir()
    if not directory.is_dir():
        return
    cutoff = time.time() - PENDING_MAX_AGE.total_seconds()
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass


def _options(request, pending: dict) -> Options:
    return Options(
        full_sync=pending["full_sync"],
        force=pending["force"],
        allowed_roots=visibility_for(request.user).import_roots(),
    )
