"""Demo case conferences and referrals, all through the conferences, referrals and sharing services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.lifecycle import State
from cases.models import Case
from conferences import services as conferences
from referrals import services as referrals
from sharing import services as sharing
from sharing.models import Partner


def _tandem(case: Case) -> dict[str, User]:
    return {
        a.role: a.staff
        for a in case.assignments.current().filter(role__in=("case_manager", "co_worker")).select_related("staff")
    }


def seed_conferences_and_referrals(built: list[tuple[Case, list]], today: dt.date) -> None:
    supervisor = User.objects.get(username="sup.nord")
    ngo_cases = [
        case
        for case, _ in built
        if case.programme.sharing_policy == "independent-ngo"
        and case.state in {State.ACTIVE, State.AFTERCARE, State.TRANSITION}
    ]
    if len(ngo_cases) < 3:
        return
    programme = ngo_cases[0].programme
    partners = {p.category: p for p in Partner.objects.filter(organisation_id=programme.organisation_id)}
    now = timezone.now()

    # A conference that was held, with a reviewed summary, the pack, decisions, actions and one identity reveal.
    case = ngo_cases[0]
    tandem = _tandem(case)
    manager, colleague = tandem.get("case_manager"), tandem.get("co_worker")
    if manager and colleague:
        held = conferences.conference_schedule(
            actor=manager,
            case=case,
            scheduled_at=now - dt.timedelta(days=21),
            purpose="intervention",
            mode="in_person",
            place="Probation office, meeting room 2",
            chair=manager,
            staff_participants=[colleague],
            client_involvement="prepared_together",
            purpose_note="Agree who supports the move to the new flat.",
        )
        officer = conferences.participant_add(
            actor=manager,
            conference=held,
            partner=partners["probation"],
            name="Jens Kortmann",
            role="Probation officer",
        )
        doctor = conferences.participant_add(
            actor=manager, conference=held, partner=partners["health"], name="Dr. Ines Brandt", role="Psychiatrist"
        )
        conferences.summary_write(
            actor=manager,
            conference=held,
            text=(
                "Engaged and reliable over the last months; keeps appointments. Wants to finish the training course "
                "and to move out of the hostel."
            ),
        )
        conferences.summary_review(actor=colleague, conference=held)
        for partner, categories in (
            (partners["health"], ["progress_summary", "needs_and_plan"]),
            (partners["probation"], ["identity", "needs_and_plan", "progress_summary"]),
        ):
            sharing.consent_record(
                actor=manager,
                case=case,
                partner=partner,
                data_categories=categories,
                purpose="case_conference",
                form="written",
                given_on=today - dt.timedelta(days=30),
            )
        conferences.pack_send(actor=manager, conference=held, participant_ids=[doctor.pk])
        conferences.attendance_record(
            actor=manager,
            conference=held,
            attended_ids=[
                officer.pk,
                doctor.pk,
                *held.participants.filter(staff__isnull=False).values_list("pk", flat=True),
            ],
        )
        conferences.decision_record(
            actor=manager,
            conference=held,
            text=("Support the move to the new flat; probation keeps monthly appointments; review in three months."),
        )
        conferences.identity_reveal(
            actor=manager,
            conference=held,
            ground="consent",
            participant_ids=[officer.pk],
            ground_note="The client agreed that probation may link the case to their file.",
        )
        done = conferences.action_add(
            actor=manager,
            conference=held,
            owner_participant=officer,
            description="Confirm the reporting days after the move",
            due_on=today - dt.timedelta(days=7),
        )
        conferences.action_status_set(actor=manager, action=done, status="done")
        conferences.action_add(
            actor=manager,
            conference=held,
            owner_staff=manager,
            description="Accompany the client to the flat handover",
            due_on=today + dt.timedelta(days=5),
        )
        conferences.action_add(
            actor=manager,
            conference=held,
            owner_participant=doctor,
            description="Offer a first appointment for sleep problems",
            due_on=today - dt.timedelta(days=2),
        )

    # An upcoming conference on another case.
    case = ngo_cases[1]
    manager = _tandem(case).get("case_manager")
    if manager:
        upcoming = conferences.conference_schedule(
            actor=manager,
            case=case,
            scheduled_at=now + dt.timedelta(days=10),
            purpose="release",
            mode="online",
            place="Video conference",
            chair=manager,
            client_involvement="informed",
        )
        conferences.participant_add(
            actor=manager,
            conference=upcoming,
            partner=partners["social_welfare"],
            name="Ralf Peters",
            role="Housing adviser",
        )
        conferences.participant_add(
            actor=manager, conference=upcoming, partner=partners["police"], role="State security liaison"
        )

    # Outbound referrals in various states (the housing consents come from the sharing demo).
    for index, case in enumerate(ngo_cases[:3]):
        manager = _tandem(case).get("case_manager")
        if manager is None:
            continue
        sent_on = today - dt.timedelta(days=40 - 10 * index)
        referral = referrals.outbound_refer(
            actor=manager,
            case=case,
            partner=partners["social_welfare"],
            service_area="housing",
            sent_on=sent_on,
            content="Looking for supported housing close to the training place.",
        )
        if index == 0:
            referrals.outbound_status_set(
                actor=manager, referral=referral, status="accepted", on=sent_on + dt.timedelta(days=4)
            )
            referrals.outbound_status_set(
                actor=manager, referral=referral, status="first_appointment", on=sent_on + dt.timedelta(days=12)
            )
        elif index == 1:
            referrals.outbound_status_set(
                actor=manager, referral=referral, status="declined", on=sent_on + dt.timedelta(days=6)
            )

    # The referral inbox: some pending, one declined, one referred on.
    inbox: list[dict[str, Any]] = [
        dict(
            referrer_category="helpline",
            channel="helpline",
            person_name="“Nico”",
            urgency="soon",
            contact_consent="yes",
            reason="Mother called the national helpline: son spends nights in extremist chat groups.",
            days=1,
        ),
        dict(
            referrer_category="probation",
            channel="email",
            person_name="",
            urgency="urgent",
            contact_consent="unknown",
            reason="Released in two weeks; asked the probation officer about leaving the scene.",
            days=2,
        ),
        dict(
            referrer_category="school",
            channel="phone",
            person_name="K.",
            urgency="routine",
            contact_consent="no",
            reason="Teacher worried about statements in class; the pupil does not know about the call yet.",
            days=5,
        ),
        dict(
            referrer_category="self",
            channel="online",
            person_name="Alias “Wolf88”",
            urgency="routine",
            contact_consent="yes",
            reason="Wants to talk about getting out; prefers online contact.",
            days=9,
        ),
    ]
    recorder = supervisor
    for spec in inbox:
        days = spec.pop("days")
        referrals.inbound_record(
            actor=recorder, programme=programme, received_on=today - dt.timedelta(days=days), **spec
        )
    declined = referrals.inbound_record(
        actor=recorder,
        programme=programme,
        referrer_category="social_services",
        channel="letter",
        reason="Concern about an older relative's conspiracy beliefs.",
        received_on=today - dt.timedelta(days=20),
    )
    referrals.inbound_decline(
        actor=recorder,
        referral=declined,
        decline_reason="outside_target_group",
        note="Advised the family counselling line instead.",
    )
    moved = referrals.inbound_record(
        actor=recorder,
        programme=programme,
        referrer_category="family",
        channel="phone",
        reason="Lives in another federal state.",
        received_on=today - dt.timedelta(days=15),
    )
    referrals.inbound_refer_on(
        actor=recorder,
        referral=moved,
        partner=partners["other_ngo"] if "other_ngo" in partners else partners["social_welfare"],
        note="Regional partner programme.",
    )
