"""REST API for sharing: a case's consents and disclosures, through sharing.services only.

Permissions are checked here on the server: an `emergency` or `override` flag from anyone who is not
a supervisor of the case is refused with 403 before anything else happens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

import access
from accounts.reauth import api_reauth_ok
from audit.models import Outcome
from audit.services import audit_record
from sharing import services
from sharing.models import Consent, Partner
from sharing.policy import Ground, Purpose
from tandem.ids import parse_uuid

from . import sharing_serializers as s
from .exceptions import Refused
from .pagination import PAGE
from .views import CASE_ID, INVALID, LIST_ERRORS, NOT_FOUND, _page, _paginated, _valid

if TYPE_CHECKING:
    from accounts.http import AuthenticatedRequest
    from accounts.models import User

CONSENT_ID = OpenApiParameter(
    "consent_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A consent of this case."
)
FORBIDDEN = OpenApiResponse(
    description="Not allowed for you (e.g. an emergency or override flag without the supervisor role)."
)


def _partner(user: User, partner_id: int | None) -> Partner | None:
    if partner_id is None:
        return None
    partner = (
        Partner.objects.filter(organisation_id=user.organisation_id, pk=partner_id).first()
        if user.organisation_id is not None
        else None
    )
    if partner is None:
        raise Refused({"partner": [_("No such partner in your organisation's directory.")]})
    return partner


def _flag(value) -> bool:
    return (
        value is True or (isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}) or value == 1
    )


class ConsentListView(APIView):
    @extend_schema(
        summary="The case's consents, newest first",
        parameters=[CASE_ID, PAGE],
        operation_id="cases_consents_list",
        responses={200: _paginated(s.ConsentOut), **LIST_ERRORS},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id)
        return _page(
            request,
            self,
            Consent.objects.filter(case=case).select_related("partner", "recorded_by", "case"),
            s.ConsentOut,
        )[0]

    @extend_schema(
        summary="Record a consent",
        parameters=[CASE_ID],
        request=s.ConsentIn,
        responses={201: s.ConsentOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True, action="consent.write")
        data = _valid(s.ConsentIn, request)
        data["partner"] = _partner(request.user, data["partner"])
        consent = services.consent_record(actor=request.user, case=case, **data)
        return Response(s.ConsentOut(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(APIView):
    @extend_schema(
        summary="Withdraw a consent (takes effect at once)",
        parameters=[CASE_ID, CONSENT_ID],
        request=None,
        responses={200: s.ConsentOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str, consent_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="consent.write")
        consent = get_object_or_404(
            Consent.objects.select_related("partner", "recorded_by"),
            case=case,
            pk=parse_uuid(consent_id) or "00000000-0000-0000-0000-000000000000",
        )
        consent = services.consent_withdraw(actor=request.user, consent=consent)
        return Response(s.ConsentOut(consent).data)


class DisclosureListView(APIView):
    @extend_schema(
        summary="The case's disclosure register: disclosures and refused attempts, newest first",
        parameters=[CASE_ID, PAGE],
        operation_id="cases_disclosures_list",
        responses={200: _paginated(s.DisclosureOut), **LIST_ERRORS},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id)
        rows = case.disclosures.select_related("partner", "by").order_by("-at")
        return _page(request, self, rows, s.DisclosureOut)[0]

    @extend_schema(
        summary="Share information through the sharing policy",
        description="201: shared and recorded. 409: refused by the policy (the attempt is recorded). "
        "202: an `emergency` alert was raised and waits for a second supervisor's approval. "
        "403: an `emergency` or `override` flag from a caller who is not a supervisor of the case.",
        parameters=[CASE_ID],
        request=s.DisclosureIn,
        responses={
            201: s.DisclosureOut,
            202: s.AlertPendingOut,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: s.DisclosureRefusedOut,
        },
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True, action="disclosure.write")
        raw = request.data if isinstance(request.data, dict) else {}
        emergency, override = _flag(raw.get("emergency")), _flag(raw.get("override"))
        if (emergency or override) and not access.supervises(request.user, case):
            audit_record(
                "disclosure.override",
                case,
                outcome=Outcome.DENIED,
                detail="emergency" if emergency else "override",
                actor=request.user,
            )
            raise exceptions.PermissionDenied(
                _("Only a supervisor of the case may raise an emergency alert; nobody can override the sharing policy.")
            )
        if not api_reauth_ok(request):
            raise exceptions.PermissionDenied(
                _("Send a current code of your authenticator app in the X-Tandem-Reauth header to share information.")
            )
        data = _valid(s.DisclosureIn, request)
        if override:
            raise exceptions.PermissionDenied(_("The sharing policy cannot be overridden."))
        partner = _partner(request.user, data["partner"])
        if emergency:
            concern = services.concern_raise(
                actor=request.user,
                case=case,
                kind="danger_to_others",
                justification=data["justification"],
                alert=True,
                recipient_category=data.get("recipient_category", ""),
                partner=partner,
                data_categories=data["data_categories"],
                alert_content=data["content"],
            )
            return Response(
                {
                    "concern": concern.pk,
                    "status": concern.status,
                    "detail": _("The alert waits for a second supervisor's approval."),
                },
                status=status.HTTP_202_ACCEPTED,
            )
        if data["ground"] == Ground.IMMINENT_DANGER:
            raise Refused(
                {"ground": [_("Raise an imminent-danger alert as an emergency; it needs a second approval.")]}
            )
        try:
            disclosure = services.disclose(
                actor=request.user,
                case=case,
                recipient_category=data.get("recipient_category", ""),
                partner=partner,
                data_categories=data["data_categories"],
                purpose=data["purpose"] or Purpose.REFERRAL,
                ground=data["ground"],
                legal_basis=data["legal_basis"],
                content=data["content"],
                channel=data["channel"] or "api",
            )
        except services.DisclosureRefused as exc:
            return Response(
                {"detail": exc.reason, "attempt": exc.attempt.pk if exc.attempt else None},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(s.DisclosureOut(disclosure).data, status=status.HTTP_201_CREATED)
