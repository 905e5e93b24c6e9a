"""Print a session key of a benchmark programme officer (created if missing), for wrk to
send as the dashboards' cookie."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from rbm.models import Role, User  # noqa: E402
from rbm.services import system_user, user_create  # noqa: E402

user = User.objects.filter(username="bench.officer").first()
if user is None:
    user, _password = user_create(
        user=system_user(), username="bench.officer", role=Role.PROGRAMME_OFFICER
    )
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
