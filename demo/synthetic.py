"""A synthetic national network at scale, for load tests and benchmarks.

One organisation runs a national helpline programme and dozens of regional partner programmes;
a few hundred staff; clients, cases across every lifecycle state, tandems, and ten years of
contacts with sealed notes. Names are composed from syllables and lists, never real people.

Everything sealed goes through the real envelope encryption (a data key per client, wrapped by the
master key; every value bound to its model, row, field and client). For speed, rows are written in
bulk with pre-assigned, time-ordered UUIDs (appends to the primary-key index), sealed in worker
processes while the parent inserts, with one audit entry for the whole generation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
import random
import secrets
import sys
import time
import uuid
import zoneinfo
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleGrant, User
from accounts.otp import hex_key
from audit.services import audit_record
from cases.lifecycle import State
from cases.models import Case, CaseAssignment, CaseTransition, Client, ClientName, Contact, new_pseudonym
from programmes.models import Organisation, Team, Topic
from programmes.services import organisation_create, programme_create, team_create
from vault import crypto, keyring
from vault.models import ClientKey

from . import content as C

SIZES: dict[str, tuple[int, int]] = {
    "small": (500, 25_000),
    "medium": (20_000, 1_000_000),
    "large": (100_000, 5_000_000),
}
ORGANISATION = ("Netzwerk Ausstieg (synthetic national network)", "synthetic-national")
HELPLINE = "Nationale Ausstiegshotline"
HELPLINE_TEAMS = [
    ("Hotline Nord", "community"),
    ("Hotline Ost", "community"),
    ("Hotline Süd", "probation"),
    ("Hotline West", "community"),
    ("Hotline Mitte", "probation"),
    ("Hotline Haft", "prison"),
]
PARTNERS = 40
PRACTITIONERS_PER_TEAM = 3
USERNAME = "staff{:04d}"
YEARS = 10
LONG_SHARE = 0.01  # cases with a long timeline (500+ contacts at full size)

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
# The path after the signal ("X:reason" closes) and its weight; T (release) only in custody settings.
PATHS: list[tuple[str, int]] = [
    ("", 3),
    ("S", 3),
    ("S R", 2),
    ("S E", 5),
    ("S E A", 5),
    ("S E A G", 3),
    ("S E A G W", 16),
    ("S E A G W P", 3),
    ("S E A G W P W", 3),
    ("S E A G W T", 4),
    ("S E A G W T C", 4),
    ("S E A G W C", 6),
    ("S X:not_accepted", 3),
    ("S X:referred_on", 3),
    ("S R X:not_accepted", 1),
    ("S E X:declined_by_client", 3),
    ("S E A G W X:ended_by_client", 5),
    ("S E A G W C X:distanced", 10),
    ("S E A G W C X:partially_distanced", 6),
    ("S E A G W X:mandate_ended", 2),
    ("S E A G W X:relocated", 2),
    ("S E A G W T C X:distanced", 3),
    ("S E A G W X:reoffended", 1),
    ("S E A G W C X:distanced E A G W", 2),
]
LONG_PATHS = ["S E A G W", "S E A G W C", "S E A G W P W"]
PHASE_DAYS = {
    "signal": (2, 10),
    "screening": (5, 18),
    "under_review": (10, 30),
    "engagement": (30, 80),
    "assessment": (21, 50),
    "agreement": (10, 25),
    "active": (120, 600),
    "suspended": (25, 60),
    "transition": (45, 100),
    "aftercare": (100, 400),
    "closed": (60, 200),
}
WORKED = {
    State.SCREENING,
    State.UNDER_REVIEW,
    State.ENGAGEMENT,
    State.ASSESSMENT,
    State.AGREEMENT,
    State.ACTIVE,
    State.SUSPENDED,
    State.TRANSITION,
    State.AFTERCARE,
}
TANDEM_STATES = {
    State.ENGAGEMENT,
    State.ASSESSMENT,
    State.AGREEMENT,
    State.ACTIVE,
    State.SUSPENDED,
    State.TRANSITION,
    State.AFTERCARE,
}
CUSTODY = ("prison", "detention")
IDEOLOGIES = (["right_wing", "islamist", "left_wing", "conspiracy", "mixed", "other"], [38, 30, 8, 14, 6, 4])
REFERRALS = {
    "prison": ["prison", "prison", "self", "family"],
    "detention": ["prison", "police", "other"],
    "probation": ["probation", "probation", "police", "social_services"],
    "community": ["self", "family", "helpline", "municipality", "school", "social_services", "police"],
}
REGION_START = ["Alt", "Neu", "Ober", "Nieder", "Hohen", "Grün", "Stein", "Wald", "See", "Berg", "Lind", "Roth"]
REGION_END = ["hausen", "feld", "bach", "dorf", "heim", "au", "ingen", "stedt", "brück", "wiesen"]
STREETS = ["Linden", "Birken", "Hafen", "Mühlen", "Garten", "Schul", "Kirch", "Feld", "Wiesen", "Markt"]
STREET_KINDS = ["weg", "straße", "allee", "ring", "gasse"]


# --- the plan: sizes, network and cases, decided up front in the parent ---------------------------


@dataclass(frozen=True)
class Spec:
    cases: int
    contacts: int
    seed: int = 2026
    label: str = "custom"


@dataclass
class TeamInfo:
    team_id: int
    programme_id: int
    setting: str
    supervisor_id: int
    practitioner_ids: list[int]


@dataclass
class Network:
    organisation_id: int
    teams: list[TeamInfo]
    topics: dict[int, dict[str, int]]  # programme id -> topic code -> topic id
    staff: dict[str, dict]  # username -> {"id", "roles"}


@dataclass
class CasePlan:
    index: int
    team: int  # index into Network.teams
    steps: list[tuple[str, str]]  # (state, closure reason)
    starts: list[int]  # ordinal day each phase starts
    setting: str
    contacts: int = 0
    long: bool = False


@dataclass
class Result:
    cases: int = 0
    contacts: int = 0
    rows: int = 0
    seconds: float = 0.0
    states: dict[str, int] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    manifest_path: Path | None = None


class AlreadyPopulated(Exception):
    """The database has cases already; generation runs into it only when asked to."""


def _path_steps(path: str) -> list[tuple[str, str]]:
    steps = [(State.SIGNAL.value, "")]
    for token in path.split():
        steps.append((State.CLOSED.value, token[2:]) if token.startswith("X:") else (TOKENS[token].value, ""))
    return steps


def plan_cases(spec: Spec, network: Network, today: dt.date) -> list[CasePlan]:
    """Which team, path, ten-year timing and number of contacts each case gets (deterministic per seed)."""
    rng = random.Random(f"plan-{spec.seed}")  # nosec B311 # reproducible synthetic data, not a secret
    custody_paths = [(p, w) for p, w in PATHS]
    free_paths = [(p, w) for p, w in PATHS if "T" not in p.split()]
    helpline = network.teams[0].programme_id
    team_weights = [4 if t.programme_id == helpline else 1 for t in network.teams]
    n_long = max(1, round(spec.cases * LONG_SHARE)) if spec.contacts else 0
    long_at = set(rng.sample(range(spec.cases), min(n_long, spec.cases)))
    plans: list[CasePlan] = []
    horizon = today.toordinal()
    for index in range(spec.cases):
        team = rng.choices(range(len(network.teams)), team_weights)[0]
        setting = network.teams[team].setting
        if setting in ("community", "probation") and rng.random() < 0.3:
            setting = "probation" if setting == "community" else "community"
        if setting == "prison" and rng.random() < 0.2:
            setting = "detention"
        long = index in long_at
        if long:
            path = rng.choice(LONG_PATHS)
            age = rng.randint(7 * 365, YEARS * 365 - 20)
        else:
            options = custody_paths if setting in CUSTODY else free_paths
            path = rng.choices([p for p, _w in options], [w for _p, w in options])[0]
            closed = "X:" in path.split()[-1] if path else False
            age = rng.randint(150, YEARS * 365) if closed else min(int(rng.expovariate(1 / 500)) + 5, YEARS * 365)
        steps = _path_steps(path)
        days = [rng.randint(*PHASE_DAYS[s]) for s, _r in steps]
        total = sum(days)
        days = [max(1, round(d * age / total)) for d in days]
        start = horizon - sum(days)
        starts = []
        for length in days:
            starts.append(start)
            start += length
        plans.append(CasePlan(index=index, team=team, steps=steps, starts=starts, setting=setting, long=long))
    _allocate_contacts(plans, spec.contacts, rng, horizon)
    return plans


def _worked_days(plan: CasePlan, horizon: int) -> int:
    ends = plan.starts[1:] + [horizon]
    phases = zip(plan.steps, plan.starts, ends, strict=True)
    return sum(end - start for (state, _r), start, end in phases if state in WORKED)


def _allocate_contacts(plans: list[CasePlan], total: int, rng: random.Random, horizon: int) -> None:
    longs = [p for p in plans if p.long]
    if longs:
        cap = max(1, total // (2 * len(longs)))  # long timelines take at most half of the contacts
        for plan in longs:
            plan.contacts = min(rng.randint(500, 800), cap)
    rest = total - sum(p.contacts for p in longs)
    weights = [(p, _worked_days(p, horizon) * rng.lognormvariate(0, 0.6)) for p in plans if not p.long]
    weights = [(p, w) for p, w in weights if w > 0]
    if not weights:
        weights = [(p, 1.0) for p in longs]
    scale = rest / sum(w for _p, w in weights)
    given = 0
    for plan, weight in weights:
        share = int(weight * scale)
        plan.contacts += share
        given += share
    for plan, _w in rng.sample(weights, k=min(len(weights), rest - given)):
        plan.contacts += 1
    given = sum(p.contacts for p in plans)
    while given < total:  # only when there are fewer cases than missing contacts
        rng.choice(weights)[0].contacts += 1
        given += 1


# --- the network: organisation, programmes, teams, staff (through the services) -------------------


def _region_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(REGION_START) + rng.choice(REGION_END)
        if name not in names:
            names.append(name)
    return names


def _person(rng: random.Random) -> tuple[str, str, bool]:
    female = rng.random() < 0.45
    given = rng.choice(C.GIVEN_FEMALE if female else C.GIVEN_MALE)
    starts, ends = rng.choice(C.FAMILY_PARTS)
    return given, rng.choice(starts) + rng.choice(ends), female


def network_create(seed: int) -> None:
    """The organisation, the helpline and partner programmes, their teams and staff, with demo sign-in."""
    rng = random.Random(f"network-{seed}")  # nosec B311 # reproducible synthetic data, not a secret
    org = organisation_create(name=ORGANISATION[0], slug=ORGANISATION[1])
    common: dict[str, Any] = dict(
        target_group=C.TARGET_GROUP,
        ideologies=IDEOLOGIES[0],
        settings_served=["detention", "prison", "probation", "community"],
        voluntary=True,
        mandated=True,
        contact_interval_days=14,
    )
    programmes = [
        (programme_create(organisation=org, name=HELPLINE, sharing_policy="independent-ngo", **common), HELPLINE_TEAMS)
    ]
    for region in _region_names(rng, PARTNERS):
        programme = programme_create(
            organisation=org,
            name=f"Ausstiegsbegleitung {region}",
            sharing_policy=rng.choice(["independent-ngo", "statutory"]),
            **common,
        )
        programmes.append((programme, [(f"{region} Gemeinde", "community"), (f"{region} Haft", "prison")]))
    users: list[tuple[User, list[tuple[str, Team | None]]]] = []
    password = make_password(C.DEMO_PASSWORD)  # hashed once: every synthetic account shares the demo password

    def person(roles: list[tuple[str, Team | None]], is_staff: bool = False) -> None:
        username = USERNAME.format(len(users) + 1)
        given, family, _female = _person(rng)
        users.append(
            (
                User(
                    username=username,
                    password=password,
                    organisation=org,
                    first_name=given,
                    last_name=family,
                    email=f"{username}@{ORGANISATION[1]}.example",
                    is_staff=is_staff,
                ),
                roles,
            )
        )

    all_teams: list[Team] = []
    for programme, team_specs in programmes:
        teams = [team_create(programme=programme, name=name) for name, _setting in team_specs]
        all_teams += teams
        person([(Role.SUPERVISOR, team) for team in teams])
        for team in teams:
            for _ in range(PRACTITIONERS_PER_TEAM):
                person([(Role.PRACTITIONER, team)])
    helpline_teams = all_teams[: len(HELPLINE_TEAMS)]
    for _ in range(6):
        person([(Role.SPECIALIST, team) for team in helpline_teams])
    person([(Role.PROGRAMME_MANAGER, None)])
    person([(Role.PROGRAMME_MANAGER, None)])
    person([(Role.EVALUATOR, None)])
    person([(Role.ADMINISTRATOR, None)], is_staff=True)
    taken = set(User.objects.filter(username__in=[u.username for u, _r in users]).values_list("username", flat=True))
    if taken:
        raise AlreadyPopulated(f"Usernames of the synthetic network are taken already: {', '.join(sorted(taken)[:5])}…")
    User.objects.bulk_create([u for u, _r in users], batch_size=500)
    saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u, _r in users])}
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=saved[u.username], role=role, team=team) for u, roles in users for role, team in roles],
        batch_size=1000,
    )
    # Pre-enrolled second factor with the documented demo secret (`manage.py demo_totp` prints the code).
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(user=user, name="authenticator", key=hex_key(C.DEMO_TOTP_SECRET), confirmed=True)
            for user in saved.values()
        ],
        batch_size=1000,
    )


def network_load() -> Network | None:
    org = Organisation.objects.filter(slug=ORGANISATION[1]).first()
    if org is None:
        return None
    grants = list(RoleGrant.objects.filter(user__organisation=org).select_related("user").order_by("user__username"))
    teams: list[TeamInfo] = []
    for team in (
        Team.objects.filter(programme__organisation=org).select_related("programme").order_by("programme_id", "pk")
    ):
        setting = dict(HELPLINE_TEAMS).get(team.name) or ("prison" if team.name.endswith("Haft") else "community")
        practitioners = [g.user_id for g in grants if g.team_id == team.pk and g.role == Role.PRACTITIONER]
        supervisors = [g.user_id for g in grants if g.team_id == team.pk and g.role == Role.SUPERVISOR]
        if len(practitioners) >= 2 and supervisors:
            teams.append(TeamInfo(team.pk, team.programme_id, setting, supervisors[0], practitioners))
    topics: dict[int, dict[str, int]] = {}
    for pk, programme_id, code in Topic.objects.filter(programme__organisation=org, active=True).values_list(
        "pk", "programme_id", "code"
    ):
        topics.setdefault(programme_id, {})[code] = pk
    staff: dict[str, dict] = {}
    for grant in grants:
        entry = staff.setdefault(grant.user.username, {"id": grant.user_id, "roles": []})
        entry["roles"].append([grant.role, grant.team_id])
    return Network(org.pk, teams, topics, staff)


# --- rows: generated and sealed per chunk of cases (in worker processes) --------------------------


TABLES: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "key": (ClientKey, ("client_id", "wrapped", "master_key_id", "created_at", "destroyed_at")),
    "client": (
        Client,
        (
            "id",
            "organisation_id",
            "pseudonym",
            "given_name",
            "family_name",
            "aliases",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "created_at",
            "erased_at",
            "restricted_at",
        ),
    ),
    "name": (ClientName, ("client_id", "digest")),
    "case": (
        Case,
        (
            "id",
            "client_id",
            "programme_id",
            "team_id",
            "state",
            "closure_reason",
            "referral_source",
            "setting",
            "participation",
            "ideology",
            "legal_status",
            "risk_level",
            "security_relevant",
            "opened_on",
            "state_changed_at",
            "last_contact_at",
            "version",
        ),
    ),
    "transition": (
        CaseTransition,
        ("id", "case_id", "from_state", "to_state", "closure_reason", "at", "by_id", "note"),
    ),
    "assignment": (CaseAssignment, ("case_id", "staff_id", "role", "starts_on", "ends_on", "task")),
    "contact": (
        Contact,
        (
            "id",
            "case_id",
            "occurred_at",
            "duration_minutes",
            "kind",
            "participants",
            "note",
            "recorded_by_id",
            "recorded_at",
        ),
    ),
    "topic": (Contact.topics.through, ("contact_id", "topic_id")),
}
ORDER = ("key", "client", "name", "case", "transition", "assignment", "contact", "topic")


def _column(f: models.Field) -> str:
    if f.column is None:  # fields without a column of their own; concrete fields always have one
        raise RuntimeError(f"{f} has no column")
    return f.column


def _table_columns(model: type[models.Model], attnames: tuple[str, ...]) -> tuple[list[str], list[models.Field]]:
    """The columns written, and every other concrete field: with a default (added as a constant) or nullable."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(attnames) - set(by_attname)
    if unknown:
        raise RuntimeError(f"{model._meta.label} has no fields {sorted(unknown)}")
    extra = []
    for f in model._meta.concrete_fields:
        if f.attname in attnames or (f.primary_key and isinstance(f, models.AutoField)):
            continue
        if not f.has_default() and not f.null:
            raise RuntimeError(f"{model._meta.label}.{f.name} has no default; the synthetic generator must set it")
        extra.append(f)
    return [_column(by_attname[a]) for a in attnames] + [_column(f) for f in extra], [
        by_attname[a] for a in attnames
    ] + extra


