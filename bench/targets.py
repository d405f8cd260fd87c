"""Which users, cases and names the benchmark uses.

The synthetic-data generator writes a JSON file beside the data it makes; what it names is used. What it
does not name is found in the database: the open case with the longest timeline, its case manager, a
supervisor of its team, the client's exact name, and a state filter that fills a page of the case list.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db.models import Count

from accounts.models import Role, RoleGrant, User
from cases.lifecycle import State
from cases.models import Case, CaseAssignment

# Names the generator's JSON may use for each target (first match wins).
ALIASES = {
    "case_manager": ("case_manager", "caseload_user", "long_timeline_case_manager", "case_manager_username"),
    "supervisor": ("supervisor", "supervisor_username", "list_user"),
    "long_case_id": ("long_case_id", "long_timeline_case", "long_timeline_case_id", "case_id"),
    "exact_name": ("exact_name", "known_exact_name", "lookup_name", "client_name"),
    "list_state": ("list_state", "case_list_state"),
}


@dataclass
class Targets:
    case_manager: str
    supervisor: str
    long_case_id: str
    exact_name: str
    list_state: str
    team_id: int
    source: str = "database"

    def as_dict(self) -> dict:
        return asdict(self)


def _pick(data: dict, key: str):
    for name in ALIASES[key]:
        value = data.get(name)
        if isinstance(value, dict):  # {"username": ...} or {"id": ...}
            value = value.get("username") or value.get("id") or value.get("name")
        if value:
            return value
    return None


def _flatten(data: dict) -> dict:
    """Top-level keys, and those one level down (a generator may group its targets)."""
    flat = dict(data)
    for value in data.values():
        if isinstance(value, dict):
            for key, inner in value.items():
                flat.setdefault(key, inner)
    return flat


def load(path: Path | None = None) -> Targets:
    given = _flatten(json.loads(path.read_text())) if path and path.exists() else {}
    case_id = _pick(given, "long_case_id")
    case = None
    if case_id:
        case = Case.objects.select_related("client").filter(pk=case_id).first()
    if case is None:
        case = (Case.objects.exclude(state=State.CLOSED).filter(client__erased_at__isnull=True)
                .annotate(n=Count("contacts")).order_by("-n", "pk").select_related("client").first())
    if case is None:
        raise SystemExit("The database holds no open case to benchmark: generate the data first.")
    manager = _pick(given, "case_manager")
    if not manager:
        assignment = (CaseAssignment.objects.current().filter(case=case, role="case_manager")
                      .select_related("staff").first())
        if assignment is None:
            raise SystemExit(f"Case {case.pk} has no current case manager.")
        manager = assignment.staff.username
    supervisor = _pick(given, "supervisor")
    if not supervisor:
        grant = (RoleGrant.objects.filter(role=Role.SUPERVISOR, team_id=case.team_id, user__is_active=True)
                 .select_related("user").order_by("user__username").first())
        if grant is None:
            raise SystemExit(f"No supervisor supervises the team of case {case.pk}.")
        supervisor = grant.user.username
    name = _pick(given, "exact_name") or case.client.full_name
    sup_user = User.objects.get(username=supervisor)
    list_state = _pick(given, "list_state")
    if not list_state:
        # The state with the most cases this supervisor sees: the filtered list fills a page of 50 if any does.
        import access

        counts = access.cases_for(sup_user).values("state").annotate(n=Count("pk")).order_by("-n", "state")
        list_state = counts[0]["state"] if counts else State.ACTIVE
    return Targets(case_manager=manager, supervisor=supervisor, long_case_id=str(case.pk), exact_name=name,
                   list_state=list_state, team_id=case.team_id, source=str(path) if given else "database")
