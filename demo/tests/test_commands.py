from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cases.models import Case
from programmes.services import organisation_create


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_deployment_alone():
    organisation_create(name="Schon da e.V.", slug="schon-da")
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_demo_logins_without_demo_data_prints_the_address_only():
    out = io.StringIO()
    call_command("demo_logins", "--port", "9000", stdout=out)
    assert "http://127.0.0.1:9000/" in out.getvalue()
    assert "not loaded" in out.getvalue()


def test_system_check_is_clean():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()
