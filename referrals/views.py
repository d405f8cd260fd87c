"""Pages for referrals: the programme's inbox of inbound referrals, and outbound referrals on a case.

Thin: inbound referrals come from referrals.selectors (the inbox's access rule), cases from the access
layer, writes go through referrals.services.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import access
from accounts.models import Role, User
from accounts.reauth import reauth_required  # strong sign-in before anything is sent out
from cases.selectors import case_for_form_page, case_for_page
from programmes.models import Team
from tandem.forms import form_status

from . import selectors, services
from .forms import (
    AcceptForm,
    DeclineForm,
    InboundForm,
    OutboundForm,
    OutboundStatusForm,
    ReferOnForm,
)
from .models import InboundStatus

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest


def _accept_teams(user: User, referral):
    return Team.objects.filter(
        programme=referral.programme, role_grants__user=user, role_grants__role__in=(Role.PRACTITIONER, Role.SUPERVISOR)
    ).distinct()


def _detail_forms(request: AuthenticatedHttpRequest, referral, bound: dict | None = None) -> dict:
    person = referral.person_name or ""
    forms = {
        "accept_form": AcceptForm(teams=_accept_teams(request.user, referral), initial={"aliases": person}),
        "decline_form": DeclineForm(),
        "refer_on_form": ReferOnForm(organisation_id=referral.programme.organisation_id),
    }
    return forms | (bound or {})


def _detail(
    request: AuthenticatedHttpRequest, referral, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "referrals/inbound_detail.html",
        {"referral": referral, **_detail_forms(request, referral, bound)},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", InboundStatus.PENDING)
    if status not in {"", *InboundStatus.values}:
        status = InboundStatus.PENDING
    rows = selectors.inbox(request.user, status=status)
    access.audit_list("referral.inbox", len(rows), status, user=request.user)
    return render(
        request,
        "referrals/inbox.html",
        {
            "rows": rows,
            "status": status,
            "statuses": InboundStatus.choices,
            "sees_inbox": selectors.sees_inbox(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inbound_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = selectors.inbox_programmes(request.user)
    organisation_id = request.user.organisation_id
    if organisation_id is None or not programmes.exists():
        raise PermissionDenied
    form = InboundForm(request.POST or None, programmes=programmes, organisation_id=organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.inbound_record(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Referral recorded in the inbox."))
            return redirect("referrals:inbound_detail", inbound_id=referral.pk)
    return render(request, "referrals/inbound_new.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET"])
def inbound_detail(request: AuthenticatedHttpRequest, inbound_id: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.get_referral_for(request.user, inbound_id))


@login_required
@require_http_methods(["POST"])
def inbound_accept(request: AuthenticatedHttpRequest, inbound_id: uuid.UUID) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, inbound_id, action="referral.decide")
    form = AcceptForm(request.POST, teams=_accept_teams(request.user, referral))
    if form.is_valid():
        try:
            case = services.inbound_accept(actor=request.user, referral=referral, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Enquiry recorded as %(pseudonym)s; the referral is linked to it.")
                % {"pseudonym": case.client.pseudonym},
            )
            return redirect("case_detail", case_id=case.pk)
    return _detail(request, referral, bound={"accept_form": form}, status=400)


@login_required
@require_http_methods(["POST"])
def inbound_decline(request: AuthenticatedHttpRequest, inbound_id: uuid.UUID) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, inbound_id, action="referral.decide")
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.inbound_decline(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Referral declined; the reason is recorded."))
            return redirect("referrals:inbox")
    return _detail(request, referral, bound={"decline_form": form}, status=400)


@login_required
@require_http_methods(["POST"])
def inbound_refer_on(request: AuthenticatedHttpRequest, inbound_id: uuid.UUID) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, inbound_id, action="referral.decide")
    form = ReferOnForm(request.POST, organisation_id=referral.programme.organisation_id)
    if form.is_valid():
        try:
            services.inbound_refer_on(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Recorded as referred on."))
            return redirect("referrals:inbox")
    return _detail(request, referral, bound={"refer_on_form": form}, status=400)


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def outbound_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id)
    form = OutboundForm(request.POST or None, case=case)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.outbound_refer(actor=request.user, case=case, **form.service_kwargs())
            except services.ReferralRefused as exc:
                form.add_service_error(exc)
                status = 403
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Referral sent and recorded in the disclosure log."))
                return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#referrals")
    return render(
        request,
        "referrals/outbound_new.html",
        {"case": case, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def outbound_status(request: AuthenticatedHttpRequest, case_id: uuid.UUID, referral_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    referral = case.outbound_referrals.filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral.")
    referral.case = case
    form = OutboundStatusForm(request.POST)
    if form.is_valid():
        try:
            services.outbound_status_set(
                actor=request.user, referral=referral, status=form.cleaned_data["status"], on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Referral status recorded."))
            return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#referrals")
    errors = " ".join(str(m) for errors in form.errors.values() for m in errors)
    messages.error(request, _("The status was not changed: %(reason)s") % {"reason": errors})
    return render(
        request,
        "referrals/outbound_list.html",
        {"case": case, "referrals_outbound": selectors.case_outbound(case)},
        status=400,
    )
