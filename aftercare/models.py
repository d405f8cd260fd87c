"""Release planning, the aftercare rhythm, the on-call roster, reminders and notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass
from vault.fields import SealedField

from .holidays import REGION_CHOICES


class ProgrammeAftercare(models.Model):
    """A programme's aftercare settings: its holiday region and when the follow-up conference is held."""

    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="aftercare")
    holiday_region = models.CharField(_("public holidays of"), max_length=8, choices=REGION_CHOICES, default="DE-NW")
    follow_up_months = models.PositiveSmallIntegerField(
        _("follow-up conference after (months)"), choices=[(3, _("3 months")), (6, _("6 months"))], default=6
    )
    first_days_hours = models.PositiveSmallIntegerField(_("hours after release someone must be reachable"), default=72)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "programme": DataClass.OPERATIONAL,
        "holiday_region": DataClass.OPERATIONAL,
        "follow_up_months": DataClass.OPERATIONAL,
        "first_days_hours": DataClass.OPERATIONAL,
    }


class PhaseKind(models.TextChoices):
    INTENSIVE = "intensive", _("Intensive")
    HIGH = "high", _("High")
    TAPERING = "tapering", _("Tapering")
    ON_REQUEST = "on_request", _("Available on request")


class AftercarePhase(models.Model):
    """One phase after release: from a month to a month, with a target number of contacts per period."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="aftercare_phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_month = models.PositiveSmallIntegerField(_("from month"))
    ends_month = models.PositiveSmallIntegerField(
        _("until month"), null=True, blank=True, help_text=_("Leave empty for the last, open-ended phase.")
    )
    contacts = models.PositiveSmallIntegerField(
        _("contacts"), default=0, help_text=_("Target number of contacts per period; 0 for none.")
    )
    period_days = models.PositiveSmallIntegerField(_("per days"), default=7)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "programme": DataClass.OPERATIONAL,
        "kind": DataClass.OPERATIONAL,
        "starts_month": DataClass.OPERATIONAL,
        "ends_month": DataClass.OPERATIONAL,
        "contacts": DataClass.OPERATIONAL,
        "period_days": DataClass.OPERATIONAL,
    }

    class Meta:
        ordering = ["programme", "starts_month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "starts_month"], name="aftercare_phase_unique_start"),
            models.CheckConstraint(
                condition=models.Q(ends_month__isnull=True) | models.Q(ends_month__gt=models.F("starts_month")),
                name="aftercare_phase_ordered",
            ),
            models.CheckConstraint(condition=models.Q(period_days__gte=1), name="aftercare_phase_period"),
        ]

    @property
    def daily_rate(self) -> float:
        return self.contacts / self.period_days if self.contacts else 0.0


# (kind, from month, until month, contacts, per days): the defaults every programme starts with.
DEFAULT_PHASES: list[tuple[str, int, int | None, int, int]] = [
    (PhaseKind.INTENSIVE, 0, 3, 2, 7),
    (PhaseKind.HIGH, 3, 12, 1, 7),
    (PhaseKind.TAPERING, 12, 18, 1, 14),
    (PhaseKind.TAPERING, 18, 24, 1, 30),
    (PhaseKind.ON_REQUEST, 24, None, 0, 30),
]


class ReleasePlan(models.Model):
    """A client's release from detention or prison and the plan for the first days and months."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="release_plan")
    release_on = models.DateField(_("release date"))
    release_time = models.TimeField(_("release time"), default="08:00")
    place = SealedField(_("place of release"), data_class=DataClass.SPECIAL)
    housing = SealedField(_("housing"), data_class=DataClass.SPECIAL)
    income = SealedField(_("income"), data_class=DataClass.SPECIAL)
    work_education = SealedField(_("work or education"), data_class=DataClass.SPECIAL)
    daily_structure = SealedField(_("daily structure"), data_class=DataClass.SPECIAL)
    health_care = SealedField(_("health care"), data_class=DataClass.SPECIAL)
    met_by = SealedField(_("who meets the client on the day"), data_class=DataClass.SPECIAL)
    first_days_contacts = SealedField(_("contacts for the first days"), data_class=DataClass.SPECIAL)
    follow_up_months = models.PositiveSmallIntegerField(_("follow-up conference after (months)"), default=6)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "release_on": DataClass.CASE,
        "release_time": DataClass.CASE,
        "follow_up_months": DataClass.CASE,
        "updated_by": DataClass.STAFF,
        "updated_at": DataClass.CASE,
    }

    class Meta:
        indexes = [models.Index(fields=["release_on"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class ReleaseContact(models.Model):
    """A staff member who has agreed to be reachable for the client in a window around the release."""

    plan = models.ForeignKey(ReleasePlan, on_delete=models.CASCADE, related_name="contacts")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("reachable from"))
    ends_at = models.DateTimeField(_("reachable until"))

    data_classification = {
        "id": DataClass.TECHNICAL,
        "plan": DataClass.CASE,
        "staff": DataClass.STAFF,
        "starts_at": DataClass.CASE,
        "ends_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="release_contact_ordered"
            )
        ]


class ReleaseCheck(models.TextChoices):
    FRIDAY = "friday", _("Release on a Friday")
    WEEKEND = "weekend", _("Release at the weekend")
    HOLIDAY = "holiday", _("Release on a public holiday")
    UNREACHABLE = "unreachable", _("Nobody reachable in the first days")


class ReleaseCheckAcknowledgement(models.Model):
    """A practitioner has seen a release-day warning for this release date and takes care of it."""

    plan = models.ForeignKey(ReleasePlan, on_delete=models.CASCADE, related_name="acknowledgements")
    kind = models.CharField(max_length=20, choices=ReleaseCheck.choices)
    release_on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "plan": DataClass.CASE,
        "kind": DataClass.CASE,
        "release_on": DataClass.CASE,
        "by": DataClass.STAFF,
        "at": DataClass.CASE,
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "release_on"], name="release_ack_unique")]


