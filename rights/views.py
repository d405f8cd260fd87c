"""Pages for data-subject rights and data protection. Thin: cases come from the access layer, writes go
through rights.services and cases.services."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import access
from accounts.models import Role, User
from accounts.reauth import reauth_required
from audit.services import audit_record
from cases import selectors as case_selectors
from cases import services as case_services
from programmes.models import Programme
from tandem.exports import csv_response
from tandem.forms import form_status

from . import services
from .breach import clients_opened_by
from .disclosure import record_access_report
from .forms import (
    AccessReportForm,
    BreachForm,
    IdentityCorrectionForm,
    LegalHoldForm,
    ReleaseHoldForm,
    RestrictionForm,
    RetentionForm,
)
from .models import IdentityRevision, LegalHold, Restriction, RetentionRun
from .report import build_access_report
from .ropa import record_of_processing
from .statistics import programme_statistics_rows

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest


def _page(request: AuthenticatedHttpRequest, template: str, case, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"case": case, **context}, status=status)


def _only_supervisor(user: User, case) -> None:
    if not access.supervises(user, case):
        raise PermissionDenied(_("Only a supervisor of the case's team can do this."))


# Restriction (Art. 18)


@login_required
@require_http_methods(["GET", "POST"])
def restriction(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    # Setting and lifting a restriction is not an edit of the record, so it does not ask for write access.
    case = case_selectors.case_for_page(
        request.user, case_id, action="client.restriction" if request.method == "POST" else "client.restriction_view"
    )
    client = case.client
    form = RestrictionForm(request.POST or None)
    if request.method == "POST":
        _only_supervisor(request.user, case)
        if form.is_valid():
            try:
                if client.restricted_at:
                    services.restriction_lift(actor=request.user, client=client, reason=form.cleaned_data["reason"])
                    done = _("The restriction is lifted; the record can be changed again.")
                else:
                    services.restriction_set(actor=request.user, client=client, reason=form.cleaned_data["reason"])
                    done = _("The record is restricted: it can be read, but not changed, exported or disclosed.")
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, done)
                return redirect("case_detail", case_id=case.pk)
    history = list(Restriction.objects.filter(client=client).select_related("started_by", "lifted_by"))
    return _page(
        request,
        "rights/restriction.html",
        case,
        {
            "client": client,
            "form": form,
            "history": history,
            "can_change": access.supervises(request.user, case),
        },
        status=form_status(form),
    )


# Legal holds


@login_required
@require_http_methods(["GET", "POST"])
def legal_holds(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = case_selectors.case_for_page(
        request.user, case_id, action="client.legal_hold" if request.method == "POST" else "client.legal_hold_view"
    )
    client = case.client
    action = request.POST.get("action")
    place_form = LegalHoldForm(request.POST if action == "place" else None)
    release_form = ReleaseHoldForm(request.POST if action == "release" else None)
    status = 200
    if request.method == "POST":
        _only_supervisor(request.user, case)
        try:
            if place_form.is_bound and place_form.is_valid():
                services.legal_hold_place(actor=request.user, client=client, **place_form.cleaned_data)
                messages.success(
                    request, _("The legal hold is recorded; the client's data will not be erased while it applies.")
                )
                return redirect("rights:legal_holds", case_id=case.pk)
            if release_form.is_bound and release_form.is_valid():
                hold = LegalHold.objects.filter(client=client, pk=release_form.cleaned_data["hold"]).first()
                if hold is None:
                    release_form.add_error(None, _("That hold does not belong to this client."))
                else:
                    services.legal_hold_release(actor=request.user, hold=hold)
                    messages.success(request, _("The legal hold is released."))
                    return redirect("rights:legal_holds", case_id=case.pk)
        except ValidationError as exc:
            (place_form if place_form.is_bound else release_form).add_service_error(exc)
        if not place_form.is_bound and not release_form.is_bound:
            messages.error(request, _("Choose whether to place a hold or to release one."))
        status = 400
    holds = list(LegalHold.objects.filter(client=client).select_related("placed_by", "released_by"))
    today = timezone.localdate()
    for hold in holds:
        hold.active = hold.is_active(today)
    return _page(
        request,
        "rights/legal_holds.html",
        case,
        {
            "client": client,
            "holds": holds,
            "place_form": place_form,
            "release_form": release_form,
            "can_change": access.supervises(request.user, case),
        },
        status=status,
    )


# Rectification (Art. 16)


@login_required
@require_http_methods(["GET", "POST"])
def identity_correct(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    writing = request.method == "POST"
    case = case_selectors.case_for_page(
        request.user, case_id, write=writing, action="client.update" if writing else "client.identity_view"
    )
    form = IdentityCorrectionForm.for_client(case.client, request.POST if writing else None)
    if writing and form.is_valid():
        try:
            case_services.client_identity_update(actor=request.user, client=case.client, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The identity is corrected; the previous values are kept in the history."))
            return redirect("rights:identity_history", case_id=case.pk)
    return _page(
        request,
        "rights/identity_correct.html",
        case,
        {"form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET"])
def identity_history(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = case_selectors.case_for_page(request.user, case_id, action="client.identity_history")
    revisions = list(IdentityRevision.objects.filter(client=case.client).select_related("by"))
    labels = {name: str(field.label) for name, field in IdentityCorrectionForm.base_fields.items()}
    for revision in revisions:
        previous = revision.previous()
        revision.rows = [(labels.get(name, name), previous.get(name, "")) for name in revision.changed_fields]
    return _page(request, "rights/identity_history.html", case, {"revisions": revisions})


# Access (Art. 15)


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def access_report(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    # The data subject's own copy is given also while the record is restricted (Art. 15 is not restricted).
    case = case_selectors.case_for_page(
        request.user,
        case_id,
        action="client.access_report" if request.method == "POST" else "client.access_report_view",
    )
    form = AccessReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = build_access_report(user=request.user, client=case.client)
        record_access_report(actor=request.user, case=case, report=report, fmt=form.cleaned_data["format"])
        if form.cleaned_data["format"] == "json":
            response = HttpResponse(
                json.dumps(report.as_json(), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="access-report-{case.client.pseudonym}-{timezone.localdate().isoformat()}.json"'
            )
            return response
        return render(request, "rights/access_report.html", {"report": report, "case": case})
    return _page(
        request,
        "rights/access_report_form.html",
        case,
        {"form": form},
        status=form_status(form),
    )


# Programme-level data protection (programme managers, administrators)


def _manages_data_protection(user: User) -> bool:
    return bool(user.organisation_id) and (user.has_role(Role.PROGRAMME_MANAGER) or user.has_role(Role.ADMINISTRATOR))


def _require_manager(user: User) -> int:
    """The manager's organisation; anyone else is refused."""
    if not _manages_data_protection(user) or user.organisation_id is None:
        raise PermissionDenied(_("Data protection pages are for programme managers and administrators."))
    return user.organisation_id


