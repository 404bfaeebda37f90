"""Coverage over the API: the rows of `evne coverage`, seen with the caller's visibility."""

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from evne.analysis.api.serializers import CoverageQuerySerializer, CoverageSerializer
from evne.analysis.rows import coverage_records, coverage_rows
from evne.api.access import api_visibility
from evne.organization.models import OrgUnit

# An id is a positive 64-bit integer; longer digit strings would overflow the database's.
ID = re.compile(r"[0-9]{1,18}")


def visible_unit(request, given: str) -> OrgUnit:
    """The unit by code, or else by id, among those the caller may open; 404 otherwise, so that
    a unit outside the caller's scope looks like one that does not exist."""
    units = api_visibility(request).units()
    unit = units.filter(code=given).first()
    if unit is None and ID.fullmatch(given):
        unit = units.filter(pk=int(given)).first()
    if unit is None:
        raise NotFound(_("No unit with that code or id, or not one you may see."))
    return unit


@extend_schema(
    operation_id="coverage_retrieve",
    tags=["coverage"],
    parameters=[CoverageQuerySerializer],
    responses=CoverageSerializer,
)
@api_view(["GET"])
def coverage(request):
    """Coverage of a unit and every unit below it on a date, one row per competence: how many
    applicable requirements have each status, and the share covered (met + expiring), by
    headcount and by FTE. Figures over fewer than five people are suppressed (null) for callers
    who may only see figures."""
    query = CoverageQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    unit = visible_unit(request, query.validated_data["unit"])
    on = query.validated_data.get("on") or timezone.localdate()
    rows = coverage_rows(
        unit,
        on=on,
        include_desired=query.validated_data["include_desired"],
        visibility=api_visibility(request),
    )
    records = coverage_records(rows, include_requirement=True)
    for record, row in zip(records, rows, strict=True):
        fte_coverage = row.fte_coverage
        record["fte_coverage"] = None if fte_coverage is None else float(fte_coverage)
        record["suppressed"] = row.cell.suppressed
    return Response(CoverageSerializer({"unit": unit, "on": on, "rows": records}).data)
