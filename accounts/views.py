"""Sign-in pages: password, second factor (or enrolment), re-authentication, sign-out, API tokens."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from audit.middleware import client_ip
from audit.models import Outcome
from audit.services import audit_record
from tandem.forms import form_status

from . import otp, services
from .forms import CodeForm, EnrolForm, ReauthForm, SignInForm, TokenIssueForm, TokenRevokeForm
from .models import ApiToken, User, UserSession
from .reauth import REAUTH_SESSION_KEY, mark_reauthenticated, reauth_required

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest

PASSWORD_AT_SESSION_KEY = "tandem_password_at"  # nosec B105 # the name of a session key, not a password


def _next_url(request: AuthenticatedHttpRequest, default: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _is_verified(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.session_register(
            user=form.get_user(), session_key=self.request.session.session_key, ip=client_ip(self.request)
        )
        self.request.session[PASSWORD_AT_SESSION_KEY] = time.time()
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = form_status(form)
        return response

    def get_success_url(self):
        return (
            reverse("second_factor") + "?next=" + self.get_redirect_url()
            if self.get_redirect_url()
            else reverse("second_factor")
        )


def _complete_second_factor(request: AuthenticatedHttpRequest, device) -> None:
    """Mark the session verified under a fresh session key, and register that key."""
    old_key = request.session.session_key
    request.session.cycle_key()
    services.session_forget(session_key=old_key)
    otp_login(request, device)
    # Password and code were just given: that counts as re-authentication from the moment of the password.
    password_at = request.session.pop(PASSWORD_AT_SESSION_KEY, None)
    if password_at is not None:
        request.session[REAUTH_SESSION_KEY] = password_at
    request.session.save()
    services.session_register(user=request.user, session_key=request.session.session_key, ip=client_ip(request))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _is_verified(request.user):
        return HttpResponseRedirect(_next_url(request))
    if not otp.has_second_factor(request.user):
        target = reverse("otp_enrol")
        if request.GET.get("next"):
            target += "?" + request.GET.urlencode()
        return HttpResponseRedirect(target)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.verify_second_factor(request.user, form.cleaned_data["code"])
        if device is not None:
            _complete_second_factor(request, device)
            if otp.recovery_codes_left(request.user) <= 3:
                messages.warning(
                    request,
                    _("You have few recovery codes left. Create new ones on the “Sign-in and API tokens” page."),
                )
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "code",
            _("This code is not valid, or it was already used. Wait for the next code in your app and try again."),
        )
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request, default="")},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm with a code, keep the
    recovery codes, which are shown only here, only once."""
    if otp.has_second_factor(request.user):
        return HttpResponseRedirect(reverse("second_factor") if not _is_verified(request.user) else _next_url(request))
    device = otp.enrolment_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.enrolment_confirm(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _complete_second_factor(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error(
            "code",
            _("This code does not match. Check that the app shows the code for Tandem and type the code it shows now."),
        )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": otp.qr_svg(device),
            "secret": otp.base32_secret(device),
            "next": _next_url(request, default=""),
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        password_ok = user.check_password(form.cleaned_data["password"])
        code_ok = password_ok and otp.verify_totp(user, form.cleaned_data["code"], purpose="reauth")
        if password_ok and code_ok:
            mark_reauthenticated(request)
            audit_record("auth.reauth", object_type="user", object_id=str(user.pk), actor=user)
            return HttpResponseRedirect(_next_url(request))
        if not password_ok:
            services.signin_failure_record(username=user.get_username())
        audit_record(
            "auth.reauth_failed", object_type="user", object_id=str(user.pk), outcome=Outcome.DENIED, actor=user
        )
        form.add_error(
            None, _("The password or the code did not match. Type your password and the code your app shows now.")
        )
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "next": _next_url(request, default="")},
        status=form_status(form),
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out; with ``everywhere`` every other session of the user ends too. The browser is told to forget
    the site's cookies, storage and cache."""
    user = request.user
    if user.is_authenticated:
        if request.POST.get("everywhere"):
            services.sessions_end(user=user, keep=request.session.session_key)
            audit_record("auth.logout_everywhere", object_type="user", object_id=str(user.pk), actor=user)
        services.session_forget(session_key=request.session.session_key)
    auth_logout(request)
    response = HttpResponseRedirect(reverse(settings.LOGOUT_REDIRECT_URL))
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def _creates_lasting_access(request: HttpRequest) -> bool:
    """Issuing a token or recovery codes: a stolen session must not turn into lasting access."""
    return request.method == "POST" and request.POST.get("action") in {"issue", "recovery_codes"}


@login_required
@reauth_required(when=_creates_lasting_access)
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's own API tokens (issue one, shown once; revoke), sessions and recovery codes."""
    user = request.user
    issue_form = TokenIssueForm(request.POST if request.POST.get("action") == "issue" else None)
    revoke_form = TokenRevokeForm(request.POST if request.POST.get("action") == "revoke" else None)
    context: dict = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue" and issue_form.is_valid():
            try:
                token, raw = services.api_token_issue(
                    user=user, name=issue_form.cleaned_data["name"], days=issue_form.cleaned_data["days"]
                )
            except ValidationError as exc:
                issue_form.add_service_error(exc)
            else:
                context["new_token"], context["new_raw"] = token, raw
                issue_form = TokenIssueForm()
        elif action == "revoke" and revoke_form.is_valid():
            try:
                services.api_token_revoke(user=user, token_id=revoke_form.cleaned_data["token"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The token was revoked. It no longer works."))
            return redirect("api_tokens")
        elif action == "recovery_codes":
            context["recovery_codes"] = otp.recovery_codes_issue(user)
        elif action not in {"issue", "revoke"}:
            return render(
                request,
                "accounts/api_tokens.html",
                {**_tokens_context(request), "issue_form": issue_form, "bad_request": True},
                status=400,
            )
    return render(
        request,
        "accounts/api_tokens.html",
        {**_tokens_context(request), "issue_form": issue_form, **context},
        status=form_status(issue_form, revoke_form),
    )


def _tokens_context(request: AuthenticatedHttpRequest) -> dict:
    user = request.user
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at")[:50])
    for token in tokens:
        token.usable = token.revoked_at is None and token.expires_at > now
    return {
        "tokens": tokens,
        "sessions": UserSession.objects.filter(user=user).order_by("-last_seen"),
        "current_session": request.session.session_key,
        "recovery_left": otp.recovery_codes_left(user),
    }
