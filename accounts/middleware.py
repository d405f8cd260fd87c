"""No page and no API route before the second factor, and only sessions the server still knows.

Installed after django_otp's OTPMiddleware, for every request, so a new view is covered without doing
anything. A signed-in session that has not passed the second factor reaches only the pages listed in
``OPEN_BEFORE_SECOND_FACTOR``; every other page redirects to the second-factor page, and the API answers
403 (an API client with a token is authenticated by its token, which was issued after the second factor).
A verified session must be one the server registered (accounts.UserSession): a session ended elsewhere
(logout everywhere, deactivation, password change, an administrator) is refused even if its cookie survives.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from .models import User, UserSession

# How often a session in use is renewed (idle timeout: settings.SESSION_COOKIE_AGE, by default 30 minutes).
RENEW_AFTER = timedelta(seconds=60)

OPEN_BEFORE_SECOND_FACTOR = {"login", "logout", "second_factor", "otp_enrol", "set_language"}


def _url_name(request) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


class SecondFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            refused = self._check(request, user)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request, user: User):
        is_api = request.path_info.startswith("/api/")
        if user.is_verified():
            registered = UserSession.objects.filter(session_key=request.session.session_key, user_id=user.pk)
            last_seen = registered.values_list("last_seen", flat=True).first()
            if last_seen is not None:
                now = timezone.now()
                if now - last_seen >= RENEW_AFTER:
                    # The idle timeout restarts: the server's record and the session's expiry, at most once a
                    # minute, so that reading pages does not write on every request.
                    registered.update(last_seen=now)
                    request.session.modified = True
                return None
            logout(request)  # a session that was ended on the server, or never registered
            if is_api:
                return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
            return HttpResponseRedirect(reverse("login") + "?" + urlencode({"next": request.get_full_path()}))
        if _url_name(request) in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if is_api:
            if request.headers.get("Authorization"):
                return None  # the token decides; session authentication of the API requires the second factor
            return JsonResponse({"detail": "Confirm your sign-in with your second factor first."}, status=403)
        if request.path_info.startswith("/static/"):
            return None
        return HttpResponseRedirect(reverse("second_factor") + "?" + urlencode({"next": request.get_full_path()}))