class ConferenceKind(models.TextChoices):
    RELEASE = "release", _("Release planning conference")
    FOLLOW_UP = "follow_up", _("Follow-up conference")


class NetworkGroup(models.TextChoices):
    FAMILY = "family", _("Family")
    FRIENDS = "friends", _("Friends")
    COMMUNITY = "community", _("Community members")
    PROFESSIONALS = "professionals", _("Professionals")


class SocialNetConference(models.Model):
    """A social-net conference: the client's network drafts or reviews the release plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="social_net_conferences")
    kind = models.CharField(_("kind"), max_length=20, choices=ConferenceKind.choices)
    scheduled_on = models.DateField(_("planned for"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    client_present = models.BooleanField(_("the client took part"), default=True)
    groups = models.JSONField(_("who took part"), default=list, blank=True)
    participant_count = models.PositiveSmallIntegerField(_("number of participants"), default=0)
    network_time_alone = models.BooleanField(_("the network met partly without professionals"), default=False)
    outcome = SealedField(_("what was agreed"), data_class=DataClass.SPECIAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "kind": DataClass.CASE,
        "scheduled_on": DataClass.CASE,
        "held_on": DataClass.CASE,
        "client_present": DataClass.CASE,
        "groups": DataClass.CASE,
        "participant_count": DataClass.CASE,
        "network_time_alone": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
    }

    class Meta:
        ordering = ["scheduled_on"]
        indexes = [models.Index(fields=["case", "kind"]), models.Index(fields=["held_on", "scheduled_on"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    def group_labels(self) -> list[str]:
        labels = dict(NetworkGroup.choices)
        return [str(labels.get(g, g)) for g in self.groups]


class OnCallShift(models.Model):
    """One staff member on call for a programme, from a moment to a moment."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="on_call_shifts")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="on_call_shifts")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    data_classification = {
        "id": DataClass.TECHNICAL,
        "programme": DataClass.OPERATIONAL,
        "staff": DataClass.STAFF,
        "starts_at": DataClass.OPERATIONAL,
        "ends_at": DataClass.OPERATIONAL,
    }

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["programme", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="on_call_shift_ordered")
        ]


class Notification(models.Model):
    """An in-app reminder for one staff member about one due item; one per item and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    kind = models.CharField(max_length=30)
    label = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    due_on = models.DateField()
    overdue = models.BooleanField(default=False)
    key = models.CharField(max_length=200)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "user": DataClass.STAFF,
        "case": DataClass.CASE,
        "kind": DataClass.CASE,
        "label": DataClass.CASE,
        "url": DataClass.TECHNICAL,
        "due_on": DataClass.CASE,
        "overdue": DataClass.CASE,
        "key": DataClass.TECHNICAL,
        "day": DataClass.TECHNICAL,
        "created_at": DataClass.TECHNICAL,
        "read_at": DataClass.STAFF,
    }

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key", "day"], name="notification_once_per_day")]


class DailyRun(models.Model):
    """One run of the daily reminder job: at most one per day, with its counts."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cases_checked = models.PositiveIntegerField(default=0)
    items_found = models.PositiveIntegerField(default=0)
    notifications_created = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    runs = models.PositiveIntegerField(default=0)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "day": DataClass.TECHNICAL,
        "started_at": DataClass.TECHNICAL,
        "finished_at": DataClass.TECHNICAL,
        "cases_checked": DataClass.TECHNICAL,
        "items_found": DataClass.TECHNICAL,
        "notifications_created": DataClass.TECHNICAL,
        "failures": DataClass.TECHNICAL,
        "runs": DataClass.TECHNICAL,
    }
