import pytest

from demo.seed import build_demo
from sharing.models import Consent, Disclosure, Outcome, Partner


@pytest.mark.django_db
def test_demo_shows_partners_consents_disclosures_and_a_refusal():
    build_demo()
    assert set(Partner.objects.values_list("category", flat=True)) >= {
        "police",
        "probation",
        "employment",
        "social_welfare",
        "health",
    }
    assert Consent.objects.count() >= 4 and Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert Disclosure.objects.filter(outcome=Outcome.DISCLOSED).count() >= 3
    refused = Disclosure.objects.get(outcome=Outcome.REFUSED)
    assert refused.recipient_category == "police" and refused.reason
