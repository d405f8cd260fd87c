"""The demo programme, seeded once per test module inside a transaction that is rolled back afterwards."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import transaction

from vault.crypto import key_scope


@contextmanager
def rolled_back(django_db_blocker):
    """A transaction for data a whole test module shares, rolled back when the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        with key_scope():
            out = io.StringIO()
            call_command("seed_demo", "--if-empty", "--seed", "7", stdout=out)
        yield out.getvalue()


@pytest.fixture
def demo_db(demo, db):
    with key_scope():
        yield
