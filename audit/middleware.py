from __future__ import annotations

from .context import AuditContext, acting


def client_ip(request) -> str | None:
    # Behind the documented reverse proxy, REMOTE_ADDR is the proxy; it passes X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        with acting(AuditContext(channel=channel, ip=client_ip(request), request=request)):
            return self.get_response(request)
