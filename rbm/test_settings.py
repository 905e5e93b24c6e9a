"""Settings for the test suite: the real settings with test defaults for what is unset.

The suite runs on PostgreSQL (``DATABASE_URL``); ``scripts/test`` brings it up.
"""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-long-enough-for-the-production-check-0123456789"
)
# The test client speaks plain HTTP; the HTTPS settings are tested with production settings.
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rbm")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from rbm.settings import *  # noqa: F403
from rbm.settings import BASE_DIR, STORAGES

# Fast hashing: tests create many users; production keeps the default hashers.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by Django's finders in tests; WhiteNoise serves collected files.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# The suite sends thousands of API requests from one address; the limits are tested by
# tests that set them (tests/rbm/test_deployment.py).
API_THROTTLE_RATES = {"anon": None, "user": None, "bad_key": None}
