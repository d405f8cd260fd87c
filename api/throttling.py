"""The API's rate limit: one budget per staff member, whether they call with a token or a browser session."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class StaffRateThrottle(UserRateThrottle):
    """`TANDEM_API_RATE` requests per staff member (None: no limit); read per request, so tests can change it."""

    scope = "staff"

    def get_rate(self) -> str | None:
        return settings.TANDEM_API_RATE
