"""API shapes for case conferences. Inputs validate at the edge; conferences.services owns every rule."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from conferences.models import ActionStatus, ClientInvolvement, ConferenceStatus, Mode, ParticipantKind, Purpose

from .serializers import Day, Input, Moment, StaffOut, record_id


class ConferenceIn(Input):
    scheduled_at = Moment()
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    client_involvement = serializers.ChoiceField(choices=ClientInvolvement.choices)
    mode = serializers.ChoiceField(choices=Mode.choices, default=Mode.IN_PERSON)
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    purpose_note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    involvement_reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    chair = record_id(required=False, allow_null=True, default=None, help_text=_("A staff member's id."))
    chair_partner = record_id(required=False, allow_null=True, default=None, help_text=_("A partner's id."))
    staff_participants = serializers.ListField(child=record_id(), required=False, default=list, max_length=50)


class ParticipantOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ParticipantKind.choices)
    staff = StaffOut(allow_null=True)
    partner = serializers.CharField(source="partner.name", allow_null=True, default=None)
    name = serializers.CharField()
    role = serializers.CharField()
    attended = serializers.BooleanField(allow_null=True)
    pack_sent_at = serializers.DateTimeField(allow_null=True)


class ConferenceListOut(serializers.Serializer):
    id = serializers.UUIDField()
    scheduled_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=Mode.choices)
    place = serializers.CharField()
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    status = serializers.ChoiceField(choices=ConferenceStatus.choices)
    client_involvement = serializers.ChoiceField(choices=ClientInvolvement.choices)
    chair = StaffOut(allow_null=True)


class ActionOut(serializers.Serializer):
    id = serializers.UUIDField()
    description = serializers.CharField()
    owner = serializers.CharField(source="owner_label")
    owner_staff = StaffOut(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class DecisionOut(serializers.Serializer):
    id = serializers.UUIDField()
    text = serializers.CharField()
    recorded_by = StaffOut()
    recorded_at = serializers.DateTimeField()


class ConferenceDetailOut(ConferenceListOut):
    purpose_note = serializers.CharField(allow_null=True)
    involvement_reason = serializers.CharField(allow_null=True)
    participants = ParticipantOut(many=True)
    decisions = DecisionOut(many=True)
    actions = ActionOut(many=True)
    identity_revealed = serializers.BooleanField()


class GoalLineOut(serializers.Serializer):
    domain = serializers.CharField()
    need_status = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)


class ContactCountOut(serializers.Serializer):
    kind = serializers.CharField()
    count = serializers.IntegerField()


class SummaryOut(serializers.Serializer):
    """The pseudonymised pack: no name, no date of birth, no notes."""

    pseudonym = serializers.CharField()
    setting = serializers.CharField()
    state = serializers.CharField()
    legal_status = serializers.CharField()
    risk_level = serializers.CharField()
    months_in_programme = serializers.IntegerField()
    goals = GoalLineOut(many=True)
    contacts_by_kind = ContactCountOut(many=True)
    summary_text = serializers.CharField()
    prepared_on = serializers.DateField()


class ActionIn(Input):
    description = serializers.CharField(max_length=5000)
    owner_participant = serializers.UUIDField(required=False, allow_null=True, default=None)
    owner_staff = record_id(required=False, allow_null=True, default=None)
    due_on = Day(required=False, allow_null=True, default=None)


class ActionStatusIn(Input):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
