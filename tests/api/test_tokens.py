"""API tokens: created and revoked on the account page, used by scripts; sessions need CSRF."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rbm.models import ApiToken, Role
from rbm.services import api_token_create

pytestmark = pytest.mark.django_db


def _create_on_the_account_page(client, name: str) -> str:
    page = client.post(reverse("api-token-new"), {"name": name})
    assert page.status_code == 200
    match = re.search(r'<code id="new-token-key">([^<]+)</code>', page.content.decode())
    assert match, "the new key is shown"
    return match.group(1)


def test_a_user_creates_uses_and_revokes_a_token_on_the_account_page(client, user_for):
    user = user_for(Role.FIELD_OFFICE_STAFF)
    client.force_login(user)
    key = _create_on_the_account_page(client, "ERP import")
    # Only a hash is stored, and the key is not shown again.
    token = ApiToken.objects.get(user=user, name="ERP import")
    assert key not in token.key_hash
    assert token.prefix in key
    assert token.last_used_at is None
    account = client.get(reverse("account")).content.decode()
    assert "<td>ERP import</td>" in account
    assert key not in account
    # The key works, as "Token" and as "Bearer", and its use is recorded.
    api = APIClient()
    for keyword in ("Token", "Bearer"):
        response = api.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"{keyword} {key}")
        assert response.status_code == 200
        assert response.wsgi_request.user == user
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Revoked: the key is refused at once.
    revoked = client.post(reverse("api-token-revoke", args=[token.pk]))
    assert revoked.status_code == 302
    response = api.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert "<td>ERP import</td>" not in client.get(reverse("account")).content.decode()


def test_several_named_tokens_per_user_and_a_name_used_once(client, user_for):
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    first = _create_on_the_account_page(client, "dashboard")
    second = _create_on_the_account_page(client, "donor report")
    assert first != second
    again = client.post(reverse("api-token-new"), {"name": "dashboard"})
    assert "already have a token with this name" in again.content.decode()
    assert 'id="new-token-key"' not in again.content.decode()


def test_a_user_cannot_revoke_someone_elses_token(client, user_for):
    owner = user_for(Role.PROGRAMME_OFFICER)
    token, _key = api_token_create(user=owner, name="mine")
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_pages_need_a_login_and_a_post(client, user_for):
    assert client.post(reverse("api-token-new"), {"name": "x"}).status_code == 302
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    assert client.get(reverse("api-token-new")).status_code == 405


@pytest.mark.parametrize(
    "header",
    [
        "Token not-a-key",
        "Bearer rbm_wrong",
        "Token",
        "Token two parts",
        "Token \u00e9\u00e9",
    ],
)
def test_a_wrong_key_is_a_401_even_for_public_reads(db, header):
    response = APIClient().get("/api/v1/regions/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["status"] == 401


def test_a_disabled_account_s_token_is_refused(user_for):
    user = user_for(Role.ADMINISTRATOR)
    _token, key = api_token_create(user=user, name="x")
    user.is_active = False
    user.save()
    response = APIClient().get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_a_session_works_for_the_pages_scripts_with_csrf(world, user_for):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.user("field_idn"))
    assert client.get("/api/v1/dwcps/").json()["count"] == 2
    cpo = world.idn_cpo
    without_csrf = client.patch(
        f"/api/v1/cpos/{cpo.pk}/", {"version": 1, "title": "x"}, format="json"
    )
    assert without_csrf.status_code == 403
    assert "CSRF" in without_csrf.json()["error"]["message"]
    client.get(reverse("account"))  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    with_csrf = client.patch(
        f"/api/v1/cpos/{cpo.pk}/",
        {"version": 1, "title": "With CSRF"},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert with_csrf.status_code == 200


def test_an_administrator_issues_a_token_in_the_admin_and_sees_its_key_once(client, user_for):
    system = user_for(Role.PROGRAMME_OFFICER, username="erp-system")
    client.force_login(user_for(Role.ADMINISTRATOR))
    response = client.post(
        reverse("admin:rbm_apitoken_add"), {"user": system.pk, "name": "ERP"}, follow=True
    )
    assert response.status_code == 200
    match = re.search(r"is (rbm_[A-Za-z0-9_-]+)\. Copy it now", response.content.decode())
    assert match
    token = ApiToken.objects.get(user=system, name="ERP")
    assert match.group(1) not in token.key_hash
    api = APIClient()
    assert api.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {match.group(1)}").status_code == 200


def test_a_password_change_revokes_the_users_tokens(client, user_for):
    user = user_for(Role.FIELD_OFFICE_STAFF)
    user.set_password("old-Passw0rd-for-tests")
    user.save()
    other = user_for(Role.FIELD_OFFICE_STAFF)
    _token, key = api_token_create(user=user, name="ERP import")
    _other_token, other_key = api_token_create(user=other, name="ERP import")
    api = APIClient()
    assert api.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(user)
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": "old-Passw0rd-for-tests",
            "new_password1": "a-New-passw0rd-2026",
            "new_password2": "a-New-passw0rd-2026",
        },
    )
    assert changed.status_code == 302
    assert api.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    # Another user's token, and a save that changes no password, revoke nothing.
    assert api.get("/api/v1/cpos/", HTTP_AUTHORIZATION=f"Token {other_key}").status_code == 200
    other.first_name = "Renamed"
    other.save()
    assert ApiToken.objects.get(user=other).revoked_at is None
