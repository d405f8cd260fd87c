"""Forms for release planning, conferences and the on-call roster. They check shape; services check rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.forms import PlanningForm
from tandem import widgets

from .models import ConferenceKind, NetworkGroup

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}
DATE_ERRORS = {"invalid": _("Enter the date as day, month and year.")}
DATETIME_ERRORS = {"invalid": _("Enter a date and a time."), "required": _("Enter a date and a time.")}


def _text(label, help_text="", rows=3):
    return forms.CharField(
        label=label, required=False, strip=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class ReleasePlanForm(PlanningForm):
    release_on = forms.DateField(
        label=_("Release date"),
        widget=forms.DateInput(attrs=DATE),
        error_messages={**DATE_ERRORS, "required": _("Enter the release date.")},
    )
    release_time = forms.TimeField(
        label=_("Release time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("When the client leaves the prison; 08:00 if you do not know yet."),
    )
    place = forms.CharField(label=_("Place of release"), required=False, max_length=300)
    follow_up_months = forms.TypedChoiceField(
        label=_("Follow-up conference after"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(3, _("3 months")), (6, _("6 months"))],
    )
    housing = _text(_("Housing"), _("Where will the client live from the first night on?"))
    income = _text(_("Income"), _("Benefits applied for, first payment, money for the first days."))
    work_education = _text(_("Work or education"))
    daily_structure = _text(_("Daily structure"))
    health_care = _text(_("Health care"), _("Doctor, medication, therapy after release."))
    met_by = _text(_("Who meets the client on the day"), rows=2)
    first_days_contacts = _text(
        _("Contacts for the first 72 hours"),
        _("Family, friends and services the client can turn to, with how to reach them."),
    )


class ReleaseContactForm(PlanningForm):
    staff: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=None,
        error_messages={
            "required": _("Choose a staff member."),
            "invalid_choice": _("Choose a staff member from the list."),
        },
    )
    starts_at = forms.DateTimeField(
        label=_("Reachable from"), widget=forms.DateTimeInput(attrs=DATETIME), error_messages=DATETIME_ERRORS
    )
    ends_at = forms.DateTimeField(
        label=_("Reachable until"), widget=forms.DateTimeInput(attrs=DATETIME), error_messages=DATETIME_ERRORS
    )

    def __init__(self, *args, staff: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff
        widgets.choice_labels(self.fields["staff"], lambda u: u.display_name)


class OnCallShiftForm(ReleaseContactForm):
    starts_at = forms.DateTimeField(
        label=_("On call from"), widget=forms.DateTimeInput(attrs=DATETIME), error_messages=DATETIME_ERRORS
    )
    ends_at = forms.DateTimeField(
        label=_("On call until"), widget=forms.DateTimeInput(attrs=DATETIME), error_messages=DATETIME_ERRORS
    )


class ConferenceForm(PlanningForm):
    kind = forms.ChoiceField(label=_("Conference"), choices=ConferenceKind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(
        label=_("Held on"),
        widget=forms.DateInput(attrs=DATE),
        error_messages={**DATE_ERRORS, "required": _("Enter the date the conference took place.")},
    )
    groups = forms.MultipleChoiceField(
        label=_("Who took part"), choices=NetworkGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    participant_count = forms.IntegerField(
        label=_("Number of participants (not counting the client)"), min_value=0, required=False
    )
    client_present = forms.BooleanField(label=_("The client took part"), required=False, initial=True)
    network_time_alone = forms.BooleanField(label=_("The network met partly without professionals"), required=False)
    outcome = _text(_("What was agreed"), _("The plan the network drafted, in plain words."), rows=6)
