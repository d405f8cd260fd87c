"""API shapes for sharing: consents and the disclosure register of a case."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sharing.models import ConsentForm, Outcome
from sharing.policy import DataCategory, Ground, Purpose, RecipientCategory

from .serializers import Day, Input, StaffOut, record_id


class PartnerRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.ChoiceField(choices=RecipientCategory.choices)


class ConsentIn(Input):
    partner = record_id(required=False, allow_null=True, default=None)
    recipient_category = serializers.ChoiceField(
        choices=RecipientCategory.choices, required=False, help_text=_("Needed when no partner is named.")
    )
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), min_length=1, max_length=len(DataCategory.values)
    )
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    form = serializers.ChoiceField(choices=ConsentForm.choices)
    witness = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    given_on = Day()
    valid_until = Day(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class ConsentOut(serializers.Serializer):
    id = serializers.UUIDField()
    partner = PartnerRefOut(allow_null=True)
    recipient_category = serializers.ChoiceField(choices=RecipientCategory.choices)
    data_categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    form = serializers.ChoiceField(choices=ConsentForm.choices)
    witness = serializers.CharField()
    given_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    valid_today = serializers.BooleanField(source="is_valid")
    recorded_by = StaffOut()


class DisclosureIn(Input):
    partner = record_id(required=False, allow_null=True, default=None)
    recipient_category = serializers.ChoiceField(
        choices=RecipientCategory.choices, required=False, help_text=_("Needed when no partner is named.")
    )
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), min_length=1, max_length=len(DataCategory.values)
    )
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    ground = serializers.ChoiceField(choices=Ground.choices)
    legal_basis = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    content = serializers.CharField(max_length=20000, required=False, default="", allow_blank=True)
    channel = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    emergency = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Supervisors of the case only: raise an imminent-danger alert, which waits for a second approver."),
    )
    justification = serializers.CharField(
        max_length=5000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("With `emergency`: why there is imminent danger."),
    )
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Never honoured: the sharing policy cannot be overridden. Callers without the supervisor role get 403."
        ),
    )


class DisclosureOut(serializers.Serializer):
    id = serializers.UUIDField()
    at = serializers.DateTimeField()
    partner = PartnerRefOut(allow_null=True)
    recipient_category = serializers.ChoiceField(choices=RecipientCategory.choices)
    data_categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    ground = serializers.ChoiceField(choices=Ground.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField()
    channel = serializers.CharField()
    by = StaffOut()


class DisclosureRefusedOut(serializers.Serializer):
    detail = serializers.CharField()
    attempt = serializers.UUIDField()


class AlertPendingOut(serializers.Serializer):
    concern = serializers.UUIDField()
    status = serializers.CharField()
    detail = serializers.CharField()
