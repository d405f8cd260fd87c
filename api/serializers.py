"""Input and output shapes of the API. Inputs validate at the edge; the services own every rule."""

from __future__ import annotations

import datetime as dt
import re

from django.core.validators import EmailValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.lifecycle import ClosureReason, State
from cases.models import (
    AssignmentRole,
    ContactKind,
    LegalStatus,
    Participant,
    Participation,
    ReferralSource,
    RiskLevel,
)
from planning.models import (
    ConfirmationMethod,
    GoalOwner,
    GoalStatus,
    NeedDomain,
    NeedStatus,
    Provider,
    ServiceKind,
    ServiceStatus,
)
from programmes.models import Ideology, Setting

MAX_ID = 2**63 - 1  # largest primary key the databases hold; larger numbers are refused, not overflowed
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
RECORD_YEARS = {"first": EARLIEST_YEAR, "last": LATEST_YEAR}


# --- Field types -----------------------------------------------------------------------------------


class Moment(serializers.DateTimeField):
    """A date and time in any year the schema allows; `refusals` then refuses years outside Tandem's records."""

    def enforce_timezone(self, value):
        # Near year 1 or 9999 the conversion overflows; such a value is refused later in any case.
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            return value
        return super().enforce_timezone(value)


class Day(serializers.DateField):
    """A date in any year the schema allows; `refusals` then applies the years of the records and `past`."""

    def __init__(self, *, past: bool = False, **kwargs) -> None:
        self.past = past
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "08:00"})
class Clock(serializers.TimeField):
    """A local time of day as HH:MM (no time zone: the programme's own)."""

    PATTERN = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)

    def to_internal_value(self, value):
        # The schema's pattern, matched as JSON Schema validators in Python match it.
        if not isinstance(value, str) or not self.PATTERN.search(value):
            self.fail("invalid", format="HH:MM")
        return dt.time(int(value[:2]), int(value[3:5]))


# White space as Python counts it (str.strip, which DRF trims with), spelled out: JSON Schema validators in other
# languages count \s differently.
WHITE_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
EMAIL = rf"^[^@{WHITE_SPACE}\x00]+@[^@{WHITE_SPACE}\x00]+\.[^@{WHITE_SPACE}\x00]+$"


