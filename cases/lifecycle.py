"""The case lifecycle practitioners recognise, as states and the edges allowed between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SIGNAL = "signal", _("Signal")
    SCREENING = "screening", _("Screening")
    UNDER_REVIEW = "under_review", _("Under review")
    ENGAGEMENT = "engagement", _("Engagement")
    ASSESSMENT = "assessment", _("Assessment")
    AGREEMENT = "agreement", _("Agreement")
    ACTIVE = "active", _("Active work")
    SUSPENDED = "suspended", _("Suspended")
    TRANSITION = "transition", _("Transition")
    AFTERCARE = "aftercare", _("Aftercare")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    DISTANCED = "distanced", _("Distanced (goals reached)")
    PARTIALLY_DISTANCED = "partially_distanced", _("Partially distanced")
    ENDED_BY_CLIENT = "ended_by_client", _("Ended by the client")
    DECLINED_BY_CLIENT = "declined_by_client", _("Declined by the client")
    ENDED_BY_PROGRAMME = "ended_by_programme", _("Ended by the programme")
    NOT_ACCEPTED = "not_accepted", _("Not accepted at screening")
    REFERRED_ON = "referred_on", _("Referred to other help")
    REOFFENDED = "reoffended", _("Reoffended")
    RELOCATED = "relocated", _("Relocated")
    DECEASED = "deceased", _("Deceased")
    MANDATE_ENDED = "mandate_ended", _("Mandate ended")


# from-state -> the states it may move to
EDGES: dict[str, frozenset[str]] = {
    State.SIGNAL: frozenset({State.SCREENING, State.CLOSED}),
    State.SCREENING: frozenset({State.UNDER_REVIEW, State.ENGAGEMENT, State.CLOSED}),
    State.UNDER_REVIEW: frozenset({State.SCREENING, State.ENGAGEMENT, State.CLOSED}),
    State.ENGAGEMENT: frozenset({State.ASSESSMENT, State.SUSPENDED, State.CLOSED}),
    State.ASSESSMENT: frozenset({State.AGREEMENT, State.SUSPENDED, State.CLOSED}),
    State.AGREEMENT: frozenset({State.ACTIVE, State.ASSESSMENT, State.SUSPENDED, State.CLOSED}),
    State.ACTIVE: frozenset({State.SUSPENDED, State.ASSESSMENT, State.TRANSITION, State.AFTERCARE, State.CLOSED}),
    State.SUSPENDED: frozenset({State.ENGAGEMENT, State.ACTIVE, State.CLOSED}),
    State.TRANSITION: frozenset({State.ACTIVE, State.AFTERCARE, State.SUSPENDED, State.CLOSED}),
    State.AFTERCARE: frozenset({State.ACTIVE, State.SUSPENDED, State.CLOSED}),
    State.CLOSED: frozenset({State.SCREENING, State.ENGAGEMENT}),
}

# States in which a case is worked and so must have a tandem.
WORKED_STATES = frozenset(
    {State.ENGAGEMENT, State.ASSESSMENT, State.AGREEMENT, State.ACTIVE, State.TRANSITION, State.AFTERCARE}
)
OPEN_STATES = frozenset(s for s in State.values if s != State.CLOSED)


def allowed_targets(state: str) -> list[str]:
    return [s for s in State.values if s in EDGES.get(state, frozenset())]


def transition_label(source: str, target: str) -> str:
    """The verb a practitioner uses for a move."""
    if source == State.CLOSED:
        return str(_("Reopen"))
    if target == State.CLOSED:
        return str(_("Close"))
    if source == State.SUSPENDED and target in {State.ACTIVE, State.ENGAGEMENT}:
        return str(_("Resume"))
    if target == State.SUSPENDED:
        return str(_("Suspend"))
    if source in {State.SCREENING, State.UNDER_REVIEW} and target == State.ENGAGEMENT:
        return str(_("Accept"))
    return str(State(target).label)
