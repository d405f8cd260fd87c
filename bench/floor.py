"""The framework floor: the cheapest page a signed-in member of staff can ask for.

It goes through the same middleware as every page (session, user, second factor, audit context, key
cache), needs a signed-in user, and does one indexed query. Every request's time is reported as a
ratio to this one, measured in the same run.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from cases.models import CaseAssignment


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    on_cases = CaseAssignment.objects.filter(staff_id=request.user.pk).exists()  # index (staff, case)
    return HttpResponse("ok" if on_cases else "none", content_type="text/plain")
