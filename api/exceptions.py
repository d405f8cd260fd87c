from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from access import Restricted


class Refused(exceptions.APIException):
    """A request that matches the schema, refused by Tandem's rules or the records as they are: 409 with field
    messages (400 is kept for requests that do not match the schema)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"


def exception_handler(exc, context):
    """Service-layer validation errors (the rules, edit conflicts) become 409 with field messages."""
    if isinstance(exc, Restricted):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, exceptions.Throttled):
        exc.wait = exc.wait or 1  # Retry-After is always sent
        exc.detail = _("Too many requests: try again in %(seconds)d s (Retry-After).") % {"seconds": exc.wait}
    return drf_exception_handler(exc, context)
