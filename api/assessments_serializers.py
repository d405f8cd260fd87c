"""API shapes for assessments and instrument definitions (separate input and output serializers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from assessments.models import Kind, Level, Rating, Source

from .serializers import Day, Input, StaffOut


class LocalText(serializers.Serializer):
    en = serializers.CharField()
    de = serializers.CharField()


class OptionOut(serializers.Serializer):
    value = serializers.IntegerField()
    label = LocalText()  # type: ignore[assignment]  # a declared field, which DRF's metaclass takes off the class


class ScaleOut(serializers.Serializer):
    key = serializers.CharField()
    unknown = serializers.BooleanField()
    options = OptionOut(many=True)


class ItemOut(serializers.Serializer):
    key = serializers.CharField()
    text = LocalText(source="text_")
    scale = serializers.CharField(source="scale.key")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=["risk", "need", "protective"]))
    area = serializers.CharField(help_text="The plan's need domain this item maps to.")
    weight = serializers.IntegerField()
    need_from = serializers.IntegerField()


class DomainOut(serializers.Serializer):
    key = serializers.CharField()
    name = LocalText(source="name_")
    area = serializers.CharField()
    items = ItemOut(many=True)


class LevelOut(serializers.Serializer):
    key = serializers.CharField()
    min_score = serializers.IntegerField()
    case_level = serializers.ChoiceField(choices=Level.choices)


class InstrumentOut(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.CharField()
    name = LocalText(source="name_")
    sample = serializers.BooleanField()
    licence = serializers.CharField()
    domain_ratings = serializers.BooleanField(help_text="Whether each domain takes a low/moderate/high/unknown rating.")
    scales = serializers.SerializerMethodField()
    levels = LevelOut(many=True)
    domains = DomainOut(many=True)

    def get_scales(self, instrument) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list; the stubs see ScaleOut's dict.
        return ScaleOut(list(instrument.scales.values()), many=True).data  # type: ignore[return-value]


class DomainRatingIn(Input):
    rating = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True, default="")
    evidence_for = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    evidence_against = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class AssessmentIn(Input):
    instrument = serializers.CharField(max_length=60)
    assessed_on = Day()
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    sources = serializers.ListField(child=serializers.ChoiceField(choices=Source.choices), allow_empty=False)
    answers = serializers.DictField(
        child=serializers.IntegerField(allow_null=True, min_value=0, max_value=10),
        help_text="Every item key of the instrument with a scale value, or null for unknown.",
    )
    domain_ratings = serializers.DictField(child=DomainRatingIn(), required=False, default=dict)
    final_level = serializers.ChoiceField(
        choices=Level.choices, help_text=str(_("The practitioner's rating that counts."))
    )
    rationale = serializers.CharField(max_length=20000)


class AssessmentOut(serializers.Serializer):
    id = serializers.UUIDField()
    instrument = serializers.CharField(source="instrument_key")
    instrument_version = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    assessed_on = serializers.DateField()
    assessor = StaffOut()
    sources = serializers.ListField(child=serializers.ChoiceField(choices=Source.choices))
    answers = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    domain_scores = serializers.SerializerMethodField()
    score = serializers.IntegerField(help_text="Computed, advisory.")
    computed_level = serializers.ChoiceField(choices=Level.choices, help_text="Computed, advisory.")
    final_level = serializers.ChoiceField(choices=Level.choices, help_text="The practitioner's rating that counts.")
    rationale = serializers.CharField()
    judged_by = StaffOut()
    judged_at = serializers.DateTimeField()
    next_due_on = serializers.DateField()

    def get_domain_scores(self, assessment) -> dict[str, list[int]]:
        return {key: list(value) for key, value in assessment.domain_scores.items()}
