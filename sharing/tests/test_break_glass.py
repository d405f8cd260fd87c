"""Acceptance: break-glass access lasts while the grant lasts, is flagged, audited and reviewed; exclusion wins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import access
from audit.models import AuditEntry
from cases.models import ClientExclusion
from sharing import services
from sharing.models import BreakGlassGrant

REASON = "Case manager unreachable; the client called the crisis line and needs help tonight."


def test_grant_makes_the_case_visible_only_while_it_lasts(world):
    supervisor, case = world.supervisor, world.other_case
    assert not access.cases_for(supervisor).filter(pk=case.pk).exists()
    grant = services.break_glass_open(actor=supervisor, case=case, justification=REASON)
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=4)
    assert access.cases_for(supervisor).filter(pk=case.pk).exists()
    assert access.get_case_for(supervisor, case.pk) == case
    assert AuditEntry.objects.filter(action="case.break_glass", object_id=str(case.pk), detail="case.view").exists()
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - dt.timedelta(hours=5), expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert not access.cases_for(supervisor).filter(pk=case.pk).exists()


def test_case_page_shows_the_banner_and_the_grant_is_audited(client, world):
    services.break_glass_open(actor=world.supervisor, case=world.other_case, justification=REASON, hours=2)
    assert AuditEntry.objects.filter(action="case.break_glass", detail="granted 2h").exists()
    client.force_login(world.supervisor)
    page = client.get(reverse("case_detail", args=[world.other_case.pk]))
    assert page.status_code == 200 and "Break-glass access" in page.content.decode()
    own = client.get(reverse("case_detail", args=[world.case.pk]))
    assert "Break-glass access" not in own.content.decode()


def test_only_supervisors_break_glass(world):
    for user in (world.case_manager, world.programme_manager, world.foreign_practitioner):
        with pytest.raises(ValidationError):
            services.break_glass_open(actor=user, case=world.other_case, justification=REASON)
    grant_count = BreakGlassGrant.objects.count()
    assert grant_count == 0
    assert not access.cases_for(world.case_manager).filter(pk=world.other_case.pk).exists()


def test_exclusion_beats_break_glass(world):
    services.break_glass_open(actor=world.supervisor, case=world.other_case, justification=REASON)
    ClientExclusion.objects.create(client=world.other_case.client, staff=world.supervisor, reason="neighbour")
    assert not access.cases_for(world.supervisor).filter(pk=world.other_case.pk).exists()
    with pytest.raises(ValidationError):
        services.break_glass_open(actor=world.supervisor, case=world.other_case, justification=REASON)


def test_break_glass_page_finds_the_case_by_pseudonym(client, world):
    client.force_login(world.supervisor)
    url = reverse("sharing:break_glass")
    missing = client.post(url, {"pseudonym": "XXX-XXX", "justification": REASON, "hours": 4})
    assert missing.status_code == 400 and BreakGlassGrant.objects.count() == 0
    short = client.post(url, {"pseudonym": world.other_case.client.pseudonym, "justification": "now", "hours": 4})
    assert short.status_code == 400 and BreakGlassGrant.objects.count() == 0
    response = client.post(
        url, {"pseudonym": world.other_case.client.pseudonym.lower(), "justification": REASON, "hours": 4}
    )
    assert response.status_code == 302 and response["Location"] == reverse("case_detail", args=[world.other_case.pk])
    client.force_login(world.case_manager)
    assert client.get(url).status_code == 403


def test_programme_manager_reviews_the_grants(client, world):
    grant = services.break_glass_open(actor=world.supervisor, case=world.other_case, justification=REASON)
    client.force_login(world.programme_manager)
    page = client.get(reverse("sharing:break_glass_review_list"))
    assert page.status_code == 200 and REASON in page.content.decode()
    assert world.other_case.client.pseudonym not in page.content.decode()
    done = client.post(reverse("sharing:break_glass_review", args=[grant.pk]), {"note": "Justified."})
    assert done.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == world.programme_manager and grant.review_note == "Justified."
    client.force_login(world.supervisor)
    assert client.get(reverse("sharing:break_glass_review_list")).status_code == 403
