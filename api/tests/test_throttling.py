"""The API's rate limit: per staff member, whatever token or session they use; 429 with Retry-After beyond it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from .conftest import url


@pytest.fixture
def three_per_minute():
    cache.clear()
    with override_settings(TANDEM_API_RATE="3/minute"):
        yield
    cache.clear()


def test_staff_beyond_the_rate_get_429_with_retry_after_and_a_message(world, api, three_per_minute):
    client = api(world.case_manager)
    for _ in range(3):
        assert client.get(url("case-list")).status_code == 200

    response = client.get(url("case-list"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Too many requests")


def test_the_rate_counts_per_staff_member_not_per_token(world, api, three_per_minute):
    for _ in range(3):
        api(world.case_manager).get(url("case-list"))

    assert api(world.case_manager).get(url("case-list")).status_code == 429
    assert api(world.supervisor).get(url("case-list")).status_code == 200


def test_without_a_rate_nothing_is_throttled(world, api):
    cache.clear()
    client = api(world.case_manager)
    with override_settings(TANDEM_API_RATE=None):
        assert all(client.get(url("case-list")).status_code == 200 for _ in range(10))
