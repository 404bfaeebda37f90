"""Records pages: my competences, registering with evidence, verification, a person's history."""

from __future__ import annotations

import datetime

from auditlog.signals import accessed
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evne.competence import evidence, recording
from evne.competence.forms.records import RecordForm, RejectForm
from evne.competence.models import Competence, CompetenceRecord, RecordStatus, ScaleLevel
from evne.core.visibility import visibility_for
from evne.organization.models import Person

QUEUE_PER_PAGE = 25

# Tags keep to one short word or two: a tag does not wrap, and a table must fit a phone.
STATUS_TAGS = {
    "pending": (gettext_lazy("Pending"), "info"),
    "verified": (gettext_lazy("Verified"), "success"),
    "rejected": (gettext_lazy("Rejected"), "danger"),
    "expiring": (gettext_lazy("Expires soon"), "warning"),
    "expired": (gettext_lazy("Expired"), "danger"),
}


# The employee's own page


@require_http_methods(["GET", "POST"])
def my_competences(request):
    """The signed-in person's competences, and registering one (pending until verified)."""
    visibility = visibility_for(request.user)
    if visibility.person_id is None:
        raise Http404
    person = request.user.person
    form = RecordForm()
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES)
        if _register(request, form, person):
            messages.success(
                request,
                _("%(competence)s is registered and waits for your leader's verification.")
                % {"competence": form.cleaned_data["competence"].display_name},
            )
            return redirect("my_competences")
    records = list(
        visibility.records()
        .filter(person=person, superseded_by=None)
        .select_related("competence")
        .order_by("competence__name", "-obtained_on", "-pk")
    )
    return render(
        request,
        "competence/my_competences.html",
        {"person": person, "rows": _rows(_latest(records)), "form": form},
    )


@require_GET
def record_levels(request):
    """The level field for the chosen competence, swapped into the form by htmx."""
    competence = Competence.objects.filter(pk=_whole_number(request.GET.get("competence"))).first()
    form = RecordForm(narrow_to=competence, initial={"level": request.GET.get("level", "")})
    return render(request, "competence/record_level_field.html", {"form": form})


@require_POST
def record_withdraw(request, pk):
    visibility = visibility_for(request.user)
    own_pending = visibility.records().filter(
        person_id=visibility.person_id, status=RecordStatus.PENDING
    )
    record = get_object_or_404(own_pending.select_related("competence"), pk=pk)
    recording.withdraw_record(request.user, record)
    messages.success(
        request,
        _("Your registration of %(competence)s is withdrawn.")
        % {"competence": record.competence.display_name},
    )
    return redirect("my_competences")


@require_GET
def record_evidence(request, pk):
    """The evidence file, as a download, for those who may see the record."""
    visibility = visibility_for(request.user)
    record = get_object_or_404(visibility.records().select_related("competence"), pk=pk)
    if not record.evidence:
        raise Http404
    try:
        handle = record.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if record.person_id != visibility.person_id:
        accessed.send(sender=CompetenceRecord, instance=record)
    evidence_type = evidence.type_of(handle)
    content_type = evidence_type.content_type if evidence_type else "application/octet-stream"
    extension = evidence_type.extension if evidence_type else ""
    filename = get_valid_filename(f"{record.competence.code}-{record.obtained_on}{extension}")
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Verification


def may_verify(visibility) -> bool:
    """Whether the verification queue is for this user: leaders, HR and administrators, who
    may see people (union representatives and analysts see figures only)."""
    return visibility.is_admin or bool(visibility.personal_paths)


def _verifier_visibility(request):
    visibility = visibility_for(request.user)
    if not may_verify(visibility):
        raise Http404
    return visibility


@require_GET
def verification_queue(request):
    return _render_queue(request, _verifier_visibility(request), request.GET.get("page"))


@require_POST
def record_verify(request, pk):
    visibility = _verifier_visibility(request)
    record = get_object_or_404(
        visibility.verifiable_records().select_related("person", "competence"), pk=pk
    )
    try:
        recording.verify_record(request.user, record)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Verified: %(competence)s for %(person)s.")
        % {"competence": record.competence.display_name, "person": record.person.full_name},
    )
    return _back_to_queue(request)


@require_POST
def record_reject(request, pk):
    visibility = _verifier_visibility(request)
    record = get_object_or_404(
        visibility.verifiable_records().select_related("person", "competence"), pk=pk
    )
    form = RejectForm(request.POST, prefix=f"reject-{record.pk}")
    if not form.is_valid():
        return _render_queue(request, visibility, request.POST.get("page"), rejecting=form)
    try:
        recording.reject_record(request.user, record, form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Rejected: %(competence)s for %(person)s.")
        % {"competence": record.competence.display_name, "person": record.person.full_name},
    )
    return _back_to_queue(request)


def _back_to_queue(request):
    page = _whole_number(request.POST.get("page"))
    url = reverse("verification_queue")
    return redirect(f"{url}?page={page}" if page and page > 1 else url)