def _converter(f: models.Field, vendor: str) -> Callable | None:
    kind = (f.target_field if isinstance(f, models.ForeignKey) else f).get_internal_type()
    if kind == "JSONField":
        return lambda v: v if isinstance(v, str) else json.dumps(v)
    if vendor == "postgresql":
        return None
    if kind == "UUIDField":
        return lambda v: None if v is None else v.hex
    if kind == "DateTimeField":
        return lambda v: (
            None if v is None else str((v if v.tzinfo is dt.UTC else v.astimezone(dt.UTC)).replace(tzinfo=None))
        )
    if kind == "DateField":
        return lambda v: None if v is None else v.isoformat()
    if kind == "BooleanField":
        return lambda v: None if v is None else int(v)
    return None


class _Rows:
    """Rows of one chunk, converted for the target database as they are added."""

    def __init__(self, vendor: str) -> None:
        self.rows: dict[str, list[tuple]] = {name: [] for name in ORDER}
        self.convert: dict[str, list[tuple[int, Callable]]] = {}
        self.extra: dict[str, tuple] = {}
        for name, (model, attnames) in TABLES.items():
            _columns, fields = _table_columns(model, attnames)
            self.convert[name] = [(i, c) for i, f in enumerate(fields[: len(attnames)]) if (c := _converter(f, vendor))]
            extra = []
            for f in fields[len(attnames) :]:
                value = f.get_default()
                conv = _converter(f, vendor)
                extra.append(conv(value) if conv and value is not None else value)
            self.extra[name] = tuple(extra)

    def add(self, name: str, *values: Any) -> None:
        row: tuple[Any, ...] = values
        if self.convert[name]:
            converted = list(values)
            for i, conv in self.convert[name]:
                converted[i] = conv(converted[i])
            row = tuple(converted)
        self.rows[name].append(row + self.extra[name])


