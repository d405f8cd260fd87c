"""Pages for release planning, social-net conferences, the on-call roster and notifications.

Thin: cases come from the access layer, writes go through aftercare.services, objects below a case are
looked up only within that case."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import access
from cases.models import Case
from cases.selectors import assignable_staff, case_for_form_page, case_for_page, case_workers
from programmes.models import Programme
from tandem.forms import form_status

from . import selectors, services
from .forms import ConferenceForm, OnCallShiftForm, ReleaseContactForm, ReleasePlanForm
from .models import OnCallShift, ReleaseCheck, ReleaseContact, ReleasePlan, SocialNetConference

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest
if TYPE_CHECKING:
    from accounts.models import User

if TYPE_CHECKING:
    from django.db.models import QuerySet


def _back(case: Case) -> HttpResponse:
    return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#release")


def _plan(case: Case) -> ReleasePlan:
    plan = ReleasePlan.objects.filter(case=case).first()
    if plan is None:
        raise Http404("No release plan.")
    plan.case = case
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def release_plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="release_plan.view")
    plan = ReleasePlan.objects.filter(case=case).first()
    if request.method == "GET":
        if plan is not None:
            initial = {
                name: getattr(plan, name)
                for name in ("release_on", "release_time", "follow_up_months", *services.PLAN_TEXT_FIELDS)
            }
        else:
            initial = {"follow_up_months": services.programme_aftercare(case.programme).follow_up_months}
        form = ReleasePlanForm(initial=initial)
    else:
        form = ReleasePlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.release_plan_save(actor=request.user, case=case, **data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The release plan is saved."))
                return _back(case)
    status = form_status(form)
    return render(request, "aftercare/release_plan.html", {"case": case, "plan": plan, "form": form}, status=status)


@login_required
@require_http_methods(["POST"])
def release_contact_add(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    plan = _plan(case)
    form = ReleaseContactForm(request.POST, staff=assignable_staff(case))
    if form.is_valid():
        try:
            services.release_contact_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The contact for the first days is added."))
            return _back(case)
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return _back(case)


@login_required
@require_http_methods(["POST"])
def release_contact_remove(
    request: AuthenticatedHttpRequest, case_id: uuid.UUID, release_contact_id: int
) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    contact = get_object_or_404(ReleaseContact, pk=release_contact_id, plan__case=case)
    contact.plan.case = case
    services.release_contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("The contact is removed."))
    return _back(case)


@login_required
@require_http_methods(["POST"])
def release_check_acknowledge(request: AuthenticatedHttpRequest, case_id: uuid.UUID, check_kind: str) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    if check_kind not in ReleaseCheck.values:
        raise Http404("No such check.")
    services.release_check_acknowledge(actor=request.user, plan=_plan(case), kind=check_kind)
    messages.success(request, _("The warning is acknowledged. It shows again if the release date changes."))
    return _back(case)


@login_required
@require_http_methods(["GET", "POST"])
def conference_record(
    request: AuthenticatedHttpRequest, case_id: uuid.UUID, social_net_id: uuid.UUID | None = None
) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="conference.view")
    conference = None
    if social_net_id is not None:
        conference = get_object_or_404(SocialNetConference, pk=social_net_id, case=case)
        conference.case = case
    if request.method == "GET":
        initial = {
            "kind": conference.kind if conference else "release",
            "client_present": True,
            "held_on": (conference.held_on or conference.scheduled_on) if conference else None,
        }
        if conference and conference.held_on:
            initial |= {
                "groups": conference.groups,
                "participant_count": conference.participant_count,
                "client_present": conference.client_present,
                "outcome": conference.outcome,
                "network_time_alone": conference.network_time_alone,
            }
        form = ConferenceForm(initial=initial)
    else:
        form = ConferenceForm(request.POST)
        if form.is_valid():
            try:
                services.conference_record(actor=request.user, case=case, conference=conference, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The conference is recorded."))
                return _back(case)
    status = form_status(form)
    return render(
        request, "aftercare/conference.html", {"case": case, "conference": conference, "form": form}, status=status
    )


# --- On-call roster ---------------------------------------------------------------------------------


def _programmes(user: User) -> QuerySet[Programme]:
    if not access.sees_case_content(user) or user.organisation_id is None:
        raise PermissionDenied
    return Programme.objects.filter(organisation_id=user.organisation_id).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def on_call(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = _programmes(request.user)
    chosen = request.GET.get("programme") or request.POST.get("programme")
    programme = programmes.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else programmes.first()
    if programme is None:
        raise Http404("No programme.")
    staff = case_workers(programme.organisation_id)
    form = OnCallShiftForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            services.on_call_shift_add(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The on-call shift is added."))
            return redirect(reverse("aftercare:on_call") + f"?programme={programme.pk}")
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return render(
        request,
        "aftercare/on_call.html",
        {"programmes": programmes, "programme": programme, "form": form, **selectors.roster(programme, start)},
        status=form_status(form),
    )


@login_required
@require_http_methods(["POST"])
def on_call_remove(request: AuthenticatedHttpRequest, on_call_shift_id: int) -> HttpResponse:
    shift = get_object_or_404(OnCallShift, pk=on_call_shift_id, programme__in=_programmes(request.user))
    programme_id = shift.programme_id
    services.on_call_shift_remove(actor=request.user, shift=shift)
    messages.success(request, _("The on-call shift is removed."))
    return redirect(reverse("aftercare:on_call") + f"?programme={programme_id}")


# --- Notifications ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = list(selectors.notifications_for(request.user)[:200])
    return render(request, "aftercare/notifications.html", {"notifications": items})


@login_required
@require_http_methods(["POST"])
def notification_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=notification_id)
    services.notification_mark_read(user=request.user, notification=notification)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("aftercare:notifications")


@login_required
@require_http_methods(["POST"])
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("aftercare:notifications")
