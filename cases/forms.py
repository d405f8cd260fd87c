"""Forms for the casework pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from programmes.models import Ideology, Setting, Team, Topic
from tandem import widgets

from .lifecycle import ClosureReason, State, allowed_targets, transition_label
from .models import (
    AssignmentRole,
    Case,
    ContactKind,
    LegalStatus,
    Participant,
    Participation,
    ReferralSource,
    RiskLevel,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise


class TandemForm(forms.Form):
    """Marks fields with errors for assistive technology and takes a service's ValidationError whole."""

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                ids = [f"{self[name].auto_id}-error"]
                if self.fields[name].help_text:
                    ids.append(f"{self[name].auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(ids)

    def add_service_error(self, exc: ValidationError) -> None:
        """A service's errors onto their fields; errors on names this form lacks go to the top."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)


def _choices_with_blank(choices, blank_label) -> list[tuple[str, str]]:
    return [("", blank_label), *choices]


def _local_now_minutes():
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(TandemForm):
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), widget=forms.NumberInput(attrs={"min": 1, "max": 1440})
    )
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    participants = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=Participant.choices,
        widget=widgets.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who took part.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), required=False, widget=widgets.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=_("What happened, what was agreed, what comes next. Stored encrypted."),
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "occurred_at": _local_now_minutes(),
                "duration_minutes": 60,
                "kind": ContactKind.FACE_TO_FACE,
                "participants": [Participant.CLIENT],
            },
        )
        super().__init__(*args, **kwargs)
        self.case = case
        cast(forms.ModelChoiceField, self.fields["topics"]).queryset = Topic.objects.filter(
            programme_id=case.programme_id, active=True
        )

    def topic_groups(self) -> list[tuple[StrOrPromise, list]]:
        """The topic checkboxes, grouped by the programme's topic groups."""
        labels = dict(Topic.Group.choices)
        groups: OrderedDict[str, list] = OrderedDict((g, []) for g in Topic.Group.values)
        for checkbox in self["topics"]:
            groups[checkbox.data["value"].instance.group].append(checkbox)
        return [(labels[g], boxes) for g, boxes in groups.items() if boxes]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "duration_minutes": data["duration_minutes"],
            "kind": data["kind"],
            "participants": data["participants"],
            "topic_ids": [t.pk for t in data["topics"]],
            "note": data["note"],
        }


class EnquiryForm(TandemForm):
    team = forms.ModelChoiceField(label=_("Programme and team"), queryset=Team.objects.none(), empty_label=None)
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line. Aliases are also found by exact-name search."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    referral_source = forms.ChoiceField(label=_("Referred by"), choices=ReferralSource.choices)
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    participation = forms.ChoiceField(
        label=_("Participation"), choices=Participation.choices, help_text=_("Recorded as it is, never assumed.")
    )
    ideology = forms.ChoiceField(label=_("Ideology context"), choices=Ideology.choices)
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices, initial=LegalStatus.NONE)

    IDENTITY = ("given_name", "family_name", "aliases", "date_of_birth", "phone", "email", "address")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = enquiry_teams(user)
        widgets.choice_labels(self.fields["team"], lambda team: f"{team.programme.name} — {team.name}")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        identity = {
            k: (data[k].isoformat() if k == "date_of_birth" and data[k] else data[k] or "") for k in self.IDENTITY
        }
        return {
            "programme": data["team"].programme,
            "team": data["team"],
            "identity": identity,
            "referral_source": data["referral_source"],
            "setting": data["setting"],
            "participation": data["participation"],
            "ideology": data["ideology"],
            "legal_status": data["legal_status"],
        }


def enquiry_teams(user: User) -> QuerySet[Team]:
    """The teams in which this user opens cases: where they are a practitioner or supervisor."""
    if user.organisation_id is None:
        return Team.objects.none()
    return (
        Team.objects.filter(
            role_grants__user=user,
            role_grants__role__in=[Role.PRACTITIONER, Role.SUPERVISOR],
            programme__organisation_id=user.organisation_id,
        )
        .select_related("programme")
        .distinct()
        .order_by("programme__name", "name")
    )


def _target_label(source: str, target: str) -> str:
    """E.g. "Suspend — Suspended"; or just the state where the verb is the state's own name."""
    verb, state = transition_label(source, target), str(State(target).label)
    return state if verb == state else f"{verb} — {state}"


class TransitionForm(TandemForm):
    to_state = forms.ChoiceField(label=_("Move the case to"), widget=forms.RadioSelect)
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=_choices_with_blank(ClosureReason.choices, _("— only when closing —")),
        help_text=_("Dropping out is the client's right; the reason is recorded, never held against them."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_state"]).choices = [
            (t, _target_label(case.state, t)) for t in allowed_targets(case.state)
        ]
        self.fields["to_state"].error_messages["invalid_choice"] = _(
            "This case cannot move to that state from “%(state)s”."
        ) % {"state": State(case.state).label}

    def clean(self):
        data = super().clean()
        if data.get("to_state") == State.CLOSED and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Choose the reason the case closes."))
        return data


class AttributesForm(TandemForm):
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    security_relevant = forms.BooleanField(
        label=_("Security-relevant"),
        required=False,
        help_text=_("The case needs the security procedures of the programme."),
    )
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    participation = forms.ChoiceField(label=_("Participation"), choices=Participation.choices)
    ideology = forms.ChoiceField(label=_("Ideology context"), choices=Ideology.choices)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("initial", {name: getattr(case, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.case = case

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if getattr(self.case, k) != v}


class AssignmentForm(TandemForm):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role on the case"), choices=AssignmentRole.choices)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label=_("Until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    task = forms.CharField(label=_("Task (for specialists)"), required=False, max_length=200)

    def __init__(self, *args, staff_queryset, **kwargs) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff_queryset
        widgets.choice_labels(self.fields["staff"], lambda user: user.display_name)


class EndAssignmentForm(TandemForm):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class EraseForm(TandemForm):
    pseudonym = forms.CharField(
        label=_("Type the client's pseudonym to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, expected: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_pseudonym(self) -> str:
        value = self.cleaned_data["pseudonym"].strip().upper()
        if value != self.expected.upper():
            raise ValidationError(_("That is not this client's pseudonym. Nothing was erased."))
        return value


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A pseudonym (or its beginning) or a client's exact full name or alias."),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=_choices_with_blank(State.choices, _("Any state"))
    )
    setting = forms.ChoiceField(
        label=_("Setting"), required=False, choices=_choices_with_blank(Setting.choices, _("Any setting"))
    )
    ideology = forms.ChoiceField(
        label=_("Ideology context"), required=False, choices=_choices_with_blank(Ideology.choices, _("Any context"))
    )
    worker = forms.ModelChoiceField(
        label=_("Worker"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )

    def __init__(self, *args, workers, shown_workers=None, **kwargs) -> None:
        """`workers` may be chosen; `shown_workers` (default: all of them) are listed in the drop-down."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = workers
        widgets.choice_labels(self.fields["worker"], lambda user: user.display_name)
        if shown_workers is not None:
            self.fields["worker"].widget.choices = [
                ("", cast(forms.ModelChoiceField, self.fields["worker"]).empty_label)
            ] + [(user.pk, user.display_name) for user in shown_workers]