class _Ids:
    """Time-ordered UUIDs (version 7 layout): inserts append to the primary-key index instead of scattering."""

    def __init__(self, base_ms: int, chunk: int) -> None:
        self.prefix = (base_ms + chunk) & ((1 << 48) - 1)
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        c = self.counter
        return (
            (self.prefix << 80)
            | (0x7 << 76)
            | (((c >> 12) & 0xFFF) << 64)
            | (0b10 << 62)
            | ((c & 0xFFF) << 50)
            | secrets.randbits(50)
        )

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self._next())

    def pair(self) -> tuple[str, str]:
        """The next id as 32 hex digits (for storage) and in its canonical form (for the sealing binding)."""
        h = f"{self._next():032x}"
        return h, f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_STATE: dict = {}
PARTICIPANTS = {
    p: json.dumps(list(p))
    for p in [
        ("client",),
        ("relatives",),
        ("client", "others"),
        ("client", "relatives"),
        ("client", "relatives", "professionals"),
    ]
}


class _Clock:
    """Local office hours on a day, as UTC datetimes (the offset looked up once per day)."""

    def __init__(self, tz: dt.tzinfo) -> None:
        self.tz = tz
        self.offsets: dict[int, dt.timedelta] = {}

    def __call__(self, day: int, hour: int, minute: int) -> dt.datetime:
        offset = self.offsets.get(day)
        date = dt.date.fromordinal(day)
        if offset is None:
            offset = self.offsets[day] = dt.datetime.combine(date, dt.time(12), self.tz).utcoffset() or dt.timedelta()
        return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=dt.UTC) - offset


