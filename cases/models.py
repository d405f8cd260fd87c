from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from programmes.models import Ideology, Setting
from vault.classification import DataClass
from vault.fields import SealedField

from .lifecycle import ClosureReason, State

PSEUDONYM_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no look-alikes (0/O, 1/I, 2/Z, 5/S, 8/B, 6/G)


def new_pseudonym() -> str:
    body = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))
    return f"{body[:3]}-{body[3:]}"


class Client(models.Model):
    """A person the programme works with. Identity is sealed; lists show only the pseudonym."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("programmes.Organisation", on_delete=models.PROTECT, related_name="clients")
    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True, default=new_pseudonym)
    given_name = SealedField(_("given name"), data_class=DataClass.IDENTIFYING)
    family_name = SealedField(_("family name"), data_class=DataClass.IDENTIFYING)
    aliases = SealedField(_("aliases"), data_class=DataClass.IDENTIFYING)
    date_of_birth = SealedField(_("date of birth"), data_class=DataClass.IDENTIFYING)
    phone = SealedField(_("phone"), data_class=DataClass.IDENTIFYING)
    email = SealedField(_("e-mail"), data_class=DataClass.IDENTIFYING)
    address = SealedField(_("address"), data_class=DataClass.IDENTIFYING)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # GDPR Art. 18: while set, the record is kept and read but not changed, exported or disclosed.
    restricted_at = models.DateTimeField(_("restricted since"), null=True, blank=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "organisation": DataClass.OPERATIONAL,
        "pseudonym": DataClass.CASE,
        "created_at": DataClass.CASE,
        "erased_at": DataClass.CASE,
        "restricted_at": DataClass.CASE,
    }

    def __str__(self) -> str:
        return self.pseudonym

    def vault_client_id(self) -> uuid.UUID:
        return self.id

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in (self.aliases or "").splitlines() if a.strip()]


class ClientName(models.Model):
    """Blind index entries (HMAC of a normalised name) for exact-name lookup."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="name_index")
    digest = models.CharField(max_length=64, db_index=True)

    data_classification = {"id": DataClass.TECHNICAL, "client": DataClass.TECHNICAL, "digest": DataClass.TECHNICAL}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "digest"], name="clientname_unique")]


