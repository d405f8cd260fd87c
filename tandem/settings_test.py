"""Settings for the test suite: a throw-away keyring and var directory, a fast password hasher."""

import os
import tempfile

os.environ.setdefault("TANDEM_VAR_DIR", tempfile.mkdtemp(prefix="tandem-test-"))

from vault.keyring import generate as _generate_keyring  # noqa: E402

os.environ["TANDEM_KEYRING"] = _generate_keyring().to_json()

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
