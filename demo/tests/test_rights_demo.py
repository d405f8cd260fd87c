"""The demo shows data protection: retention periods per programme, a restricted record and a legal hold."""

from __future__ import annotations

from cases.models import Client
from programmes.models import Programme
from rights.models import LegalHold, Restriction


def test_the_demo_shows_data_protection(demo_db):
    assert Client.objects.filter(restricted_at__isnull=False).count() == 1
    assert Restriction.objects.get(lifted_at__isnull=True).reason
    assert LegalHold.objects.active().count() == 1
    periods = dict(Programme.objects.values_list("sharing_policy", "retention_closed_months"))
    assert periods == {"independent-ngo": 60, "statutory": 120}
