from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import NotFound

HTTP_METHODS = ["get", "post", "put", "patch", "delete"]


def endpoints(schema: dict) -> list[dict]:
    """The schema's operations grouped by their first tag (the resource), in path order."""
    groups: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method in HTTP_METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation["operationId"],
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                }
            )
    return [{"name": name, "operations": operations} for name, operations in groups.items()]


def docs(request):
    """The API's reference, rendered on the server from the OpenAPI schema: no script from a
    CDN, readable on a phone and with a screen reader."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"groups": endpoints(schema), "version": schema["info"]["version"]},
    )


@csrf_exempt  # it changes nothing, and must answer any method with the error body
@login_not_required
def not_found(request, path=""):
    """Any other address under /api/ answers with the API's error body, not the HTML page."""
    error = {"code": "not_found", "message": str(NotFound.default_detail)}
    return JsonResponse({"error": error}, status=404)
