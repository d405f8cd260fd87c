"""Data-subject rights: restriction (Art. 18), legal holds against erasure, the history of identity
corrections (Art. 16), and the record of every retention run."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass
from vault.fields import SealedField


class Restriction(models.Model):
    """One period in which a client's record was restricted (GDPR Art. 18). `Client.restricted_at` mirrors
    the open one, so that every write path can check it without a query."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("cases.Client", on_delete=models.CASCADE, related_name="restrictions")
    reason = SealedField(_("reason"), data_class=DataClass.SPECIAL)
    started_at = models.DateTimeField(_("restricted since"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lift_reason = SealedField(_("why it was lifted"), data_class=DataClass.SPECIAL)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "client": DataClass.CASE,
        "started_at": DataClass.CASE,
        "started_by": DataClass.STAFF,
        "lifted_at": DataClass.CASE,
        "lifted_by": DataClass.STAFF,
    }

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(lifted_at__isnull=True), name="restriction_one_open_per_client"
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        return self.client_id


class HoldBasis(models.TextChoices):
    LITIGATION = "litigation", _("Pending or expected legal claims")
    CRIMINAL_PROCEEDINGS = "criminal_proceedings", _("Criminal proceedings")
    STATUTORY_RETENTION = "statutory_retention", _("Statutory retention duty")
    AUTHORITY_REQUEST = "authority_request", _("Request of a supervisory authority or court")
    OTHER = "other", _("Other documented ground")


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self, on: dt.date | None = None) -> LegalHoldQuerySet:
        on = on or timezone.localdate()
        return self.filter(released_at__isnull=True).filter(models.Q(until__isnull=True) | models.Q(until__gte=on))


class LegalHold(models.Model):
    """A recorded reason why a client's data must not be erased yet. Erasure is refused while it applies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("cases.Client", on_delete=models.CASCADE, related_name="legal_holds")
    basis = models.CharField(_("legal basis"), max_length=30, choices=HoldBasis.choices)
    reason = SealedField(_("reason"), data_class=DataClass.SPECIAL)
    until = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("If the end is not known yet, give no date and release the hold when it ends."),
    )
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = LegalHoldQuerySet.as_manager()

    active: bool  # set by the legal holds page

    data_classification = {
        "id": DataClass.TECHNICAL,
        "client": DataClass.CASE,
        "basis": DataClass.CASE,
        "until": DataClass.CASE,
        "placed_at": DataClass.CASE,
        "placed_by": DataClass.STAFF,
        "released_at": DataClass.CASE,
        "released_by": DataClass.STAFF,
    }

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def vault_client_id(self) -> uuid.UUID:
        return self.client_id

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.released_at is None and (self.until is None or self.until >= on)


class IdentityRevision(models.Model):
    """The values an identity correction replaced (GDPR Art. 16), sealed like the identity itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("cases.Client", on_delete=models.CASCADE, related_name="identity_revisions")
    changed_fields = models.JSONField(_("changed fields"), default=list)
    previous_values = SealedField(_("previous values"), data_class=DataClass.IDENTIFYING)
    reason = SealedField(_("reason"), data_class=DataClass.SPECIAL)
    at = models.DateTimeField(_("corrected on"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    rows: list[tuple[str, str]]  # set by the identity history page

    data_classification = {
        "id": DataClass.TECHNICAL,
        "client": DataClass.CASE,
        "changed_fields": DataClass.CASE,
        "at": DataClass.CASE,
        "by": DataClass.STAFF,
    }

    class Meta:
        ordering = ["-at"]
        verbose_name = _("identity correction")
        verbose_name_plural = _("identity corrections")

    def vault_client_id(self) -> uuid.UUID:
        return self.client_id

    def previous(self) -> dict[str, str]:
        import json

        try:
            return json.loads(self.previous_values or "{}")
        except ValueError:
            return {}


class RetentionRun(models.Model):
    """What one run of the retention job did for one organisation: counts and the pseudonyms erased."""

    organisation = models.ForeignKey("programmes.Organisation", on_delete=models.PROTECT, related_name="retention_runs")
    ran_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField(_("as of"))
    examined = models.PositiveIntegerField(_("clients examined"), default=0)
    erased = models.PositiveIntegerField(_("clients erased"), default=0)
    skipped_held = models.PositiveIntegerField(_("kept: legal hold"), default=0)
    skipped_restricted = models.PositiveIntegerField(_("kept: restricted"), default=0)
    pseudonyms = models.JSONField(_("pseudonyms erased"), default=list)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "organisation": DataClass.OPERATIONAL,
        "ran_at": DataClass.TECHNICAL,
        "as_of": DataClass.TECHNICAL,
        "examined": DataClass.OPERATIONAL,
        "erased": DataClass.OPERATIONAL,
        "skipped_held": DataClass.OPERATIONAL,
        "skipped_restricted": DataClass.OPERATIONAL,
        "pseudonyms": DataClass.CASE,
    }

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
