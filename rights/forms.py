"""Forms for the data-protection pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import TandemForm

from .models import HoldBasis


class RestrictionForm(TandemForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the client contests the accuracy of the record, or has objected to its processing."),
    )


class LegalHoldForm(TandemForm):
    basis = forms.ChoiceField(label=_("Legal basis"), choices=[("", _("Choose …")), *HoldBasis.choices])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the file number of the proceedings."),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("If the end is not known yet, give no date and release the hold when it ends."),
    )


class ReleaseHoldForm(TandemForm):
    hold = forms.UUIDField(widget=forms.HiddenInput)


class IdentityCorrectionForm(TandemForm):
    given_name = forms.CharField(label=_("Given name"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One alias per line."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: the client showed a corrected document. The previous values are kept in the history."
        ),
    )

    IDENTITY = ("given_name", "family_name", "aliases", "date_of_birth", "phone", "email", "address")

    @classmethod
    def for_client(cls, client, data=None):
        initial = {name: getattr(client, name) or "" for name in cls.IDENTITY}
        return cls(data, initial=initial)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        identity = {name: data[name] for name in self.IDENTITY}
        identity["date_of_birth"] = data["date_of_birth"].isoformat() if data["date_of_birth"] else ""
        identity["aliases"] = "\n".join(a.strip() for a in (data["aliases"] or "").splitlines() if a.strip())
        return {"reason": data["reason"], **identity}


class AccessReportForm(TandemForm):
    FORMATS = [
        ("html", _("A readable document (print it or save it as PDF)")),
        ("json", _("Machine-readable JSON (download)")),
    ]
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="html")
    confirm = forms.BooleanField(label=_("The client (or their representative) asked for this copy of their data"))


class RetentionForm(TandemForm):
    programme = forms.IntegerField(widget=forms.HiddenInput)
    retention_closed_months = forms.IntegerField(label=_("Keep closed cases for (months)"), min_value=1, max_value=360)
    retention_not_taken_up_months = forms.IntegerField(
        label=_("Keep declined or not accepted signals for (months)"), min_value=1, max_value=360
    )


class BreachForm(TandemForm):
    username = forms.CharField(label=_("Account (user name)"), max_length=150)
    start = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("To"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("The end of the window must be after its start."))
        return data
