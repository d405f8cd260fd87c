from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .crypto import key_scope


class KeyCacheMiddleware:
    """Unwrapped data keys are cached for one request only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with key_scope():
            return self.get_response(request)