def _notes(rng: random.Random) -> dict[tuple[str, bool], list[str]]:
    """Note texts per topic and pronoun set, of varied length: a line, a paragraph, now and then a long record."""
    pools: dict[tuple[str, bool], list[str]] = {}
    everything = [t for templates in C.NOTES.values() for t in templates]
    for female in (False, True):
        pron = (
            {"he": "she", "He": "She", "him": "her", "his": "her", "His": "Her"}
            if female
            else {"he": "he", "He": "He", "him": "him", "his": "his", "His": "His"}
        )

        def fill(template: str, pron: dict[str, str] = pron) -> str:
            return template.format(
                **pron, work=rng.choice(C.WORKPLACES), relative=rng.choice(C.RELATIVES), weekday=rng.choice(C.WEEKDAYS)
            )

        for topic, templates in list(C.NOTES.items()) + [
            ("_suspended", C.SUSPENDED_NOTES),
            ("_group", C.GROUP_NOTES),
            ("_conference", C.CONFERENCE_NOTES),
        ]:
            pool = []
            for _ in range(60):
                shape = rng.random()
                if shape < 0.2:
                    text = fill(rng.choice(templates))
                elif shape < 0.9:
                    text = " ".join(
                        [fill(rng.choice(templates))]
                        + [fill(t) for t in rng.sample(everything, rng.randint(1, 3))]
                        + [fill(rng.choice(C.FOLLOW_UPS))]
                    ).strip()
                else:  # a long record: several paragraphs after a crisis or a conference
                    text = "\n\n".join(
                        " ".join(fill(t) for t in rng.sample(everything, rng.randint(3, 5)))
                        for _p in range(rng.randint(2, 5))
                    )
                pool.append(text)
            pools[(topic, female)] = pool
    return pools


