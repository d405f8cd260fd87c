"""API shapes for outbound referrals. Inputs validate at the edge; referrals.services owns every rule."""

from __future__ import annotations

from rest_framework import serializers

from referrals.models import OutboundStatus, ServiceArea
from referrals.services import DEFAULT_OUTBOUND_CATEGORIES
from sharing.policy import DataCategory, Ground

from .serializers import Day, Input, record_id


class OutboundEventOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=OutboundStatus.choices)
    on = serializers.DateField()


class OutboundOut(serializers.Serializer):
    id = serializers.UUIDField()
    partner = serializers.CharField(source="partner.name")
    partner_id = serializers.IntegerField()
    service_area = serializers.ChoiceField(choices=ServiceArea.choices)
    plan_service = serializers.UUIDField(source="plan_service_id", allow_null=True)
    data_categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    status = serializers.ChoiceField(choices=OutboundStatus.choices)
    sent_on = serializers.DateField()
    events = OutboundEventOut(many=True)


class OutboundIn(Input):
    partner = record_id()
    service_area = serializers.ChoiceField(choices=ServiceArea.choices)
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        default=list(DEFAULT_OUTBOUND_CATEGORIES),
        max_length=len(DataCategory.values),
    )
    content = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    ground = serializers.ChoiceField(choices=Ground.choices, default=Ground.CONSENT)
    legal_basis = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
    plan_service = serializers.UUIDField(required=False, allow_null=True, default=None)
    sent_on = Day(required=False, allow_null=True, default=None)


class OutboundStatusIn(Input):
    status = serializers.ChoiceField(choices=OutboundStatus.choices)
    on = Day(required=False, allow_null=True, default=None)
