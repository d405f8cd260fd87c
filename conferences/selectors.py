"""Reads for case conferences, with query counts that do not grow with the number of conferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

import access
from cases.models import Case

from .models import ActionStatus, Conference, ConferenceAction, ConferenceParticipant

if TYPE_CHECKING:
    from accounts.models import User


def case_conferences(case: Case) -> list[Conference]:
    return list(
        case.conferences.select_related("chair", "chair_partner")
        .annotate(
            participant_count=Count("participants", distinct=True),
            open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True),
        )
        .order_by("-scheduled_at")
    )


def conference_in(case: Case, conference_id) -> Conference | None:
    """A conference of this case only: an id from another case is simply not found."""
    conference = (
        Conference.objects.select_related(
            "chair", "chair_partner", "summary_written_by", "summary_reviewed_by", "created_by"
        )
        .filter(case=case, pk=conference_id)
        .first()
    )
    if conference is not None:
        conference.case = case
    return conference


def conference_detail(conference: Conference) -> dict:
    participants = list(conference.participants.select_related("staff", "partner").order_by("kind", "added_at"))
    by_id = {p.pk: p for p in participants}
    actions = list(conference.actions.select_related("owner_staff").order_by("status", "due_on", "created_at"))
    for action in actions:
        action.conference = conference
        if action.owner_participant_id:
            action.owner_participant = by_id[action.owner_participant_id]
    decisions = list(conference.decisions.select_related("recorded_by"))
    for decision in decisions:
        decision.conference = conference
    reveals = list(
        conference.identity_reveals.select_related("decided_by").prefetch_related(
            Prefetch("participants", queryset=ConferenceParticipant.objects.select_related("staff", "partner"))
        )
    )
    for reveal in reveals:
        reveal.conference = conference
    return {
        "participants": participants,
        "actions": actions,
        "decisions": decisions,
        "reveals": reveals,
        "externals": [p for p in participants if p.is_external],
    }


def my_actions(user: User) -> QuerySet[ConferenceAction]:
    """Open actions a staff member owns, on cases they may still see."""
    return (
        ConferenceAction.objects.filter(
            owner_staff=user, status=ActionStatus.OPEN, conference__case__in=access.cases_for(user)
        )
        .select_related("conference__case__client")
        .order_by("due_on", "created_at")
    )


def case_section_context(case, user: User) -> dict:
    """The case page's conference section (see cases.sections)."""
    conferences = case_conferences(case)
    today = timezone.localdate()
    return {
        "conferences_list": conferences[:5],
        "conferences_count": len(conferences),
        "conferences_upcoming": [
            c for c in conferences if c.status == "scheduled" and timezone.localtime(c.scheduled_at).date() >= today
        ],
    }
