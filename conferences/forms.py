"""Forms for the conference pages. They check the shape of the input; conferences.services checks the rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.forms import TandemForm
from sharing.models import Partner
from sharing.policy import Ground
from tandem import widgets

from .models import ActionStatus, ClientInvolvement, Mode, Purpose

DATE_INVALID = _("Enter the date as day, month and year.")


def programme_staff(case):
    """Staff of the case's organisation who do casework; the service checks exclusions."""
    return (
        User.objects.filter(
            organisation_id=case.programme.organisation_id,
            is_active=True,
            role_grants__role__in=[Role.PRACTITIONER, Role.SUPERVISOR, Role.SPECIALIST],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def directory(case):
    return Partner.objects.filter(organisation_id=case.programme.organisation_id, active=True).order_by(
        "category", "name"
    )


class ConferenceForm(TandemForm):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Enter the date and time of the conference."), "invalid": DATE_INVALID},
    )
    mode = forms.ChoiceField(label=_("Format"), choices=Mode.choices, initial=Mode.IN_PERSON, widget=forms.RadioSelect)
    place = forms.CharField(
        label=_("Place or online room"),
        max_length=200,
        required=False,
        help_text=_("Where the participants meet. For an online meeting, name the tool, not the link."),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("Choose a purpose")), *Purpose.choices],
        error_messages={"required": _("Choose the purpose of the conference.")},
    )
    purpose_note = forms.CharField(
        label=_("What the conference should settle"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the programme's staff only; stored encrypted, not part of the pack."),
    )
    chair = forms.ModelChoiceField(
        label=_("Chair (staff member)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("A partner organisation chairs"),
    )
    chair_partner = forms.ModelChoiceField(
        label=_("Chair (partner organisation)"), queryset=Partner.objects.none(), required=False, empty_label=_("None")
    )
    client_involvement = forms.ChoiceField(
        label=_("How was the client involved in preparing it?"),
        choices=ClientInvolvement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the client was involved.")},
    )
    involvement_reason = forms.CharField(
        label=_("Why is the client not informed?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the client is not informed. Stored encrypted."),
    )
    staff_participants = forms.ModelMultipleChoiceField(
        label=_("Programme staff taking part"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = programme_staff(case)
        cast(forms.ModelChoiceField, self.fields["chair"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["staff_participants"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["chair_partner"]).queryset = directory(case)
        for name in ("chair", "staff_participants"):
            widgets.choice_labels(self.fields[name], lambda user: user.display_name)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "scheduled_at",
                "mode",
                "place",
                "purpose",
                "purpose_note",
                "chair",
                "chair_partner",
                "client_involvement",
                "involvement_reason",
            )
        } | {"staff_participants": list(data["staff_participants"])}


class ParticipantForm(TandemForm):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Partner.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose the participant's organisation.")},
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.CharField(
        label=_("Role"),
        max_length=120,
        required=False,
        help_text=_("For example: probation officer, prison social worker."),
    )

    def __init__(self, *args, case, **kwargs) -> None:
        kwargs.setdefault("auto_id", "participant-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = directory(case)
        widgets.choice_labels(self.fields["partner"], lambda p: f"{p.name} ({p.get_category_display()})")


class StaffParticipantForm(TandemForm):
    staff = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=User.objects.none(),
        empty_label=_("Choose a staff member"),
        error_messages={"required": _("Choose a staff member.")},
    )

    def __init__(self, *args, case, **kwargs) -> None:
        kwargs.setdefault("auto_id", "staff-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = programme_staff(case)
        widgets.choice_labels(self.fields["staff"], lambda user: user.display_name)


class AttendanceForm(TandemForm):
    attended = forms.MultipleChoiceField(label=_("Who attended"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, conference, **kwargs) -> None:
        kwargs.setdefault("auto_id", "attendance-%s")
        super().__init__(*args, **kwargs)
        participants = list(conference.participants.select_related("staff", "partner"))
        cast(forms.ChoiceField, self.fields["attended"]).choices = [(str(p.pk), p.label()) for p in participants]
        self.initial.setdefault("attended", [str(p.pk) for p in participants if p.attended])


class SummaryForm(TandemForm):
    summary_text = forms.CharField(
        label=_("Summary for the participants"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "No names, dates of birth, places or other details that identify the client. A colleague reviews "
            "it before it goes into the pack. Stored encrypted."
        ),
    )


class PackForm(TandemForm):
    participants = forms.MultipleChoiceField(
        label=_("Send the pack to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one participant.")},
    )
    ground = forms.ChoiceField(label=_("Ground for sharing"), choices=Ground.choices, initial=Ground.CONSENT)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("For a legal ground: the law or order it rests on."),
    )

    def __init__(self, *args, conference, **kwargs) -> None:
        kwargs.setdefault("auto_id", "pack-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["participants"]).choices = [
            (str(p.pk), p.label()) for p in conference.participants.select_related("partner") if p.is_external
        ]


class DecisionForm(TandemForm):
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Stored encrypted.")
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)


class ActionForm(TandemForm):
    description = forms.CharField(label=_("Agreed action"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ChoiceField(label=_("Who does it"), error_messages={"required": _("Choose who owns the action.")})
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_INVALID},
    )

    def __init__(self, *args, conference, **kwargs) -> None:
        kwargs.setdefault("auto_id", "action-%s")
        super().__init__(*args, **kwargs)
        participants = conference.participants.select_related("staff", "partner")
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", _("Choose a participant")),
            *[(str(p.pk), p.label()) for p in participants],
        ]
        self.fields["owner"].error_messages["invalid_choice"] = _("Choose a participant of this conference.")


class ActionStatusForm(TandemForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        error_messages={
            "required": _("Choose a status from the list."),
            "invalid_choice": _("Choose a status from the list."),
        },
    )


class RevealForm(TandemForm):
    participants = forms.MultipleChoiceField(
        label=_("Reveal the identity to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the participants.")},
    )
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[("", _("Choose a ground")), *Ground.choices],
        error_messages={"required": _("Choose the ground on which identity is revealed.")},
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("For a legal ground: the law or order it rests on."),
    )
    ground_note = forms.CharField(
        label=_("Why the conference decided this"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Stored encrypted."),
    )

    def __init__(self, *args, conference, **kwargs) -> None:
        kwargs.setdefault("auto_id", "reveal-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["participants"]).choices = [
            (str(p.pk), p.label()) for p in conference.participants.select_related("staff", "partner")
        ]
