"""Pages for everyday casework. Thin: cases come from the access layer, writes go through cases.services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import access
from accounts.models import Role, User
from accounts.reauth import reauth_required
from tandem.forms import form_status

from . import selectors, services
from .forms import (
    AssignmentForm,
    AttributesForm,
    CaseFilterForm,
    ContactForm,
    EndAssignmentForm,
    EnquiryForm,
    EraseForm,
    TransitionForm,
    enquiry_teams,
)
from .lifecycle import State
from .sections import section_context

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest

CASES_PER_PAGE = 50
CASELOAD_PER_PAGE = 50
DUE_SHOWN = 30


def _can_open_enquiries(user: User) -> bool:
    return user.has_role(Role.PRACTITIONER) or user.has_role(Role.SUPERVISOR)


@login_required
@require_http_methods(["GET"])
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {"sees_cases": access.sees_case_content(user)}
    if context["sees_cases"]:
        # Most urgent first, a page at a time: a supervisor's or a large caseload stays quick to read and to serve.
        load = selectors.caseload(user, page=request.GET.get("page"), per_page=CASELOAD_PER_PAGE)
        access.audit_list("case.caseload", len(load.rows))
        context |= {
            "rows": load.rows,
            "page": load.page,
            "open_cases": load.open_cases,
            "due_items": load.due[:DUE_SHOWN],
            "due_more": len(load.due) - DUE_SHOWN,
        }
    elif (user.has_role(Role.PROGRAMME_MANAGER) or user.has_role(Role.EVALUATOR)) and user.organisation_id:
        context["counts"] = selectors.organisation_counts(user.organisation_id)
    return render(request, "cases/caseload.html", context)


@login_required
@require_http_methods(["GET"])
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = CaseFilterForm(
        request.GET or None,
        workers=selectors.case_workers(user.organisation_id),
        shown_workers=selectors.case_list_workers(user),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = selectors.case_list(
        user,
        state=filters.get("state", ""),
        setting=filters.get("setting", ""),
        ideology=filters.get("ideology", ""),
        worker=filters.get("worker"),
        search=filters.get("q", ""),
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    access.audit_list("case.list", len(page.object_list), "search" if filters.get("q") else "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_open": _can_open_enquiries(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not _can_open_enquiries(user) or not enquiry_teams(user).exists():
        raise PermissionDenied
    form = EnquiryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                case = services.enquiry_create(actor=user, **form.service_kwargs())
                if user.has_role(Role.PRACTITIONER):
                    services.assignment_add(actor=user, case=case, staff=user, role="case_manager")
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Enquiry recorded as %(pseudonym)s.") % {"pseudonym": case.client.pseudonym})
            return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/case_new.html", {"form": form}, status=form_status(form))


def _case_page_context(request: AuthenticatedHttpRequest, case, contact_form: ContactForm | None = None) -> dict:
    return {
        "case": case,
        "team": selectors.case_team(case),
        "timeline": selectors.timeline(case, request.GET.get("timeline", 1)),
        "contact_form": contact_form or ContactForm(case=case),
        "can_erase": access.supervises(request.user, case),
        "is_closed": case.state == State.CLOSED,
        **section_context(case, request.user),
    }


@login_required
@require_http_methods(["GET"])
def case_detail(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_page(request.user, case_id)
    return render(request, "cases/case_detail.html", _case_page_context(request, case))


@login_required
@require_http_methods(["GET"])
def case_identity(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_page(request.user, case_id, action="client.identity_view")
    return render(request, "cases/case_identity.html", {"case": case, "client": case.client})


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_form_page(request, case_id)
    form = ContactForm(request.POST or None, case=case)
    recorded = False
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(actor=request.user, case=case, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            recorded = True
    if recorded and not request.htmx:
        messages.success(request, _("Contact recorded."))
        return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#timeline")
    if request.htmx:
        context = {
            "case": case,
            "contact_form": ContactForm(case=case) if recorded else form,
            "recorded": recorded,
            "is_closed": case.state == State.CLOSED,
        }
        if recorded:
            context |= {"timeline": selectors.timeline(case), "oob": True}
        return render(request, "cases/_contact_response.html", context, status=200 if recorded else form_status(form))
    return render(
        request,
        "cases/contact_new.html",
        {
            "case": case,
            "contact_form": form,
            "is_closed": case.state == State.CLOSED,
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_transition(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_form_page(request, case_id)
    form = TransitionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_transition(
                actor=request.user,
                case=case,
                to_state=data["to_state"],
                closure_reason=data["closure_reason"] if data["to_state"] == State.CLOSED else "",
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            case.refresh_from_db(fields=["state"])
            messages.success(request, _("The case is now in “%(state)s”.") % {"state": case.get_state_display()})
            return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/case_transition.html", {"case": case, "form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def case_attributes(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_form_page(request, case_id)
    form = AttributesForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("case_detail", case_id=case.pk)
        try:
            services.case_attributes_update(actor=request.user, case=case, **changes)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Case details saved."))
            return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/case_attributes.html", {"case": case, "form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def case_team(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_form_page(request, case_id)
    add_form = AssignmentForm(
        request.POST if request.POST.get("action") == "add" else None, staff_queryset=selectors.assignable_staff(case)
    )
    end_form = EndAssignmentForm(request.POST if request.POST.get("action") == "end" else None)
    unchosen = False
    if request.method == "POST":
        if add_form.is_bound and add_form.is_valid():
            data = add_form.cleaned_data
            try:
                services.assignment_add(
                    actor=request.user,
                    case=case,
                    staff=data["staff"],
                    role=data["role"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    task=data["task"],
                )
            except ValidationError as exc:
                add_form.add_service_error(exc)
            else:
                messages.success(request, _("%(name)s joined the case.") % {"name": data["staff"].display_name})
                return redirect("case_team", case_id=case.pk)
        elif end_form.is_bound and end_form.is_valid():
            # The assignment is looked up within this case only: an id from another case is simply not found.
            assignment = case.assignments.select_related("staff").filter(pk=end_form.cleaned_data["assignment"]).first()
            if assignment is None:
                end_form.add_error(None, _("That assignment is not part of this case."))
            else:
                try:
                    services.assignment_end(
                        actor=request.user, assignment=assignment, ends_on=end_form.cleaned_data["ends_on"]
                    )
                except ValidationError as exc:
                    end_form.add_service_error(exc)
                else:
                    messages.success(
                        request,
                        _("%(name)s's assignment ends on %(date)s.")
                        % {"name": assignment.staff.display_name, "date": end_form.cleaned_data["ends_on"].isoformat()},
                    )
                    return redirect("case_team", case_id=case.pk)
        elif not add_form.is_bound and not end_form.is_bound:
            # An unbound form cannot carry errors: say it as a message and answer 400.
            messages.error(request, _("Choose whether to add someone or to end an assignment."))
            unchosen = True
    return render(
        request,
        "cases/case_team.html",
        {
            "case": case,
            "team": selectors.case_team(case),
            "add_form": add_form,
            "end_form": end_form,
        },
        status=400 if unchosen else form_status(add_form, end_form),
    )


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def case_erase(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = selectors.case_for_form_page(request, case_id)
    if not access.supervises(request.user, case):
        raise PermissionDenied
    form = EraseForm(request.POST or None, expected=case.client.pseudonym)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_erase(actor=request.user, client=case.client)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The client's data was erased. It can no longer be opened by anyone."))
            return redirect("caseload")
    return render(
        request,
        "cases/case_erase.html",
        {
            "case": case,
            "form": form,
            "other_cases": case.client.cases.exclude(pk=case.pk).count(),
        },
        status=form_status(form),
    )
