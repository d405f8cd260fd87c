"""Request and response bodies for release planning and notifications."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from aftercare.models import ReleaseCheck

from .serializers import Clock, Day, Input, StaffOut

TEXT: dict[str, Any] = {"required": False, "allow_blank": True, "max_length": 20000, "default": ""}


class ReleasePlanIn(Input):
    release_on = Day()
    release_time = Clock(
        required=False,
        allow_null=True,
        default=None,
        help_text="Local time (HH:MM) the client leaves; 08:00 when empty.",
    )
    follow_up_months = serializers.ChoiceField(
        choices=[3, 6],
        required=False,
        allow_null=True,
        default=None,
        help_text="Months after release for the follow-up conference.",
    )
    place = serializers.CharField(**TEXT)
    housing = serializers.CharField(**TEXT)
    income = serializers.CharField(**TEXT)
    work_education = serializers.CharField(**TEXT)
    daily_structure = serializers.CharField(**TEXT)
    health_care = serializers.CharField(**TEXT)
    met_by = serializers.CharField(**TEXT)
    first_days_contacts = serializers.CharField(**TEXT)


class ReleaseCheckOut(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: " + ", ".join(ReleaseCheck.values) + ".")
    message = serializers.CharField()
    acknowledged = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class ReleasePlanOut(serializers.Serializer):
    release_on = serializers.DateField()
    release_time = Clock(help_text="Local time (HH:MM) the client leaves.")
    follow_up_months = serializers.IntegerField()
    follow_up_on = serializers.DateField(allow_null=True)
    place = serializers.CharField(allow_null=True)
    housing = serializers.CharField(allow_null=True)
    income = serializers.CharField(allow_null=True)
    work_education = serializers.CharField(allow_null=True)
    daily_structure = serializers.CharField(allow_null=True)
    health_care = serializers.CharField(allow_null=True)
    met_by = serializers.CharField(allow_null=True)
    first_days_contacts = serializers.CharField(allow_null=True)
    checks = ReleaseCheckOut(many=True)
    updated_by = StaffOut()
    updated_at = serializers.DateTimeField()


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.UUIDField(allow_null=True)
    pseudonym = serializers.CharField(source="case.client.pseudonym", allow_null=True, default=None)
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, which DRF's metaclass takes off the class
    url = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    day = serializers.DateField()
    read_at = serializers.DateTimeField(allow_null=True)
