"""Forms for the referral pages. They check the shape of the input; referrals.services checks the rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import TandemForm
from cases.models import LegalStatus, Participation, ReferralSource
from planning.models import Service
from programmes.models import Ideology, Programme, Setting, Team
from sharing.models import Partner
from sharing.policy import DataCategory, Ground
from tandem import widgets

from .models import Channel, ContactConsent, DeclineReason, OutboundStatus, ServiceArea, Urgency
from .services import DEFAULT_OUTBOUND_CATEGORIES

DATE_INVALID = _("Enter the date as day, month and year.")


def _partners(organisation_id: int):
    return Partner.objects.filter(organisation_id=organisation_id, active=True).order_by("category", "name")


def _partner_label(partner: Partner) -> str:
    return f"{partner.name} ({partner.get_category_display()})"


class InboundForm(TandemForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the date the referral came in."), "invalid": DATE_INVALID},
    )
    referrer_category = forms.ChoiceField(
        label=_("Referred by"),
        choices=[("", _("Choose who refers")), *ReferralSource.choices],
        error_messages={"required": _("Choose who refers the person.")},
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation (if any)"), queryset=Partner.objects.none(), required=False, empty_label=_("None")
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    person_name = forms.CharField(
        label=_("Name or alias of the person, if known"),
        max_length=200,
        required=False,
        help_text=_("Only what the referrer gave. Stored encrypted."),
    )
    reason = forms.CharField(
        label=_("Reason, in a few words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The minimum needed to decide. Stored encrypted."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE, widget=forms.RadioSelect
    )
    contact_consent = forms.ChoiceField(
        label=_("Does the person agree to be contacted?"),
        choices=ContactConsent.choices,
        initial=ContactConsent.UNKNOWN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, programmes, organisation_id: int, **kwargs) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = _partners(organisation_id)
        widgets.choice_labels(self.fields["partner"], _partner_label)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "programme",
                "received_on",
                "referrer_category",
                "partner",
                "channel",
                "person_name",
                "reason",
                "urgency",
                "contact_consent",
            )
        }


class AcceptForm(TandemForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=None)
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    aliases = forms.CharField(
        label=_("Aliases"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    participation = forms.ChoiceField(
        label=_("Participation"), choices=Participation.choices, help_text=_("Recorded as it is, never assumed.")
    )
    ideology = forms.ChoiceField(label=_("Ideology context"), choices=Ideology.choices)
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices, initial=LegalStatus.NONE)

    def __init__(self, *args, teams, **kwargs) -> None:
        kwargs.setdefault("auto_id", "accept-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "team": data["team"],
            "setting": data["setting"],
            "participation": data["participation"],
            "ideology": data["ideology"],
            "legal_status": data["legal_status"],
            "identity": {
                "given_name": data["given_name"],
                "family_name": data["family_name"],
                "aliases": data["aliases"],
            },
        }


class DeclineForm(TandemForm):
    decline_reason = forms.ChoiceField(
        label=_("Why is it declined?"),
        choices=[("", _("Choose a reason")), *DeclineReason.choices],
        error_messages={"required": _("Choose why the referral is declined.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Stored encrypted.")
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "decline-%s")
        super().__init__(*args, **kwargs)


class ReferOnForm(TandemForm):
    partner = forms.ModelChoiceField(
        label=_("Referred on to"),
        queryset=Partner.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose where the person was referred.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Stored encrypted.")
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        kwargs.setdefault("auto_id", "referon-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = _partners(organisation_id)
        widgets.choice_labels(self.fields["partner"], _partner_label)


class OutboundForm(TandemForm):
    partner = forms.ModelChoiceField(
        label=_("Service provider"),
        queryset=Partner.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose the organisation you refer to.")},
    )
    service_area = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[("", _("Choose a kind")), *ServiceArea.choices],
        error_messages={"required": _("Choose the kind of service.")},
    )
    plan_service = forms.ModelChoiceField(
        label=_("Service in the plan (optional)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("What the referral shares"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(DEFAULT_OUTBOUND_CATEGORIES),
        error_messages={"required": _("Choose what the referral shares.")},
    )
    ground = forms.ChoiceField(label=_("Ground for sharing"), choices=Ground.choices, initial=Ground.CONSENT)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("For a legal ground: the law or order it rests on."),
    )
    content = forms.CharField(
        label=_("Message to the provider"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the provider needs to know to help. Only what the client agreed to."),
    )
    sent_on = forms.DateField(
        label=_("Sent on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the date."), "invalid": DATE_INVALID},
    )

    def __init__(self, *args, case, **kwargs) -> None:
        kwargs.setdefault("initial", {"sent_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = _partners(case.programme.organisation_id)
        widgets.choice_labels(self.fields["partner"], _partner_label)
        cast(forms.ModelChoiceField, self.fields["plan_service"]).queryset = Service.objects.filter(
            goal__need__case=case
        ).order_by("created_at")
        widgets.choice_labels(self.fields["plan_service"], lambda s: f"{s.name} ({s.get_status_display()})")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "partner",
                "service_area",
                "plan_service",
                "data_categories",
                "ground",
                "legal_basis",
                "content",
                "sent_on",
            )
        }


class OutboundStatusForm(TandemForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=OutboundStatus.choices,
        error_messages={
            "required": _("Choose a status from the list."),
            "invalid_choice": _("Choose a status from the list."),
        },
    )
    on = forms.DateField(
        label=_("On"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_INVALID},
    )
