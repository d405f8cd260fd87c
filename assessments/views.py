"""Assessment pages. Thin: cases come from the access layer, writes go through assessments.services,
assessments are looked up only within their case."""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.models import Case
from cases.selectors import case_for_form_page, case_for_page

from . import instruments, selectors, services
from .forms import AssessmentForm, ExternalResultForm, IntakeForm, JudgementForm, PlanReviewForm
from .models import Assessment

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest


def _assessment(case: Case, assessment_id) -> Assessment:
    assessment = selectors.assessment_in(case, assessment_id)
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def _page(request, case, template, context, status=200) -> HttpResponse:
    return render(request, template, {"case": case, **context}, status=status)


FORM_TEXTS = {
    "judgement": (gettext_lazy("Revise the final rating"), gettext_lazy("The rating that counts")),
    "intake": (gettext_lazy("Intake checklist"), gettext_lazy("Target group, exclusion criteria and classification")),
    "external": (gettext_lazy("Result of a licensed instrument"), gettext_lazy("The result")),
    "review": (gettext_lazy("Plan review"), gettext_lazy("The review")),
}


def _form_page(request, case, template, form, texts: str, action: str, status=200, **extra) -> HttpResponse:
    heading, legend = FORM_TEXTS[texts]
    return _page(
        request,
        case,
        template,
        {"form": form, "heading": heading, "legend": legend, "action": action, **extra},
        status=status,
    )


def _index_url(case: Case, anchor: str = "") -> str:
    return reverse("assessments:index", kwargs={"case_id": case.pk}) + (f"#{anchor}" if anchor else "")


