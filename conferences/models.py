"""Multi-agency case conferences: who meets on a case, what they see, what they decide and who does what.

The case is presented under its pseudonym. Identity reaches the conference only through an
IdentityReveal: a recorded decision with its ground, disclosed to the named participants.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.policy import Ground
from vault.classification import DataClass
from vault.fields import SealedField


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Purpose(models.TextChoices):
    PROGRESS_REVIEW = "progress_review", _("Review progress and agree next steps")
    INTERVENTION = "intervention", _("Coordinate intervention measures")
    RISK = "risk", _("Assess a possible security risk")
    RELEASE = "release", _("Plan release and transition")
    CRISIS = "crisis", _("Respond to a crisis")
    CLOSURE = "closure", _("Prepare closure or handover")


class ClientInvolvement(models.TextChoices):
    PREPARED_TOGETHER = "prepared_together", _("Prepared together with the client")
    INFORMED = "informed", _("Client informed")
    ATTENDS = "attends", _("Client attends")
    NOT_INFORMED = "not_informed", _("Client not informed")


class ConferenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Conference(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conferences")
    scheduled_at = models.DateTimeField(_("date and time"))
    mode = models.CharField(_("format"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place or online room"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    purpose_note = SealedField(_("what the conference should settle"), data_class=DataClass.SPECIAL)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("chair"),
    )
    chair_partner = models.ForeignKey(
        "sharing.Partner",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("chaired by partner organisation"),
    )
    client_involvement = models.CharField(
        _("how the client was involved"), max_length=20, choices=ClientInvolvement.choices
    )
    involvement_reason = SealedField(_("why the client was not informed"), data_class=DataClass.SPECIAL)
    summary_text = SealedField(_("summary for the participants"), data_class=DataClass.SPECIAL)
    summary_written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary_reviewed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ConferenceStatus.choices, default=ConferenceStatus.SCHEDULED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "scheduled_at": DataClass.CASE,
        "mode": DataClass.CASE,
        "place": DataClass.CASE,
        "purpose": DataClass.CASE,
        "chair": DataClass.STAFF,
        "chair_partner": DataClass.OPERATIONAL,
        "client_involvement": DataClass.CASE,
        "summary_written_by": DataClass.STAFF,
        "summary_reviewed_by": DataClass.STAFF,
        "summary_reviewed_at": DataClass.CASE,
        "status": DataClass.CASE,
        "created_by": DataClass.STAFF,
        "created_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["case", "-scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(chair__isnull=False) | models.Q(chair_partner__isnull=False),
                name="conference_has_chair",
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    @property
    def summary_reviewed(self) -> bool:
        return bool(self.summary_reviewed_at)


class ParticipantKind(models.TextChoices):
    STAFF = "staff", _("Programme staff")
    EXTERNAL = "external", _("Partner organisation")


class ConferenceParticipant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("kind"), max_length=20, choices=ParticipantKind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("staff member"),
    )
    partner = models.ForeignKey(
        "sharing.Partner",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("partner organisation"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)  # a partner's professional, not the client
    role = models.CharField(_("role"), max_length=120, blank=True)
    attended = models.BooleanField(_("attended"), null=True)
    pack_sent_at = models.DateTimeField(null=True, blank=True)
    pack_disclosure = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "conference": DataClass.CASE,
        "kind": DataClass.CASE,
        "staff": DataClass.STAFF,
        "partner": DataClass.OPERATIONAL,
        "name": DataClass.OPERATIONAL,
        "role": DataClass.OPERATIONAL,
        "attended": DataClass.CASE,
        "pack_sent_at": DataClass.CASE,
        "pack_disclosure": DataClass.TECHNICAL,
        "added_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["kind", "added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="staff", staff__isnull=False, partner__isnull=True)
                    | models.Q(kind="external", staff__isnull=True, partner__isnull=False)
                ),
                name="conference_participant_kind",
            ),
            models.UniqueConstraint(fields=["conference", "staff"], name="conference_participant_staff_once"),
        ]

    @property
    def is_external(self) -> bool:
        return self.kind == ParticipantKind.EXTERNAL

    def label(self) -> str:
        if self.kind == ParticipantKind.STAFF and self.staff is not None:
            return self.staff.display_name
        who = self.name or self.role or str(_("participant"))
        return f"{who} ({self.partner.name})" if self.partner is not None else who


class ConferenceDecision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="decisions")
    text = SealedField(_("decision"), data_class=DataClass.SPECIAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "conference": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["recorded_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.conference.case.client_id


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ConferenceAction(models.Model):
    """An agreed action: what, who (a participant or a staff member), by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="actions")
    description = SealedField(_("action"), data_class=DataClass.SPECIAL)
    owner_participant = models.ForeignKey(
        ConferenceParticipant, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    owner_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "conference": DataClass.CASE,
        "owner_participant": DataClass.CASE,
        "owner_staff": DataClass.STAFF,
        "due_on": DataClass.CASE,
        "status": DataClass.CASE,
        "created_by": DataClass.STAFF,
        "created_at": DataClass.CASE,
        "completed_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["owner_staff", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(owner_participant__isnull=False, owner_staff__isnull=True)
                    | models.Q(owner_participant__isnull=True, owner_staff__isnull=False)
                ),
                name="conference_action_one_owner",
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        return self.conference.case.client_id

    def owner_label(self) -> str:
        if self.owner_staff_id and self.owner_staff is not None:
            return self.owner_staff.display_name
        return self.owner_participant.label() if self.owner_participant is not None else ""

    @property
    def overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on is not None and self.due_on < timezone.localdate()


class IdentityReveal(models.Model):
    """The recorded decision that discloses the client's identity to named conference participants."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="identity_reveals")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    ground_note = SealedField(_("why identity is revealed"), data_class=DataClass.SPECIAL)
    participants = models.ManyToManyField(
        ConferenceParticipant, related_name="identity_reveals", verbose_name=_("revealed to")
    )
    disclosures = models.JSONField(default=list)
    decided_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "conference": DataClass.CASE,
        "decided_by": DataClass.STAFF,
        "ground": DataClass.CASE,
        "participants": DataClass.CASE,
        "disclosures": DataClass.TECHNICAL,
        "decided_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["decided_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.conference.case.client_id
