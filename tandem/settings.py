"""Tandem settings: one module, driven by environment variables that fail loudly on bad values."""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Django's generic classes subscripted at runtime, as in `class SealedField(models.BinaryField[...])`.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TANDEM_VAR_DIR", BASE_DIR / "var"))


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    """Read a setting, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A request rate such as `300/minute` (second, minute, hour, day); `off` for none."""
    raw = (os.environ.get(name) or default).strip().lower()
    if raw == "off":
        return None
    count, _slash, period = raw.partition("/")
    if not (count.isdigit() and int(count) > 0 and period in {"second", "minute", "hour", "day"}):
        raise ImproperlyConfigured(f"{name} must be a rate such as 300/minute (per second, minute, hour or day) or off")
    return raw


DEBUG = env_bool("TANDEM_DEBUG", False)
_secret = env_str("TANDEM_SECRET_KEY")
if not _secret:
    # Development default: a per-installation key kept beside the keyring, never in git.
    _secret_file = VAR_DIR / "secret_key"
    if _secret_file.exists():
        _secret = _secret_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _secret = get_random_secret_key()
        _secret_file.write_text(_secret)
        _secret_file.chmod(0o600)
SECRET_KEY = _secret
ALLOWED_HOSTS = env_list("TANDEM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "tandem.admin.TandemAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "tandem",
    "vault",
    "audit",
    "accounts",
    "programmes",
    "cases",
    "planning",
    "assessments",
    "rights",
    "aftercare",
    "sharing",
    "conferences",
    "referrals",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "vault.middleware.KeyCacheMiddleware",
    "tandem.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}",
        conn_max_age=env_int("TANDEM_DB_CONN_MAX_AGE", 0),
        # A connection broken by a database restart is replaced at the next request, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database answers 503 within seconds (tandem.errors) instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("TANDEM_DB_CONNECT_TIMEOUT", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "caseload"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (README, "Sign-in"): password, then a second factor (TOTP app or one-time recovery code) for
# everyone; no page or API route is reachable before the second factor (accounts.middleware).
OTP_TOTP_ISSUER = "Tandem"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Failed sign-ins: this many within the window pause sign-in for that username (known or not) for LOCK seconds.
TANDEM_SIGNIN_MAX_FAILURES = env_int("TANDEM_SIGNIN_MAX_FAILURES", 5)
TANDEM_SIGNIN_WINDOW_SECONDS = env_int("TANDEM_SIGNIN_WINDOW_SECONDS", 15 * 60)
TANDEM_SIGNIN_LOCK_SECONDS = env_int("TANDEM_SIGNIN_LOCK_SECONDS", 15 * 60)
# Exports, disclosures, erasures and security alerts ask again for the password and a fresh code.
TANDEM_REAUTH_SECONDS = env_int("TANDEM_REAUTH_SECONDS", 5 * 60)
TANDEM_RECOVERY_CODES = 10

SESSION_COOKIE_AGE = env_int("TANDEM_SESSION_IDLE_SECONDS", 30 * 60)
# Idle timeout: a session in use is renewed at most once a minute (accounts.middleware.RENEW_AFTER).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("TANDEM_SECURE_COOKIES", not DEBUG and env_bool("TANDEM_HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("TANDEM_CSRF_TRUSTED_ORIGINS", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("TANDEM_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("TANDEM_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TANDEM_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("TANDEM_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]

# Encryption keys live outside the database and outside git (see README, "The master key").
TANDEM_KEYRING_FILE = Path(env_str("TANDEM_KEYRING_FILE", str(VAR_DIR / "keyring.json")))
TANDEM_KEYRING = os.environ.get("TANDEM_KEYRING")  # the keyring JSON itself (not a file), for containers

TANDEM_API_TOKEN_DAYS = env_int("TANDEM_API_TOKEN_DAYS", 90)
TANDEM_CASELOAD_CONTACT_DAYS = env_int("TANDEM_CASELOAD_CONTACT_DAYS", 14)


# API rate limit per staff member (tokens and sessions share it): 429 with Retry-After beyond it. Counted in
# each server process (Django's local-memory cache), so several gunicorn workers each allow this rate.
TANDEM_API_RATE = env_rate("TANDEM_API_RATE", "300/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: form encodings cannot carry the nested objects and lists of the request bodies.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.StaffRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "Casework for exit programmes. Every call is scoped to the caller's need-to-know and audited.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies are validated whole (each names what it changes), so they need no "Patched" copy.
    "COMPONENT_SPLIT_PATCH": False,
    # Request bodies are closed; every operation documents 401 and 429 (api.schema).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.common_responses"],
    # Several models share field names ("status", "kind"); name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.lifecycle.State",
        "ContactKindEnum": "cases.models.ContactKind",
        "ServiceKindEnum": "planning.models.ServiceKind",
        "NeedStatusEnum": "planning.models.NeedStatus",
        "GoalStatusEnum": "planning.models.GoalStatus",
        "ServiceStatusEnum": "planning.models.ServiceStatus",
        "AssessmentLevelEnum": "assessments.models.Level",
        "AssessmentKindEnum": "assessments.models.Kind",
        "AssessmentSourceEnum": "assessments.models.Source",
        "AssessmentRatingEnum": "assessments.models.Rating",
        "RecipientCategoryEnum": "sharing.policy.RecipientCategory",
        "DataCategoryEnum": "sharing.policy.DataCategory",
        "SharingPurposeEnum": "sharing.policy.Purpose",
        "DisclosureGroundEnum": "sharing.policy.Ground",
        "ConsentFormEnum": "sharing.models.ConsentForm",
        "DisclosureOutcomeEnum": "sharing.models.Outcome",
        "ConferenceStatusEnum": "conferences.models.ConferenceStatus",
        "ConferencePurposeEnum": "conferences.models.Purpose",
        "ConferenceActionStatusEnum": "conferences.models.ActionStatus",
        "OutboundReferralStatusEnum": "referrals.models.OutboundStatus",
    },
}

# Background work (the daily reminders) runs in `manage.py db_worker` from the database queue;
# `manage.py run_daily` enqueues the daily job once a day (`make run` starts both beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Reminder e-mails carry no client data, only a link to the notifications page. Off unless switched on.
TANDEM_REMINDER_EMAIL = env_bool("TANDEM_REMINDER_EMAIL", False)
TANDEM_BASE_URL = env_str("TANDEM_BASE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env_str("TANDEM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("TANDEM_FROM_EMAIL", "tandem@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TANDEM_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
