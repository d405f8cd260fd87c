"""OpenAPI description of Tandem's API beyond what drf-spectacular infers: authentication, closed request
bodies, the responses every operation shares."""

import inspect

from django.core.validators import EmailValidator, RegexValidator, URLValidator
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from rest_framework.fields import ListField

from .serializers import WHITE_SPACE, Input

TEXT = r"^[^\x00]*$"  # DRF refuses NUL characters
NOT_BLANK_TEXT = rf"^[{WHITE_SPACE}]*[^{WHITE_SPACE}\x00][^\x00]*$"  # ... and, unless allowed, white space only


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "tdm_…",
            "description": "An API token issued to a staff member: `Authorization: Bearer tdm_…`.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """The browser session, accepted by the API only after the second factor."""

    target_class = "accounts.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        from django.conf import settings

        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A browser session that has passed the second factor.",
        }


class ClosedRequestBody(OpenApiSerializerExtension):
    """Request bodies (api.serializers.Input) refuse unknown keys, so the schema says `additionalProperties: false`;
    rules across fields that JSON Schema can state (`Input.schema_rules`, e.g. "a partner or a category") join it."""

    target_class = "api.serializers.Input"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if schema.get("description") == inspect.getdoc(Input):
            del schema["description"]
        for name, field in self.target.fields.items():
            if isinstance(field, ListField) and not field.allow_empty:
                schema["properties"].get(name, {}).setdefault("minItems", 1)
        return {**schema, "additionalProperties": False, **self.target.schema_rules}


class RequestText(OpenApiSerializerFieldExtension):
    """Text that DRF refuses, stated in the schema of requests: NUL characters, and blanks where not allowed
    (DRF trims white space first)."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        # Fields with a pattern of their own (slugs, e-mail addresses) are left to drf-spectacular.
        own_pattern = any(isinstance(v, RegexValidator | EmailValidator | URLValidator) for v in self.target.validators)
        if direction == "request" and schema.get("type") == "string" and not own_pattern and "format" not in schema:
            blank_refused = self.target.trim_whitespace and not self.target.allow_blank
            schema["pattern"] = NOT_BLANK_TEXT if blank_refused else TEXT
        return schema


RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds until the next request is allowed."}
}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


REFUSED = {
    "description": "The request matches this schema, but Tandem's rules or the records as they are refuse it "
    "(e.g. a move the case's state does not allow, an id that is not yours to use); field names map to messages; "
    "nothing was saved.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldErrors"}}},
}
COMPONENTS = {
    "Error": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    "FieldErrors": {
        "type": "object",
        "description": "Field names (`non_field_errors` for the whole request) map to messages.",
        "additionalProperties": True,
    },
}


def common_responses(result, generator, request, public):
    """Every operation may answer 401 (no valid token or verified session) and 429 (the rate limit, with
    Retry-After); every write may answer 403 (your role may not, or the record is restricted) and 409 (refused by
    a rule or by the records as they are)."""
    result["components"]["schemas"].update(COMPONENTS)
    for operations in result["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            if operation.get("security") != [{}] and "401" not in responses:
                responses["401"] = {"description": "No valid API token or verified session.", "content": ERROR}
            if method != "get":
                responses.setdefault(
                    "403", {"description": "Not allowed for your role, or the record is restricted.", "content": ERROR}
                )
                responses.setdefault("409", REFUSED)
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True  # {} is a body too; none at all is refused
            responses["429"] = {
                "description": "Too many requests (TANDEM_API_RATE); wait for the seconds in Retry-After.",
                "headers": RETRY_AFTER,
                "content": ERROR,
            }
    return result
