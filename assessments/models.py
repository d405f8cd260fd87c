from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass
from vault.fields import SealedField


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class Rating(models.TextChoices):
    """A structured-professional-judgement rating: a level, or unknown when the evidence is too thin."""

    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    UNKNOWN = "unknown", _("Unknown")


class Kind(models.TextChoices):
    INTAKE = "intake", _("Intake assessment")
    REASSESSMENT = "reassessment", _("Scheduled reassessment")
    EVENT = "event", _("Reassessment after an event")


class Source(models.TextChoices):
    INTERVIEW = "interview", _("Interview with the client")
    OBSERVATION = "observation", _("Observation in sessions")
    FILE = "file", _("Case file and records")
    PARTNER = "partner", _("Information from partner agencies")
    FAMILY = "family", _("Information from family or friends")
    SPECIALIST = "specialist", _("Specialist's opinion")
    OTHER = "other", _("Other")


class Intensity(models.TextChoices):
    TWICE_WEEKLY = "twice_weekly", _("Twice a week")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("Group leader")
    ACTIVE = "active", _("Active member")
    FOLLOWER = "follower", _("Follower")
    SYMPATHISER = "sympathiser", _("Sympathiser")
    LONER = "loner", _("Acting alone (no group)")
    UNKNOWN = "unknown", _("Not known yet")


