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
