"""Production settings: tandem.settings behind HTTPS, with secure cookies, HSTS and a required secret key.

    DJANGO_SETTINGS_MODULE=tandem.settings_production TANDEM_SECRET_KEY=… TANDEM_ALLOWED_HOSTS=tandem.example.org

`manage.py check --deploy --fail-level WARNING` is clean with these settings (a test keeps it so).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F401,F403
from .settings import env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("TANDEM_SECRET_KEY") or ""
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "TANDEM_SECRET_KEY (or TANDEM_SECRET_KEY_FILE) must hold a random secret of at least 50 characters, e.g. "
        "from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

DEBUG = False
if env_bool("TANDEM_DEBUG", False):
    raise ImproperlyConfigured("TANDEM_DEBUG cannot be switched on with the production settings.")
ALLOWED_HOSTS = env_list("TANDEM_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS and not os.environ.get("TANDEM_ALLOW_NO_HOSTS"):
    raise ImproperlyConfigured("Set TANDEM_ALLOWED_HOSTS to the host name(s) Tandem is served under.")

# HTTPS everywhere, behind the documented reverse proxy, which sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("TANDEM_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("TANDEM_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-tandem-session"
CSRF_COOKIE_NAME = "__Host-tandem-csrf"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Plain-HTTP loopback serving, for the load and fault tests on one machine (loadtest/): cookies without the
# Secure flag and the __Host- prefix. Refused unless every allowed host is a loopback name.
if env_bool("TANDEM_INSECURE_LOOPBACK_COOKIES", False):
    if not ALLOWED_HOSTS or any(host not in {"127.0.0.1", "localhost", "::1", "[::1]"} for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "TANDEM_INSECURE_LOOPBACK_COOKIES is only for TANDEM_ALLOWED_HOSTS=127.0.0.1 "
            "(loopback testing); production always uses secure cookies."
        )
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "tandem-session"
    CSRF_COOKIE_NAME = "tandem-csrf"

# Database connections are kept for a while (checked before reuse, see tandem.settings) instead of one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("TANDEM_DB_CONN_MAX_AGE", 60)  # noqa: F405

# Static files are served by the app processes themselves (WhiteNoise): compressed, with hashed names that
# browsers may cache for good. `manage.py collectstatic` writes them to STATIC_ROOT at deployment.
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
