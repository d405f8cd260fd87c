"""REST API v1: the same cases, the same rules as the pages.

Every case-level call goes through access.get_case_for (audited; 404 outside need-to-know) and every
write through the cases and planning services. Objects below a case are looked up within that case only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import access
from accounts.models import Role
from cases import services as case_services
from cases.models import Case, CaseAssignment
from cases.selectors import with_current_tandem
from planning import selectors as planning_selectors
from planning import services as plan_services
from planning.models import Goal, Need, Service
from programmes.models import Team, Topic

from . import serializers as s
from .exceptions import Refused
from .pagination import PAGE, Pages

if TYPE_CHECKING:
    from accounts.http import AuthenticatedRequest

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The case.")
NEED_ID = OpenApiParameter("need_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A need of this case.")
GOAL_ID = OpenApiParameter("goal_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A goal of this case.")
SERVICE_ID = OpenApiParameter(
    "service_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A service of this case."
)
NOT_FOUND = OpenApiResponse(description="No such case for you (outside need-to-know, or it does not exist).")
INVALID = OpenApiResponse(description="The request does not match this schema; field names map to messages.")
CONFLICT = OpenApiResponse(
    description="Someone else saved a newer version first, or a rule refuses the change; nothing was saved."
)
LIST_ERRORS = {400: INVALID, 404: NOT_FOUND}  # a bad page number; no such case, or a page past the last


def _paginated(serializer_class: type[drf_serializers.Serializer]) -> type[drf_serializers.Serializer]:
    base = serializer_class.__name__.removesuffix("Out").removesuffix("List")
    return type(
        f"Paginated{base}List",
        (drf_serializers.Serializer,),
        {
            "count": drf_serializers.IntegerField(),
            "next": drf_serializers.URLField(allow_null=True),
            "previous": drf_serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def _valid(serializer_class: type[drf_serializers.Serializer], request: Request) -> dict:
    """The request body, validated: 400 when it does not match the schema, then 409 when a rule refuses it."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    if refused := s.refusals(serializer, serializer.validated_data):
        raise Refused(refused)
    return serializer.validated_data


def _page(request: Request, view: APIView, queryset, serializer_class) -> tuple[Response, int]:
    paginator = Pages()
    rows: list[Any] = paginator.paginate_queryset(queryset, request, view=view) or []
    return paginator.get_paginated_response(serializer_class(rows, many=True).data), len(rows)


def _detail(case: Case) -> dict:
    """A case from access.get_case_for, with its assignments, as CaseDetailOut."""
    case.all_assignments = list(case.assignments.select_related("staff").order_by("role", "starts_on"))
    return s.CaseDetailOut(case).data


def _need_in(case: Case, need_id: str) -> Need:
    need = planning_selectors.need_in(case, need_id)
    if need is None:
        raise exceptions.NotFound(_("This case has no such need."))
    return need


def _goal_in(case: Case, goal_id: str) -> Goal:
    goal = planning_selectors.goal_in(case, goal_id)
    if goal is None:
        raise exceptions.NotFound(_("This case has no such goal."))
    return goal


def _service_in(case: Case, service_id: str) -> Service:
    service = planning_selectors.service_in(case, service_id)
    if service is None:
        raise exceptions.NotFound(_("This case has no such service."))
    return service


def _identity_for_service(data: dict) -> dict[str, str]:
    """The identity as the vault stores it: text, aliases one per line, the birth date as YYYY-MM-DD."""
    born = data["date_of_birth"]
    return {
        "given_name": data["given_name"].strip(),
        "family_name": data["family_name"].strip(),
        "aliases": "\n".join(data["aliases"]),
        "date_of_birth": born.isoformat() if born else "",
        "phone": data["phone"].strip(),
        "email": data.get("email", "").strip(),
        "address": data["address"].strip(),
    }


# --- Cases -----------------------------------------------------------------------------------------


