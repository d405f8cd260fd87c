"""Pages for the work agreement and the intervention plan. Thin: cases come from the access layer,
writes go through planning.services, objects below the case are looked up only within that case."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.models import Case
from cases.selectors import case_for_form_page, case_for_page
from tandem.forms import form_status

from . import selectors, services
from .forms import AgreementForm, GoalForm, NeedForm, PlanningForm, ServiceForm, status_form
from .models import Goal, Need, Service

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest


def _need(case: Case, need_id: uuid.UUID) -> Need:
    need = selectors.need_in(case, need_id)
    if need is None:
        raise Http404("No such need.")
    return need


def _goal(case: Case, goal_id: uuid.UUID) -> Goal:
    goal = selectors.goal_in(case, goal_id)
    if goal is None:
        raise Http404("No such goal.")
    return goal


def _service(case: Case, service_id: uuid.UUID) -> Service:
    service = selectors.service_in(case, service_id)
    if service is None:
        raise Http404("No such service.")
    return service


def _error_text(form: PlanningForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _plan_response(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    message: str = "",
    error: str = "",
    need_form: NeedForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """htmx gets the plan section re-rendered (with `status`); a plain form post goes back to the case page."""
    if request.htmx:
        context = {"case": case, **selectors.case_plan_context(case), "plan_message": message, "plan_error": error}
        if need_form is not None:
            context["need_form"] = need_form
        return render(request, "planning/_plan.html", context, status=status)
    if message:
        messages.success(request, message)
    return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#plan")


def _form_page(
    request: AuthenticatedHttpRequest, case: Case, template: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(request, template, {"case": case, **context}, status=status)


# Work agreement


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="agreement.view")
    current = selectors.agreement_current(case)
    if request.method == "GET":
        return _form_page(
            request,
            case,
            "planning/agreement_edit.html",
            {"form": AgreementForm.for_revision(current), "current": current},
        )
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            revision = services.agreement_revise(actor=request.user, case=case, **form.service_kwargs())
        except services.EditConflict as exc:
            current = selectors.agreement_current(case)
            # Keep the practitioner's text; the new base lets them save it deliberately after comparing.
            data = request.POST.copy()
            data["base_number"] = str(current.number if current else 0)
            form = AgreementForm(data)
            form.is_valid()
            form.add_error(None, exc.messages)
            return _form_page(
                request,
                case,
                "planning/agreement_edit.html",
                {"form": form, "current": current, "conflict": True},
                status=409,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Work agreement saved as version %(n)s.") % {"n": revision.number})
            return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#agreement")
    return _form_page(
        request, case, "planning/agreement_edit.html", {"form": form, "current": current}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET"])
def agreement_history(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="agreement.history")
    revisions = list(selectors.agreement_revisions(case))
    return _form_page(request, case, "planning/agreement_history.html", {"revisions": revisions})


@login_required
@require_http_methods(["GET"])
def agreement_revision(request: AuthenticatedHttpRequest, case_id: uuid.UUID, number: int) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="agreement.view")
    revision = selectors.revision_for(case, number)
    if revision is None:
        raise Http404("No such version.")
    return _form_page(request, case, "planning/agreement_revision.html", {"revision": revision})


@login_required
@require_http_methods(["GET"])
def agreement_compare(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="agreement.compare")
    revisions = list(selectors.agreement_revisions(case))
    by_number = {r.number: r for r in revisions}
    try:
        older = by_number[int(request.GET.get("from", ""))]
        newer = by_number[int(request.GET.get("to", ""))]
    except (KeyError, ValueError):
        if len(revisions) < 2:
            messages.info(request, _("There is only one version of the agreement so far; nothing to compare yet."))
            return redirect("planning:agreement_history", case_id=case.pk)
        newer, older = revisions[0], revisions[1]
    if older.number > newer.number:
        older, newer = newer, older
    return _form_page(
        request,
        case,
        "planning/agreement_compare.html",
        {
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "objectives_diff": selectors.text_diff(older.objectives, newer.objectives),
            "commitments_diff": selectors.text_diff(older.commitments, newer.commitments),
        },
    )


# Intervention plan


@login_required
@require_http_methods(["GET"])
def plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="plan.view")
    return _form_page(request, case, "planning/plan.html", selectors.case_plan_context(case))


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id)
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.need_add(actor=request.user, case=case, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                return _plan_response(request, case, message=_("Need added to the plan."))
        if request.htmx:
            return _plan_response(request, case, error=_error_text(form), need_form=form, status=form_status(form))
    return _form_page(request, case, "planning/need_new.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID, need_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id)
    need = _need(case, need_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.goal_add(actor=request.user, need=need, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                return _plan_response(request, case, message=_("Goal added to the plan."))
        if request.htmx:
            return _plan_response(request, case, error=_error_text(form), status=form_status(form))
    return _form_page(request, case, "planning/goal_new.html", {"form": form, "need": need}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id)
    goal = _goal(case, goal_id)
    form = ServiceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.service_add(actor=request.user, goal=goal, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                return _plan_response(request, case, message=_("Service added to the plan."))
        if request.htmx:
            return _plan_response(request, case, error=_error_text(form), status=form_status(form))
    return _form_page(
        request, case, "planning/service_new.html", {"form": form, "goal": goal}, status=form_status(form)
    )


def _status_change(request: AuthenticatedHttpRequest, case: Case, kind: str, apply) -> HttpResponse:
    form = status_form(request.POST, kind)
    status = 400
    if form.is_valid():
        try:
            apply(form.cleaned_data["status"], form.cleaned_data["seen_status"] or None)
        except services.EditConflict as exc:
            form.add_service_error(exc)
            status = 409
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return _plan_response(request, case, message=_("Status changed."))
    error = _("The status was not changed: %(reason)s") % {"reason": _error_text(form)}
    if request.htmx:
        return _plan_response(request, case, error=error, status=status)
    return _form_page(
        request, case, "planning/plan.html", {**selectors.case_plan_context(case), "plan_error": error}, status=status
    )


@login_required
@require_http_methods(["POST"])
def need_status(request: AuthenticatedHttpRequest, case_id: uuid.UUID, need_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    need = _need(case, need_id)
    return _status_change(
        request,
        case,
        "need",
        lambda status, seen: services.need_status_set(actor=request.user, need=need, status=status, seen_status=seen),
    )


@login_required
@require_http_methods(["POST"])
def goal_status(request: AuthenticatedHttpRequest, case_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    goal = _goal(case, goal_id)
    return _status_change(
        request,
        case,
        "goal",
        lambda status, seen: services.goal_status_set(actor=request.user, goal=goal, status=status, seen_status=seen),
    )


@login_required
@require_http_methods(["POST"])
def service_status(request: AuthenticatedHttpRequest, case_id: uuid.UUID, service_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, write=True)
    service = _service(case, service_id)
    return _status_change(
        request,
        case,
        "service",
        lambda status, seen: services.service_status_set(
            actor=request.user, service=service, status=status, seen_status=seen
        ),
    )