@login_required
@require_http_methods(["GET"])
def index(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The case's assessments: history, the chart per domain over time, intake, external results, plan reviews."""
    case = case_for_page(request.user, case_id, action="assessment.list")
    history = selectors.case_assessments(case)
    return _page(
        request,
        case,
        "assessments/index.html",
        {
            "history": history,
            "chart": selectors.chart(history),
            "screenings": selectors.screenings(case),
            "external": selectors.external_results(case),
            "reviews": selectors.plan_reviews(case),
            "instruments": instruments.load_all().values(),
            "intensity": selectors.recommended_intensity(case),
            "default_instrument": selectors.settings_for(case.programme).instrument_key,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="assessment.form")
    key = (
        request.POST.get("instrument")
        or request.GET.get("instrument")
        or selectors.settings_for(case.programme).instrument_key
    )
    instrument = instruments.get(key) or instruments.load_all()[instruments.DEFAULT_INSTRUMENT]
    previous = selectors.latest_assessment(case)
    if previous is not None:
        previous.case = case
    same = previous if previous is not None and previous.instrument_key == instrument.key else None
    context = {"instrument": instrument, "instruments": instruments.load_all().values(), "previous": previous}
    if request.method == "GET":
        form = AssessmentForm(instrument, initial=AssessmentForm.initial_for(same))
        return _page(request, case, "assessments/new.html", {**context, "form": form})
    form = AssessmentForm(instrument, request.POST)
    if form.is_valid():
        try:
            assessment = services.assessment_record(actor=request.user, case=case, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Assessment saved. The case's risk level is now “%(level)s”.")
                % {"level": assessment.get_final_level_display()},
            )
            return redirect("assessments:detail", case_id=case.pk, assessment_id=assessment.pk)
    return _page(request, case, "assessments/new.html", {**context, "form": form}, status=400)


def _detail_context(assessment: Assessment) -> dict:
    instrument = assessment.instrument
    result = instrument.score(assessment.answers) if instrument else None
    return {
        "assessment": assessment,
        "instrument": instrument,
        "result": result,
        "needs": selectors.need_rows(assessment, result),
        "answered": selectors.answered(assessment),
    }


@login_required
@require_http_methods(["GET"])
def detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, assessment_id: uuid.UUID) -> HttpResponse:
    case = case_for_page(request.user, case_id, action="assessment.view")
    assessment = _assessment(case, assessment_id)
    return _page(request, case, "assessments/detail.html", _detail_context(assessment))


@login_required
@require_http_methods(["GET", "POST"])
def judgement(request: AuthenticatedHttpRequest, case_id: uuid.UUID, assessment_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="assessment.view")
    assessment = _assessment(case, assessment_id)
    if request.method == "GET":
        form = JudgementForm(initial={"final_level": assessment.final_level, "rationale": assessment.rationale})
        return _form_page(
            request, case, "assessments/judgement.html", form, "judgement", request.path, assessment=assessment
        )
    form = JudgementForm(request.POST)
    if form.is_valid():
        try:
            services.judgement_revise(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The final rating was revised."))
            return redirect("assessments:detail", case_id=case.pk, assessment_id=assessment.pk)
    return _form_page(
        request, case, "assessments/judgement.html", form, "judgement", request.path, status=400, assessment=assessment
    )


@login_required
@require_http_methods(["POST"])
def goals(request: AuthenticatedHttpRequest, case_id: uuid.UUID, assessment_id: uuid.UUID) -> HttpResponse:
    """Selected needs become plan needs, each with a first goal, in one step."""
    case = case_for_page(request.user, case_id, write=True)
    assessment = _assessment(case, assessment_id)
    selected = request.POST.getlist("need")
    goals_by_need = {key[:60]: request.POST.get(f"goal__{key}", "") for key in selected}
    target = None
    raw_target = request.POST.get("target_date", "").strip()
    errors = []
    if raw_target:
        import datetime as dt

        try:
            target = dt.date.fromisoformat(raw_target)
        except ValueError:
            errors.append(_("Enter the target date as YYYY-MM-DD."))
    created = []
    if not errors:
        try:
            created = services.goals_from_needs(
                actor=request.user, assessment=assessment, goals=goals_by_need, target_date=target
            )
        except ValidationError as exc:
            errors = exc.messages
    if errors:
        return _page(
            request,
            case,
            "assessments/detail.html",
            {
                **_detail_context(assessment),
                "goal_errors": errors,
                "selected": selected,
                "target_date": raw_target,
            },
            status=400,
        )
    messages.success(request, _("%(count)s needs and goals were added to the plan.") % {"count": len(created)})
    return redirect(reverse("case_detail", kwargs={"case_id": case.pk}) + "#plan")


@login_required
@require_http_methods(["GET"])
def compare(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Two assessments side by side, per domain and per item, changes highlighted."""
    case = case_for_page(request.user, case_id, action="assessment.compare")
    history = selectors.case_assessments(case)
    by_id = {str(a.pk): a for a in history}
    older = by_id.get(request.GET.get("a", ""))
    newer = by_id.get(request.GET.get("b", ""))
    if older is None and newer is None and len(history) >= 2:
        newer, older = history[0], history[1]
    error = ""
    rows = []
    if older is not None and newer is not None:
        if (older.assessed_on, older.recorded_at) > (newer.assessed_on, newer.recorded_at):
            older, newer = newer, older
        if older.instrument_key != newer.instrument_key:
            error = _("These assessments used different instruments; only their final ratings can be compared.")
        elif newer.instrument is None:
            error = _("The instrument of these assessments is no longer available.")
        else:
            rows = selectors.compare(older, newer)
    elif request.GET.get("a") or request.GET.get("b"):
        error = _("Choose two assessments of this case.")
    return _page(
        request,
        case,
        "assessments/compare.html",
        {
            "history": history,
            "older": older,
            "newer": newer,
            "rows": rows,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="assessment.intake_view")
    criteria = selectors.exclusion_criteria(case.programme)
    if request.method == "GET":
        from django.utils import timezone

        form = IntakeForm(criteria, initial={"screened_on": timezone.localdate()})
        return _form_page(request, case, "assessments/intake.html", form, "intake", request.path)
    form = IntakeForm(criteria, request.POST)
    if form.is_valid():
        try:
            services.intake_screening_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Intake checklist saved."))
            return redirect(_index_url(case, "intake"))
    return _form_page(request, case, "assessments/intake.html", form, "intake", request.path, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def external_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="assessment.external_view")
    if request.method == "GET":
        return _form_page(
            request, case, "assessments/external_new.html", ExternalResultForm(), "external", request.path
        )
    form = ExternalResultForm(request.POST)
    if form.is_valid():
        try:
            services.external_result_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("External result saved."))
            return redirect(_index_url(case, "external"))
    return _form_page(request, case, "assessments/external_new.html", form, "external", request.path, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def plan_review_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for_form_page(request, case_id, viewed="assessment.review_view")
    history = selectors.case_assessments(case)
    if request.method == "GET":
        from django.utils import timezone

        initial = {"reviewed_on": timezone.localdate(), "assessment": str(history[0].pk) if history else ""}
        return _form_page(
            request,
            case,
            "assessments/plan_review_new.html",
            PlanReviewForm(history, initial=initial),
            "review",
            request.path,
        )
    form = PlanReviewForm(history, request.POST)
    if form.is_valid():
        chosen = {str(a.pk): a for a in history}.get(form.cleaned_data["assessment"])
        try:
            services.plan_review_record(
                actor=request.user,
                case=case,
                assessment=chosen,
                reviewed_on=form.cleaned_data["reviewed_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Plan review saved."))
            return redirect(_index_url(case, "reviews"))
    return _form_page(request, case, "assessments/plan_review_new.html", form, "review", request.path, status=400)
