"""A database out of reach answers 503 with a clear, translated message (the fault tests prove it under load)."""

from __future__ import annotations

import json

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import RequestFactory

from tandem.errors import server_error


@pytest.fixture(autouse=True)
def _connections_allowed(django_db_blocker):
    with django_db_blocker.unblock():  # only the unreachable connection below is opened
        yield


def unreachable_error() -> BaseException:
    """The error a real connection raises when its database cannot be opened."""
    wrapper = DatabaseWrapper(
        {
            **connections["default"].settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": "/nonexistent-directory/tandem.sqlite3",
            "OPTIONS": {},
        },
        "unreachable",
    )
    try:
        wrapper.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - the test wants whatever the driver raises
        assert type(exc).__name__ == "OperationalError", repr(exc)
        return exc
    pytest.fail("the connection opened")


def answer(path: str, language: str = "en"):
    request = RequestFactory().get(path, HTTP_ACCEPT_LANGUAGE=language)
    try:
        raise unreachable_error()
    except Exception:  # noqa: BLE001 - handler500 runs while the exception is being handled
        return server_error(request)


def test_api_answers_503_with_a_json_message_and_retry_after():
    response = answer("/api/v1/cases/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "cannot reach its database" in json.loads(response.content)["detail"]


def test_page_answers_503_in_the_reader_s_language():
    response = answer("/cases/", language="de")
    assert response.status_code == 503
    assert "erreicht seine Datenbank" in response.content.decode()


def test_other_server_errors_stay_500():
    request = RequestFactory().get("/cases/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
