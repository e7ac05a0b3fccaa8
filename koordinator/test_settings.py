"""Settings for the test suite and the static checks: test mode, fast hashing."""

import os

os.environ.setdefault("KOORDINATOR_ENV", "test")

from koordinator.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod is argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Every compiled query is also built the ordinary way and compared (core/compiled.py).
KOORDINATOR_VERIFY_COMPILED = True
# Tasks run at once (on commit) in tests, unless a test runs the real worker in a subprocess.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
