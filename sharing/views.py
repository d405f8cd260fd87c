"""Sharing pages. Thin: cases come from the access layer, writes go through sharing.services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

import access
from accounts.models import Role, User
from accounts.reauth import reauth_required
from cases.models import Case, ClientExclusion
from cases.selectors import case_for_page
from programmes.models import Programme
from tandem.forms import form_status

from . import selectors, services
from .forms import (
    BreakGlassForm,
    ConcernForm,
    ConsentRecordForm,
    DisclosureForm,
    PartnerContactForm,
    PartnerForm,
    ReviewForm,
)
from .models import BreakGlassGrant, Consent, PartnerContact, SecurityConcern
from .policy import PolicyError

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest


def _case_url(case, anchor: str = "sharing") -> str:
    return reverse("case_detail", kwargs={"case_id": case.pk}) + f"#{anchor}"


def _may_edit_partners(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR) or user.has_role(Role.PROGRAMME_MANAGER)


def _require_org(user: User) -> int:
    """The user's organisation; staff without one are refused."""
    if not user.organisation_id:
        raise PermissionDenied
    return user.organisation_id


# ---- policy ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def policy_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id = _require_org(request.user)
    programmes = list(Programme.objects.filter(organisation_id=organisation_id).order_by("name"))
    chosen = next(
        (p for p in programmes if str(p.pk) == request.GET.get("programme")), programmes[0] if programmes else None
    )
    language = request.GET.get("lang") if request.GET.get("lang") in {"en", "de"} else translation.get_language()
    policy, problem = None, ""
    if chosen is not None:
        try:
            policy = selectors.programme_policy(chosen)
        except PolicyError as exc:
            problem = str(exc)
    with translation.override(language):
        lines = selectors.policy_in_plain_words(policy) if policy else []
        return render(
            request,
            "sharing/policy.html",
            {
                "programmes": programmes,
                "programme": chosen,
                "policy": policy,
                "problem": problem,
                "lines": lines,
                "title": policy.text("title", language) if policy else "",
                "summary": policy.text("summary", language) if policy else "",
                "language": language,
            },
        )