@extend_schema_field({"type": "string", "pattern": EMAIL, "maxLength": 254, "example": "name@example.org"})
class Email(serializers.CharField):
    """An e-mail address, or empty: checked with the schema's own pattern, so that both agree on every value."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=254, allow_blank=True, **kwargs)
        self.validators.append(RegexValidator(EMAIL, message=EmailValidator.message))


def refusals(serializer: serializers.Serializer, data: dict) -> dict:
    """Well-formed values that Tandem's rules refuse (dates outside the years of its records, a `past` date in
    the future), as field messages; checked only once the whole request matches the schema."""
    errors: dict = {}
    for name, field in serializer.fields.items():
        value = data.get(name)
        if value is None:
            continue
        if isinstance(field, Input):
            if nested := refusals(field, value):
                errors[name] = nested
        elif isinstance(field, Day | Moment) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            errors[name] = [_("Enter a date between the years {first} and {last}.").format(**RECORD_YEARS)]
        elif isinstance(field, Day) and field.past and value > timezone.localdate():
            errors[name] = [_("This date cannot be in the future.")]
    if not errors and isinstance(serializer, Input):
        errors = serializer.refuse(data)
    return errors


def record_id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


WRONG_TYPE = {
    bool: _("Expected true or false."),
    int: _("Expected a whole number."),
    str: _("Expected a string."),
}


def _json_type(field: serializers.Field) -> type | None:
    """The JSON type a field takes, where DRF would otherwise coerce (1 into "1", "true" into True)."""
    if isinstance(field, serializers.BooleanField):
        return bool
    if isinstance(field, serializers.ChoiceField):
        kinds = {type(value) for value in field.choices}
        return kinds.pop() if len(kinds) == 1 else None
    if isinstance(field, serializers.IntegerField):
        return int
    textual = serializers.CharField | serializers.UUIDField | serializers.DateField | serializers.DateTimeField
    if isinstance(field, textual | serializers.TimeField):
        return str
    return None


def _raw_errors(field: serializers.Field, value: object) -> object:
    """Messages for values of the wrong JSON type or too long as sent (None when all are right), shaped as DRF's
    errors."""
    if value is None:
        return None  # allow_null is the field's own rule
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        errors = {i: error for i, item in enumerate(value) if (error := _raw_errors(field.child, item))}
        return errors or None
    if isinstance(field, serializers.DictField) and isinstance(value, dict):
        errors = {key: error for key, item in value.items() if (error := _raw_errors(field.child, item))}
        return errors or None
    expected = _json_type(field)
    # An exact type: bool is a subclass of int in Python, never in JSON.
    if expected is not None and type(value) is not expected:
        return [WRONG_TYPE[expected]]
    # The length as sent, as the schema counts it (DRF would count it after trimming white space).
    if (
        isinstance(field, serializers.CharField)
        and isinstance(value, str)
        and len(value) > (field.max_length or len(value))
    ):
        return [field.error_messages["max_length"].format(max_length=field.max_length)]
    return None


class Input(serializers.Serializer):
    """Base for request bodies: unknown keys, values of the wrong JSON type and text longer than allowed as sent
    are errors, never dropped, converted or trimmed into shape."""

    # Rules across fields, as JSON Schema keywords for the schema (api.schema.ClosedRequestBody); only those that
    # generated clients understand (no anyOf: it turns a body into a union). Other rules go to `refuse`.
    schema_rules: dict = {}

    def refuse(self, attrs: dict) -> dict:
        """Field messages for well-formed values that a rule across fields refuses (a 409, see `refusals`)."""
        return {}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
            wrong = {
                name: error for name, field in self.fields.items() if (error := _raw_errors(field, data.get(name)))
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


# --- Shared output pieces --------------------------------------------------------------------------


class StaffOut(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class NamedOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TandemOut(serializers.Serializer):
    case_manager = StaffOut(allow_null=True)
    co_worker = StaffOut(allow_null=True)


# --- Cases -----------------------------------------------------------------------------------------


class CaseListOut(serializers.Serializer):
    """A case as lists show it: pseudonym and case attributes, never identity."""

    id = serializers.UUIDField()
    pseudonym = serializers.CharField(source="client.pseudonym")
    programme = NamedOut()
    team = NamedOut()
    state = serializers.ChoiceField(choices=State.choices)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, allow_blank=True)
    setting = serializers.ChoiceField(choices=Setting.choices)
    participation = serializers.ChoiceField(choices=Participation.choices)
    ideology = serializers.ChoiceField(choices=Ideology.choices)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    security_relevant = serializers.BooleanField()
    opened_on = serializers.DateField()
    last_contact_at = serializers.DateTimeField(allow_null=True)
    tandem = serializers.SerializerMethodField()

    @extend_schema_field(TandemOut)
    def get_tandem(self, case) -> dict:
        # `current_tandem`: prefetched for lists (cases.selectors.with_current_tandem), read on use for one case.
        by_role = {a.role: a.staff for a in case.current_tandem}

        def person(role: str) -> dict | None:
            staff = by_role.get(role)
            return None if staff is None else {"id": staff.pk, "display_name": staff.display_name}

        return {"case_manager": person(AssignmentRole.CASE_MANAGER), "co_worker": person(AssignmentRole.CO_WORKER)}


class AssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    staff = StaffOut()
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    task = serializers.CharField()


class CaseDetailOut(CaseListOut):
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices)
    state_changed_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    assignments = AssignmentOut(many=True, source="all_assignments")


class CaseFilterIn(serializers.Serializer):
    """Query parameters of the case list (other parameters, such as `page`, are left to the paginator)."""

    def to_internal_value(self, data):
        # DRF reads `?state=` as no filter at all; the schema does not allow an empty value, so neither does the API.
        empty = [name for name in self.fields if data.get(name) == ""]
        if empty:
            raise serializers.ValidationError(
                {name: [_("Leave out a filter rather than send it empty.")] for name in empty}
            )
        return super().to_internal_value(data)

    state = serializers.ChoiceField(choices=State.choices, required=False)
    setting = serializers.ChoiceField(choices=Setting.choices, required=False)
    ideology = serializers.ChoiceField(choices=Ideology.choices, required=False)
    worker = record_id(required=False, help_text="Only cases this staff member (user id) currently works on.")
    q = serializers.CharField(
        required=False, trim_whitespace=False, max_length=12, help_text="Pseudonym prefix, any letter case."
    )


class IdentityIn(Input):
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=20
    )
    date_of_birth = Day(required=False, allow_null=True, default=None, past=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    email = Email(required=False)
    address = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate_aliases(self, value: list[str]) -> list[str]:
        return [" ".join(alias.split()) for alias in value if alias.strip()]

    def refuse(self, attrs: dict) -> dict:
        if not (attrs["given_name"].strip() or attrs["family_name"].strip() or attrs["aliases"]):
            return {"given_name": [_("Enter at least a name or an alias.")]}
        return {}


class EnquiryIn(Input):
    team = record_id(help_text="Id of a team you work in; the case belongs to that team's programme.")
    identity = IdentityIn()
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices)
    setting = serializers.ChoiceField(choices=Setting.choices)
    participation = serializers.ChoiceField(choices=Participation.choices)
    ideology = serializers.ChoiceField(choices=Ideology.choices)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, default=LegalStatus.NONE)
    security_relevant = serializers.BooleanField(default=False)
    opened_on = Day(required=False)


class CaseAttributesIn(Input):
    """PATCH body: any of these; the state changes only through transitions."""

    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, required=False)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    security_relevant = serializers.BooleanField(required=False)
    setting = serializers.ChoiceField(choices=Setting.choices, required=False)
    participation = serializers.ChoiceField(choices=Participation.choices, required=False)
    ideology = serializers.ChoiceField(choices=Ideology.choices, required=False)
    team = record_id(required=False, help_text="Another team of the case's programme.")

    schema_rules = {"minProperties": 1}

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError(_("Send at least one attribute to change."))
        return attrs


class IdentityOut(serializers.Serializer):
    pseudonym = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    date_of_birth = serializers.CharField(help_text="YYYY-MM-DD, or empty when unknown.")
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()

    def to_representation(self, client) -> dict:
        data = super().to_representation(client)
        # Sealed fields hold None when never filled; the API speaks empty strings.
        return {key: ("" if value is None else value) for key, value in data.items()}


class LookupIn(Input):
    name = serializers.CharField(
        max_length=200, help_text="The client's full name or an alias, exactly (letter case and accents are ignored)."
    )

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Enter a name."))
        return value


class LookupOut(serializers.Serializer):
    results = CaseListOut(many=True)


# --- Transitions -----------------------------------------------------------------------------------


class TransitionIn(Input):
    to_state = serializers.ChoiceField(choices=State.choices)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    at = Moment(required=False, help_text="When the move happened; defaults to now.")


class TransitionOut(serializers.Serializer):
    id = serializers.UUIDField()
    from_state = serializers.ChoiceField(choices=State.choices, allow_blank=True)
    to_state = serializers.ChoiceField(choices=State.choices)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, allow_blank=True)
    at = serializers.DateTimeField()
    by = StaffOut(allow_null=True)
    note = serializers.CharField(allow_null=True)


# --- Contacts --------------------------------------------------------------------------------------


class ContactIn(Input):
    occurred_at = Moment()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=1440)
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    participants = serializers.ListField(
        child=serializers.ChoiceField(choices=Participant.choices),
        allow_empty=False,
        max_length=len(Participant.choices),
    )
    topics = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        default=list,
        max_length=50,
        help_text="Topic codes of the case's programme.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")


class ContactOut(serializers.Serializer):
    id = serializers.UUIDField()
    occurred_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    participants = serializers.ListField(child=serializers.ChoiceField(choices=Participant.choices))
    topics = serializers.SerializerMethodField(help_text="Topic codes, alphabetical.")
    note = serializers.CharField(allow_null=True)
    recorded_by = StaffOut()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_topics(self, contact) -> list[str]:
        return sorted(topic.code for topic in contact.topics.all())


# --- Agreement -------------------------------------------------------------------------------------


class AgreementIn(Input):
    base_number = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text=("The revision number this text was based on (0 for the first); a newer revision makes this a 409."),
    )
    objectives = serializers.CharField(max_length=20000)
    commitments = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    agreed_on = Day()
    confirmation = serializers.ChoiceField(choices=ConfirmationMethod.choices)


class AgreementRevisionOut(serializers.Serializer):
    number = serializers.IntegerField()
    objectives = serializers.CharField(allow_null=True)
    commitments = serializers.CharField(allow_null=True)
    agreed_on = serializers.DateField()
    confirmation = serializers.ChoiceField(choices=ConfirmationMethod.choices)
    recorded_by = StaffOut()
    recorded_at = serializers.DateTimeField()


class AgreementOut(serializers.Serializer):
    current = AgreementRevisionOut(allow_null=True)
    revisions = serializers.ListField(child=serializers.IntegerField(), help_text="Revision numbers, newest first.")


# --- Plan ------------------------------------------------------------------------------------------


class ServiceOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    name = serializers.CharField()
    provider = serializers.ChoiceField(choices=Provider.choices)
    provider_name = serializers.CharField()
    status = serializers.ChoiceField(choices=ServiceStatus.choices)
    details = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class GoalOut(serializers.Serializer):
    id = serializers.UUIDField()
    description = serializers.CharField(allow_null=True)
    owner = serializers.ChoiceField(choices=GoalOwner.choices)
    target_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=GoalStatus.choices)
    created_at = serializers.DateTimeField()


class GoalWithServicesOut(GoalOut):
    services = ServiceOut(many=True)


class NeedOut(serializers.Serializer):
    id = serializers.UUIDField()
    domain = serializers.ChoiceField(choices=NeedDomain.choices)
    description = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=NeedStatus.choices)
    created_at = serializers.DateTimeField()


class NeedWithGoalsOut(NeedOut):
    goals = GoalWithServicesOut(many=True)


class PlanOut(serializers.Serializer):
    needs = NeedWithGoalsOut(many=True)


class NeedIn(Input):
    domain = serializers.ChoiceField(choices=NeedDomain.choices)
    description = serializers.CharField(max_length=10000)


class GoalIn(Input):
    description = serializers.CharField(max_length=10000)
    owner = serializers.ChoiceField(choices=GoalOwner.choices, default=GoalOwner.CLIENT_AND_TANDEM)
    target_date = Day(required=False, allow_null=True, default=None)


class ServiceIn(Input):
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    name = serializers.CharField(max_length=120)
    provider = serializers.ChoiceField(choices=Provider.choices, default=Provider.INTERNAL)
    provider_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    details = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    status = serializers.ChoiceField(choices=ServiceStatus.choices, default=ServiceStatus.PROPOSED)


class NeedStatusIn(Input):
    status = serializers.ChoiceField(choices=NeedStatus.choices)
    seen_status = serializers.ChoiceField(
        choices=NeedStatus.choices,
        required=False,
        help_text=_(
            "The status the change was based on; if it has changed since, the answer is 409 and nothing is written."
        ),
    )


class GoalStatusIn(Input):
    status = serializers.ChoiceField(choices=GoalStatus.choices)
    seen_status = serializers.ChoiceField(
        choices=GoalStatus.choices,
        required=False,
        help_text=_(
            "The status the change was based on; if it has changed since, the answer is 409 and nothing is written."
        ),
    )


class ServiceStatusIn(Input):
    status = serializers.ChoiceField(choices=ServiceStatus.choices)
    seen_status = serializers.ChoiceField(
        choices=ServiceStatus.choices,
        required=False,
        help_text=_(
            "The status the change was based on; if it has changed since, the answer is 409 and nothing is written."
        ),
    )
