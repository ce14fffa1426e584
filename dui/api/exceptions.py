"""API exception handler: DRF's own, plus an OverflowError (a date so far that its conversion to
UTC leaves the calendar, e.g. 0001-01-01T00:00 in Europe/Paris, raised while parsing the input
or inside a service's transaction) answered as a French 400 instead of a 500."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dui.dates import OUT_OF_RANGE


def exception_handler(exc, context):
    if isinstance(exc, OverflowError):
        return Response({"non_field_errors": [OUT_OF_RANGE]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
