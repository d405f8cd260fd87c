"""The requests of pages and API calls behind sign-in, as the type checker sees them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User

if TYPE_CHECKING:
    from rest_framework.request import Request


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed login_required: its user is a staff member, and HtmxMiddleware added `htmx`."""

    user: User
    htmx: HtmxDetails


if TYPE_CHECKING:

    class AuthenticatedRequest(Request):
        """An API request that passed IsAuthenticated (the default permission): its user is a staff member."""

        @property
        def user(self) -> User: ...
        @user.setter
        def user(self, value: User) -> None: ...
