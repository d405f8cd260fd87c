"""REST API for assessments: the same rules as the pages (access layer, assessments.services)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

import access
from assessments import instruments, selectors, services

from . import assessments_serializers as s
from .views import CASE_ID, INVALID, NOT_FOUND, _valid

if TYPE_CHECKING:
    from accounts.http import AuthenticatedRequest


class AssessmentListView(APIView):
    @extend_schema(
        summary="The case's assessments, newest first",
        parameters=[CASE_ID],
        operation_id="cases_assessments_list",
        responses={200: s.AssessmentOut(many=True), 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="assessment.list")
        return Response(s.AssessmentOut(selectors.case_assessments(case), many=True).data)

    @extend_schema(
        summary="Record an assessment",
        description="The computed score and level are advisory; `final_level` with its `rationale` counts and sets "
        "the case's risk level.",
        parameters=[CASE_ID],
        request=s.AssessmentIn,
        responses={201: s.AssessmentOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        data = _valid(s.AssessmentIn, request)
        ratings = {
            key: {
                "rating": value.get("rating", ""),
                "for": value.get("evidence_for", ""),
                "against": value.get("evidence_against", ""),
            }
            for key, value in data.get("domain_ratings", {}).items()
        }
        assessment = services.assessment_record(
            actor=request.user,
            case=case,
            instrument_key=data["instrument"],
            assessed_on=data["assessed_on"],
            kind=data.get("kind", ""),
            sources=data["sources"],
            answers=data["answers"],
            domain_ratings=ratings,
            final_level=data["final_level"],
            rationale=data["rationale"],
        )
        assessment.case = case
        return Response(s.AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)


class InstrumentListView(APIView):
    @extend_schema(
        summary="The assessment instruments this installation offers, with their full definitions",
        operation_id="instruments_list",
        responses={200: s.InstrumentOut(many=True)},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(s.InstrumentOut(list(instruments.load_all().values()), many=True).data)