def _render_queue(request, visibility, page_number, rejecting: RejectForm | None = None):
    pending = (
        visibility.verifiable_records()
        .select_related("person", "competence")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, QUEUE_PER_PAGE).get_page(page_number)
    records = list(page)
    units = _units_of(visibility, [record.person_id for record in records])
    levels = _level_names(records)
    rows = []
    for record in records:
        form = RejectForm(prefix=f"reject-{record.pk}")
        if rejecting is not None and rejecting.prefix == form.prefix:
            form = rejecting
        rows.append(
            {
                "record": record,
                "unit": units.get(record.person_id),
                "level": levels.get((record.competence.scale_id, record.level)),
                "reject_form": form,
            }
        )
    return render(
        request,
        "competence/verification_queue.html",
        {"page": page, "rows": rows},
        status=400 if rejecting is not None else 200,
    )


def _units_of(visibility, person_ids: list[int]) -> dict:
    """Each person's unit as the verifier sees it: the primary position first."""
    employments = (
        visibility.employments()
        .current_or_future(timezone.localdate())
        .filter(person_id__in=person_ids)
        .select_related("unit")
        .order_by("-is_primary", "start_date", "pk")
    )
    units: dict = {}
    for employment in employments:
        units.setdefault(employment.person_id, employment.unit)
    return units


# A person's records


@require_http_methods(["GET", "POST"])
def person_records(request, pk):
    """A person's current records and their history; leaders and HR register for the people
    they manage (verified at once)."""
    visibility = visibility_for(request.user)
    person = get_object_or_404(visibility.people(), pk=pk)
    if person.pk != visibility.person_id:
        accessed.send(sender=Person, instance=person)
    may_register = visibility.managed_people().filter(pk=person.pk).exists()
    form = RecordForm() if may_register else None
    if request.method == "POST":
        if not may_register:
            raise Http404
        form = RecordForm(request.POST, request.FILES)
        if _register(request, form, person):
            messages.success(
                request,
                _("%(competence)s is registered for %(person)s as verified.")
                % {
                    "competence": form.cleaned_data["competence"].display_name,
                    "person": person.full_name,
                },
            )
            return redirect("person_records", pk=person.pk)
    records = list(
        visibility.records()
        .filter(person=person)
        .select_related("competence", "superseded_by")
        .order_by("competence__name", "-obtained_on", "-pk")
    )
    current = [
        record
        for record in records
        if record.superseded_by_id is None and record.status != RecordStatus.REJECTED
    ]
    current_ids = {record.pk for record in current}
    history = sorted(
        (record for record in records if record.pk not in current_ids),
        key=lambda record: (record.obtained_on, record.pk),
        reverse=True,
    )
    return render(
        request,
        "competence/person_records.html",
        {
            "person": person,
            "is_self": person.pk == visibility.person_id,
            "rows": _rows(current),
            "history": _rows(history),
            "form": form,
            "may_verify": may_verify(visibility),
        },
    )


# Shared


def _register(request, form: RecordForm, person) -> bool:
    """Register the form's record; False (with the problems on the form) when it cannot be."""
    if not form.is_valid():
        return False
    try:
        recording.register_record(request.user, person, **form.registration())
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _latest(records: list[CompetenceRecord]) -> list[CompetenceRecord]:
    """The records to show as one's own: a rejected one only until the competence is
    registered again (the employee sees why it was rejected, then the new registration)."""
    registered: dict[int, datetime.datetime] = {}
    for record in records:
        if record.status != RecordStatus.REJECTED:
            earlier = registered.get(record.competence_id, record.created_at)
            registered[record.competence_id] = max(earlier, record.created_at)
    return [
        record
        for record in records
        if record.status != RecordStatus.REJECTED
        or record.competence_id not in registered
        or record.created_at > registered[record.competence_id]
    ]


def _rows(records: list[CompetenceRecord]) -> list[dict]:
    levels = _level_names(records)
    today = timezone.localdate()
    return [
        {
            "record": record,
            "level": levels.get((record.competence.scale_id, record.level)),
            "status": STATUS_TAGS[_status(record, today)],
        }
        for record in records
    ]


def _status(record: CompetenceRecord, today: datetime.date) -> str:
    if record.status != RecordStatus.VERIFIED or record.expires_on is None:
        return record.status
    if record.expires_on < today:
        return "expired"
    # "Expires soon" within the same window as the gap engine's "expiring".
    if record.expires_on <= today + datetime.timedelta(days=settings.EVNE_EXPIRY_WINDOW_DAYS):
        return "expiring"
    return record.status


def _level_names(records: list[CompetenceRecord]) -> dict[tuple[int, int], str]:
    """The names of the records' levels by (scale, value), in one query."""
    scale_ids = {record.competence.scale_id for record in records if record.level is not None}
    if not scale_ids:
        return {}
    return {
        (level.scale_id, level.value): str(level)
        for level in ScaleLevel.objects.filter(scale_id__in=scale_ids)
    }


def _whole_number(text) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() else None
