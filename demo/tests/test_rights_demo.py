"""The demo shows data protection: retention periods per programme, a restricted record and a legal hold."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from cases.models import Client
from programmes.models import Programme
from rights.models import LegalHold, Restriction
from vault.crypto import key_scope


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with key_scope():
                call_command("seed_demo", "--if-empty", "--seed", "7", stdout=io.StringIO())
                yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_db(demo, db):
    with key_scope():
        yield


def test_the_demo_shows_data_protection(demo_db):
    assert Client.objects.filter(restricted_at__isnull=False).count() == 1
    assert Restriction.objects.get(lifted_at__isnull=True).reason
    assert LegalHold.objects.active().count() == 1
    periods = dict(Programme.objects.values_list("sharing_policy", "retention_closed_months"))
    assert periods == {"independent-ngo": 60, "statutory": 120}
