"""The demo has released clients in every aftercare phase of its programme."""

from django.utils import timezone


def test_demo_has_a_released_client_in_every_aftercare_phase(demo_db):
    from aftercare.models import ReleasePlan
    from aftercare.services import phases_ensure
    from programmes.models import Programme

    programme = Programme.objects.get(name__startswith="Brücke")
    phases = phases_ensure(programme)
    today = timezone.localdate()
    covered = set()
    for plan in ReleasePlan.objects.filter(case__programme=programme, release_on__lte=today):
        months = (today.year - plan.release_on.year) * 12 + today.month - plan.release_on.month
        current = [p for p in phases if p.starts_month <= months][-1]
        covered.add(current.pk)
    assert covered == {p.pk for p in phases}
