"""Builds the synthetic demo programme through the real services, with two years of back-dated history.

Everything is deterministic for a given seed (apart from pseudonyms and keys, which stay random).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.otp import hex_key
from accounts.services import staff_create
from assessments.demo import add_demo_assessments
from cases import services as cases
from cases.lifecycle import State
from cases.models import Case, Contact
from planning import selectors as planning_selectors
from planning import services as planning
from planning.models import AgreementRevision, Goal, Need, Service
from programmes.models import Organisation, Programme, Team, Topic
from programmes.services import organisation_create, programme_create, team_create
from vault.crypto import key_scope

from . import content as C
from .aftercare import seed_release_and_aftercare
from .casework_network import seed_conferences_and_referrals
from .rights import seed_data_protection
from .sharing import seed_sharing

TOKENS = {
    "S": State.SCREENING,
    "R": State.UNDER_REVIEW,
    "E": State.ENGAGEMENT,
    "A": State.ASSESSMENT,
    "G": State.AGREEMENT,
    "W": State.ACTIVE,
    "P": State.SUSPENDED,
    "T": State.TRANSITION,
    "C": State.AFTERCARE,
}

# Each case: team, setting, ideology, the path after the signal ("X:reason" closes), and extra traits.
# Reasons are the neutral ones a programme report uses; a reopened case closes and starts again.
CASE_PLANS: list[tuple[str, str, str, str, dict]] = [
    ("Team Nord", "community", "right_wing", "", {}),
    ("Team Nord", "community", "conspiracy", "S", {}),
    ("Team Nord", "probation", "right_wing", "S R", {}),
    ("Team Nord", "community", "right_wing", "S E", {}),
    ("Team Nord", "community", "left_wing", "S E", {}),
    ("Team Nord", "probation", "right_wing", "S E A", {"mandated": True}),
    ("Team Nord", "community", "islamist", "S E A G", {}),
    ("Team Nord", "community", "right_wing", "S E A G W", {"security": True}),
    ("Team Nord", "community", "right_wing", "S E A G W P W", {"handover": True}),
    ("Team Nord", "probation", "right_wing", "S E A G W", {"mandated": True, "overdue": True}),
    ("Team Nord", "probation", "conspiracy", "S E A G W P", {}),
    ("Team Nord", "community", "right_wing", "S E A G W C", {}),
    ("Team Nord", "community", "right_wing", "S E A G W C X:distanced", {"min_age": 700}),
    ("Team Nord", "community", "mixed", "S X:referred_on", {}),
    ("Team Nord", "community", "right_wing", "S E X:declined_by_client", {}),
    ("Team Nord", "community", "right_wing", "S E A G W C X:distanced E A", {"min_age": 690}),
    ("Team Nord", "probation", "left_wing", "S E A G W X:mandate_ended", {"mandated": True}),
    ("Team Süd", "community", "islamist", "", {}),
    ("Team Süd", "community", "islamist", "S", {}),
    ("Team Süd", "community", "other", "S R", {}),
    ("Team Süd", "community", "islamist", "S E", {}),
    ("Team Süd", "probation", "islamist", "S E A", {"mandated": True}),
    ("Team Süd", "community", "conspiracy", "S E A", {}),
    ("Team Süd", "community", "islamist", "S E A G", {}),
    ("Team Süd", "community", "islamist", "S E A G W", {"security": True}),
    ("Team Süd", "probation", "islamist", "S E A G W A G W", {"mandated": True, "handover": True}),
    ("Team Süd", "community", "right_wing", "S E A G W", {"overdue": True}),
    ("Team Süd", "community", "islamist", "S E P", {}),
    ("Team Süd", "community", "islamist", "S E A G W C", {}),
    ("Team Süd", "community", "conspiracy", "S R X:not_accepted", {}),
    ("Team Süd", "community", "islamist", "S E A G W X:ended_by_client", {}),
    ("Team Süd", "community", "islamist", "S E A G W C X:partially_distanced", {"min_age": 650}),
    ("Team Süd", "probation", "right_wing", "S E A G W X:relocated E A G W", {"min_age": 700, "mandated": True}),
    ("Team Haft", "detention", "islamist", "", {}),
    ("Team Haft", "prison", "right_wing", "S", {}),
    ("Team Haft", "detention", "islamist", "S E", {}),
    ("Team Haft", "prison", "right_wing", "S E A", {}),
    ("Team Haft", "prison", "islamist", "S E A G", {}),
    ("Team Haft", "prison", "right_wing", "S E A G W", {"security": True}),
    ("Team Haft", "prison", "islamist", "S E A G W", {}),
    ("Team Haft", "detention", "right_wing", "S E A G W", {"security": True}),
    ("Team Haft", "prison", "islamist", "S E A G W T", {"security": True}),
    ("Team Haft", "prison", "right_wing", "S E A G W T", {}),
    ("Team Haft", "prison", "left_wing", "S E A G W T", {}),
    ("Team Haft", "prison", "right_wing", "S E A G W T C", {"released_to": "probation", "current_days": 40}),
    ("Team Haft", "prison", "islamist", "S E A G W T C", {"released_to": "community"}),
    ("Team Haft", "prison", "right_wing", "S E A G W P", {}),
    ("Team Haft", "prison", "right_wing", "S E A G W T C X:distanced", {"min_age": 720, "released_to": "probation"}),
    (
        "Team Haft",
        "prison",
        "islamist",
        "S E A G W T C X:partially_distanced",
        {"min_age": 660, "released_to": "community"},
    ),
    # Released long ago, so that the aftercare phases all have someone in them: high, tapering, on request.
    (
        "Team Haft",
        "prison",
        "right_wing",
        "S E A G W T C",
        {"released_to": "probation", "current_days": 200, "min_age": 700},
    ),
    (
        "Team Haft",
        "prison",
        "islamist",
        "S E A G W T C",
        {"released_to": "community", "current_days": 430, "min_age": 900, "max_age": 950},
    ),
    (
        "Team Haft",
        "prison",
        "left_wing",
        "S E A G W T C",
        {"released_to": "probation", "current_days": 620, "min_age": 1000, "max_age": 1050},
    ),
    (
        "Team Haft",
        "prison",
        "right_wing",
        "S E A G W T C",
        {"released_to": "community", "current_days": 790, "min_age": 1180, "max_age": 1200},
    ),
]
OTHER_CASE_PLANS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (C.OTHER_TEAM, "community", "right_wing", "S E A G W", {}),
    (C.OTHER_TEAM, "probation", "conspiracy", "S E", {}),
    (C.OTHER_TEAM, "community", "islamist", "", {}),
]

TANDEMS = {
    "Team Nord": [("cm.nord", "cw.nord"), ("cm.nord", "cw.nord"), ("pr.nord", "cw.nord"), ("cm.nord", "pr.nord")],
    "Team Süd": [("cm.sued", "cw.sued"), ("cm.sued", "cw.sued"), ("pr.sued", "cw.sued"), ("cm.sued", "pr.sued")],
    "Team Haft": [("cm.haft", "cw.haft")],
    C.OTHER_TEAM: [("lb.cm", "lb.cw")],
}
SUPERVISOR_OF = {"Team Nord": "sup.nord", "Team Süd": "sup.sued", "Team Haft": "sup.nord", C.OTHER_TEAM: "lb.sup"}

# Days spent in a phase that has ended, and days so far in the phase a case is in now.
PHASE_DAYS = {
    "signal": (2, 10),
    "screening": (5, 18),
    "under_review": (10, 30),
    "engagement": (30, 80),
    "assessment": (21, 50),
    "agreement": (10, 25),
    "active": (120, 300),
    "suspended": (25, 60),
    "transition": (45, 100),
    "aftercare": (100, 240),
    "closed": (60, 200),
}
CURRENT_DAYS = {
    "signal": (1, 12),
    "screening": (3, 12),
    "under_review": (5, 20),
    "engagement": (10, 60),
    "assessment": (7, 40),
    "agreement": (8, 20),
    "active": (40, 330),
    "suspended": (10, 45),
    "transition": (10, 70),
    "aftercare": (30, 220),
    "closed": (5, 300),
}
MAX_AGE_DAYS = 725
# Mean days between contacts: (first 90 days of the phase, afterwards).
CONTACT_EVERY = {
    "signal": (0, 0),
    "screening": (7, 7),
    "under_review": (12, 12),
    "engagement": (5, 5),
    "assessment": (6, 6),
    "agreement": (6, 6),
    "active": (6, 12),
    "suspended": (25, 30),
    "transition": (5, 5),
    "aftercare": (7, 24),
    "closed": (0, 0),
}


@dataclass
class Phase:
    state: str
    start: dt.date
    end: dt.date  # exclusive: the next phase's start, or tomorrow for the current phase
    reason: str = ""


@dataclass
class Stats:
    cases: int = 0
    contacts: int = 0
    revisions: int = 0
    needs: int = 0
    goals: int = 0
    services: int = 0
    states: Counter = field(default_factory=Counter)


class DemoBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # nosec B311 # reproducible synthetic data, not a secret
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.staff: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.programmes: dict[str, Programme] = {}
        self.topics: dict[int, dict[str, int]] = {}
        self.stats = Stats()
        self.tandem_turn: Counter = Counter()

    # --- organisations and staff ---------------------------------------------------------------

    def build(self) -> Stats:
        self.password_hash = make_password(C.DEMO_PASSWORD)
        with transaction.atomic(), key_scope():
            self._organisation(C.ORGANISATION, C.PROGRAMME, C.TEAMS, C.STAFF, statutory=False)
            self._organisation(C.OTHER_ORGANISATION, C.OTHER_PROGRAMME, (C.OTHER_TEAM,), C.OTHER_STAFF, statutory=True)
            specialists = self._specialist_plan()
            built = [self._case(C.PROGRAMME, plan, specialists.get(i, [])) for i, plan in enumerate(CASE_PLANS)]
            built += [self._case(C.OTHER_PROGRAMME, plan, []) for plan in OTHER_CASE_PLANS]
            self._exclusion(built)
            seed_release_and_aftercare(built, self.today)
            rng = random.Random(f"assessments-{self.rng.random()}")  # nosec B311 # reproducible synthetic data
            add_demo_assessments([case for case, _phases in built], rng)
            seed_data_protection(built)
            seed_sharing(built)
            seed_conferences_and_referrals(built, self.today)
        return self.stats

    def _organisation(self, org_spec, programme_name, team_names, staff: list[C.StaffSpec], *, statutory: bool) -> None:
        name, slug = org_spec
        org = organisation_create(name=name, slug=slug)
        programme = programme_create(
            organisation=org,
            name=programme_name,
            target_group=C.TARGET_GROUP,
            ideologies=["right_wing", "islamist", "left_wing", "conspiracy", "mixed", "other"],
            settings_served=["detention", "prison", "probation", "community"],
            voluntary=True,
            mandated=True,
            sharing_policy="statutory" if statutory else "independent-ngo",
            contact_interval_days=14,
        )
        self.programmes[programme_name] = programme
        self.topics[programme.pk] = dict(Topic.objects.filter(programme=programme).values_list("code", "pk"))
        for team_name in team_names:
            self.teams[team_name] = team_create(programme=programme, name=team_name)
        for username, first, last, roles in staff:
            grants = [(role, self.teams[team] if team else None) for role, team in roles]
            user = staff_create(
                username=username,
                password=None,
                organisation=org,
                roles=grants,
                first_name=first,
                last_name=last,
                email=f"{username}@{slug}.example",
            )
            # One shared demo password: hashed once, since each Argon2 hash takes most of a second.
            user.password = self.password_hash
            user.save(update_fields=["password"])
            # Pre-enrolled second factor with the documented demo secret (`manage.py demo_totp` prints the code).
            TOTPDevice.objects.create(user=user, name="authenticator", key=hex_key(C.DEMO_TOTP_SECRET), confirmed=True)
            self.staff[username] = user

    # --- one case ------------------------------------------------------------------------------

    def _case(self, programme_name: str, plan, specialists: list[tuple[str, bool]]) -> tuple[Case, list[Phase]]:
        team_name, setting, ideology, path, traits = plan
        rng, programme, team = self.rng, self.programmes[programme_name], self.teams[team_name]
        phases = self._phases(path, traits)
        supervisor = self.staff[SUPERVISOR_OF[team_name]]
        female = rng.random() < 0.2
        pron = (
            {"he": "she", "He": "She", "him": "her", "his": "her", "His": "Her"}
            if female
            else {"he": "he", "He": "He", "him": "him", "his": "his", "His": "His"}
        )
        given = rng.choice(C.GIVEN_FEMALE if female else C.GIVEN_MALE)
        starts, ends = rng.choice(C.FAMILY_PARTS)
        family = rng.choice(starts) + rng.choice(ends)
        born = self.today - dt.timedelta(days=rng.randint(17 * 365, 46 * 365))
        identity = {
            "given_name": given,
            "family_name": family,
            "date_of_birth": born.isoformat(),
            "phone": f"+49 40 5550 {rng.randint(0, 9999):04d}",
        }
        if rng.random() < 0.3:
            identity["aliases"] = rng.choice(C.NICKNAMES)
        mandated = traits.get("mandated", False) or (setting == "probation" and rng.random() < 0.3)
        case = cases.enquiry_create(
            actor=supervisor,
            programme=programme,
            team=team,
            identity=identity,
            referral_source=self._referral(setting),
            setting=setting,
            participation="mandated" if mandated else "voluntary",
            ideology=ideology,
            legal_status={"detention": "pre_trial", "prison": "sentenced", "probation": "probation"}.get(
                setting, "none"
            ),
            security_relevant=traits.get("security", False),
            opened_on=phases[0].start,
            signalled_at=self._at(phases[0].start, 8),
        )
        tandem = self._tandem(case, team_name, phases, traits)
        ctx = {
            "case": case,
            "pron": pron,
            "setting": setting,
            "ideology": ideology,
            "tandem": tandem,
            "traits": traits,
            "female": female,
            "specialists": [self._specialist_join(case, phases, name, current) for name, current in specialists],
        }
        for index, phase in enumerate(phases):
            if index:
                actor = self._tandem_on(tandem, phase.start)[0] if tandem else supervisor
                note = (
                    C.CLOSURE_NOTES.get(phase.reason, "") if phase.reason else C.TRANSITION_NOTES.get(phase.state, "")
                )
                if phases[index - 1].state == State.CLOSED:
                    note = "Client got in touch again; reopened."
                cases.case_transition(
                    actor=actor,
                    case=case,
                    to_state=phase.state,
                    closure_reason=phase.reason,
                    note=note if rng.random() < 0.7 else "",
                    at=self._at(phase.start, 8, index),
                )
            self._phase_events(ctx, phases, index)
            if phase.state != State.CLOSED:
                self._contacts(ctx, phase, last=index == len(phases) - 1)
                self._specialist_contacts(ctx, phase)
        case.refresh_from_db()
        self.stats.cases += 1
        self.stats.states[case.state] += 1
        return case, phases

    def _phases(self, path: str, traits: dict) -> list[Phase]:
        rng = self.rng
        steps: list[tuple[str, str]] = [(State.SIGNAL, "")]
        for token in path.split():
            if token.startswith("X:"):
                steps.append((State.CLOSED, token[2:]))
            else:
                steps.append((TOKENS[token], ""))
        days = [rng.randint(*PHASE_DAYS[s]) for s, _r in steps[:-1]]
        current = traits.get("current_days") or rng.randint(*CURRENT_DAYS[steps[-1][0]])
        target = min(max(sum(days) + current, traits.get("min_age", 0)), traits.get("max_age", MAX_AGE_DAYS))
        if "current_days" in traits:  # the current phase keeps its length; the history before it is scaled
            earlier = max(len(days), target - current)
            days = [max(1, round(d * earlier / sum(days))) for d in days] + [current]
        else:
            total = sum(days) + current
            days = [max(1, round(d * target / total)) for d in days + [current]]
        start = self.today - dt.timedelta(days=sum(days))
        phases = []
        for (state, reason), length in zip(steps, days, strict=True):
            phases.append(Phase(state, start, start + dt.timedelta(days=length), reason))
            start += dt.timedelta(days=length)
        phases[-1].end = self.today + dt.timedelta(days=1)
        return phases

    def _referral(self, setting: str) -> str:
        options = {
            "prison": ["prison", "prison", "self", "family"],
            "detention": ["prison", "police", "other"],
            "probation": ["probation", "probation", "police", "social_services"],
            "community": ["self", "family", "helpline", "municipality", "school", "social_services", "police"],
        }
        return self.rng.choice(options[setting])

    def _at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute % 60)))
        return min(moment, self.now - dt.timedelta(minutes=5))

    # --- the tandem and specialists ------------------------------------------------------------

    def _tandem(
        self, case: Case, team_name: str, phases: list[Phase], traits: dict
    ) -> list[tuple[dt.date, User, User | None]]:
        worked = {State.ENGAGEMENT, State.ASSESSMENT, State.AGREEMENT, State.ACTIVE, State.TRANSITION, State.AFTERCARE}
        states = {p.state for p in phases}
        if len(phases) == 1:
            return []  # a fresh signal waits for the supervisor to assign it
        options = TANDEMS[team_name]
        manager_name, co_name = options[self.tandem_turn[team_name] % len(options)]
        self.tandem_turn[team_name] += 1
        supervisor = self.staff[SUPERVISOR_OF[team_name]]
        start = phases[1].start
        manager, co_worker = self.staff[manager_name], self.staff[co_name]
        cases.assignment_add(actor=supervisor, case=case, staff=manager, role="case_manager", starts_on=start)
        if not states & worked:
            return [(start, manager, None)]  # screening is the case manager's task
        cases.assignment_add(actor=supervisor, case=case, staff=co_worker, role="co_worker", starts_on=start)
        timeline: list[tuple[dt.date, User, User | None]] = [(start, manager, co_worker)]
        if traits.get("handover"):
            # The co-worker changes halfway through active work; the newcomer takes over the role.
            active = next(p for p in phases if p.state == State.ACTIVE)
            when = active.start + (active.end - active.start) / 2
            newcomer = next(
                self.staff[n] for pair in options for n in pair if self.staff[n] not in (manager, co_worker)
            )
            cases.assignment_add(actor=supervisor, case=case, staff=newcomer, role="co_worker", starts_on=when)
            timeline.append((when, manager, newcomer))
        return timeline

    @staticmethod
    def _tandem_on(timeline, day: dt.date) -> tuple[User, User | None]:
        current = timeline[0]
        for entry in timeline:
            if entry[0] <= day:
                current = entry
        return current[1], current[2]

    def _specialist_plan(self) -> dict[int, list[tuple[str, bool]]]:
        """Which cases each specialist joins: a few now (for a limited time), a few in the past."""
        fits = {
            "psy": lambda ideology: True,
            "former": lambda ideology: ideology in ("right_wing", "left_wing", "mixed"),
            "expert": lambda ideology: ideology == "islamist",
        }
        plan: dict[int, list[tuple[str, bool]]] = {}
        for username, fit in fits.items():
            candidates = [
                i for i, (_t, _s, ideology, path, _x) in enumerate(CASE_PLANS) if fit(ideology) and "W" in path.split()
            ]
            self.rng.shuffle(candidates)
            current = [i for i in candidates if not CASE_PLANS[i][3].split()[-1].startswith("X:")][:4]
            past = [i for i in candidates if i not in current][:3]
            for i in current + past:
                plan.setdefault(i, []).append((username, i in current))
        return plan

    def _specialist_join(self, case: Case, phases: list[Phase], username: str, current: bool):
        rng, today = self.rng, self.today
        active = next(p for p in phases if p.state == State.ACTIVE)
        start = active.start + dt.timedelta(days=rng.randint(7, 40))
        if current:
            start = max(start, today - dt.timedelta(days=rng.randint(30, 140)))
            end = today + dt.timedelta(days=rng.randint(30, 120))
        else:
            closing = next((p.start for p in phases if p.state == State.CLOSED), today)
            end = min(
                start + dt.timedelta(days=rng.randint(60, 150)),
                closing - dt.timedelta(days=1),
                today - dt.timedelta(days=5),
            )
        start = min(start, end)
        specialist = self.staff[username]
        cases.assignment_add(
            actor=self.staff[SUPERVISOR_OF[case.team.name]],
            case=case,
            staff=specialist,
            role=C.SPECIALIST_ROLES[username],
            starts_on=start,
            ends_on=end,
            task=rng.choice(C.SPECIALIST_TASKS[username]),
        )
        return specialist, username, start, min(end, today)

    def _specialist_contacts(self, ctx: dict, phase: Phase) -> None:
        rng, case = self.rng, ctx["case"]
        for specialist, username, start, end in ctx["specialists"]:
            topic = {"psy": "therapy", "former": "scene", "expert": "religion"}[username]
            day = max(start + dt.timedelta(days=rng.randint(2, 10)), phase.start)
            while day < min(end, phase.end):
                if day.weekday() < 5:
                    in_custody = ctx["setting"] in ("prison", "detention") and phase.state != State.AFTERCARE
                    self._record(
                        case,
                        day,
                        specialist,
                        "prison_visit" if in_custody else "face_to_face",
                        ["client"],
                        [topic],
                        self._fill(rng.choice(C.SPECIALIST_NOTES[username]), ctx),
                        phase.state,
                    )
                day += dt.timedelta(days=max(7, round(rng.gauss(18, 5))))

    def _exclusion(self, built) -> None:
        """A conflict of interest: a practitioner knows a client's family privately and is kept away."""
        staff = self.staff["pr.sued"]
        for case, _phases in built:
            if (
                case.team.name == "Team Süd"
                and not case.assignments.filter(staff=staff).exists()
                and case.state == State.ACTIVE
            ):
                cases.client_exclusion_add(
                    actor=self.staff["sup.sued"],
                    client=case.client,
                    staff=staff,
                    reason="Knows the client's family privately.",
                )
                return

    # --- contacts ------------------------------------------------------------------------------

    def _contacts(self, ctx: dict, phase: Phase, *, last: bool) -> None:
        rng, case = self.rng, ctx["case"]
        if phase.state == State.SIGNAL:
            if rng.random() < 0.6:
                day = min(
                    phase.start + dt.timedelta(days=rng.randint(0, 2)), phase.end - dt.timedelta(days=1), self.today
                )
                who = (
                    ["professionals"]
                    if case.referral_source in ("prison", "probation", "police", "school")
                    else ["relatives"]
                )
                author = (
                    self._tandem_on(ctx["tandem"], day)[0]
                    if ctx["tandem"]
                    else self.staff[SUPERVISOR_OF[case.team.name]]
                )
                self._record(
                    case,
                    day,
                    author,
                    "phone",
                    who,
                    ["family" if who == ["relatives"] else "legal"],
                    self._fill(rng.choice(C.SIGNAL_NOTES), ctx),
                    phase.state,
                )
            return
        early, later = CONTACT_EVERY[phase.state]
        stop = phase.end
        if last and ctx["traits"].get("overdue"):
            stop = self.today - dt.timedelta(days=rng.randint(20, 35))  # shows up as due on the caseload
        day = phase.start + dt.timedelta(days=rng.randint(0, 3))
        while day < stop and day <= self.today:
            if day.weekday() >= 5:
                day += dt.timedelta(days=7 - day.weekday())
                continue
            self._contact(ctx, phase, day)
            mean = early if (day - phase.start).days < 90 else later
            day += dt.timedelta(days=max(1, round(rng.gauss(mean, mean * 0.35))))

    def _contact(self, ctx: dict, phase: Phase, day: dt.date) -> None:
        rng, case, state = self.rng, ctx["case"], phase.state
        in_custody = ctx["setting"] in ("prison", "detention") and state not in (State.AFTERCARE,)
        topics = list(C.PHASE_TOPICS[state])
        if ctx["ideology"] == "islamist" and state in (State.ASSESSMENT, State.ACTIVE, State.AFTERCARE):
            topics += ["religion", "religion"]
        chosen = list(dict.fromkeys(rng.choice(topics) for _ in range(rng.choice((1, 1, 2, 2, 3)))))
        participants = ["client"]
        note = self._fill(rng.choice(C.NOTES[chosen[0]]), ctx)
        if state == State.SUSPENDED:
            kind = "phone"
            if rng.random() < 0.5:
                participants = ["relatives"]
                note = self._fill(rng.choice(C.SUSPENDED_NOTES), ctx)
        elif state == State.TRANSITION and rng.random() < 0.25:
            kind = "prison_visit" if in_custody else "face_to_face"
            participants = ["client", "relatives", "professionals"]
            chosen = ["housing", "legal", "family"]
            note = self._fill(rng.choice(C.CONFERENCE_NOTES), ctx)
        elif in_custody:
            kind = rng.choices(["prison_visit", "group", "phone"], [75, 17, 8])[0]
        else:
            kind = rng.choices(["face_to_face", "phone", "home_visit", "online", "group"], [55, 17, 10, 10, 8])[0]
        if kind == "group":
            participants = ["client", "others"]
            if in_custody:
                chosen = [rng.choice(["biography", "violence", "family", "leisure"])]
                note = self._fill(rng.choice(C.GROUP_NOTES), ctx)
        elif kind == "home_visit" and rng.random() < 0.5:
            participants = ["client", "relatives"]
        elif ctx["setting"] == "probation" and rng.random() < 0.12:
            participants = ["client", "professionals"]
        elif "family" in chosen and participants == ["client"] and rng.random() < 0.3:
            participants = ["client", "relatives"]
        follow = self._fill(rng.choice(C.FOLLOW_UPS), ctx)
        if follow:
            note = f"{note} {follow}"
        manager, co_worker = (
            self._tandem_on(ctx["tandem"], day) if ctx["tandem"] else (self.staff[SUPERVISOR_OF[case.team.name]], None)
        )
        author = co_worker if co_worker and rng.random() < 0.4 else manager
        self._record(case, day, author, kind, participants, chosen, note, state)

    def _record(
        self,
        case: Case,
        day: dt.date,
        author: User,
        kind: str,
        participants: list[str],
        topic_codes: list[str],
        note: str,
        state: str,
    ) -> Contact:
        rng = self.rng
        minutes = {
            "phone": (10, 35, 5),
            "prison_visit": (60, 120, 15),
            "home_visit": (60, 120, 15),
            "online": (30, 60, 15),
            "group": (90, 150, 30),
            "face_to_face": (45, 90, 15),
        }[kind]
        duration = rng.randrange(minutes[0], minutes[1] + 1, minutes[2])
        when = self._at(day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)))
        topic_ids = [self.topics[case.programme_id][code] for code in topic_codes]
        contact = cases.contact_record(
            actor=author,
            case=case,
            occurred_at=when,
            duration_minutes=duration,
            kind=kind,
            participants=participants,
            topic_ids=topic_ids,
            note=note,
        )
        self.stats.contacts += 1
        return contact

    def _fill(self, template: str, ctx: dict) -> str:
        rng = self.rng
        return template.format(
            **ctx["pron"],
            work=rng.choice(C.WORKPLACES),
            relative=rng.choice(C.RELATIVES),
            weekday=rng.choice(C.WEEKDAYS),
        )

    # --- agreement, plan, attributes -----------------------------------------------------------

    def _phase_events(self, ctx: dict, phases: list[Phase], index: int) -> None:
        phase, case, rng = phases[index], ctx["case"], self.rng
        last = index == len(phases) - 1
        # The case manager; agreement and aftercare are worked states, which a case reaches only with a tandem.
        actor = self._tandem_on(ctx["tandem"], phase.start)[0] if ctx["tandem"] else None
        if (
            phase.state == State.ASSESSMENT
            and last
            and (self.today - phase.start).days > 14
            and not case.needs.exists()
        ):
            self._plan(ctx, phases, phase.start + dt.timedelta(days=10), draft=True)
        if phase.state == State.AGREEMENT and actor is not None:
            level = (
                rng.choices(["moderate", "high"], [40, 60])
                if case.security_relevant
                else rng.choices(["low", "moderate", "high"], [40, 45, 15])
            )[0]
            if case.risk_level != "not_assessed":
                level = {"high": "moderate", "moderate": "low", "low": "low"}[case.risk_level]  # reassessed
            cases.case_attributes_update(actor=actor, case=case, risk_level=level)
            agreed = phase.start + dt.timedelta(days=rng.randint(3, 9))
            if (
                agreed < self.today
                and case.agreement_revisions.count() < 3
                and not (last and (self.today - phase.start).days < 10)
            ):
                self._revise(ctx, actor, agreed)
            if not case.needs.exists():
                self._plan(ctx, phases, phase.start + dt.timedelta(days=2), draft=False)
        if phase.state == State.ACTIVE:
            day = phase.start + dt.timedelta(days=rng.randint(110, 180))
            while day < phase.end - dt.timedelta(days=14) and day < self.today and case.agreement_revisions.count() < 3:
                self._revise(ctx, self._tandem_on(ctx["tandem"], day)[0], day)
                day += dt.timedelta(days=rng.randint(120, 200))
        if phase.state == State.AFTERCARE and actor is not None and ctx["traits"].get("released_to"):
            released = ctx["traits"]["released_to"]
            cases.case_attributes_update(
                actor=actor,
                case=case,
                setting=released,
                legal_status="probation" if released == "probation" else "none",
            )
            ctx["setting"] = released

    def _revise(self, ctx: dict, actor: User, agreed_on: dt.date) -> AgreementRevision:
        rng, case = self.rng, ctx["case"]
        current = planning_selectors.agreement_current(case)
        if current is None:
            objectives = rng.sample(C.OBJECTIVES, rng.choice((2, 3)))
        else:
            kept = [line.removeprefix("- ") for line in (current.objectives or "").splitlines()][: rng.choice((1, 2))]
            objectives = kept + [o for o in rng.sample(C.OBJECTIVES, 3) if o not in kept][:1]
        revision = planning.agreement_revise(
            actor=actor,
            case=case,
            objectives="\n".join(f"- {o}" for o in objectives),
            commitments=" ".join(rng.sample(C.COMMITMENTS, 2)),
            agreed_on=agreed_on,
            confirmation=rng.choice(C.CONFIRMATIONS),
            base_number=current.number if current else None,
        )
        self.stats.revisions += 1
        return revision

    def _plan(self, ctx: dict, phases: list[Phase], on: dt.date, *, draft: bool) -> None:
        rng, case, today = self.rng, ctx["case"], self.today
        actor = self._tandem_on(ctx["tandem"], on)[0]
        created = self._at(min(on, today), 14)
        domains = ["ideological", "functional"] + rng.sample(
            ["social", "mental_health", "functional", "social"], rng.randint(0, 2)
        )
        if case.security_relevant or rng.random() < 0.15:
            domains.append("security")
        if draft:
            domains = domains[:2]
        final = phases[-1]
        distanced = final.state == State.CLOSED and final.reason == "distanced"
        used: set[str] = set()
        for domain in domains:
            options = [n for n in C.NEEDS[domain] if n[0] not in used]
            if ctx["ideology"] != "islamist":
                options = [n for n in options if not n[0].startswith("Religious")] or options
            need_text, goals = rng.choice(options)
            used.add(need_text)
            need = planning.need_add(actor=actor, case=case, domain=domain, description=self._fill(need_text, ctx))
            Need.objects.filter(pk=need.pk).update(created_at=created)
            self.stats.needs += 1
            statuses = []
            for goal_text, services in goals[: rng.choice((1, 2, 2))]:
                target = on + dt.timedelta(days=rng.randint(30, 300))
                goal = planning.goal_add(
                    actor=actor,
                    need=need,
                    description=self._fill(goal_text, ctx),
                    owner=rng.choice(["client", "client_and_tandem", "client_and_tandem", "tandem"]),
                    target_date=target,
                )
                status = self._goal_status(target, draft, distanced, final.state == State.CLOSED)
                if status != "planned":
                    planning.goal_status_set(actor=actor, goal=goal, status=status)
                Goal.objects.filter(pk=goal.pk).update(created_at=created)
                statuses.append(status)
                self.stats.goals += 1
                for kind, name, provider, provider_name in services:
                    if rng.random() < 0.15:
                        continue
                    service = planning.service_add(
                        actor=actor,
                        goal=goal,
                        kind=kind,
                        name=name,
                        provider=provider,
                        provider_name=provider_name,
                        status=self._service_status(status, provider),
                    )
                    Service.objects.filter(pk=service.pk).update(created_at=created)
                    self.stats.services += 1
            if statuses and all(s == "achieved" for s in statuses):
                planning.need_status_set(actor=actor, need=need, status="addressed")

    def _goal_status(self, target: dt.date, draft: bool, distanced: bool, closed: bool) -> str:
        rng = self.rng
        if draft:
            return "planned"
        if distanced:
            return rng.choices(["achieved", "partly_achieved"], [80, 20])[0]
        if target < self.today:
            if closed:
                return rng.choices(["achieved", "partly_achieved", "dropped"], [50, 30, 20])[0]
            return rng.choices(
                ["achieved", "partly_achieved", "in_progress", "dropped", "planned"], [45, 15, 25, 10, 5]
            )[0]
        return rng.choices(["in_progress", "planned"], [60, 40])[0]

    def _service_status(self, goal_status: str, provider: str) -> str:
        rng = self.rng
        return {
            "achieved": "completed",
            "partly_achieved": rng.choice(["completed", "ongoing"]),
            "in_progress": "referred" if provider == "external" and rng.random() < 0.4 else "ongoing",
            "planned": "proposed",
            "dropped": rng.choice(["declined", "cancelled"]),
        }[goal_status]


def demo_loaded() -> bool:
    return Organisation.objects.filter(slug__in=[C.ORGANISATION[1], C.OTHER_ORGANISATION[1]]).exists()


def build_demo(seed: int = 2026) -> Stats:
    return DemoBuilder(seed).build()
