"""Settings come from the environment, with safe embedded defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from rbm.celery import app; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'],"
    " 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'broker': app.conf.broker_url, 'serializer': app.conf.task_serializer,"
    " 'accept': app.conf.accept_content, 'limit': app.conf.task_time_limit,"
    " 'hosts': s.ALLOWED_HOSTS, 'debug': s.DEBUG}))"
)


def _probe(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    clean["DJANGO_SETTINGS_MODULE"] = "rbm.settings"
    code = env.pop("PROBE", PROBE)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_to_serve_when_debug_is_off() -> None:
    result = _probe(DEBUG="false", PROBE="import rbm.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key() -> None:
    result = _probe(
        DEBUG="false",
        PROBE="from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'makemigrations', '--check', '--dry-run'])",
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_embedded_defaults_are_sqlite_and_in_process_tasks() -> None:
    result = _probe(DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["serializer"] == "json"
    assert values["accept"] == ["json"]
    assert values["limit"] > 0


def test_postgres_and_a_broker_from_the_environment() -> None:
    result = _probe(
        SECRET_KEY="s" * 30 + "abcdefghijklmnopqrstu",
        DATABASE_URL="postgres://u:p@db:5432/rbm",
        CELERY_BROKER_URL="redis://redis:6379/0",
        ALLOWED_HOSTS="rbm.example.org,localhost",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["broker"] == "redis://redis:6379/0"
    assert values["hosts"] == ["rbm.example.org", "localhost"]
    assert values["debug"] is False
