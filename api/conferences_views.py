"""REST API for case conferences: the same access rules and services as the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

import access
from accounts.models import User
from conferences import selectors, services
from conferences.models import Conference, ConferenceAction
from conferences.summary import build_summary
from sharing.models import Partner
from tandem.ids import parse_uuid

from . import conferences_serializers as s
from .exceptions import Refused
from .pagination import PAGE
from .views import CASE_ID, INVALID, LIST_ERRORS, NOT_FOUND, _page, _paginated, _valid

if TYPE_CHECKING:
    from accounts.http import AuthenticatedRequest

CONFERENCE_ID = OpenApiParameter(
    "conference_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A conference on this case."
)
ACTION_ID = OpenApiParameter(
    "action_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="An agreed action of a conference on this case."
)


def _conference_in(case, conference_id: str) -> Conference:
    conference = selectors.conference_in(case, pk) if (pk := parse_uuid(conference_id)) else None
    if conference is None:
        raise exceptions.NotFound(_("This case has no such conference."))
    return conference


def _staff(user_id: int | None, case) -> User | None:
    if user_id is None:
        return None
    staff = User.objects.filter(pk=user_id, organisation_id=case.programme.organisation_id).first()
    if staff is None:
        raise Refused({"staff": [_("No such staff member in your organisation.")]})
    return staff


def _detail(conference: Conference) -> dict:
    detail = selectors.conference_detail(conference)
    data = dict(s.ConferenceListOut(conference).data)
    data["purpose_note"] = conference.purpose_note
    data["involvement_reason"] = conference.involvement_reason
    data["participants"] = s.ParticipantOut(detail["participants"], many=True).data
    data["decisions"] = s.DecisionOut(detail["decisions"], many=True).data
    data["actions"] = s.ActionOut(detail["actions"], many=True).data
    data["identity_revealed"] = bool(detail["reveals"])
    return data


class ConferenceListView(APIView):
    @extend_schema(
        summary="The case's conferences, newest first",
        parameters=[CASE_ID, PAGE],
        operation_id="cases_conferences_list",
        responses={200: _paginated(s.ConferenceListOut), **LIST_ERRORS},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="conference.list")
        rows = case.conferences.select_related("chair").order_by("-scheduled_at", "id")
        return _page(request, self, rows, s.ConferenceListOut)[0]

    @extend_schema(
        summary="Schedule a conference",
        parameters=[CASE_ID],
        request=s.ConferenceIn,
        responses={201: s.ConferenceDetailOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        data = dict(_valid(s.ConferenceIn, request))
        data["chair"] = _staff(data["chair"], case)
        partner_id = data.pop("chair_partner")
        data["chair_partner"] = None
        if partner_id is not None:
            data["chair_partner"] = Partner.objects.filter(
                pk=partner_id, organisation_id=case.programme.organisation_id
            ).first()
            if data["chair_partner"] is None:
                raise Refused({"chair_partner": [_("No such partner in your directory.")]})
        data["staff_participants"] = [_staff(pk, case) for pk in data["staff_participants"]]
        conference = services.conference_schedule(actor=request.user, case=case, **data)
        return Response(_detail(_conference_in(case, str(conference.pk))), status=status.HTTP_201_CREATED)


class ConferenceDetailView(APIView):
    @extend_schema(
        summary="One conference: participants, decisions, actions",
        parameters=[CASE_ID, CONFERENCE_ID],
        responses={200: s.ConferenceDetailOut, 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str, conference_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="conference.view")
        return Response(_detail(_conference_in(case, conference_id)))


class ConferenceSummaryView(APIView):
    @extend_schema(
        summary="The pseudonymised conference pack",
        parameters=[CASE_ID, CONFERENCE_ID],
        responses={200: s.SummaryOut, 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str, conference_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="conference.pack_view")
        return Response(s.SummaryOut(build_summary(_conference_in(case, conference_id)).as_dict()).data)


class ConferenceActionListView(APIView):
    @extend_schema(
        summary="The conference's agreed actions",
        parameters=[CASE_ID, CONFERENCE_ID],
        operation_id="cases_conference_actions_list",
        responses={200: s.ActionOut(many=True), 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str, conference_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="conference.view")
        return Response(
            s.ActionOut(selectors.conference_detail(_conference_in(case, conference_id))["actions"], many=True).data
        )

    @extend_schema(
        summary="Add an agreed action",
        parameters=[CASE_ID, CONFERENCE_ID],
        request=s.ActionIn,
        responses={201: s.ActionOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str, conference_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        conference = _conference_in(case, conference_id)
        data = dict(_valid(s.ActionIn, request))
        participant_id = data.pop("owner_participant")
        owner = None
        if participant_id is not None:
            owner = conference.participants.select_related("staff", "partner").filter(pk=participant_id).first()
            if owner is None:
                raise Refused({"owner_participant": [_("Choose a participant of this conference.")]})
        action = services.action_add(
            actor=request.user,
            conference=conference,
            owner_participant=owner,
            owner_staff=_staff(data.pop("owner_staff"), case),
            **data,
        )
        return Response(s.ActionOut(action).data, status=status.HTTP_201_CREATED)


class ConferenceActionDetailView(APIView):
    @extend_schema(
        summary="Set an agreed action's status",
        parameters=[CASE_ID, ACTION_ID],
        request=s.ActionStatusIn,
        responses={200: s.ActionOut, 400: INVALID, 404: NOT_FOUND},
    )
    def patch(self, request: AuthenticatedRequest, case_id: str, action_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        action = (
            ConferenceAction.objects.select_related(
                "conference", "owner_staff", "owner_participant__partner", "owner_participant__staff"
            )
            .filter(conference__case=case, pk=pk)
            .first()
            if (pk := parse_uuid(action_id))
            else None
        )
        if action is None:
            raise exceptions.NotFound(_("This case has no such action."))
        action.conference.case = case
        action = services.action_status_set(actor=request.user, action=action, **_valid(s.ActionStatusIn, request))
        return Response(s.ActionOut(action).data)