@login_required
@require_http_methods(["GET"])
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (_manages_data_protection(user) or (user.has_role(Role.EVALUATOR) and user.organisation_id)):
        raise PermissionDenied(_("Data protection pages are for programme managers and administrators."))
    return render(request, "rights/overview.html", {"manages": _manages_data_protection(user)})


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    organisation_id = _require_manager(user)
    programmes = list(Programme.objects.filter(organisation_id=organisation_id).order_by("name"))
    form = RetentionForm(request.POST or None)
    if request.method == "POST":
        if not user.has_role(Role.PROGRAMME_MANAGER):
            raise PermissionDenied(_("Retention periods are set by programme managers."))
        if form.is_valid():
            programme = next((p for p in programmes if p.pk == form.cleaned_data["programme"]), None)
            if programme is None:
                form.add_error(None, _("That programme is not one of your organisation's."))
            else:
                try:
                    services.retention_rules_set(
                        actor=user,
                        programme=programme,
                        closed_months=form.cleaned_data["retention_closed_months"],
                        not_taken_up_months=form.cleaned_data["retention_not_taken_up_months"],
                    )
                except ValidationError as exc:
                    form.add_service_error(exc)
                else:
                    messages.success(
                        request, _("Retention periods of %(programme)s saved.") % {"programme": programme.name}
                    )
                    return redirect("rights:retention")
    forms_by_programme = [
        (
            p,
            form
            if form.is_bound and form.data.get("programme") == str(p.pk)
            else RetentionForm(
                initial={
                    "programme": p.pk,
                    "retention_closed_months": p.retention_closed_months,
                    "retention_not_taken_up_months": p.retention_not_taken_up_months,
                },
                prefix=None,
            ),
        )
        for p in programmes
    ]
    runs = list(RetentionRun.objects.filter(organisation_id=organisation_id)[:30])
    audit_record("retention.view", object_type="retentionrun", detail=f"{len(runs)} runs", actor=user)
    return render(
        request,
        "rights/retention.html",
        {
            "forms": forms_by_programme,
            "runs": runs,
            "can_edit": user.has_role(Role.PROGRAMME_MANAGER),
            "form_errors": form.non_field_errors() if form.is_bound else None,
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET"])
def ropa(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    _require_manager(user)
    record = record_of_processing(organisation=user.organisation)
    fmt = request.GET.get("format", "")
    audit_record("ropa.view", object_type="ropa", detail=fmt or "html", actor=user)
    if fmt == "md":
        response = HttpResponse(record.as_markdown(), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="record-of-processing.md"'
        return response
    if fmt == "json":
        response = HttpResponse(record.as_json_text(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="record-of-processing.json"'
        return response
    return render(request, "rights/ropa.html", {"record": record})


@login_required
@reauth_required
@require_http_methods(["GET"])
def breach(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    organisation_id = _require_manager(user)
    form = BreachForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        account = User.objects.filter(username=data["username"], organisation_id=organisation_id).first()
        if account is None:
            form.add_error("username", _("There is no account with this user name in your organisation."))
        else:
            result = clients_opened_by(
                actor_id=account.pk, start=data["start"], end=data["end"], organisation_id=user.organisation_id
            )
            audit_record(
                "breach.query",
                object_type="user",
                object_id=str(account.pk),
                detail=f"{len(result.clients)} clients",
                actor=user,
            )
    return render(
        request,
        "rights/breach.html",
        {"form": form, "result": result},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET"])
def statistics_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.organisation_id or not (user.has_role(Role.PROGRAMME_MANAGER) or user.has_role(Role.EVALUATOR)):
        raise PermissionDenied(_("Programme numbers are for programme managers and evaluators."))
    rows = programme_statistics_rows(user.organisation_id)
    audit_record("statistics.export", object_type="programme", detail=f"{len(rows) - 1} rows", actor=user)
    return csv_response(rows, f"programme-statistics-{timezone.localdate().isoformat()}.csv")
