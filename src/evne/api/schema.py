"""The OpenAPI schema: every operation documents the one error body (evne.api.errors)."""

from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Problems by field, for invalid input.",
                    "additionalProperties": True,
                },
            },
        }
    },
}
ERROR_RESPONSES = {
    "400": _("Invalid input"),
    "401": _("Not signed in, or the key is unknown, expired or revoked"),
    "403": _("Not allowed"),
    "404": _("Not found, or not visible"),
    "405": _("Method not allowed"),
    "406": _("Not acceptable"),
    "415": _("Unsupported media type"),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status, {"description": str(description), "content": reference}
                )
    return result
