"""REST API for release planning and notifications: the same services and rules as the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

import access
from aftercare import selectors, services
from aftercare.models import ConferenceKind, ReleasePlan

from . import aftercare_serializers as s
from .pagination import PAGE
from .views import CASE_ID, INVALID, NOT_FOUND, _page, _paginated, _valid

if TYPE_CHECKING:
    from accounts.http import AuthenticatedRequest

NOTIFICATION_ID = OpenApiParameter(
    "notification_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="One of your notifications."
)


def _plan_out(plan: ReleasePlan) -> dict:
    follow_up = (
        plan.case.social_net_conferences.filter(kind=ConferenceKind.FOLLOW_UP)
        .order_by("-scheduled_on")
        .values_list("scheduled_on", flat=True)
        .first()
    )
    checks = [
        {"kind": c.kind, "message": c.message, "acknowledged": c.acknowledged, "acknowledged_at": c.acknowledged_at}
        for c in selectors.release_checks(plan)
    ]
    data = {
        name: getattr(plan, name)
        for name in (
            "release_on",
            "release_time",
            "follow_up_months",
            "updated_by",
            "updated_at",
            *services.PLAN_TEXT_FIELDS,
        )
    }
    return s.ReleasePlanOut({**data, "follow_up_on": follow_up, "checks": checks}).data


class ReleasePlanView(APIView):
    @extend_schema(
        summary="The release plan with its release-day checks",
        parameters=[CASE_ID],
        responses={200: s.ReleasePlanOut, 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="release_plan.view")
        plan = selectors.plans_for(case.__class__.objects.filter(pk=case.pk)).select_related("updated_by").first()
        if plan is None:
            raise Http404("No release plan.")
        plan.case = case
        return Response(_plan_out(plan))

    @extend_schema(
        summary="Record or replace the release plan",
        description="Text fields left out are kept as they are on an existing plan. The follow-up conference "
        "is scheduled (or moved) to match the release date.",
        parameters=[CASE_ID],
        request=s.ReleasePlanIn,
        responses={200: s.ReleasePlanOut, 400: INVALID, 404: NOT_FOUND},
    )
    def put(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        data = _valid(s.ReleasePlanIn, request)
        texts = {name: data[name] for name in services.PLAN_TEXT_FIELDS if name in request.data}
        plan = services.release_plan_save(
            actor=request.user,
            case=case,
            release_on=data["release_on"],
            release_time=data["release_time"],
            follow_up_months=data["follow_up_months"],
            **texts,
        )
        plan = selectors.plans_for(case.__class__.objects.filter(pk=case.pk)).select_related("updated_by").get()
        plan.case = case
        return Response(_plan_out(plan))


class NotificationListView(APIView):
    @extend_schema(
        summary="Your notifications, newest first",
        operation_id="notifications_list",
        parameters=[PAGE],
        responses={
            200: _paginated(s.NotificationOut),
            400: INVALID,
            404: OpenApiResponse(description="No such page."),
        },
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        response, _count = _page(request, self, selectors.notifications_for(request.user), s.NotificationOut)
        return response


class NotificationReadView(APIView):
    @extend_schema(
        summary="Mark one of your notifications as read",
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: s.NotificationOut, 404: OpenApiResponse(description="Not one of your notifications.")},
    )
    def post(self, request: AuthenticatedRequest, notification_id: int) -> Response:
        notification = get_object_or_404(selectors.notifications_for(request.user), pk=notification_id)
        services.notification_mark_read(user=request.user, notification=notification)
        return Response(s.NotificationOut(notification).data)
