"""Settings for the test suite: a throw-away keyring and var directory, a fast password hasher."""

import os
import tempfile

os.environ.setdefault("TANDEM_VAR_DIR", tempfile.mkdtemp(prefix="tandem-test-"))
# Playwright's sync API keeps an event loop running in the test process for the whole session; the
# database calls of the tests themselves stay synchronous, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from vault.keyring import generate as _generate_keyring  # noqa: E402

os.environ["TANDEM_KEYRING"] = _generate_keyring().to_json()

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database is thrown away: its commits need not wait for the disk.
    DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"  # noqa: F405
# The suite calls the API far faster than anyone would, with the same user ids test after test; the rate limit
# has its own tests (api/tests/test_throttling.py), which set a rate.
TANDEM_API_RATE = None
