from __future__ import annotations

import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from .conftest import url


def test_schema_is_valid_openapi_3(world, api):
    response = api(world.evaluator).get(url("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cases/{case_id}/identity/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_schema_needs_a_token(db):
    assert APIClient().get(url("api-schema")).status_code == 401


def test_schema_generates_without_warnings(db, tmp_path):
    """Every endpoint is described precisely enough that drf-spectacular has nothing to warn about."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