# ---- partners ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_org(request.user)
    return render(
        request,
        "sharing/partner_list.html",
        {"partners": selectors.partners_for(request.user), "can_edit": _may_edit_partners(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _may_edit_partners(request.user):
        raise PermissionDenied
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                actor=request.user, **{k: v for k, v in form.cleaned_data.items() if k != "active"}
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Partner added."))
            return redirect("sharing:partner_edit", partner_id=partner.pk)
    return render(request, "sharing/partner_form.html", {"form": form, "partner": None}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = get_object_or_404(selectors.partners_for(request.user), pk=partner_id)
    can_edit = _may_edit_partners(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    initial = {
        "name": partner.name,
        "category": partner.category,
        "region": partner.region,
        "notes": partner.notes,
        "active": partner.active,
    }
    form = PartnerForm(request.POST if request.POST.get("form") == "partner" else None, initial=initial)
    contact_form = PartnerContactForm(request.POST if request.POST.get("form") == "contact" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "partner" and form.is_valid():
                services.partner_update(actor=request.user, partner=partner, **form.cleaned_data)
                messages.success(request, _("Partner saved."))
                return redirect("sharing:partner_edit", partner_id=partner.pk)
            if request.POST.get("form") == "contact" and contact_form.is_valid():
                services.partner_contact_add(actor=request.user, partner=partner, **contact_form.cleaned_data)
                messages.success(request, _("Contact person added."))
                return redirect("sharing:partner_edit", partner_id=partner.pk)
            if request.POST.get("form") == "remove_contact":
                contact = get_object_or_404(PartnerContact, partner=partner, pk=request.POST.get("contact", 0) or 0)
                services.partner_contact_remove(actor=request.user, contact=contact)
                messages.success(request, _("Contact person removed."))
                return redirect("sharing:partner_edit", partner_id=partner.pk)
        except ValidationError as exc:
            (contact_form if request.POST.get("form") == "contact" else form).add_service_error(exc)
        except ValueError:
            raise Http404 from None
    return render(
        request,
        "sharing/partner_form.html",
        {
            "form": form,
            "contact_form": contact_form,
            "partner": partner,
            "can_edit": can_edit,
            "contacts": partner.contacts.all(),
        },
        status=form_status(form, contact_form),
    )


# ---- consents and disclosures on a case -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = case_for_page(
        request.user,
        case_id,
        write=request.method == "POST",
        action="consent.write" if request.method == "POST" else "case.view",
    )
    form = ConsentRecordForm(request.POST or None, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(_case_url(case))
    return render(request, "sharing/consent_form.html", {"case": case, "form": form}, status=form_status(form))


@login_required
@require_http_methods(["POST"])
def consent_withdraw(request: AuthenticatedHttpRequest, case_id, consent_id) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="consent.write")
    consent = get_object_or_404(Consent, case=case, pk=consent_id)
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent is withdrawn as of now."))
    return redirect(_case_url(case))


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def disclosure_new(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="disclosure.write" if request.method == "POST" else "case.view")
    form = DisclosureForm(request.POST or None, organisation_id=request.user.organisation_id)
    refused = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disclose(
                actor=request.user,
                case=case,
                recipient_category=data["recipient_category"],
                partner=data["partner"],
                data_categories=data["data_categories"],
                purpose=data["purpose"],
                ground=data["ground"],
                legal_basis=data["legal_basis"],
                content=data["content"],
                channel=data["channel"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except services.DisclosureRefused as exc:
            refused = exc.reason
        else:
            messages.success(request, _("Shared and recorded in the disclosure register."))
            return redirect(_case_url(case))
    return render(
        request,
        "sharing/disclosure_form.html",
        {"case": case, "form": form, "refused": refused},
        status=409 if refused else form_status(form),
    )


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def concern_new(request: AuthenticatedHttpRequest, case_id) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="concern.write" if request.method == "POST" else "case.view")
    form = ConcernForm(request.POST or None, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Security concern recorded.")
                + (
                    " " + _("The alert waits for a second approval by a supervisor.")
                    if form.cleaned_data["alert"]
                    else ""
                ),
            )
            return redirect(_case_url(case))
    return render(request, "sharing/concern_form.html", {"case": case, "form": form}, status=form_status(form))


@login_required
@reauth_required
@require_http_methods(["POST"])
def concern_approve(request: AuthenticatedHttpRequest, case_id, concern_id) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="concern.approve")
    concern = get_object_or_404(SecurityConcern, case=case, pk=concern_id)
    try:
        services.concern_approve_alert(actor=request.user, concern=concern)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.DisclosureRefused as exc:
        messages.error(request, _("The alert was not sent: %(reason)s") % {"reason": exc.reason})
    else:
        messages.success(request, _("The alert was approved, sent and recorded."))
    return redirect(_case_url(case))


# ---- registers and break-glass -----------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def programme_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied
    rows = list(selectors.programme_register(request.user))
    access.audit_list("disclosure.register", len(rows), user=request.user)
    return render(request, "sharing/register.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(Role.SUPERVISOR) or not user.organisation_id:
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = (
            Case.objects.filter(
                programme__organisation_id=user.organisation_id,
                client__pseudonym=data["pseudonym"].strip().upper(),
                client__erased_at__isnull=True,
            )
            .exclude(client__in=ClientExclusion.objects.filter(staff=user).values("client"))
            .select_related("programme")
            .order_by("-opened_on")
            .first()
        )
        if case is None:
            form.add_error("pseudonym", _("No case with this pseudonym that you may open."))
        else:
            try:
                services.break_glass_open(
                    actor=user, case=case, justification=data["justification"], hours=data["hours"]
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.warning(
                    request,
                    _("Break-glass access granted for %(hours)s hours. It is recorded and reviewed.")
                    % {"hours": data["hours"]},
                )
                return redirect("case_detail", case_id=case.pk)
    grants = BreakGlassGrant.objects.filter(user=user).select_related("case__client")[:20]
    return render(request, "sharing/break_glass.html", {"form": form, "grants": grants}, status=form_status(form))


@login_required
@require_http_methods(["GET"])
def break_glass_review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.PROGRAMME_MANAGER):
        raise PermissionDenied
    return render(
        request,
        "sharing/break_glass_review.html",
        {"grants": selectors.grants_for_review(request.user), "form": ReviewForm()},
    )


@login_required
@require_http_methods(["POST"])
def break_glass_review(request: AuthenticatedHttpRequest, grant_id) -> HttpResponse:
    if not request.user.has_role(Role.PROGRAMME_MANAGER):
        raise PermissionDenied
    grant = get_object_or_404(selectors.grants_for_review(request.user), pk=grant_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_review(actor=request.user, grant=grant, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Review recorded."))
    return redirect("sharing:break_glass_review_list")
