import pytest

from conferences.models import Conference, ConferenceAction, IdentityReveal
from demo.seed import build_demo
from referrals.models import InboundReferral, OutboundReferral


@pytest.mark.django_db
def test_demo_shows_conferences_actions_a_reveal_and_referrals_both_ways():
    build_demo()
    assert Conference.objects.filter(status="held").exists() and Conference.objects.filter(status="scheduled").exists()
    assert ConferenceAction.objects.filter(status="open").count() >= 2
    assert IdentityReveal.objects.count() == 1 and IdentityReveal.objects.get().disclosures
    assert InboundReferral.objects.filter(status="pending").count() >= 3
    assert {"declined", "referred_on"} <= set(InboundReferral.objects.values_list("status", flat=True))
    assert {"first_appointment", "declined", "sent"} <= set(OutboundReferral.objects.values_list("status", flat=True))
