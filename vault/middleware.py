from __future__ import annotations

from .crypto import key_scope


class KeyCacheMiddleware:
    """Unwrapped data keys are cached for one request only."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with key_scope():
            return self.get_response(request)