DURATIONS = {
    "phone": (10, 35, 5),
    "prison_visit": (60, 120, 15),
    "home_visit": (60, 120, 15),
    "online": (30, 60, 15),
    "group": (90, 150, 30),
    "face_to_face": (45, 90, 15),
}
CUSTODY_KINDS = ["prison_visit"] * 75 + ["group"] * 17 + ["phone"] * 8
FREE_KINDS = ["face_to_face"] * 55 + ["phone"] * 17 + ["home_visit"] * 10 + ["online"] * 10 + ["group"] * 8
MINUTES = (0, 15, 30, 45)
TOPIC_COUNTS = (1, 1, 2, 2, 3)


def _case_contacts(
    rng,
    plan,
    windows,
    span,
    topics,
    clock,
    now,
    key,
    client_id: uuid.UUID,
    case_hex: str,
    manager: int,  # staff ids: the rows are written without loading users
    co_worker: int,
    newcomer: int | None,
    handover,
    notes,
    female,
    new_id,
    out,
    vendor,
) -> dt.datetime:
    """The contacts of one case: the hot loop of the generator, so written with few calls per row."""
    r = rng.random
    seal = crypto.seal_text_with_key
    contacts, links = out.rows["contact"], out.rows["topic"]
    extra_contact, extra_link = out.extra["contact"], out.extra["topic"]
    naive = vendor != "postgresql"
    in_custody = plan.setting in CUSTODY
    offsets = sorted(int(r() * span) for _ in range(plan.contacts))
    w, base = 0, 0
    width = windows[0][1] - windows[0][0]
    occurred = now
    for offset in offsets:
        while offset - base >= width:
            base += width
            w += 1
            width = windows[w][1] - windows[w][0]
        start, _end, state = windows[w]
        day = start + offset - base
        occurred = clock(day, 8 + int(r() * 11), MINUTES[int(r() * 4)])
        if occurred > now:
            occurred = now
        codes = C.PHASE_TOPICS[state]
        n = len(codes)
        chosen = list(dict.fromkeys([codes[int(r() * n)] for _ in range(TOPIC_COUNTS[int(r() * 5)])]))
        pool = chosen[0]
        participants: tuple[str, ...] = ("client",)
        if state == "suspended":
            kind = "phone"
            if r() < 0.5:
                participants, pool = ("relatives",), "_suspended"
        elif in_custody and state != "aftercare":
            kind = CUSTODY_KINDS[int(r() * 100)]
        else:
            kind = FREE_KINDS[int(r() * 100)]
        if kind == "group":
            participants, pool = ("client", "others"), "_group"
        elif state == "transition" and r() < 0.25:
            participants, pool = ("client", "relatives", "professionals"), "_conference"
        elif "family" in chosen and r() < 0.3:
            participants = ("client", "relatives")
        low, high, step = DURATIONS[kind]
        author: int | None = manager
        if state in TANDEM_STATES and r() < 0.4:
            author = newcomer if handover and day >= handover else co_worker
        texts = notes[(pool, female)]
        cid_hex, cid = new_id.pair()
        recorded = occurred + dt.timedelta(minutes=20 + int(r() * 2860))
        if recorded > now:
            recorded = now
        note = seal(key, client_id, "cases.Contact", cid, "note", texts[int(r() * len(texts))])
        duration = low + step * int(r() * ((high - low) // step + 1))
        if naive:
            contacts.append(
                (
                    cid_hex,
                    case_hex,
                    str(occurred.replace(tzinfo=None)),
                    duration,
                    kind,
                    PARTICIPANTS[participants],
                    note,
                    author,
                    str(recorded.replace(tzinfo=None)),
                )
                + extra_contact
            )
        else:
            contacts.append(
                (cid_hex, case_hex, occurred, duration, kind, PARTICIPANTS[participants], note, author, recorded)
                + extra_contact
            )
        for code in chosen:
            links.append((cid_hex, topics[code]) + extra_link)
    return occurred


def build_chunk(task: tuple[int, list[CasePlan]]) -> tuple[int, dict[str, list[tuple]], dict]:
    """Generate and seal every row of a chunk of cases. Runs in a worker process (or in the parent)."""
    chunk, plans = task
    network: Network = _STATE["network"]
    vendor, seed, base_ms, today = _STATE["vendor"], _STATE["seed"], _STATE["base_ms"], _STATE["today"]
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = timezone.now() - dt.timedelta(minutes=10)
    clock = _Clock(tz)
    rng = random.Random(f"chunk-{seed}-{chunk}")  # nosec B311 # reproducible synthetic data, not a secret
    if "notes" not in _STATE:
        _STATE["notes"] = _notes(random.Random(f"notes-{seed}"))  # nosec B311 # reproducible synthetic data, not a secret
    notes = _STATE["notes"]
    ring = keyring.load()
    new_id = _Ids(base_ms, chunk)
    out = _Rows(vendor)
    facts: dict = {"long": [], "named": [], "states": {}}
    seal = crypto.seal_text_with_key
    for plan in plans:
        team = network.teams[plan.team]
        horizon = today.toordinal()
        client_id, case_id = new_id(), new_id()
        key = secrets.token_bytes(32)
        master_key_id, wrapped = crypto.wrap_data_key(key, client_id, ring)
        given, family, female = _person(rng)
        born = today - dt.timedelta(days=rng.randint(16 * 365, 55 * 365))
        aliases = rng.choice(C.NICKNAMES) if rng.random() < 0.3 else ""
        opened = dt.date.fromordinal(plan.starts[0])
        created = dt.datetime.combine(opened, dt.time(9, rng.randint(0, 59)), tz)

        def s(
            label: str, pk: uuid.UUID, name: str, text: str, key: bytes = key, client_id: uuid.UUID = client_id
        ) -> bytes | None:
            return seal(key, client_id, label, pk, name, text) if text else None

        address = (
            (
                f"{rng.choice(STREETS)}{rng.choice(STREET_KINDS)} {rng.randint(1, 120)}, "
                f"{rng.randint(10000, 99999)} {rng.choice(REGION_START)}{rng.choice(REGION_END)}"
            )
            if rng.random() < 0.5
            else ""
        )
        out.add("key", client_id, wrapped, master_key_id, created, None)
        out.add(
            "client",
            client_id,
            network.organisation_id,
            new_pseudonym(),
            s("cases.Client", client_id, "given_name", given),
            s("cases.Client", client_id, "family_name", family),
            s("cases.Client", client_id, "aliases", aliases),
            s("cases.Client", client_id, "date_of_birth", born.isoformat()),
            s("cases.Client", client_id, "phone", f"+49 {rng.randint(30, 999)} 5550 {rng.randint(0, 9999):04d}"),
            None,
            s("cases.Client", client_id, "address", address),
            created,
            None,
            None,
        )
        for name in {f"{given} {family}", *([aliases] if aliases else [])}:
            out.add("name", client_id, crypto.blind_index(network.organisation_id, name))

        # The tandem: case manager from screening on, co-worker once the case is worked; some co-workers change.
        steps, starts = plan.steps, plan.starts
        ends = starts[1:] + [horizon + 1]
        picked = rng.sample(team.practitioner_ids, min(3, len(team.practitioner_ids)))
        manager, co_worker = picked[0], picked[1]
        newcomer = picked[2] if len(picked) > 2 else None
        handover = None
        if len(steps) > 1:
            begin = dt.date.fromordinal(starts[1])
            out.add("assignment", case_id, manager, "case_manager", begin, None, "")
            tandem_from = next(
                (st for (state, _r), st in zip(steps, starts, strict=True) if state in TANDEM_STATES), None
            )
            if tandem_from is not None:
                if newcomer and horizon - tandem_from > 400 and rng.random() < 0.1:
                    handover = tandem_from + (horizon - tandem_from) // 2
                    out.add(
                        "assignment",
                        case_id,
                        co_worker,
                        "co_worker",
                        dt.date.fromordinal(starts[1]),
                        dt.date.fromordinal(handover - 1),
                        "",
                    )
                    out.add("assignment", case_id, newcomer, "co_worker", dt.date.fromordinal(handover), None, "")
                else:
                    out.add("assignment", case_id, co_worker, "co_worker", dt.date.fromordinal(starts[1]), None, "")

        # The history of states: one transition per phase, some with a sealed note.
        last_at = created
        for i, ((state, reason), start) in enumerate(zip(steps, starts, strict=True)):
            at = min(dt.datetime.combine(dt.date.fromordinal(start), dt.time(8, i % 60), tz), now)
            note = ""
            if i and rng.random() < 0.7:
                note = C.CLOSURE_NOTES.get(reason, "") if reason else C.TRANSITION_NOTES.get(state, "")
                if steps[i - 1][0] == State.CLOSED:
                    note = "Client got in touch again; reopened."
            tid = new_id()
            out.add(
                "transition",
                tid,
                case_id,
                steps[i - 1][0] if i else "",
                state,
                reason,
                at,
                team.supervisor_id if i <= 1 else manager,
                s("cases.CaseTransition", tid, "note", note),
            )
            last_at = at

        # Contacts, spread over the worked phases (never on a closed stretch, never in the future).
        windows = [
            (start, min(end, horizon), state)
            for (state, _r), start, end in zip(steps, starts, ends, strict=True)
            if state in WORKED and min(end, horizon) > start
        ]
        span = sum(end - start for start, end, _s in windows)
        last_contact = None
        if plan.contacts and span:
            last_contact = _case_contacts(
                rng,
                plan,
                windows,
                span,
                network.topics[team.programme_id],
                clock,
                now,
                key,
                client_id,
                case_id.hex,
                manager,
                co_worker,
                newcomer,
                handover,
                notes,
                female,
                new_id,
                out,
                vendor,
            )
        state, reason = steps[-1]
        passed_agreement = any(st == State.AGREEMENT for st, _r in steps)
        security = rng.random() < 0.08
        risk = (
            rng.choices(("low", "moderate", "high"), (40, 45, 15) if not security else (0, 40, 60))[0]
            if passed_agreement
            else "not_assessed"
        )
        mandated = plan.setting == "probation" and rng.random() < 0.4
        out.add(
            "case",
            case_id,
            client_id,
            team.programme_id,
            team.team_id,
            state,
            reason,
            rng.choice(REFERRALS[plan.setting]),
            plan.setting,
            "mandated" if mandated else "voluntary",
            rng.choices(*IDEOLOGIES)[0],
            {"detention": "pre_trial", "prison": "sentenced", "probation": "probation"}.get(plan.setting, "none"),
            risk,
            security,
            opened,
            last_at,
            last_contact,
            len(steps),
        )
        facts["states"][state] = facts["states"].get(state, 0) + 1
        if plan.long:
            facts["long"].append(
                {
                    "case": str(case_id),
                    "client": str(client_id),
                    "contacts": plan.contacts,
                    "manager_id": manager,
                    "name": f"{given} {family}",
                    "state": state,
                }
            )
        elif len(facts["named"]) < 2 and len(steps) > 1 and state != State.CLOSED:
            facts["named"].append(
                {
                    "case": str(case_id),
                    "client": str(client_id),
                    "name": f"{given} {family}",
                    "manager_id": manager,
                    "contacts": plan.contacts,
                    "state": state,
                }
            )
    return chunk, out.rows, facts


# --- writing: executemany on SQLite, COPY on PostgreSQL -------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.sql: dict[str, str] = {}
        for name, (model, attnames) in TABLES.items():
            columns, _fields = _table_columns(model, attnames)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            if self.vendor == "postgresql":
                self.sql[name] = f"COPY {table} ({quoted}) FROM STDIN"
            else:
                self.sql[name] = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"  # nosec B608 # table and columns from model metadata, quoted; values are parameters
        self.pseudonyms: set[str] = set(Client.objects.values_list("pseudonym", flat=True))
        self.pseudonym_at = TABLES["client"][1].index("pseudonym")

    def write(self, rows: dict[str, list[tuple]]) -> int:
        clients = rows["client"]
        for i, row in enumerate(clients):
            pseudonym = row[self.pseudonym_at]
            while pseudonym in self.pseudonyms:  # pseudonyms are random: replace the rare collision
                pseudonym = new_pseudonym()
            if pseudonym != row[self.pseudonym_at]:
                clients[i] = row[: self.pseudonym_at] + (pseudonym,) + row[self.pseudonym_at + 1 :]
            self.pseudonyms.add(pseudonym)
        written = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for name in ORDER:
                batch = rows[name]
                if not batch:
                    continue
                if self.vendor == "postgresql":
                    with cursor.cursor.copy(self.sql[name]) as copy:
                        for row in batch:
                            copy.write_row(row)
                elif self.vendor == "sqlite":
                    connection.connection.executemany(self.sql[name], batch)
                else:
                    cursor.executemany(self.sql[name].replace("?", "%s"), batch)
                written += len(batch)
        return written


@dataclass
class _BulkSession:
    """SQLite settings for the bulk load of a fresh database: no fsync per transaction, a large page cache."""

    fresh: bool

    def __enter__(self):
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                if self.fresh:
                    cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-524288")
                cursor.execute("PRAGMA temp_store=MEMORY")
        return self

    def __exit__(self, *exc):
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA cache_size=-2000")
        return False


def _chunks(plans: list[CasePlan], contacts_per_chunk: int, max_cases: int) -> Iterable[list[CasePlan]]:
    chunk: list[CasePlan] = []
    load = 0
    for plan in plans:
        chunk.append(plan)
        load += plan.contacts + 5
        if load >= contacts_per_chunk or len(chunk) >= max_cases:
            yield chunk
            chunk, load = [], 0
    if chunk:
        yield chunk


def generate(
    spec: Spec,
    *,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int, int, float], None] | None = None,
    manifest_path: Path | None = None,
) -> Result:
    """Generate the network (or add cases to it with force=True) and write the benchmark manifest."""
    started = time.monotonic()
    had_cases = Case.objects.exists()
    if had_cases and not force:
        raise AlreadyPopulated(
            f"The database has {Case.objects.count()} cases already. Generate into an empty database, or pass "
            "--append to add synthetic cases to it."
        )
    keyring.load()  # fail early without a keyring, and warm the cache the workers inherit
    with transaction.atomic():
        if network_load() is None:
            network_create(spec.seed)
    network = network_load()
    if network is None:
        raise RuntimeError("The network was not generated.")
    today = timezone.localdate()
    plans = plan_cases(spec, network, today)
    _STATE.update(
        network=network,
        vendor=connection.vendor,
        seed=spec.seed,
        today=today,
        base_ms=int(time.time() * 1000) & ~0xFFFF,
    )
    _STATE.pop("notes", None)
    tasks = list(enumerate(_chunks(plans, 20_000, 400)))
    jobs = max(1, jobs or os.cpu_count() or 1)
    use_pool = jobs > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods()
    result = Result()
    facts: list[dict] = []
    done = 0
    pool = None
    if use_pool:
        if not connection.in_atomic_block:
            connections.close_all()  # the workers never touch the database: fork them without an open connection
        pool = multiprocessing.get_context("fork").Pool(jobs)

    def take(item) -> None:
        nonlocal done
        _chunk, rows, chunk_facts = item
        result.rows += writer.write(rows)
        result.contacts += len(rows["contact"])
        result.cases += len(rows["case"])
        for state, n in chunk_facts["states"].items():
            result.states[state] = result.states.get(state, 0) + n
        facts.append(chunk_facts)
        done += len(rows["contact"]) + len(rows["case"])
        if progress:
            progress(done, spec.contacts + spec.cases, time.monotonic() - started)

    with pool or contextlib.nullcontext(), _BulkSession(fresh=not had_cases):
        writer = _Writer()
        if pool is not None:
            pending: deque = deque()
            for task in tasks:
                pending.append(pool.apply_async(build_chunk, (task,)))
                if len(pending) > jobs * 2:
                    take(pending.popleft().get())
            while pending:
                take(pending.popleft().get())
        else:
            for task in tasks:
                take(build_chunk(task))
        with connection.cursor() as cursor:
            # Fresh statistics for the query planner on every table, as after any bulk load: without them
            # PostgreSQL guesses the organisation's programmes and cases to be a handful and plans scans.
            if connection.vendor == "postgresql" or connection.vendor == "sqlite" and not connection.in_atomic_block:
                cursor.execute("ANALYZE")
    audit_record(
        "synthetic.generate",
        object_type="organisation",
        object_id=str(network.organisation_id),
        detail=f"{result.cases} cases, {result.contacts} contacts, size {spec.label}, seed {spec.seed}",
    )
    result.seconds = time.monotonic() - started
    result.manifest = _manifest(spec, network, facts, result)
    result.manifest_path = manifest_path or Path(settings.VAR_DIR) / f"synthetic-{spec.label}.json"
    result.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    result.manifest_path.write_text(json.dumps(result.manifest, indent=2, ensure_ascii=False) + "\n")
    return result


