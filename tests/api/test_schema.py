"""The OpenAPI schema generates cleanly, its committed copy is current, the docs work offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
REGENERATE = (
    "docs/openapi.yaml is not what the code generates. Regenerate it with\n"
    "    .venv/bin/python manage.py spectacular --file docs/openapi.yaml --validate\n"
    "and commit it with the change to the API."
)


def test_the_schema_generates_without_warnings_or_errors(tmp_path, capsys) -> None:
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3.0.3")
    for path in ("/api/v1/cpos/bulk/", "/api/v1/dwcps/{id}/move-phase/", "/api/v1/targets/"):
        assert f"  {path}:" in text


def test_the_committed_schema_is_what_the_code_generates(tmp_path) -> None:
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target))
    assert COMMITTED.exists(), REGENERATE
    assert COMMITTED.read_text(encoding="utf-8") == target.read_text(encoding="utf-8"), REGENERATE


def test_every_operation_documents_its_errors_in_the_one_shape(client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "401", "403", "404"):
                content = responses[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (path, method, status)
            if method in ("post", "patch", "delete"):
                assert "409" in responses, (path, method)
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                assert "413" in responses, (path, method)


def test_the_docs_are_served_from_the_app_without_a_cdn(client) -> None:
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    # Its script is served from the app too (no inline script: the CSP allows none)
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<script>" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html
    assert "/static/drf_spectacular_sidecar/" in html
    # The files ship in the drf-spectacular-sidecar package, collected with the static files.
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
