from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass
from vault.fields import SealedField

from .policy import DataCategory, Ground, Purpose, RecipientCategory


class Partner(models.Model):
    """An organisation outside the programme that refers cases or may receive information."""

    organisation = models.ForeignKey("programmes.Organisation", on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=RecipientCategory.choices)
    region = models.CharField(_("region"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("About the organisation only; never about a client."))
    active = models.BooleanField(_("active"), default=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "organisation": DataClass.OPERATIONAL,
        "name": DataClass.OPERATIONAL,
        "category": DataClass.OPERATIONAL,
        "region": DataClass.OPERATIONAL,
        "notes": DataClass.OPERATIONAL,
        "active": DataClass.OPERATIONAL,
    }

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A contact person at a partner organisation (partner staff data, not client data)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "partner": DataClass.OPERATIONAL,
        "name": DataClass.STAFF,
        "role": DataClass.STAFF,
        "phone": DataClass.STAFF,
        "email": DataClass.STAFF,
    }

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("Written and signed")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")
    VERBAL_RECORDED = "verbal_recorded", _("Verbal, recorded in the file")
    ELECTRONIC = "electronic", _("Electronic")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, day: dt.date | None = None) -> ConsentQuerySet:
        day = day or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, given_on__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )


class Consent(models.Model):
    """The client's consent to share named data categories with one recipient for one purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    data_categories = models.JSONField(_("data categories"), default=list)
    recipient_category = models.CharField(_("recipient category"), max_length=20, choices=RecipientCategory.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="consents", verbose_name=_("partner")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    form = models.CharField(_("how given"), max_length=20, choices=ConsentForm.choices)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = SealedField(_("note"), data_class=DataClass.SPECIAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "data_categories": DataClass.CASE,
        "recipient_category": DataClass.CASE,
        "partner": DataClass.CASE,
        "purpose": DataClass.CASE,
        "form": DataClass.CASE,
        "witness": DataClass.STAFF,
        "given_on": DataClass.CASE,
        "valid_until": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
        "withdrawn_at": DataClass.CASE,
        "withdrawn_by": DataClass.STAFF,
    }

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        indexes = [models.Index(fields=["case", "recipient_category"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("given_on")),
                name="consent_dates_ordered",
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    def is_valid(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.withdrawn_at is None and self.given_on <= day and (self.valid_until is None or self.valid_until >= day)
        )

    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(c, c)) for c in self.data_categories]


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", _("Disclosed")
    REFUSED = "refused", _("Refused")


class Disclosure(models.Model):
    """Information that left the programme, or an attempt that was refused; the client may see both."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disclosures")
    recipient_category = models.CharField(_("recipient category"), max_length=20, choices=RecipientCategory.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures", verbose_name=_("partner")
    )
    data_categories = models.JSONField(_("data categories"), default=list)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    legal_basis = SealedField(_("legal basis"), data_class=DataClass.SPECIAL)
    channel = models.CharField(_("channel"), max_length=60, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures")
    concern = models.ForeignKey(
        "SecurityConcern", on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    content = SealedField(_("content"), data_class=DataClass.SPECIAL)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    policy_name = models.CharField(max_length=80)
    source = models.CharField(max_length=40, blank=True)  # the feature that asked: sharing, referral, conference

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "recipient_category": DataClass.CASE,
        "partner": DataClass.CASE,
        "data_categories": DataClass.CASE,
        "purpose": DataClass.CASE,
        "ground": DataClass.CASE,
        "channel": DataClass.CASE,
        "consent": DataClass.CASE,
        "concern": DataClass.CASE,
        "outcome": DataClass.CASE,
        "reason": DataClass.CASE,
        "by": DataClass.STAFF,
        "at": DataClass.CASE,
        "policy_name": DataClass.OPERATIONAL,
        "source": DataClass.TECHNICAL,
    }

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"]), models.Index(fields=["outcome", "-at"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(c, c)) for c in self.data_categories]


class ConcernKind(models.TextChoices):
    DANGER_TO_OTHERS = "danger_to_others", _("Danger to others")
    DANGER_TO_CLIENT = "danger_to_client", _("Danger to the client (e.g. retaliation by the former group)")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ALERT_PENDING = "alert_pending", _("Alert waiting for a second approval")
    ALERT_SENT = "alert_sent", _("Alert sent")
    ALERT_REFUSED = "alert_refused", _("Alert refused by the sharing policy")
    CLOSED = "closed", _("Closed")


class SecurityConcern(models.Model):
    """A practitioner's concern about danger; an alert to an outside authority needs a second approver."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="security_concerns")
    kind = models.CharField(_("kind"), max_length=20, choices=ConcernKind.choices)
    justification = SealedField(_("justification"), data_class=DataClass.SPECIAL)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    alert_recipient_category = models.CharField(
        _("alert to"), max_length=20, choices=RecipientCategory.choices, blank=True
    )
    alert_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    alert_categories = models.JSONField(default=list, blank=True)
    alert_content = SealedField(_("alert message"), data_class=DataClass.SPECIAL)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "kind": DataClass.CASE,
        "raised_by": DataClass.STAFF,
        "raised_at": DataClass.CASE,
        "status": DataClass.CASE,
        "alert_recipient_category": DataClass.CASE,
        "alert_partner": DataClass.CASE,
        "alert_categories": DataClass.CASE,
        "approved_by": DataClass.STAFF,
        "approved_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["case", "-raised_at"]), models.Index(fields=["status"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class BreakGlassGrantQuerySet(models.QuerySet["BreakGlassGrant"]):
    def active(self, at: dt.datetime | None = None) -> BreakGlassGrantQuerySet:
        return self.filter(expires_at__gt=at or timezone.now())


class BreakGlassGrant(models.Model):
    """A supervisor's time-limited access to a case outside their teams, justified and reviewed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    justification = SealedField(_("justification"), data_class=DataClass.SPECIAL)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = SealedField(_("review note"), data_class=DataClass.SPECIAL)

    objects = BreakGlassGrantQuerySet.as_manager()

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "user": DataClass.STAFF,
        "granted_at": DataClass.CASE,
        "expires_at": DataClass.CASE,
        "reviewed_by": DataClass.STAFF,
        "reviewed_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "case", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="breakglass_expires_after"
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
