"""Referrals in both directions.

Inbound: a signal from a partner, a relative, a helpline or the person themself, kept to the minimum
until the programme decides (enquiry, decline, or referred on). Before it becomes a case a referral
has its own data key; once it becomes a case its sealed values move under the client's key, so that
erasing the client erases the referral too.

Outbound: the programme refers a client to an external service; what is sent goes through
sharing.services.disclose, then the provider's answers are followed with dates.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ReferralSource
from vault.classification import DataClass
from vault.fields import SealedField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter or form")
    IN_PERSON = "in_person", _("In person")
    HELPLINE = "helpline", _("Handed over by a helpline")
    ONLINE = "online", _("Online contact form")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Within a week")
    URGENT = "urgent", _("Urgent")


class ContactConsent(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class InboundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Taken on as an enquiry")
    DECLINED = "declined", _("Declined")
    REFERRED_ON = "referred_on", _("Referred on")


class DeclineReason(models.TextChoices):
    OUTSIDE_TARGET_GROUP = "outside_target_group", _("Outside the programme's target group")
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    PERSON_DECLINED = "person_declined", _("The person does not want support")
    DUPLICATE = "duplicate", _("Already known to the programme")
    NOT_REACHABLE = "not_reachable", _("The person could not be reached")
    OTHER = "other", _("Other reason")


class InboundReferral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="inbound_referrals")
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    referrer_category = models.CharField(_("referred by"), max_length=20, choices=ReferralSource.choices)
    partner = models.ForeignKey(
        "sharing.Partner",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("partner organisation"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    person_name = SealedField(_("name or alias of the person, if known"), data_class=DataClass.IDENTIFYING)
    reason = SealedField(_("reason for the referral"), data_class=DataClass.SPECIAL)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    contact_consent = models.CharField(
        _("the person agrees to be contacted"),
        max_length=10,
        choices=ContactConsent.choices,
        default=ContactConsent.UNKNOWN,
    )
    status = models.CharField(_("status"), max_length=20, choices=InboundStatus.choices, default=InboundStatus.PENDING)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decision_note = SealedField(_("note on the decision"), data_class=DataClass.SPECIAL)
    referred_on_to = models.ForeignKey(
        "sharing.Partner",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("referred on to"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, related_name="inbound_referrals", null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    key_id = models.UUIDField(default=uuid.uuid4, editable=False)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "programme": DataClass.CASE,
        "received_on": DataClass.CASE,
        "referrer_category": DataClass.CASE,
        "partner": DataClass.OPERATIONAL,
        "channel": DataClass.CASE,
        "urgency": DataClass.CASE,
        "contact_consent": DataClass.CASE,
        "status": DataClass.CASE,
        "decline_reason": DataClass.CASE,
        "referred_on_to": DataClass.OPERATIONAL,
        "case": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
        "decided_by": DataClass.STAFF,
        "decided_at": DataClass.CASE,
        "key_id": DataClass.TECHNICAL,
    }

    class Meta:
        ordering = ["-received_on", "-recorded_at"]
        indexes = [models.Index(fields=["programme", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(case__isnull=False),
                name="inbound_referral_accepted_has_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="inbound_referral_declined_has_reason",
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        # Its own key until it becomes a case (key_id then names the client): see referrals.services.
        return self.key_id


class ServiceArea(models.TextChoices):
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    ADDICTION = "addiction", _("Addiction")
    WORK = "work", _("Work and job centre")
    EDUCATION = "education", _("Education and training")
    DEBT = "debt", _("Debt counselling")
    DOCUMENTS = "documents", _("Documents and residence")
    FAMILY = "family", _("Family support")
    HEALTH = "health", _("Health care")
    OTHER = "other", _("Other service")


class OutboundStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted by the provider")
    FIRST_APPOINTMENT = "first_appointment", _("First appointment")
    DECLINED = "declined", _("Declined by the provider")
    ENDED = "ended", _("Ended")


# Where a referral may go next; ended and declined are final.
OUTBOUND_EDGES: dict[str, tuple[str, ...]] = {
    OutboundStatus.SENT: (OutboundStatus.ACCEPTED, OutboundStatus.DECLINED, OutboundStatus.ENDED),
    OutboundStatus.ACCEPTED: (OutboundStatus.FIRST_APPOINTMENT, OutboundStatus.ENDED),
    OutboundStatus.FIRST_APPOINTMENT: (OutboundStatus.ENDED,),
    OutboundStatus.DECLINED: (),
    OutboundStatus.ENDED: (),
}


class OutboundReferral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="outbound_referrals")
    partner = models.ForeignKey(
        "sharing.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("service provider")
    )
    service_area = models.CharField(_("kind of service"), max_length=20, choices=ServiceArea.choices)
    plan_service = models.ForeignKey(
        "planning.Service",
        on_delete=models.SET_NULL,
        related_name="referrals",
        null=True,
        blank=True,
        verbose_name=_("service in the plan"),
    )
    data_categories = models.JSONField(_("what was shared"), default=list)
    content = SealedField(_("referral text sent to the provider"), data_class=DataClass.SPECIAL)
    status = models.CharField(_("status"), max_length=20, choices=OutboundStatus.choices, default=OutboundStatus.SENT)
    sent_on = models.DateField(_("sent on"))
    disclosure = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "partner": DataClass.OPERATIONAL,
        "service_area": DataClass.CASE,
        "plan_service": DataClass.CASE,
        "data_categories": DataClass.CASE,
        "status": DataClass.CASE,
        "sent_on": DataClass.CASE,
        "disclosure": DataClass.TECHNICAL,
        "created_by": DataClass.STAFF,
        "created_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-sent_on", "-created_at"]
        indexes = [models.Index(fields=["case", "-sent_on"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    def next_statuses(self) -> list[tuple[str, StrOrPromise]]:
        return [(s, OutboundStatus(s).label) for s in OUTBOUND_EDGES[self.status]]


class OutboundEvent(models.Model):
    """One dated step of an outbound referral (sent, accepted, first appointment, declined, ended)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(OutboundReferral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=OutboundStatus.choices)
    on = models.DateField(_("on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "referral": DataClass.CASE,
        "status": DataClass.CASE,
        "on": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["on", "recorded_at"]
