"""The one API exception handler: domain errors and Django's become JSON answers.

- `ValidationError` (Django) → 400, French messages per field (`non_field_errors` for the rest);
  an error may shape its own body with `api_body()` (suspected duplicates list the dossiers).
- `dui.errors.NotFound`, `Http404` → 404; `dui.errors.RightRefused` → 403 naming the right;
  `PermissionDenied` (Django) → 403 with its message.
- `OverflowError` (a date whose conversion to UTC leaves the calendar, e.g. 0001-01-01T00:00 in
  Europe/Paris) → 400 instead of a 500.
Anything else is DRF's own handling.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dui.dates import OUT_OF_RANGE
from dui.errors import NotFound, RightRefused

NOT_FOUND = "Introuvable."


def validation_body(error: DjangoValidationError) -> dict:
    api_body = getattr(error, "api_body", None)
    if callable(api_body):
        return api_body()
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if key == NON_FIELD_ERRORS else key): value for key, value in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    if isinstance(exc, OverflowError):
        return Response({"non_field_errors": [OUT_OF_RANGE]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RightRefused):
        body = {"detail": exc.message, "right": {"action": exc.action, "class": exc.code}}
        return Response(body, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NotFound):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied) and str(exc):
        exc = exceptions.PermissionDenied(str(exc))
    return drf_exception_handler(exc, context)
