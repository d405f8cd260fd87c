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


def test_schema_validates_under_openapi_spec_validator(world, api):
    """A validator no one here wrote accepts the schema (drf-spectacular's own check is lenient, e.g. about an enum
    whose default is not one of its values)."""
    from openapi_spec_validator import validate

    response = api(world.evaluator).get(url("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
    validate(yaml.safe_load(response.content))  # raises OpenAPIValidationError


def test_request_bodies_are_json_only_and_closed(world, api):
    response = api(world.evaluator).get(url("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"] and "Retry-After" in operation["responses"]["429"]["headers"]
            if "requestBody" in operation:
                assert list(operation["requestBody"]["content"]) == ["application/json"], (method, path)
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                assert schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["additionalProperties"] is False


def test_form_encoded_bodies_are_415(world, api):
    response = api(world.case_manager).post(url("client-lookup"), {"name": "x"}, format="multipart")
    assert response.status_code == 415


def test_schema_needs_a_token(db):
    assert APIClient().get(url("api-schema")).status_code == 401


def test_schema_generates_without_warnings(db, tmp_path):
    """Every endpoint is described precisely enough that drf-spectacular has nothing to warn about."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
