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
        "from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`.")

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