class ClientExclusion(models.Model):
    """A staff member kept away from a client (conflict of interest); beats every other access rule."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="exclusions")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_exclusions")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "client": DataClass.CASE,
        "staff": DataClass.STAFF,
        "reason": DataClass.STAFF,
        "created_at": DataClass.CASE,
        "created_by": DataClass.STAFF,
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "staff"], name="exclusion_unique")]


class LegalStatus(models.TextChoices):
    NONE = "none", _("None")
    PRE_TRIAL = "pre_trial", _("Pre-trial")
    SENTENCED = "sentenced", _("Sentenced")
    PROBATION = "probation", _("On probation with conditions")


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class Participation(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary")
    MANDATED = "mandated", _("Mandated")


class ReferralSource(models.TextChoices):
    SELF = "self", _("Self-referral")
    FAMILY = "family", _("Family or friends")
    HELPLINE = "helpline", _("Helpline")
    PRISON = "prison", _("Prison staff")
    PROBATION = "probation", _("Probation service")
    POLICE = "police", _("Police")
    MUNICIPALITY = "municipality", _("Municipality")
    SCHOOL = "school", _("School")
    SOCIAL_SERVICES = "social_services", _("Social services")
    OTHER = "other", _("Other")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(state=State.CLOSED)


class Case(models.Model):
    """One client's participation in one programme."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey("programmes.Team", on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SIGNAL)
    closure_reason = models.CharField(_("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True)
    referral_source = models.CharField(_("referral source"), max_length=20, choices=ReferralSource.choices)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    participation = models.CharField(_("participation"), max_length=20, choices=Participation.choices)
    ideology = models.CharField(_("ideology context"), max_length=20, choices=Ideology.choices)
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, default=LegalStatus.NONE
    )
    risk_level = models.CharField(
        _("risk level"), max_length=20, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    security_relevant = models.BooleanField(_("security-relevant"), default=False)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    state_changed_at = models.DateTimeField(default=timezone.now)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    # Set on loaded cases by the selectors' prefetches and by the case pages, for the templates.
    team_list: list[CaseAssignment]
    all_assignments: list[CaseAssignment]

    data_classification = {
        "id": DataClass.TECHNICAL,
        "client": DataClass.CASE,
        "programme": DataClass.CASE,
        "team": DataClass.CASE,
        "state": DataClass.CASE,
        "closure_reason": DataClass.CASE,
        "referral_source": DataClass.CASE,
        "setting": DataClass.CASE,
        "participation": DataClass.CASE,
        "ideology": DataClass.CASE,
        "legal_status": DataClass.CASE,
        "risk_level": DataClass.CASE,
        "security_relevant": DataClass.CASE,
        "opened_on": DataClass.CASE,
        "state_changed_at": DataClass.CASE,
        "last_contact_at": DataClass.CASE,
        "version": DataClass.TECHNICAL,
    }

    class Meta:
        indexes = [
            models.Index(fields=["team", "state"]),
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["state", "setting"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=State.CLOSED, closure_reason__gt="")
                | (~models.Q(state=State.CLOSED) & models.Q(closure_reason="")),
                name="case_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.pseudonym} ({self.programme})" if "client" in self._state.fields_cache else str(self.pk)

    def vault_client_id(self) -> uuid.UUID:
        return self.client_id

    @cached_property
    def current_tandem(self) -> list[CaseAssignment]:
        """Today's tandem (case manager, co-worker), read on first use; lists set it for all their cases at once
        (cases.selectors.with_current_tandem)."""
        return list(self.assignments.current().tandem().select_related("staff").order_by("role", "starts_on"))


class CaseTransition(models.Model):
    """A dated, attributed move of a case along an allowed edge; the history of states."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    note = SealedField(_("note"), data_class=DataClass.SPECIAL)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "from_state": DataClass.CASE,
        "to_state": DataClass.CASE,
        "closure_reason": DataClass.CASE,
        "at": DataClass.CASE,
        "by": DataClass.STAFF,
    }

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["case", "at"])]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id


class AssignmentRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    CO_WORKER = "co_worker", _("Co-worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    IDEOLOGY_EXPERT = "ideology_expert", _("Religious or ideology expert")
    FORMER = "former", _("Trained former")
    OTHER_SPECIALIST = "specialist", _("Specialist")


TANDEM_ROLES = (AssignmentRole.CASE_MANAGER, AssignmentRole.CO_WORKER)


def _current_on(on: dt.date | None) -> models.Q:
    """The one rule for "current": started on or before the day, not ended before it."""
    on = on or timezone.localdate()
    return models.Q(starts_on__lte=on) & (models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on))


class CaseAssignmentQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> CaseAssignmentQuerySet:
        return self.filter(_current_on(on))

    def with_is_current(self, on: dt.date | None = None) -> CaseAssignmentQuerySet:
        """Every assignment, each with `is_current` by the same rule as current()."""
        return self.annotate(is_current=models.ExpressionWrapper(_current_on(on), output_field=models.BooleanField()))

    def tandem(self) -> CaseAssignmentQuerySet:
        return self.filter(role__in=TANDEM_ROLES)


class CaseAssignment(models.Model):
    """A staff member on a case: the tandem (case manager, co-worker) or a specialist for a time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    task = models.CharField(_("task"), max_length=200, blank=True)

    objects = CaseAssignmentQuerySet.as_manager()

    is_current: bool  # set by cases.selectors.case_team

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "staff": DataClass.STAFF,
        "role": DataClass.CASE,
        "starts_on": DataClass.CASE,
        "ends_on": DataClass.CASE,
        "task": DataClass.CASE,
    }

    class Meta:
        ordering = ["role", "starts_on"]
        indexes = [models.Index(fields=["staff", "case"]), models.Index(fields=["case", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_dates_ordered",
            ),
        ]

    @property
    def is_tandem(self) -> bool:
        return self.role in TANDEM_ROLES


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    PHONE = "phone", _("Phone")
    PRISON_VISIT = "prison_visit", _("Prison visit")
    HOME_VISIT = "home_visit", _("Home visit")
    ONLINE = "online", _("Online")
    GROUP = "group", _("Group session")


class Participant(models.TextChoices):
    CLIENT = "client", _("Client")
    RELATIVES = "relatives", _("Relatives")
    PROFESSIONALS = "professionals", _("Professionals")
    OTHERS = "others", _("Others")


class Contact(models.Model):
    """One recorded encounter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    participants = models.JSONField(_("who took part"), default=list)
    topics = models.ManyToManyField("programmes.Topic", blank=True, related_name="contacts", verbose_name=_("topics"))
    note = SealedField(_("note"), data_class=DataClass.SPECIAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "case": DataClass.CASE,
        "occurred_at": DataClass.CASE,
        "duration_minutes": DataClass.CASE,
        "kind": DataClass.CASE,
        "participants": DataClass.CASE,
        "topics": DataClass.CASE,
        "recorded_by": DataClass.STAFF,
        "recorded_at": DataClass.CASE,
    }

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1) & models.Q(duration_minutes__lte=1440),
                name="contact_duration_range",
            ),
        ]

    def vault_client_id(self) -> uuid.UUID:
        return self.case.client_id

    def participant_labels(self) -> list[str]:
        labels = dict(Participant.choices)
        return [str(labels.get(p, p)) for p in self.participants]
