"""One error body for every failure (docs/integration.md, "Errors"):

    {"error": {"code": "invalid", "message": "…", "fields": {"obtained_on": ["…"]}}}

`fields` is there for invalid input only, with every problem at once, by field.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

INVALID_MESSAGE = _("Some values are not valid. See fields.")


def from_django_validation(error: DjangoValidationError) -> exceptions.ValidationError:
    """The domain functions raise Django's ValidationError, by field; the API reports it like
    a serializer's."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            {
                field: [str(message) for message in messages]
                for field, messages in error.message_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": error.messages})


def handle_exception(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django_validation(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    error = {"code": getattr(exc, "default_code", "error"), "message": ""}
    if isinstance(exc, exceptions.ValidationError):
        error["message"] = str(INVALID_MESSAGE)
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        error["fields"] = detail
    else:
        error["code"] = getattr(exc.detail, "code", None) or error["code"]
        error["message"] = str(exc.detail)
    response.data = {"error": error}
    return response
