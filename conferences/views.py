"""Pages for case conferences. Thin: cases come from the access layer, writes go through conferences.services,
conferences and actions are looked up within their case only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import access
from accounts.reauth import (
    reauth_required,  # strong sign-in before anything is sent out
)
from cases.models import Case
from cases.selectors import case_for_form_page, case_for_page
from tandem.forms import form_status

from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    ConferenceForm,
    DecisionForm,
    PackForm,
    ParticipantForm,
    RevealForm,
    StaffParticipantForm,
    SummaryForm,
)
from .models import ActionStatus, Conference, ConferenceAction
from .summary import build_summary

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest


def _conference(case: Case, conference_id: uuid.UUID) -> Conference:
    conference = selectors.conference_in(case, conference_id)
    if conference is None:
        raise Http404("No such conference.")
    return conference


def _detail_url(conference: Conference, anchor: str = "") -> str:
    url = reverse("conferences:detail", kwargs={"case_id": conference.case_id, "conference_id": conference.pk})
    return url + (f"#{anchor}" if anchor else "")


def _forms(request: AuthenticatedHttpRequest, case: Case, conference: Conference, bound: dict | None = None) -> dict:
    forms = {
        "participant_form": ParticipantForm(case=case),
        "staff_form": StaffParticipantForm(case=case),
        "attendance_form": AttendanceForm(conference=conference),
        "summary_form": SummaryForm(initial={"summary_text": conference.summary_text or ""}),
        "pack_form": PackForm(conference=conference),
        "decision_form": DecisionForm(),
        "action_form": ActionForm(conference=conference),
        "reveal_form": RevealForm(conference=conference),
        "action_statuses": ActionStatus.choices,
    }
    return forms | (bound or {})


def _detail_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    conference: Conference,
    *,
    bound: dict | None = None,
    status: int = 200,
    extra: dict | None = None,
) -> HttpResponse:
    context = {
        "case": case,
        "conference": conference,
        **selectors.conference_detail(conference),
        **_forms(request, case, conference, bound),
        **(extra or {}),
    }
    return render(request, "conferences/conference_detail.html", context, status=status)


def _apply(
    request: AuthenticatedHttpRequest,
    case: Case,
    conference: Conference,
    form,
    key: str,
    apply: Callable[[dict], object],
    success: str,
    anchor: str,
) -> HttpResponse:
    """Validate the form, call the service, redirect on success; otherwise the page again with the errors (400)."""
    if form.is_valid():
        try:
            apply(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, success)
            return redirect(_detail_url(conference, anchor))
    return _detail_page(request, case, conference, bound={key: form}, status=400)


@login_required
@require_http_methods(["GET"])
def conference_list(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="conference.list")
    return render(
        request,
        "conferences/conference_list.html",
        {"case": case, "conferences": selectors.case_conferences(case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id)
    form = ConferenceForm(request.POST or None, case=case, initial={"chair": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_schedule(actor=request.user, case=case, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Conference scheduled. Add the participants from partner organisations."))
            return redirect(_detail_url(conference, "participants"))
    return render(
        request,
        "conferences/conference_new.html",
        {"case": case, "form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET"])
def conference_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="conference.view")
    return _detail_page(request, case, _conference(case, conference_id))


@login_required
@require_http_methods(["GET"])
def conference_pack(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    """The pseudonymised pack, as the participants get it."""
    case = case_for_page(request.user, case_id, action="conference.pack_view")
    conference = _conference(case, conference_id)
    return render(
        request,
        "conferences/conference_pack.html",
        {
            "case": case,
            "conference": conference,
            "summary": build_summary(conference),
        },
    )


@login_required
@require_http_methods(["POST"])
def participant_add(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form: StaffParticipantForm | ParticipantForm
    if "staff" in request.POST:
        form = StaffParticipantForm(request.POST, case=case)
        return _apply(
            request,
            case,
            conference,
            form,
            "staff_form",
            lambda d: services.participant_add(actor=request.user, conference=conference, staff=d["staff"]),
            _("Participant added."),
            "participants",
        )
    form = ParticipantForm(request.POST, case=case)
    return _apply(
        request,
        case,
        conference,
        form,
        "participant_form",
        lambda d: services.participant_add(
            actor=request.user, conference=conference, partner=d["partner"], name=d["name"], role=d["role"]
        ),
        _("Participant added."),
        "participants",
    )


@login_required
@require_http_methods(["POST"])
def attendance(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form = AttendanceForm(request.POST, conference=conference)
    return _apply(
        request,
        case,
        conference,
        form,
        "attendance_form",
        lambda d: services.attendance_record(actor=request.user, conference=conference, attended_ids=d["attended"]),
        _("Attendance recorded."),
        "participants",
    )


@login_required
@require_http_methods(["POST"])
def summary_write(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form = SummaryForm(request.POST)
    return _apply(
        request,
        case,
        conference,
        form,
        "summary_form",
        lambda d: services.summary_write(actor=request.user, conference=conference, text=d["summary_text"]),
        _("Summary saved. A colleague reviews it before it goes into the pack."),
        "pack",
    )


@login_required
@require_http_methods(["POST"])
def summary_review(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    try:
        services.summary_review(actor=request.user, conference=conference)
    except ValidationError as exc:
        return _detail_page(request, case, conference, status=400, extra={"summary_error": " ".join(exc.messages)})
    messages.success(request, _("Summary reviewed; it is now part of the pack."))
    return redirect(_detail_url(conference, "pack"))


@login_required
@reauth_required
@require_http_methods(["POST"])
def pack_send(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form = PackForm(request.POST, conference=conference)
    if form.is_valid():
        data = form.cleaned_data
        try:
            results = services.pack_send(
                actor=request.user,
                conference=conference,
                participant_ids=data["participants"],
                ground=data["ground"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            for result in results:
                if result.sent:
                    messages.success(request, _("Pack sent to %(who)s.") % {"who": result.participant.label()})
                else:
                    messages.error(
                        request,
                        _("Pack NOT sent to %(who)s: %(reason)s")
                        % {"who": result.participant.label(), "reason": result.reason},
                    )
            if all(r.sent for r in results):
                return redirect(_detail_url(conference, "pack"))
            return _detail_page(request, case, conference, status=403, extra={"pack_results": results})
    return _detail_page(request, case, conference, bound={"pack_form": form}, status=400)


@login_required
@require_http_methods(["POST"])
def decision_add(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form = DecisionForm(request.POST)
    return _apply(
        request,
        case,
        conference,
        form,
        "decision_form",
        lambda d: services.decision_record(actor=request.user, conference=conference, text=d["text"]),
        _("Decision recorded."),
        "decisions",
    )


@login_required
@require_http_methods(["POST"])
def action_add(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form = ActionForm(request.POST, conference=conference)

    def apply(data: dict) -> None:
        owner = conference.participants.select_related("staff", "partner").get(pk=data["owner"])
        services.action_add(
            actor=request.user,
            conference=conference,
            description=data["description"],
            owner_participant=owner,
            due_on=data["due_on"],
        )

    return _apply(request, case, conference, form, "action_form", apply, _("Action added."), "actions")


@login_required
@require_http_methods(["POST"])
def action_status(request: AuthenticatedHttpRequest, case_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    action = ConferenceAction.objects.select_related("conference").filter(conference__case=case, pk=action_id).first()
    if action is None:
        raise Http404("No such action.")
    action.conference.case = case
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_status_set(actor=request.user, action=action, status=form.cleaned_data["status"])
        messages.success(request, _("Action status changed."))
        if request.POST.get("next") == "mine":
            return redirect("conferences:my_actions")
        return redirect(_detail_url(action.conference, "actions"))
    messages.error(request, _("The status was not changed: choose a status from the list."))
    return _detail_page(request, case, action.conference, status=400)


@login_required
@reauth_required
@require_http_methods(["POST"])
def identity_reveal(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    form = RevealForm(request.POST, conference=conference)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.identity_reveal(
                actor=request.user,
                conference=conference,
                ground=data["ground"],
                ground_note=data["ground_note"],
                participant_ids=data["participants"],
                legal_basis=data["legal_basis"],
            )
        except services.RevealRefused as exc:
            form.add_service_error(exc)
            return _detail_page(request, case, conference, bound={"reveal_form": form}, status=403)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("The decision is recorded and the identity was disclosed to the chosen participants.")
            )
            return redirect(_detail_url(conference, "identity"))
    return _detail_page(request, case, conference, bound={"reveal_form": form}, status=400)


@login_required
@require_http_methods(["POST"])
def conference_cancel(request: AuthenticatedHttpRequest, case_id: uuid.UUID, conference_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    conference = _conference(case, conference_id)
    try:
        services.conference_cancel(actor=request.user, conference=conference)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail_page(request, case, conference, status=400)
    messages.success(request, _("Conference cancelled."))
    return redirect(_detail_url(conference))


@login_required
@require_http_methods(["GET"])
def my_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = list(selectors.my_actions(request.user))
    access.audit_list("conference.my_actions", len(actions), user=request.user)
    return render(
        request,
        "conferences/my_actions.html",
        {
            "actions": actions,
            "action_statuses": ActionStatus.choices,
        },
    )
