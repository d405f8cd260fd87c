"""Two-step sign-in, lock-out, sessions that end on the server, re-authentication, security headers."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import ApiToken, SignInThrottle, UserSession
from accounts.reauth import REAUTH_SESSION_KEY, api_reauth_ok
from accounts.testing import TEST_TOTP_SECRET, TandemClient, totp_code
from audit.models import AuditEntry
from tandem.tests.test_authorization_matrix import ROUTES, build_path, matrix, non_admin_patterns  # noqa: F401

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


def password_step(username: str, password: str = PASSWORD, client: Client | None = None):
    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def second_step(client, code: str, next_url: str = ""):
    return client.post(reverse("second_factor") + (f"?next={next_url}" if next_url else ""), {"code": code})


def walk(ids: dict, methods_wanted: set[str] | None = None):
    """(name, method, path) for every route the world's ids can fill (others need their own fixtures)."""
    patterns = non_admin_patterns()
    for name, (_scope, methods) in ROUTES.items():
        try:
            path = build_path(patterns[name], ids)
        except AssertionError:
            continue
        for method in sorted(methods & methods_wanted if methods_wanted else methods):
            yield name, method, path


def reset_last_code(user) -> None:
    """Let the current code be used again (as if the next 30-second step had come)."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1)


@pytest.fixture
def ids(matrix):  # noqa: F811 (the authorization matrix's ids: every URL parameter of every route)
    return matrix[0]["own"]


# The second factor is required everywhere -----------------------------------------------------------


def test_password_alone_reaches_no_page_and_no_api_route(world, ids):
    client, response = password_step("case_manager")
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor"))
    open_pages = {"login", "logout", "second_factor", "otp_enrol", "set_language"}
    walked = 0
    for name, method, path in walk(ids):
        if name in open_pages:
            continue
        walked += 1
        if True:
            if path.startswith("/api/"):
                response = getattr(client, method.lower())(path, data={}, content_type="application/json")
                assert response.status_code in {401, 403}, f"{method} {path}: {response.status_code}"
            else:
                response = getattr(client, method.lower())(path)
                assert response.status_code == 302, f"{method} {path}: {response.status_code}"
                assert response["Location"].startswith(reverse("second_factor")), f"{method} {path}"
            assert b"ZEBRAOWN" not in response.content and b"Okonkwo" not in response.content
    assert walked > 40
    assert client.get("/admin/").status_code == 302


def test_second_factor_opens_the_pages_and_a_code_is_refused_the_second_time(world, ids):
    client, _ = password_step("case_manager")
    code = totp_code(TEST_TOTP_SECRET)
    response = second_step(client, code, next_url=reverse("case_detail", kwargs={"case_id": ids["case_id"]}))
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_detail", kwargs={"case_id": ids["case_id"]}
    )
    assert client.get(response["Location"]).status_code == 200
    # The same code, in another session of the same person: refused (django-otp's last_t).
    other, _ = password_step("case_manager")
    response = second_step(other, code)
    assert response.status_code == 400 and b"already used" in response.content
    assert other.get(reverse("caseload")).status_code == 302
    assert AuditEntry.objects.filter(action="auth.otp_failed", object_id=str(world.case_manager.pk)).exists()


def test_wrong_code_is_refused_and_throttled(world):
    client, _ = password_step("case_manager")
    assert second_step(client, "000000").status_code == 400
    device = TOTPDevice.objects.get(user=world.case_manager)
    assert device.throttling_failure_count == 1
    assert client.get(reverse("caseload")).status_code == 302


def test_session_authenticated_api_needs_the_second_factor_too(world):
    client, _ = password_step("case_manager")
    assert client.get("/api/v1/cases/").status_code in {401, 403}
    second_step(client, totp_code(TEST_TOTP_SECRET))
    assert client.get("/api/v1/cases/").status_code == 200


# Enrolment --------------------------------------------------------------------------------------------


def test_enrolment_with_qr_code_secret_and_recovery_codes_each_usable_once(world):
    TOTPDevice.objects.filter(user=world.evaluator).delete()
    client, response = password_step("evaluator")
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("otp_enrol"))
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1] and 'style="' not in html
    device = TOTPDevice.objects.get(user=world.evaluator, confirmed=False)
    secret = response.context["secret"]
    assert secret in html
    # Nothing else is open during enrolment.
    assert client.get(reverse("caseload")).status_code == 302
    assert client.post(reverse("otp_enrol"), {"code": "123456"}).status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(reverse("otp_enrol"), {"code": totp_code(secret)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("caseload")).status_code == 200
    # The codes are not shown again.
    assert codes[0] not in client.get(reverse("api_tokens")).content.decode()

    # A recovery code signs in once.
    for attempt in (1, 2):
        other, _ = password_step("evaluator")
        response = second_step(other, codes[0])
        if attempt == 1:
            assert response.status_code == 302
            assert other.get(reverse("api_tokens")).status_code == 200
        else:
            assert response.status_code == 400
            assert other.get(reverse("api_tokens")).status_code == 302


# Lock-out ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["case_manager", "nobody_of_that_name"])
def test_lock_out_answers_the_same_for_known_and_unknown_usernames(world, settings, username):
    settings.TANDEM_SIGNIN_MAX_FAILURES = 3
    answers = []
    for _ in range(3):
        _client, response = password_step(username, "wrong password")
        answers.append((response.status_code, response.context["form"].non_field_errors()))
    # Locked now: even the right password gets the same answer.
    _client, response = password_step(username, PASSWORD)
    answers.append((response.status_code, response.context["form"].non_field_errors()))
    assert len({str(a) for a in answers}) == 1 and answers[0][0] == 400
    assert not response.wsgi_request.user.is_authenticated
    entries = AuditEntry.objects.filter(action="auth.login_failed", object_type="signin")
    assert entries.count() == 4 and entries.filter(detail="locked").count() == 1
    for entry in entries:
        assert username not in f"{entry.object_id} {entry.detail}" and PASSWORD not in entry.detail
    row = SignInThrottle.objects.get()
    assert username not in row.username_digest
    # After the lock, the right password works (for the known user).
    SignInThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    _client, response = password_step(username, PASSWORD)
    assert (response.status_code == 302) == (username == "case_manager")


def test_known_and_unknown_usernames_get_identical_pages(world):
    known = password_step("case_manager", "wrong password")[1].content.decode()
    unknown = password_step("no_such_person", "wrong password")[1].content.decode()

    def strip(html: str) -> str:
        import re

        return re.sub(r"[A-Za-z0-9]{64}", "", re.sub(r'value="[^"]*"', "", html))

    assert strip(known) == strip(unknown)


def test_unknown_usernames_run_the_password_hasher(world, monkeypatch):
    from django.contrib.auth import base_user

    calls = []
    original = base_user.make_password
    monkeypatch.setattr(base_user, "make_password", lambda *a, **k: calls.append(1) or original(*a, **k))
    password_step("no_such_person", "wrong password")
    assert calls, "an unknown username must cost a password hash like a known one"


# Sessions ----------------------------------------------------------------------------------------------


def test_idle_session_expires(client, world, settings):
    client.force_login(world.case_manager)
    assert client.get(reverse("caseload")).status_code == 200
    key = client.session.session_key
    assert Session.objects.get(session_key=key).expire_date <= timezone.now() + dt.timedelta(
        seconds=settings.SESSION_COOKIE_AGE + 5
    )
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("caseload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_session_in_use_is_renewed_at_most_once_a_minute(client, world, settings):
    from accounts.models import UserSession

    client.force_login(world.case_manager)
    key = client.session.session_key
    assert client.get(reverse("caseload")).status_code == 200
    # Used 20 minutes ago: this request restarts the idle timeout, in the session store and on the server's record.
    twenty_ago = timezone.now() - dt.timedelta(minutes=20)
    Session.objects.filter(session_key=key).update(
        expire_date=twenty_ago + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    UserSession.objects.filter(session_key=key).update(last_seen=twenty_ago)
    assert client.get(reverse("caseload")).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed >= timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)
    assert UserSession.objects.get(session_key=key).last_seen > twenty_ago
    # Within the minute, reading a page writes neither record.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("caseload")).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and ("django_session" in q["sql"] or "accounts_usersession" in q["sql"])
    ]
    assert writes == []


def test_old_session_cookie_is_refused_after_logout(client, world):
    client.force_login(world.case_manager)
    cookie = client.cookies[__import__("django.conf").conf.settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not Session.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies[__import__("django.conf").conf.settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(reverse("caseload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logout_everywhere_ends_the_other_sessions(world):
    first, second = TandemClient(), TandemClient()
    first.force_login(world.case_manager)
    second.force_login(world.case_manager)
    first.post(reverse("logout"), {"everywhere": "1"})
    assert second.get(reverse("caseload")).status_code == 302
    assert not UserSession.objects.filter(user=world.case_manager).exists()


def test_an_unregistered_verified_session_is_refused(client, world):
    client.force_login(world.case_manager)
    UserSession.objects.all().delete()  # e.g. ended by an administrator while the cookie survived
    assert client.get(reverse("caseload")).status_code == 302


def test_deactivation_ends_sessions_and_tokens(client, world):
    client.force_login(world.case_manager)
    _token, raw = services.api_token_issue(user=world.case_manager)
    services.staff_deactivate(actor=world.administrator, user=world.case_manager)
    assert client.get(reverse("caseload")).status_code == 302
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEntry.objects.filter(action="staff.deactivate").exists()


def test_deactivation_in_the_admin_site_ends_sessions(client, world):
    victim = TandemClient()
    victim.force_login(world.case_manager)
    client.force_login(world.administrator)
    url = reverse("admin:accounts_user_change", args=[world.case_manager.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dt.datetime))}
    data.update({"is_active": "", "role_grants-TOTAL_FORMS": "0", "role_grants-INITIAL_FORMS": "0"})
    data.pop("password", None)
    data.pop("is_active")
    client.post(url, data)
    world.case_manager.refresh_from_db()
    assert not world.case_manager.is_active
    assert victim.get(reverse("caseload")).status_code == 302


def test_password_change_ends_the_other_sessions(world):
    other = TandemClient()
    other.force_login(world.case_manager)
    services.staff_password_change(
        actor=world.case_manager, user=world.case_manager, password="a brand new and long passphrase"
    )
    assert other.get(reverse("caseload")).status_code == 302
    assert not UserSession.objects.filter(user=world.case_manager).exists()


def test_administrator_ends_sessions_and_tokens_by_button_and_command(client, world):
    victim = TandemClient()
    victim.force_login(world.case_manager)
    services.api_token_issue(user=world.case_manager)
    client.force_login(world.administrator)
    response = client.post(reverse("admin:accounts_user_end_sessions", args=[world.case_manager.pk]))
    assert response.status_code == 302
    assert victim.get(reverse("caseload")).status_code == 302
    assert not ApiToken.objects.usable().filter(user=world.case_manager).exists()
    # Not for another organisation's staff.
    response = client.post(reverse("admin:accounts_user_end_sessions", args=[world.foreign_practitioner.pk]))
    assert response.status_code == 404

    from io import StringIO

    from django.core.management import call_command

    victim.force_login(world.case_manager)
    out = StringIO()
    call_command("end_sessions", "--username", "case_manager", stdout=out)
    assert "Ended 1 session" in out.getvalue()
    assert victim.get(reverse("caseload")).status_code == 302


# Re-authentication ---------------------------------------------------------------------------------------


def test_erasure_requires_recent_reauthentication(world):
    client = TandemClient()
    client.force_login(world.supervisor, reauth=False)
    url = reverse("case_erase", kwargs={"case_id": world.case.pk})
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("reauth")), method
    reset_last_code(world.supervisor)
    response = client.post(
        reverse("reauth") + f"?next={url}", {"password": "wrong", "code": totp_code(TEST_TOTP_SECRET)}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("reauth") + f"?next={url}", {"password": PASSWORD, "code": totp_code(TEST_TOTP_SECRET)}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200
    # Five minutes later it is asked again.
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time() - 301
    session.save()
    assert client.get(url).status_code == 302


def test_api_reauth_header(world, rf):
    from django_otp.middleware import OTPMiddleware  # noqa: F401

    request = rf.post("/api/v1/x/", HTTP_X_TANDEM_REAUTH=totp_code(TEST_TOTP_SECRET))
    request.user = world.case_manager
    assert api_reauth_ok(request)
    assert not api_reauth_ok(request), "a code is accepted once"
    request = rf.post("/api/v1/x/")
    request.user = world.case_manager
    assert not api_reauth_ok(request)


# API tokens ------------------------------------------------------------------------------------------------


def test_api_tokens_page_issues_once_and_revokes(client, world):
    client.force_login(world.case_manager)
    response = client.post(reverse("api_tokens"), {"action": "issue", "name": "import", "days": "10"})
    raw = response.context["new_raw"]
    assert raw.startswith("tdm_") and raw in response.content.decode()
    assert raw not in client.get(reverse("api_tokens")).content.decode()
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token = ApiToken.objects.get(user=world.case_manager, name="import")
    client.post(reverse("api_tokens"), {"action": "revoke", "token": token.pk})
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    # Someone else's token cannot be revoked from here.
    _other, other_raw = services.api_token_issue(user=world.co_worker)
    client.post(reverse("api_tokens"), {"action": "revoke", "token": _other.pk})
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {other_raw}").status_code == 200


def test_issuing_a_token_needs_a_fresh_reauthentication(world):
    client = TandemClient()
    client.force_login(world.case_manager, reauth=False)
    response = client.post(reverse("api_tokens"), {"action": "issue", "name": "import", "days": "10"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    assert not ApiToken.objects.filter(user=world.case_manager).exists()


def test_tokens_only_for_staff_with_a_second_factor(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    TOTPDevice.objects.filter(user=world.evaluator).delete()
    with pytest.raises(CommandError, match="authenticator"):
        call_command("issue_token", "--username", "evaluator", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("issue_token", "--username", "case_manager", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("tdm_")


# Headers -------------------------------------------------------------------------------------------------


def _check_headers(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    assert "no-store" in response.get("Cache-Control", ""), where


def test_security_headers_on_every_get_route(client, world, ids):
    client.force_login(world.supervisor)
    checked = 0
    for _name, _method, path in walk(ids, {"GET"}):
        _check_headers(client.get(path), f"GET {path}")
        checked += 1
    assert checked > 20
    unverified, _ = password_step("case_manager")
    for name in ("second_factor", "otp_enrol", "login"):
        _check_headers(unverified.get(reverse(name)), name)
    _check_headers(Client().get(reverse("login")), "login, anonymous")


# Production settings ---------------------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_check(tmp_path):
    import secrets

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DJANGO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings_production",
        TANDEM_SECRET_KEY=secrets.token_urlsafe(50),
        TANDEM_ALLOWED_HOSTS="tandem.example.org",
        TANDEM_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    env["TANDEM_SECRET_KEY"] = "too-short"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0 and "TANDEM_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "name,who",
    [
        ("case_erase", "supervisor"),  # erasure
        ("sharing:disclosure_new", "case_manager"),  # disclosure
        ("sharing:concern_new", "case_manager"),  # security alert
        ("rights:access_report", "case_manager"),  # export of everything held
    ],
)
def test_weighty_actions_ask_for_a_fresh_sign_in(world, name, who):
    client = TandemClient()
    client.force_login(getattr(world, who), reauth=False)
    url = reverse(name, kwargs={"case_id": world.case.pk})
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("reauth")), (name, method)
    fresh = TandemClient()
    fresh.force_login(getattr(world, who))
    assert fresh.get(url).status_code == 200
