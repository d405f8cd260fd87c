"""Sign-in forms. Every failed password sign-in gives the same answer, whether the name exists or not."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms import TandemForm

from . import selectors, services

SIGNIN_REFUSED = _(
    "The username and password did not match, or sign-in for this username is paused after too "
    "many failed attempts. Please check and try again later."
)


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": SIGNIN_REFUSED, "inactive": SIGNIN_REFUSED}

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        if selectors.signin_locked(username=username):
            # The same work and the same answer as a wrong password: a lock reveals nothing about the name.
            authenticate(self.request, username=username, password=password)
            services.signin_failure_record(username=username, locked=True)
            raise self.get_invalid_login_error()
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None or not self.user_cache.is_active:
            services.signin_failure_record(username=username)
            raise self.get_invalid_login_error()
        services.signin_success(username=username)
        return self.cleaned_data

    def get_invalid_login_error(self):
        return ValidationError(SIGNIN_REFUSED, code="invalid_login")


class CodeForm(TandemForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
    )


class EnrolForm(TandemForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        strip=True,
        help_text=_("After adding Tandem to the app, type the 6-digit code it shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReauthForm(TandemForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenIssueForm(TandemForm):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example “probation import”, so you recognise it later."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class TokenRevokeForm(TandemForm):
    token = forms.IntegerField(widget=forms.HiddenInput)
