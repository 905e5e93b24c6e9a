"""Print an API token of a benchmark administrator (created if missing) for wrk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from rbm.models import ApiToken, Role, User  # noqa: E402
from rbm.services import api_token_create, system_user, user_create  # noqa: E402

user = User.objects.filter(username="bench.admin").first()
if user is None:
    user, _password = user_create(
        user=system_user(), username="bench.admin", role=Role.ADMINISTRATOR
    )
# The key of an earlier run is not stored (only its hash): make a new token each run.
ApiToken.objects.filter(user=user, name="benchmark").delete()
_token, key = api_token_create(user=user, name="benchmark")
print(key)
