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


def from_manifest(manifest: dict) -> dict:
    """What the generator's manifest (demo.synthetic, var/synthetic-<size>.json) names for the benchmark."""
    timeline = manifest.get("long_timeline_case") or {}
    return {
        "long_case_id": timeline.get("case"),
        "case_manager": timeline.get("case_manager") or manifest.get("case_manager"),
        # The long case's own client: a name its case manager may look up, so the lookup finds a case.
        "exact_name": timeline.get("name"),
    }


def load(path: Path | None = None) -> Targets:
    given = from_manifest(json.loads(path.read_text())) if path and path.exists() else {}
    case_id = given.get("long_case_id")
    case = None
    if case_id:
        case = Case.objects.select_related("client").filter(pk=case_id).first()
    if case is None:
        case = (
            Case.objects.exclude(state=State.CLOSED)
            .filter(client__erased_at__isnull=True)
            .annotate(n=Count("contacts"))
            .order_by("-n", "pk")
            .select_related("client")
            .first()
        )
    if case is None:
        raise SystemExit("The database holds no open case to benchmark: generate the data first.")
    manager = given.get("case_manager")
    if not manager:
        assignment = (
            CaseAssignment.objects.current().filter(case=case, role="case_manager").select_related("staff").first()
        )
        if assignment is None:
            raise SystemExit(f"Case {case.pk} has no current case manager.")
        manager = assignment.staff.username
    supervisor = given.get("supervisor")
    if not supervisor:
        grant = (
            RoleGrant.objects.filter(role=Role.SUPERVISOR, team_id=case.team_id, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if grant is None:
            raise SystemExit(f"No supervisor supervises the team of case {case.pk}.")
        supervisor = grant.user.username
    name = given.get("exact_name") or case.client.full_name
    sup_user = User.objects.get(username=supervisor)
    list_state = given.get("list_state")
    if not list_state:
        # The state with the most cases this supervisor sees: the filtered list fills a page of 50 if any does.
        import access

        counts = access.cases_for(sup_user).values("state").annotate(n=Count("pk")).order_by("-n", "state")
        list_state = counts[0]["state"] if counts else State.ACTIVE
    return Targets(
        case_manager=manager,
        supervisor=supervisor,
        long_case_id=str(case.pk),
        exact_name=name,
        list_state=list_state,
        team_id=case.team_id,
        source=str(path) if given else "database",
    )