class CaseListView(APIView):
    @extend_schema(
        summary="Your cases",
        operation_id="cases_list",
        parameters=[
            s.CaseFilterIn,
            PAGE,
        ],
        responses={200: _paginated(s.CaseListOut), 400: INVALID, 404: OpenApiResponse(description="No such page.")},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = s.CaseFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        cases = access.cases_for(request.user)
        for name in ("state", "setting", "ideology"):
            if name in wanted:
                cases = cases.filter(**{name: wanted[name]})
        if "worker" in wanted:
            works_on = CaseAssignment.objects.current().filter(case=OuterRef("pk"), staff_id=wanted["worker"])
            cases = cases.filter(Exists(works_on))
        if wanted.get("q", "").strip():
            cases = cases.filter(client__pseudonym__istartswith=wanted["q"].strip())
        response, shown = _page(
            request, self, with_current_tandem(cases).order_by("client__pseudonym", "id"), s.CaseListOut
        )
        access.audit_list("case.list", shown, user=request.user)
        return response

    @extend_schema(
        summary="Record a new enquiry",
        description="Creates the client (sealed identity) and a case in the signal state. "
        "A practitioner who records it becomes its case manager.",
        request=s.EnquiryIn,
        responses={
            201: s.CaseDetailOut,
            400: INVALID,
            403: OpenApiResponse(description="Your role does not open cases."),
        },
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        opens_cases = {Role.PRACTITIONER, Role.SUPERVISOR}
        if not access.sees_case_content(user) or user.organisation_id is None or not user.role_codes() & opens_cases:
            raise exceptions.PermissionDenied(_("Only practitioners and supervisors record enquiries."))
        data = dict(_valid(s.EnquiryIn, request))
        identity = _identity_for_service(data.pop("identity"))
        team = (
            Team.objects.select_related("programme")
            .filter(
                pk=data.pop("team"),
                role_grants__user=user,
                role_grants__role__in=opens_cases,
                programme__organisation_id=user.organisation_id,
            )
            .first()
        )
        if team is None:
            raise Refused({"team": [_("Choose a team you work in.")]})
        with transaction.atomic():
            case = case_services.enquiry_create(
                actor=user, programme=team.programme, team=team, identity=identity, **data
            )
            if user.has_role(Role.PRACTITIONER):
                case_services.assignment_add(actor=user, case=case, staff=user, role="case_manager")
        case = access.get_case_for(user, case.pk)
        return Response(_detail(case), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(summary="One case", parameters=[CASE_ID], responses={200: s.CaseDetailOut, 404: NOT_FOUND})
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        return Response(_detail(access.get_case_for(request.user, case_id)))

    @extend_schema(
        summary="Change case attributes",
        parameters=[CASE_ID],
        request=s.CaseAttributesIn,
        responses={200: s.CaseDetailOut, 400: INVALID, 404: NOT_FOUND},
    )
    def patch(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        changes = _valid(s.CaseAttributesIn, request)
        if "team" in changes:
            team = Team.objects.filter(pk=changes["team"], programme_id=case.programme_id).first()
            if team is None:
                raise Refused({"team": [_("Choose a team of this case's programme.")]})
            changes["team"] = team
        case = case_services.case_attributes_update(actor=request.user, case=case, **changes)
        return Response(_detail(case))


class CaseIdentityView(APIView):
    @extend_schema(
        summary="The client's sealed identity",
        description="Every read is recorded in the audit log as client.identity_view.",
        parameters=[CASE_ID],
        responses={200: s.IdentityOut, 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, action="client.identity_view")
        return Response(s.IdentityOut(case.client).data)


class ClientLookupView(APIView):
    @extend_schema(
        summary="Find your cases by a client's exact name",
        description=(
            "Matches full names and aliases exactly, within your cases only; answers with pseudonyms, never names."
        ),
        request=s.LookupIn,
        responses={200: s.LookupOut, 400: INVALID},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        name = _valid(s.LookupIn, request)["name"]
        cases = with_current_tandem(access.lookup_cases_by_name(request.user, name)).order_by("client__pseudonym", "id")
        return Response({"results": s.CaseListOut(cases, many=True).data})


# --- Transitions and contacts ----------------------------------------------------------------------


class TransitionListView(APIView):
    @extend_schema(
        summary="The case's state history, oldest first",
        parameters=[CASE_ID, PAGE],
        operation_id="cases_transitions_list",
        responses={200: _paginated(s.TransitionOut), **LIST_ERRORS},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id)
        return _page(request, self, case.transitions.select_related("by").order_by("at", "id"), s.TransitionOut)[0]

    @extend_schema(
        summary="Move the case to another state",
        parameters=[CASE_ID],
        request=s.TransitionIn,
        responses={201: s.TransitionOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        transition = case_services.case_transition(actor=request.user, case=case, **_valid(s.TransitionIn, request))
        return Response(s.TransitionOut(transition).data, status=status.HTTP_201_CREATED)


class ContactListView(APIView):
    @extend_schema(
        summary="The case's contacts, newest first",
        parameters=[CASE_ID, PAGE],
        operation_id="cases_contacts_list",
        responses={200: _paginated(s.ContactOut), **LIST_ERRORS},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id)
        contacts = (
            case.contacts.select_related("recorded_by")
            .prefetch_related("topics")
            .order_by("-occurred_at", "-recorded_at")
        )
        return _page(request, self, contacts, s.ContactOut)[0]

    @extend_schema(
        summary="Record a contact",
        parameters=[CASE_ID],
        request=s.ContactIn,
        responses={201: s.ContactOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        data = _valid(s.ContactIn, request)
        codes = list(dict.fromkeys(data.pop("topics")))
        topic_ids = dict(
            Topic.objects.filter(programme_id=case.programme_id, active=True, code__in=codes).values_list("code", "pk")
        )
        unknown = [code for code in codes if code not in topic_ids]
        if unknown:
            raise Refused({"topics": [_("Not a topic of this programme: %(codes)s.") % {"codes": ", ".join(unknown)}]})
        contact = case_services.contact_record(
            actor=request.user, case=case, topic_ids=list(topic_ids.values()), **data
        )
        return Response(s.ContactOut(contact).data, status=status.HTTP_201_CREATED)


# --- Agreement -------------------------------------------------------------------------------------


class AgreementView(APIView):
    @extend_schema(
        summary="The work agreement: current revision and the list of revisions",
        parameters=[CASE_ID],
        responses={200: s.AgreementOut, 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id)
        current = case.agreement_revisions.select_related("recorded_by").order_by("-number").first()
        numbers = list(case.agreement_revisions.order_by("-number").values_list("number", flat=True))
        return Response(s.AgreementOut({"current": current, "revisions": numbers}).data)

    @extend_schema(
        summary="Save a new revision of the agreement",
        description="`base_number` is the revision the text was based on; if someone saved a newer one, "
        "the answer is 409 and nothing is saved.",
        parameters=[CASE_ID],
        request=s.AgreementIn,
        responses={201: s.AgreementRevisionOut, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        revision = plan_services.agreement_revise(actor=request.user, case=case, **_valid(s.AgreementIn, request))
        return Response(s.AgreementRevisionOut(revision).data, status=status.HTTP_201_CREATED)


# --- Plan ------------------------------------------------------------------------------------------


class PlanView(APIView):
    @extend_schema(
        summary="The intervention plan: needs, their goals, the goals' services",
        parameters=[CASE_ID],
        responses={200: s.PlanOut, 404: NOT_FOUND},
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id)
        goals = Goal.objects.prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("created_at", "id"))
        )
        needs = case.needs.prefetch_related(Prefetch("goals", queryset=goals)).order_by("domain", "created_at", "id")
        return Response(s.PlanOut({"needs": needs}).data)


class NeedListView(APIView):
    @extend_schema(
        summary="Add a need",
        parameters=[CASE_ID],
        request=s.NeedIn,
        responses={201: s.NeedOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        need = plan_services.need_add(actor=request.user, case=case, **_valid(s.NeedIn, request))
        return Response(s.NeedOut(need).data, status=status.HTTP_201_CREATED)


class NeedDetailView(APIView):
    @extend_schema(
        summary="Set a need's status",
        parameters=[CASE_ID, NEED_ID],
        request=s.NeedStatusIn,
        responses={200: s.NeedOut, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, case_id: str, need_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        need = _need_in(case, need_id)
        need = plan_services.need_status_set(actor=request.user, need=need, **_valid(s.NeedStatusIn, request))
        return Response(s.NeedOut(need).data)


class GoalListView(APIView):
    @extend_schema(
        summary="Add a goal to a need",
        parameters=[CASE_ID, NEED_ID],
        request=s.GoalIn,
        responses={201: s.GoalOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str, need_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        need = _need_in(case, need_id)
        goal = plan_services.goal_add(actor=request.user, need=need, **_valid(s.GoalIn, request))
        return Response(s.GoalOut(goal).data, status=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    @extend_schema(
        summary="Set a goal's status",
        parameters=[CASE_ID, GOAL_ID],
        request=s.GoalStatusIn,
        responses={200: s.GoalOut, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, case_id: str, goal_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        goal = _goal_in(case, goal_id)
        goal = plan_services.goal_status_set(actor=request.user, goal=goal, **_valid(s.GoalStatusIn, request))
        return Response(s.GoalOut(goal).data)


class ServiceListView(APIView):
    @extend_schema(
        summary="Add a service to a goal",
        parameters=[CASE_ID, GOAL_ID],
        request=s.ServiceIn,
        responses={201: s.ServiceOut, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, case_id: str, goal_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        goal = _goal_in(case, goal_id)
        service = plan_services.service_add(actor=request.user, goal=goal, **_valid(s.ServiceIn, request))
        return Response(s.ServiceOut(service).data, status=status.HTTP_201_CREATED)


class ServiceDetailView(APIView):
    @extend_schema(
        summary="Set a service's status",
        parameters=[CASE_ID, SERVICE_ID],
        request=s.ServiceStatusIn,
        responses={200: s.ServiceOut, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, case_id: str, service_id: str) -> Response:
        case = access.get_case_for(request.user, case_id, write=True)
        service = _service_in(case, service_id)
        service = plan_services.service_status_set(
            actor=request.user, service=service, **_valid(s.ServiceStatusIn, request)
        )
        return Response(s.ServiceOut(service).data)
