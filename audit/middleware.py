from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .context import AuditContext, acting


def client_ip(request: HttpRequest) -> str | None:
    # Behind the documented reverse proxy, REMOTE_ADDR is the proxy; it passes X-Real-IP.
    ip: str | None = request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None
    return ip


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        channel = "api" if request.path.startswith("/api/") else "web"
        with acting(AuditContext(channel=channel, ip=client_ip(request), request=request)):
            return self.get_response(request)
