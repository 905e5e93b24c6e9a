"""Production settings and headers: login and API throttling, HTTPS (redirect, HSTS, the
proxy's header), CSP and Permissions-Policy, what caches may keep, ``check --deploy`` clean,
a short SECRET_KEY refused, and the README's PostgreSQL + gunicorn path serving its styles."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rbm.models import Role
from rbm.services import api_token_create

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "a-Right-passw0rd-2026"


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "HTTPS",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="rbm.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    env.update(extra)
    return env


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_production_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


# check --deploy and the secret key ---------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("key", ["short", "x" * 60])
def test_a_weak_secret_key_is_refused_in_production(key) -> None:
    result = _manage("check", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must have at least 50 characters" in result.stderr


# HTTPS ----------------------------------------------------------------------------------------


@pytest.fixture
def https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_and_https_behind_the_proxy_gets_hsts(https) -> None:
    client = Client()
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    # The container's health check asks over plain HTTP from inside.
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_pages_carry_csp_and_permissions_policy(client) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


# What caches may keep ------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_pages_and_api_answers_are_private_no_store(client, user_for) -> None:
    public = client.get(reverse("dwcp:programme-list"))
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
    assert client.get("/api/v1/cpos/")["Cache-Control"] == "private, no-store"
    user = user_for(Role.FIELD_OFFICE_STAFF)
    client.force_login(user)
    for url in ("/", reverse("account"), reverse("dwcp:programme-list"), "/api/v1/cpos/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
    _token, key = api_token_create(user=user, name="script")
    api = APIClient().get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api["Cache-Control"] == "private, no-store"


# Login throttling -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_thirty_wrong_passwords_lock_the_login_even_for_the_right_one(user_for) -> None:
    user = user_for(Role.FIELD_OFFICE_STAFF)
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    answers = [
        client.post(reverse("login"), {"username": user.username, "password": f"wrong-{n}"})
        for n in range(30)
    ]
    assert answers[0].status_code == 200  # the form again, with its message
    assert answers[-1].status_code == 429
    right = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the user still signs in: nobody locks a colleague out.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    signed_in = elsewhere.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert signed_in.status_code == 302


# API throttling ------------------------------------------------------------------------------


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"anon": "5/min", "user": "5/min", "bad_key": "5/min"}
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.django_db
def test_api_callers_are_throttled_anonymous_by_address_and_token_users(
    low_rates, user_for
) -> None:
    anonymous = APIClient()
    statuses = [anonymous.get("/api/v1/cpos/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    user = user_for(Role.FIELD_OFFICE_STAFF)
    _token, key = api_token_create(user=user, name="script")
    script = APIClient(REMOTE_ADDR="10.9.9.9")
    script.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    statuses = [script.get("/api/v1/cpos/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    answer = script.get("/api/v1/cpos/")
    assert answer.json()["error"]["status"] == 429
    assert int(answer["Retry-After"]) > 0


@pytest.mark.django_db
def test_guessing_api_keys_is_stopped_and_then_the_right_key_waits_too(low_rates, user_for) -> None:
    user = user_for(Role.FIELD_OFFICE_STAFF)
    _token, key = api_token_create(user=user, name="script")
    guesser = APIClient(REMOTE_ADDR="10.7.7.7")
    statuses = [
        guesser.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token rbm_guess{n}").status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    right = guesser.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {key}")
    assert right.status_code == 429
    # Another address with the right key is not held up by the guesser.
    other = APIClient(REMOTE_ADDR="10.8.8.8")
    assert other.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


# The README's path: collectstatic, then gunicorn serves the styles ------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_the_readme_path_collects_static_files_and_gunicorn_serves_the_stylesheet(
    tmp_path,
) -> None:
    readme = (ROOT / "README.md").read_text()
    assert "manage.py collectstatic --no-input" in readme
    database = django_settings.DATABASES["default"]
    database_url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    env = {"STATIC_ROOT": str(tmp_path / "static"), "DATABASE_URL": database_url}
    collected = _manage("collectstatic", "--no-input", **env)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "css" / "app.css").exists()
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "rbm.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=_production_env(ALLOWED_HOSTS="127.0.0.1", **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"

        def get(path: str) -> tuple[int, dict[str, str], bytes]:
            request = urllib.request.Request(  # noqa: S310 - our own server
                base + path, headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                return answer.status, dict(answer.headers), answer.read()

        deadline = time.monotonic() + 30
        while True:
            try:
                status, _headers, page = get("/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
        assert status == 200
        stylesheet = re.search(rb'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheet, page[:500]
        status, headers, css = get(stylesheet.group(1).decode())
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert css == (ROOT / "static" / "css" / "app.css").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=10)
