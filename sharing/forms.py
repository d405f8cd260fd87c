"""Forms for sharing pages: they check the shape of the input; sharing.services checks the rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import TandemForm

from .models import ConcernKind, ConsentForm, Partner
from .policy import DataCategory, Ground, Purpose, RecipientCategory
from .services import BREAK_GLASS_DEFAULT_HOURS, BREAK_GLASS_MAX_HOURS


def _blank(choices, label) -> list[tuple[str, str]]:
    return [("", label), *choices]


class _RecipientMixin:
    fields: dict[str, forms.Field]  # the form's

    def _setup_partner(self, organisation_id: int | None) -> None:
        partner = cast(forms.ModelChoiceField, self.fields["partner"])
        partner.queryset = (
            Partner.objects.filter(organisation_id=organisation_id, active=True)
            if organisation_id is not None
            else Partner.objects.none()
        )


class PartnerForm(TandemForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(
        label=_("Kind of organisation"), choices=_blank(RecipientCategory.choices, _("Choose…"))
    )
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("About the organisation only; never about a client."),
    )
    active = forms.BooleanField(label=_("Active partner"), required=False, initial=True)


class PartnerContactForm(TandemForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class ConsentRecordForm(_RecipientMixin, TandemForm):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Any partner of the category below"),
    )
    recipient_category = forms.ChoiceField(
        label=_("Recipient category"), required=False, choices=_blank(RecipientCategory.choices, _("From the partner"))
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Information the client agrees to share"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=_blank(Purpose.choices, _("Choose…")))
    form = forms.ChoiceField(label=_("How the consent was given"), choices=_blank(ConsentForm.choices, _("Choose…")))
    witness = forms.CharField(
        label=_("Witness"), max_length=200, required=False, help_text=_("For a verbal consent: who else heard it.")
    )
    given_on = forms.DateField(
        label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_partner(organisation_id)


class DisclosureForm(_RecipientMixin, TandemForm):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False, empty_label=_("No particular partner")
    )
    recipient_category = forms.ChoiceField(
        label=_("Recipient category"), required=False, choices=_blank(RecipientCategory.choices, _("From the partner"))
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Information to share"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=_blank(Purpose.choices, _("Choose…")))
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=_blank(
            [(value, text) for value, text in Ground.choices if value != Ground.IMMINENT_DANGER], _("Choose…")
        ),
        help_text=_("An imminent-danger alert is raised as a security concern and needs a second approval."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("For a legal ground: the law or the court order it rests on."),
    )
    channel = forms.CharField(
        label=_("Channel"),
        max_length=60,
        required=False,
        help_text=_("How it is sent, e.g. letter, encrypted e-mail, phone."),
    )
    content = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The facts of the chosen kinds are added for you. Never mention a pause, "
            "a withdrawal or dropping out unless the law requires it."
        ),
    )

    def __init__(self, *args, organisation_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_partner(organisation_id)

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not data.get("recipient_category"):
            self.add_error("recipient_category", _("Choose a partner or a recipient category."))
        return data


class ConcernForm(_RecipientMixin, TandemForm):
    kind = forms.ChoiceField(label=_("Whom the danger concerns"), choices=ConcernKind.choices, widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("What you observed and why it worries you"), widget=forms.Textarea(attrs={"rows": 5})
    )
    alert = forms.BooleanField(
        label=_("Alert an outside authority (imminent danger)"),
        required=False,
        help_text=_("A supervisor other than you must approve before the alert is sent."),
    )
    partner = forms.ModelChoiceField(
        label=_("Authority"), queryset=Partner.objects.none(), required=False, empty_label=_("No particular partner")
    )
    recipient_category = forms.ChoiceField(
        label=_("Recipient category"), required=False, choices=_blank(RecipientCategory.choices, _("From the partner"))
    )
    data_categories = forms.MultipleChoiceField(
        label=_("What the alert tells the authority"),
        required=False,
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    alert_content = forms.CharField(label=_("Alert message"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organisation_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_partner(organisation_id)


class BreakGlassForm(TandemForm):
    pseudonym = forms.CharField(label=_("Pseudonym of the case"), max_length=12)
    justification = forms.CharField(
        label=_("Why you must open this case now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The programme manager reviews every break-glass access."),
    )
    hours = forms.IntegerField(
        label=_("Hours of access"), min_value=1, max_value=BREAK_GLASS_MAX_HOURS, initial=BREAK_GLASS_DEFAULT_HOURS
    )


class ReviewForm(TandemForm):
    note = forms.CharField(label=_("Review note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
