"""Forms for the agreement and plan pages. They check the shape of the input; planning.services checks the rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    ConfirmationMethod,
    GoalOwner,
    GoalStatus,
    NeedDomain,
    NeedStatus,
    Provider,
    ServiceKind,
    ServiceStatus,
)


class PlanningForm(forms.Form):
    """Links errors to their fields for assistive technology and takes a service's ValidationError whole."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _("Choose a value from the list.")

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_errors()

    def _describe_errors(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if name in self.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def add_service_error(self, exc: ValidationError) -> None:
        """A service's errors onto their fields; errors on names this form lacks go to the top."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)
        self._describe_errors()


class AgreementForm(PlanningForm):
    objectives = forms.CharField(
        label=_("Objectives in the client's own words"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        strip=False,
        help_text=_("Write them as the client said them. What do they want to change or reach?"),
    )
    commitments = forms.CharField(
        label=_("What the programme commits to"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        strip=False,
    )
    agreed_on = forms.DateField(
        label=_("Agreed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date the agreement was made."),
            "invalid": _("Enter the date as day, month and year."),
        },
    )
    confirmation = forms.ChoiceField(
        label=_("How the client confirmed it"),
        choices=ConfirmationMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the client confirmed the agreement.")},
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_objectives(self) -> str:
        # Checked here as well as in the service so the message appears even when other fields are wrong.
        value = self.cleaned_data["objectives"]
        if not value.strip():
            raise ValidationError(_("Write down the client's objectives in their own words."))
        return value

    @classmethod
    def for_revision(cls, revision) -> AgreementForm:
        if revision is None:
            return cls(initial={"agreed_on": timezone.localdate(), "base_number": 0})
        return cls(
            initial={
                "objectives": revision.objectives,
                "commitments": revision.commitments,
                "agreed_on": revision.agreed_on,
                "confirmation": revision.confirmation,
                "base_number": revision.number,
            }
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "objectives": data["objectives"],
            "commitments": data["commitments"],
            "agreed_on": data["agreed_on"],
            "confirmation": data["confirmation"],
            "base_number": data.get("base_number") or 0,
        }


class NeedForm(PlanningForm):
    def __init__(self, *args, **kwargs) -> None:
        # Also shown inside the case page, next to other forms: ids of its own.
        kwargs.setdefault("auto_id", "need-%s")
        super().__init__(*args, **kwargs)

    domain = forms.ChoiceField(
        label=_("Area of life"),
        choices=[("", _("Choose an area")), *NeedDomain.choices],
        error_messages={"required": _("Choose the area of life this need belongs to.")},
    )
    description = forms.CharField(
        label=_("Need"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For example: a place to live after release."),
    )

    def service_kwargs(self) -> dict:
        return {"domain": self.cleaned_data["domain"], "description": self.cleaned_data["description"]}


class GoalForm(PlanningForm):
    description = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Small and achievable, for example: apply for two flats by the end of the month."),
    )
    owner = forms.ChoiceField(
        label=_("Who works on it"), choices=GoalOwner.choices, initial=GoalOwner.CLIENT_AND_TANDEM
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"description": data["description"], "owner": data["owner"], "target_date": data["target_date"]}


class ServiceForm(PlanningForm):
    name = forms.CharField(
        label=_("Service"),
        max_length=120,
        required=False,
        help_text=_("For example: supported housing, mentoring, tattoo removal."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ServiceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the service is tangible or intangible.")},
    )
    provider = forms.ChoiceField(
        label=_("Provided by"),
        choices=Provider.choices,
        initial=Provider.INTERNAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the programme or an external provider offers it.")},
    )
    provider_name = forms.CharField(
        label=_("Provider name"), max_length=200, required=False, help_text=_("Required for an external provider.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices, initial=ServiceStatus.PROPOSED)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("kind", "name", "provider", "provider_name", "details", "status")}


class StatusForm(PlanningForm):
    """The status of a need, goal or service; choices depend on which."""

    status = forms.ChoiceField(label=_("Status"), error_messages={"required": _("Choose a status from the list.")})
    # The status shown when the form was drawn: a change made by someone else since then is a conflict.
    seen_status = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = choices
        self.fields["status"].error_messages["invalid_choice"] = _("Choose a status from the list.")
        cast(forms.ChoiceField, self.fields["seen_status"]).choices = [("", "")] + list(choices)
        self.fields["seen_status"].error_messages["invalid_choice"] = _(
            "The form was out of date; reload the plan and choose again."
        )


def status_form(data, kind: str) -> StatusForm:
    choices = {"need": NeedStatus.choices, "goal": GoalStatus.choices, "service": ServiceStatus.choices}[kind]
    return StatusForm(data, choices=choices)
