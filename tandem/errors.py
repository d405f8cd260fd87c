"""Server errors: a database outage answers 503 with a clear message and Retry-After, not a bare 500.

Django turns every uncaught exception, in a view or in a middleware, into a call of ``handler500`` while
the exception is still being handled, so one handler covers pages, htmx partials and the API alike.
Connections recover by themselves once the database is back (``conn_health_checks`` in the settings).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) means the database cannot be reached right now."""
    while exc is not None:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    # The session, the user and anything else stored in the database are out of reach: the language comes
    # from the cookie or the browser, and the page is rendered without a request context.
    with translation.override(translation.get_language_from_request(request)):
        message = _(
            "Tandem cannot reach its database at the moment. Please try again in a minute; if you were "
            "saving something, check afterwards whether it was saved."
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(
                render_to_string(
                    "503.html",
                    {
                        "message": message,
                        "title": _("Temporarily unavailable"),
                        "LANGUAGE_CODE": translation.get_language(),
                    },
                ),
                status=503,
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
