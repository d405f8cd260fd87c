from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from access import Restricted
from planning.services import EditConflict


def exception_handler(exc, context):
    """Service-layer validation errors become 400 (409 for edit conflicts) with field messages."""
    if isinstance(exc, Restricted):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        code = status.HTTP_409_CONFLICT if isinstance(exc, EditConflict) else status.HTTP_400_BAD_REQUEST
        return Response(detail, status=code)
    return drf_exception_handler(exc, context)
