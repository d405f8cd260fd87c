"""REST API for outbound referrals: the same access rules and services as the pages.

Sending a referral discloses information: the caller confirms with a current authenticator code
(X-Tandem-Reauth) where strong sign-in is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

import access
from accounts.reauth import api_reauth_ok
from planning.selectors import service_in
from referrals import selectors, services
from sharing.models import Partner
from tandem.ids import parse_uuid

from . import referrals_serializers as s
from .exceptions import Refused
from .views import CASE_ID, INVALID, NOT_FOUND, _valid

if TYPE_CHECKING:
    from accounts.http import AuthenticatedRequest

REFERRAL_ID = OpenApiParameter(
    "referral_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="An outbound referral of this case."
)
REFUSED = OpenApiResponse(description="Refused by the sharing policy, or strong sign-in is missing; nothing was sent.")


class OutboundListView(APIView):
    @extend_schema(
        summary="The case's referrals to other services",
        parameters=[CASE_ID],
        operation_id="cases_referrals_list",
        responses={200: s.OutboundOut(many=True), 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="referral.list")
        return Response(s.OutboundOut(selectors.case_outbound(case), many=True).data)

    @extend_schema(
        summary="Refer the client to an external service",
        description="The referral goes out through the disclosure service; a refusal is answered "
        "with 403 and its reason, and recorded in the disclosure log.",
        parameters=[
            CASE_ID,
            OpenApiParameter(
                "X-Tandem-Reauth",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A current authenticator code.",
            ),
        ],
        request=s.OutboundIn,
        responses={201: s.OutboundOut, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        data = dict(_valid(s.OutboundIn, request))
        if not api_reauth_ok(request):
            raise exceptions.PermissionDenied(
                _("Send a current code of your authenticator app in the X-Tandem-Reauth header to send a referral.")
            )
        partner = Partner.objects.filter(pk=data.pop("partner"), organisation_id=case.programme.organisation_id).first()
        if partner is None:
            raise Refused({"partner": [_("No such partner in your directory.")]})
        service_id = data.pop("plan_service")
        plan_service = None
        if service_id is not None:
            plan_service = service_in(case, service_id)
            if plan_service is None:
                raise Refused({"plan_service": [_("Choose a service of this case's plan.")]})
        try:
            referral = services.outbound_refer(
                actor=request.user, case=case, partner=partner, plan_service=plan_service, **data
            )
        except services.ReferralRefused as exc:
            return Response(exc.message_dict, status=status.HTTP_403_FORBIDDEN)
        return Response(s.OutboundOut(referral).data, status=status.HTTP_201_CREATED)


class OutboundDetailView(APIView):
    @extend_schema(
        summary="Record the provider's answer: accepted, first appointment, declined, ended",
        parameters=[CASE_ID, REFERRAL_ID],
        request=s.OutboundStatusIn,
        responses={200: s.OutboundOut, 400: INVALID, 404: NOT_FOUND},
    )
    def patch(self, request: AuthenticatedRequest, case_id: str, referral_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        referral = (
            case.outbound_referrals.select_related("partner", "plan_service__goal__need").filter(pk=pk).first()
            if (pk := parse_uuid(referral_id))
            else None
        )
        if referral is None:
            raise exceptions.NotFound(_("This case has no such referral."))
        referral.case = case
        referral = services.outbound_status_set(
            actor=request.user, referral=referral, **_valid(s.OutboundStatusIn, request)
        )
        return Response(s.OutboundOut(referral).data)