def _manifest(spec: Spec, network: Network, facts: list[dict], result: Result) -> dict:
    """What a benchmark or load test needs: who signs in, which case and client to use."""
    username_of = {entry["id"]: username for username, entry in network.staff.items()}
    longs = sorted((f for chunk in facts for f in chunk["long"]), key=lambda f: -f["contacts"])
    named = [f for chunk in facts for f in chunk["named"]]
    for f in longs + named:
        f["case_manager"] = username_of.get(f.pop("manager_id"))
    timeline = longs[0] if longs else (named[0] if named else None)
    erasure = longs[1] if len(longs) > 1 else timeline
    db = settings.DATABASES["default"]

    def roles(role: str) -> list[str]:
        return sorted(u for u, e in network.staff.items() if any(r == role for r, _t in e["roles"]))

    return {
        "size": spec.label,
        "seed": spec.seed,
        "cases": result.cases,
        "contacts": result.contacts,
        "seconds": round(result.seconds, 1),
        "database": {"vendor": connection.vendor, "name": str(db.get("NAME"))},
        "keyring": "TANDEM_KEYRING" if settings.TANDEM_KEYRING else str(settings.TANDEM_KEYRING_FILE),
        "password": C.DEMO_PASSWORD,
        "totp_secret": C.DEMO_TOTP_SECRET,
        "case_manager": timeline["case_manager"] if timeline else None,
        "long_timeline_case": timeline,
        "erasure_client": erasure,
        "exact_name": named[0] if named else timeline,
        "long_cases": longs,
        "practitioners": roles(Role.PRACTITIONER),
        "supervisors": roles(Role.SUPERVISOR),
        "specialists": roles(Role.SPECIALIST),
        "programme_managers": roles(Role.PROGRAMME_MANAGER),
        "evaluators": roles(Role.EVALUATOR),
        "administrators": roles(Role.ADMINISTRATOR),
    }


def read_manifest(label: str, var_dir: Path | None = None) -> dict:
    """The manifest a generation wrote (for benchmarks): var/synthetic-<size>.json."""
    return json.loads((Path(var_dir or settings.VAR_DIR) / f"synthetic-{label}.json").read_text())


def progress_printer(stream=sys.stderr) -> Callable[[int, int, float], None]:
    """A one-line progress bar with rate and ETA (redrawn in place on a terminal, every 5 % otherwise)."""
    tty = stream.isatty()
    state = {"shown": -1.0}

    def show(done: int, total: int, elapsed: float) -> None:
        share = done / total if total else 1.0
        if not tty and share < 1.0 and share - state["shown"] < 0.05:
            return
        state["shown"] = share
        rate = done / elapsed if elapsed else 0.0
        eta = (total - done) / rate if rate else 0.0
        bar = "#" * int(share * 30)
        line = (
            f"[{bar:<30}] {share:6.1%} {done:,}/{total:,} rows of cases and contacts, "
            f"{rate:,.0f}/s, elapsed {elapsed:5.0f} s, ETA {eta:5.0f} s"
        )
        stream.write(("\r" + line) if tty else (line + "\n"))
        if tty and share >= 1.0:
            stream.write("\n")
        stream.flush()

    return show
