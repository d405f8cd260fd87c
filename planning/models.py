from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass
from vault.fields import SealedField


class ConfirmationMethod(models.TextChoices):
    SIGNED = "signed", _("Signed by the client")
    VERBAL = "verbal", _("Agreed verbally in a session")
    WRITTEN_MESSAGE = "written_message", _("Confirmed in writing (letter or message)")
    WITH_REPRESENTATIVE = "with_representative", _("Agreed with a legal representative")


class AgreementRevision(models.Model):
    """One version of the work agreement: the client's objectives in their own words. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="agreement_revisions")
    number = models.PositiveIntegerField()
    objectives = SealedField(_("objectives in the client's words"), data_class=DataClass.SPECIAL)
    commitments = SealedField(_("what the programme commits to"), data_class=DataClass.SPECIAL)
    agreed_on = models.DateField(_("agreed on"))
    confirmation = models.CharField(_("how the client confirmed it"), max_length=30, choices=ConfirmationMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "number": DataClass.CASE,
        "agreed_on": DataClass.CASE,
        "confirmation": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="agreement_revision_unique")]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class NeedDomain(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    IDEOLOGICAL = "ideological", _("Cognitive and ideological")
    FUNCTIONAL = "functional", _("Functional reintegration")
    SOCIAL = "social", _("Social reintegration")
    SECURITY = "security", _("Safety and security")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADDRESSED = "addressed", _("Addressed")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("No longer relevant")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
    DROPPED = "dropped", _("Dropped")


OPEN_GOAL_STATUSES = (GoalStatus.PLANNED, GoalStatus.IN_PROGRESS)


class GoalOwner(models.TextChoices):
    CLIENT = "client", _("Client")
    TANDEM = "tandem", _("Tandem")
    CLIENT_AND_TANDEM = "client_and_tandem", _("Client with the tandem")
    FAMILY = "family", _("Family")
    PARTNER = "partner", _("External partner")


class ServiceKind(models.TextChoices):
    TANGIBLE = "tangible", _("Tangible (housing, work, papers, …)")
    INTANGIBLE = "intangible", _("Intangible (counselling, mentoring, …)")


class Provider(models.TextChoices):
    INTERNAL = "internal", _("The programme")
    EXTERNAL = "external", _("External provider")


class ServiceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    REFERRED = "referred", _("Referred")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Need(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("domain"), max_length=20, choices=NeedDomain.choices)
    description = SealedField(_("need"), data_class=DataClass.SPECIAL)
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "domain": DataClass.CASE,
        "status": DataClass.CASE,
        "created_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["domain", "created_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class Goal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="goals")
    description = SealedField(_("goal"), data_class=DataClass.SPECIAL)
    owner = models.CharField(_("owner"), max_length=20, choices=GoalOwner.choices, default=GoalOwner.CLIENT_AND_TANDEM)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.PLANNED)
    created_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "need": DataClass.CASE,
        "owner": DataClass.CASE,
        "target_date": DataClass.CASE,
        "status": DataClass.CASE,
        "created_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["target_date", "created_at"]
        indexes = [models.Index(fields=["status", "target_date"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.need.case.client_id


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    name = models.CharField(
        _("service"), max_length=120, help_text=_("For example: supported housing, mentoring, tattoo removal.")
    )
    provider = models.CharField(_("provided by"), max_length=20, choices=Provider.choices, default=Provider.INTERNAL)
    provider_name = models.CharField(_("provider name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.PROPOSED)
    details = SealedField(_("details"), data_class=DataClass.SPECIAL)
    created_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "goal": DataClass.CASE,
        "kind": DataClass.CASE,
        "name": DataClass.CASE,
        "provider": DataClass.CASE,
        "provider_name": DataClass.OPERATIONAL,
        "status": DataClass.CASE,
        "created_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["created_at"]

    def vault_client_id(self) -> uuid.UUID:
        return self.goal.need.case.client_id