class Fit(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNCLEAR = "unclear", _("Unclear")


class ExclusionAction(models.TextChoices):
    DECLINE = "decline", _("Decline and point to other help")
    REFER = "refer", _("Refer to a suitable service first")
    POLICE = "police", _("Inform the police (imminent danger)")
    REVIEW = "review", _("Discuss with the supervisor")


class Outcome(models.TextChoices):
    ACCEPT = "accept", _("Accept into the programme")
    REVIEW = "review", _("Keep under review")
    REFER = "refer", _("Refer on")
    DECLINE = "decline", _("Decline")


DEFAULT_EXCLUSIONS: list[dict] = [
    {
        "key": "no_extremism",
        "action": "decline",
        "en": "No connection to violent extremism",
        "de": "Kein Bezug zu gewaltbereitem Extremismus",
    },
    {
        "key": "acute_psychosis",
        "action": "refer",
        "en": "Acute psychosis without treatment",
        "de": "Akute, unbehandelte Psychose",
    },
    {
        "key": "active_violent_planning",
        "action": "police",
        "en": "Active planning of violence",
        "de": "Aktive Planung von Gewalt",
    },
    {
        "key": "outside_region",
        "action": "refer",
        "en": "Lives outside the programme's region",
        "de": "Lebt außerhalb der Region des Programms",
    },
    {
        "key": "other_programme",
        "action": "review",
        "en": "Already in another exit programme",
        "de": "Bereits in einem anderen Ausstiegsprogramm",
    },
]


def default_exclusions() -> list[dict]:
    return [dict(item) for item in DEFAULT_EXCLUSIONS]


class AssessmentSettings(models.Model):
    """A programme's assessment rules: instrument, reassessment intervals and contact intensity by level."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="assessment_settings"
    )
    instrument_key = models.CharField(_("default instrument"), max_length=60, default="tandem-open")
    reassess_low_months = models.PositiveSmallIntegerField(_("reassess after (months) at low level"), default=6)
    reassess_moderate_months = models.PositiveSmallIntegerField(
        _("reassess after (months) at moderate level"), default=6
    )
    reassess_high_months = models.PositiveSmallIntegerField(_("reassess after (months) at high level"), default=3)
    intensity_low = models.CharField(
        _("contact at low level"), max_length=20, choices=Intensity.choices, default=Intensity.MONTHLY
    )
    intensity_moderate = models.CharField(
        _("contact at moderate level"), max_length=20, choices=Intensity.choices, default=Intensity.FORTNIGHTLY
    )
    intensity_high = models.CharField(
        _("contact at high level"), max_length=20, choices=Intensity.choices, default=Intensity.WEEKLY
    )
    exclusion_criteria = models.JSONField(
        _("exclusion criteria"),
        default=default_exclusions,
        blank=True,
        help_text=_("A list of criteria, each with key, en, de and action (decline, refer, police or review)."),
    )

    data_classification = {
        "id": DataClass.TECHNICAL,
        "programme": DataClass.OPERATIONAL,
        "instrument_key": DataClass.OPERATIONAL,
        "reassess_low_months": DataClass.OPERATIONAL,
        "reassess_moderate_months": DataClass.OPERATIONAL,
        "reassess_high_months": DataClass.OPERATIONAL,
        "intensity_low": DataClass.OPERATIONAL,
        "intensity_moderate": DataClass.OPERATIONAL,
        "intensity_high": DataClass.OPERATIONAL,
        "exclusion_criteria": DataClass.OPERATIONAL,
    }

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")

    def __str__(self) -> str:
        return str(self.programme_id)

    def months_for(self, level: str) -> int:
        return {
            "low": self.reassess_low_months,
            "moderate": self.reassess_moderate_months,
            "high": self.reassess_high_months,
        }.get(level, self.reassess_high_months)

    def intensity_for(self, level: str) -> str:
        return {"low": self.intensity_low, "moderate": self.intensity_moderate, "high": self.intensity_high}.get(
            level, ""
        )


class Assessment(models.Model):
    """One completed assessment: the answers (sealed), the advisory computed level and the judgement that counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    instrument_key = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    sources = models.JSONField(_("sources"), default=list)
    # {"items": {key: value|null}, "domains": {key: {"rating", "for", "against"}}, "domain_scores": {key: [score, max]}}
    content = SealedField(_("answers and domain ratings"), data_class=DataClass.SPECIAL)
    score = models.PositiveIntegerField(_("computed score"))
    computed_level = models.CharField(_("computed level (advisory)"), max_length=20, choices=Level.choices)
    final_level = models.CharField(_("final rating"), max_length=20, choices=Level.choices)
    rationale = SealedField(_("rationale"), data_class=DataClass.SPECIAL)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(default=timezone.now)
    next_due_on = models.DateField(_("next reassessment due"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "instrument_key": DataClass.CASE,
        "instrument_version": DataClass.CASE,
        "kind": DataClass.CASE,
        "assessed_on": DataClass.CASE,
        "assessor": DataClass.STAFF,
        "sources": DataClass.CASE,
        "score": DataClass.CASE,
        "computed_level": DataClass.CASE,
        "final_level": DataClass.CASE,
        "judged_by": DataClass.STAFF,
        "judged_at": DataClass.CASE,
        "next_due_on": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]
        indexes = [models.Index(fields=["case", "-assessed_on"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    @property
    def data(self) -> dict:
        cached = self.__dict__.get("_data")
        if cached is None:
            cached = json.loads(self.content or "{}")
            self.__dict__["_data"] = cached
        return cached

    @property
    def answers(self) -> dict:
        return self.data.get("items", {})

    @property
    def domain_ratings(self) -> dict:
        return self.data.get("domains", {})

    @property
    def domain_scores(self) -> dict:
        return {k: tuple(v) for k, v in self.data.get("domain_scores", {}).items()}

    @property
    def instrument(self):
        from . import instruments

        return instruments.get(self.instrument_key)

    @property
    def overrides_computed(self) -> bool:
        return self.final_level != self.computed_level

    def source_labels(self) -> list[str]:
        labels = dict(Source.choices)
        return [str(labels.get(s, s)) for s in self.sources]


class IntakeScreening(models.Model):
    """The intake checklist: target-group fit, exclusion criteria met, position in the group, outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="intake_screenings")
    screened_on = models.DateField(_("screened on"))
    target_group_fit = models.CharField(_("fits the programme's target group"), max_length=10, choices=Fit.choices)
    exclusions = models.JSONField(_("exclusion criteria met"), default=list, blank=True)
    position = models.CharField(_("position in the group"), max_length=20, choices=GroupPosition.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = SealedField(_("note"), data_class=DataClass.SPECIAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    advice: list[dict[str, str]]  # set by assessments.selectors for the page

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "screened_on": DataClass.CASE,
        "target_group_fit": DataClass.CASE,
        "exclusions": DataClass.CASE,
        "position": DataClass.CASE,
        "outcome": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-screened_on", "-recorded_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class ExternalResult(models.Model):
    """A completed result of a licensed (proprietary) instrument: its name, the rating and a sealed summary.

    The instrument's content is not in Tandem; the programme keeps only what it may keep of the result.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="external_results")
    instrument_name = models.CharField(_("instrument"), max_length=100)
    rated_on = models.DateField(_("rated on"))
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    summary = SealedField(_("summary"), data_class=DataClass.SPECIAL)
    assessed_by = SealedField(_("assessed by"), data_class=DataClass.IDENTIFYING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "instrument_name": DataClass.CASE,
        "rated_on": DataClass.CASE,
        "rating": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-rated_on", "-recorded_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class PlanReview(models.Model):
    """A review of the intervention plan, linked to the assessment it followed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plan_reviews")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="plan_reviews", verbose_name=_("assessment")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    notes = SealedField(_("notes"), data_class=DataClass.SPECIAL)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "assessment": DataClass.CASE,
        "reviewed_on": DataClass.CASE,
        "reviewed_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id
