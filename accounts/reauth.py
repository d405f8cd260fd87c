"""Re-authentication before the weightiest actions: an export, a disclosure, an erasure, a security alert.

Pages::

    from accounts.reauth import reauth_required

    @login_required
    @reauth_required
    def case_export(request, case_id): ...

A signed-in user who has not given their password and a fresh second-factor code within the last
``TANDEM_REAUTH_SECONDS`` (5 minutes by default) is sent to the re-authentication page and then back to
the page they asked for (a POST is not replayed: they see the page again and submit it once more). An
htmx request gets an ``HX-Redirect`` header instead of the redirect. Pages use this decorator and nothing else.

API::

    from accounts.reauth import api_reauth_ok

    if not api_reauth_ok(request):
        raise PermissionDenied("Send a current code of your authenticator app in the X-Tandem-Reauth header.")

An API client re-authenticates by sending a current TOTP code of the token's user in the
``X-Tandem-Reauth`` header. Each code is accepted once (a replayed code is refused). API views use
``api_reauth_ok`` and nothing else.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

REAUTH_SESSION_KEY = "tandem_reauth_at"
REAUTH_HEADER = "X-Tandem-Reauth"


def reauth_seconds() -> int:
    return int(getattr(settings, "TANDEM_REAUTH_SECONDS", 300))


def reauth_fresh(request: HttpRequest, max_age: int | None = None) -> bool:
    """True if this session re-authenticated (password and second factor) within ``max_age`` seconds."""
    session = getattr(request, "session", None)
    if session is None:
        return False
    at = session.get(REAUTH_SESSION_KEY)
    if not isinstance(at, (int, float)):
        return False
    age = time.time() - at
    return 0 <= age <= (reauth_seconds() if max_age is None else max_age)


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = time.time()


def reauth_redirect(request: HttpRequest) -> HttpResponse:
    url = reverse("reauth") + "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def reauth_required(view_func=None, *, max_age: int | None = None, when: Callable[[HttpRequest], bool] | None = None):
    """Decorate a page view (after ``@login_required``); use bare or as ``@reauth_required(max_age=..., when=...)``.

    ``when`` narrows it to the requests that need it (e.g. one action of a page with several); by default every
    request to the page does."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if when is not None and not when(request):
                return func(request, *args, **kwargs)
            if request.user.is_authenticated and reauth_fresh(request, max_age):
                return func(request, *args, **kwargs)
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return reauth_redirect(request)

        return wrapper

    if view_func is not None:
        return decorator(view_func)
    return decorator


def api_reauth_ok(request) -> bool:
    """True if the request carries a current, unused TOTP code of its user in the X-Tandem-Reauth header.

    Works for DRF requests (token or session) and plain Django requests. Audits refused attempts.
    """
    from .otp import verify_totp

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    code = (request.headers.get(REAUTH_HEADER) or "").strip()
    if not code:
        return False
    return verify_totp(user, code, purpose="api_reauth")
