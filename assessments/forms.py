"""Forms for the assessment pages. The assessment form is built from the instrument definition;
forms check the shape of the input, assessments.services checks the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.forms import PlanningForm

from . import instruments
from .models import Fit, GroupPosition, Kind, Level, Outcome, Rating, Source

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

UNKNOWN = "unknown"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label):
    return forms.DateField(
        label=label, widget=DateInput(), required=False, error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")}
    )


class RatingRadio(forms.RadioSelect):
    """Radio buttons laid out in one row."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "choice-row", **(attrs or {})}, choices)


@dataclass
class DomainFields:
    domain: instruments.Domain
    items: list
    rating: object | None
    evidence_for: object | None
    evidence_against: object | None


class AssessmentForm(PlanningForm):
    assessed_on = _date_field(_("Assessed on"))
    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=Kind.choices, required=False)
    sources = forms.MultipleChoiceField(
        label=_("Sources of information"),
        choices=Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Base the assessment on more than one source where you can."),
    )

    def __init__(self, instrument: instruments.Instrument, *args, **kwargs) -> None:
        self.instrument = instrument
        super().__init__(*args, **kwargs)
        for domain in instrument.domains:
            for item in domain.items:
                choices: list[tuple[str, StrOrPromise]] = [(str(o.value), o.text) for o in item.scale.options]
                if item.scale.unknown:
                    choices.append((UNKNOWN, _("Unknown")))
                self.fields[f"item__{item.key}"] = forms.ChoiceField(
                    label=item.text, choices=choices, required=False, widget=RatingRadio, help_text=item.help
                )
            if instrument.domain_ratings:
                self.fields[f"domain__{domain.key}__rating"] = forms.ChoiceField(
                    label=_("Your rating for “%(domain)s”") % {"domain": domain.name},
                    choices=Rating.choices,
                    required=False,
                    widget=RatingRadio,
                )
                self.fields[f"domain__{domain.key}__for"] = forms.CharField(
                    label=_("Evidence for concern"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
                self.fields[f"domain__{domain.key}__against"] = forms.CharField(
                    label=_("Evidence against concern (strengths, changes)"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self.fields["final_level"] = forms.ChoiceField(
            label=_("Final rating (the rating that counts)"),
            choices=Level.choices,
            required=False,
            widget=RatingRadio,
            help_text=_("Your structured professional judgement. The computed level is advisory."),
        )
        self.fields["rationale"] = forms.CharField(
            label=_("Rationale for the final rating"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("Which evidence decided the rating, and why it may differ from the computed level."),
        )
        self._describe_errors()

    def domain_fields(self) -> list[DomainFields]:
        groups = []
        for domain in self.instrument.domains:
            rated = self.instrument.domain_ratings
            groups.append(
                DomainFields(
                    domain,
                    [self[f"item__{item.key}"] for item in domain.items],
                    self[f"domain__{domain.key}__rating"] if rated else None,
                    self[f"domain__{domain.key}__for"] if rated else None,
                    self[f"domain__{domain.key}__against"] if rated else None,
                )
            )
        return groups

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        answers: dict = {}
        for item in self.instrument.items:
            raw = data.get(f"item__{item.key}")
            if raw == UNKNOWN:
                answers[item.key] = None
            elif raw not in (None, ""):
                answers[item.key] = int(raw)
        ratings = {}
        if self.instrument.domain_ratings:
            for domain in self.instrument.domains:
                ratings[domain.key] = {
                    "rating": data.get(f"domain__{domain.key}__rating") or "",
                    "for": data.get(f"domain__{domain.key}__for") or "",
                    "against": data.get(f"domain__{domain.key}__against") or "",
                }
        return {
            "instrument_key": self.instrument.key,
            "assessed_on": data.get("assessed_on"),
            "kind": data.get("kind") or "",
            "sources": data.get("sources") or [],
            "answers": answers,
            "domain_ratings": ratings,
            "final_level": data.get("final_level") or "",
            "rationale": data.get("rationale") or "",
        }

    @classmethod
    def initial_for(cls, assessment=None) -> dict:
        """Start from today's date; a reassessment starts from the previous answers of the same instrument."""
        initial: dict = {"assessed_on": timezone.localdate(), "kind": Kind.REASSESSMENT if assessment else Kind.INTAKE}
        if assessment is not None:
            for key, value in assessment.answers.items():
                initial[f"item__{key}"] = UNKNOWN if value is None else str(value)
        return initial


class JudgementForm(PlanningForm):
    final_level = forms.ChoiceField(
        label=_("Final rating (the rating that counts)"), choices=Level.choices, required=False, widget=RatingRadio
    )
    rationale = forms.CharField(label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class IntakeForm(PlanningForm):
    screened_on = _date_field(_("Screened on"))
    target_group_fit = forms.ChoiceField(
        label=_("Does the client fit the programme's target group?"),
        choices=Fit.choices,
        required=False,
        widget=RatingRadio,
    )
    exclusions = forms.MultipleChoiceField(
        label=_("Exclusion criteria met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick only what applies; the programme's advice is shown."),
    )
    position = forms.ChoiceField(
        label=_("Position in the group"), choices=GroupPosition.choices, required=False, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, criteria: list[dict], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .models import ExclusionAction

        actions = dict(ExclusionAction.choices)
        cast(forms.ChoiceField, self.fields["exclusions"]).choices = [
            (c["key"], f"{instruments.tr(c)} — {actions.get(c.get('action', ''), c.get('action', ''))}")
            for c in criteria
        ]
        self._describe_errors()


class ExternalResultForm(PlanningForm):
    instrument_name = forms.CharField(
        label=_("Instrument"), max_length=100, required=False, help_text=_("For example VERA-2R, ERG22+ or TRAP-18.")
    )
    rated_on = _date_field(_("Rated on"))
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, required=False, widget=RatingRadio)
    assessed_by = forms.CharField(
        label=_("Assessed by"),
        max_length=200,
        required=False,
        help_text=_("The certified assessor, if not a member of the team."),
    )
    summary = forms.CharField(
        label=_("Summary of the result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Keep only what the licence and the client's consent allow."),
    )


class PlanReviewForm(PlanningForm):
    assessment = forms.ChoiceField(label=_("Assessment the review follows"), required=False)
    reviewed_on = _date_field(_("Reviewed on"))
    notes = forms.CharField(
        label=_("What changed in the plan, and why"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, assessments: list, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assessment"]).choices = [
            (str(a.pk), f"{a.assessed_on.isoformat()} · {a.get_kind_display()} · {a.get_final_level_display()}")
            for a in assessments
        ]
        self._describe_errors()
