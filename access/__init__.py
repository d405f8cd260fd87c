"""The one access layer: every page, API call, export and job gets cases and clients through here.

Who sees a case (`cases_for`), always within the user's own organisation and never once the client is erased:
- practitioners, specialists and supervisors see the cases they are assigned to today (from an assignment's
  start to its end date);
- supervisors also see every case of the teams they supervise, and a case of another team while they hold an
  active break-glass grant for it (granted, justified and reviewed in the sharing app);
- nobody else sees case content: not programme managers, evaluators or administrators (unless they also hold
  a casework role), nor an inactive user or one without an organisation.
An exclusion from a client (conflict of interest) beats every rule, break-glass included.

`get_case_for` is the way to one case. Outside these rules, or for a malformed id, the case does not exist:
Http404, never 403, audited as a denied access. Every access is audited (`case.view`, `case.write` or the
caller's action); one through break-glass is audited again as `case.break_glass`. A restricted client's case
(GDPR Art. 18) can be read but not changed: with write=True it raises `Restricted` (403, audited as denied);
`check_not_restricted` is the same refusal for a change that does not start from a case (the disclosure service
refuses a restricted record itself). A list read is audited with its row count (`audit_list`); the exact-name
lookup uses the organisation's blind index, within the user's own cases, and is audited.
`staff_can_be_assigned`: only active casework staff of the client's organisation, not excluded from the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import Outcome
from audit.services import audit_record
from cases.models import Case, CaseAssignment, CaseQuerySet, Client, ClientExclusion, ClientName
from tandem.ids import parse_uuid
from vault.crypto import blind_index

if TYPE_CHECKING:
    from accounts.models import User
    from sharing.models import BreakGlassGrant

CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.SPECIALIST, Role.SUPERVISOR})


class Restricted(PermissionDenied):
    """The client's record is restricted (GDPR Art. 18): it may be read, not changed, exported or disclosed."""

    def __init__(self, client: Client) -> None:
        self.client = client
        since = formats.date_format(timezone.localtime(client.restricted_at), "DATE_FORMAT")
        super().__init__(
            _("This record is restricted (GDPR Art. 18) since %(date)s; lift the restriction to change it.")
            % {"date": since}
        )


def check_not_restricted(
    client: Client, *, user: User | None = None, action: str = "case.write", obj: models.Model | None = None
) -> None:
    """Refuse (audited) any change, export or disclosure of a restricted client's record."""
    if client.restricted_at is not None:
        target = obj if obj is not None else client
        audit_record(action, target, outcome=Outcome.DENIED, detail="restricted", actor=user)
        raise Restricted(client)


def sees_case_content(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role_codes() & CASEWORK_ROLES
    )


def cases_for(user: User | AnonymousUser) -> CaseQuerySet:
    """Every case this user may see, and no other."""
    if not sees_case_content(user) or user.organisation_id is None:
        return Case.objects.none()
    today = timezone.localdate()
    # Each rule is a list of case ids read through an index (assignments by staff, cases by team, grants by
    # user), so the database starts from the user's few cases instead of testing every case of the organisation.
    on_case = CaseAssignment.objects.filter(staff=user).current(today).values("case_id")
    visible = Q(pk__in=on_case)
    if user.has_role(Role.SUPERVISOR):
        # A supervisor's rules are joined by OR; with subqueries in an OR, PostgreSQL misjudges how many cases
        # match and scans them, so the supervisor's own (few) case ids are read here as values.
        visible = Q(pk__in=list(on_case.values_list("case_id", flat=True)))
        supervised = user.supervised_team_ids()
        if supervised:
            visible |= Q(team_id__in=supervised)
        # Break-glass: a supervisor's justified, time-limited access outside their teams (sharing app).
        from sharing.models import BreakGlassGrant

        granted = list(BreakGlassGrant.objects.active().filter(user=user).values_list("case_id", flat=True))
        if granted:
            visible |= Q(pk__in=granted)
    excluded = Exists(ClientExclusion.objects.filter(client=OuterRef("client_id"), staff=user))
    return (
        Case.objects.filter(programme__organisation_id=user.organisation_id, client__erased_at__isnull=True)
        .filter(visible)
        .exclude(excluded)
    )


def get_case_for(user: User, case_id: object, *, write: bool = False, action: str | None = None) -> Case:
    """The case, if this user may see it, with an audit entry for the access; else Http404 (also audited).

    With write=True a restricted client's case (GDPR Art. 18) raises Restricted (403): the one place
    that keeps every edit path of pages and API away from a restricted record.
    """
    action = action or ("case.write" if write else "case.view")
    parsed = parse_uuid(case_id)
    case = None
    if parsed is not None:
        case = cases_for(user).select_related("client", "programme", "team").filter(pk=parsed).first()
    if case is None:
        # The id comes from a URL; PostgreSQL refuses NUL characters in text, so they are dropped.
        shown_id = str(case_id).replace("\x00", "")[:64]
        audit_record(action, object_type="case", object_id=shown_id, outcome=Outcome.DENIED, actor=user)
        raise Http404("No such case.")
    if write:
        check_not_restricted(case.client, user=user, action=action, obj=case)
    audit_record(action, case, actor=user)
    if break_glass_grant(user, case) is not None:
        audit_record("case.break_glass", case, detail=action, actor=user)
    return case


def break_glass_grant(user: User, case: Case) -> BreakGlassGrant | None:
    """The active break-glass grant through which alone this user sees the case, else None."""
    if not user.has_role(Role.SUPERVISOR) or supervises(user, case):
        return None
    from sharing.models import BreakGlassGrant

    if CaseAssignment.objects.filter(case=case, staff=user).current().exists():
        return None
    return BreakGlassGrant.objects.active().filter(case=case, user=user).order_by("-expires_at").first()


def audit_list(action: str, count: int, detail: str = "", user: User | None = None) -> None:
    """Lists are case data too: record that one was read, and how many rows it showed."""
    audit_record(action, object_type="case", detail=(f"{count} rows " + detail).strip(), actor=user)


def lookup_cases_by_name(user: User, name: str) -> CaseQuerySet:
    """Exact-name lookup through the blind index, within this user's cases only."""
    if not name.strip() or not sees_case_content(user):
        return Case.objects.none()
    digest = blind_index(user.organisation_id, name)
    matching = ClientName.objects.filter(digest=digest).values("client_id")
    audit_record("client.lookup", object_type="client", detail="exact-name lookup", actor=user)
    return cases_for(user).filter(client_id__in=matching)


def staff_can_be_assigned(staff: User, client: Client) -> bool:
    return (
        staff.is_active
        and staff.organisation_id == client.organisation_id
        and bool(staff.role_codes() & {Role.PRACTITIONER, Role.SPECIALIST, Role.SUPERVISOR})
        and not ClientExclusion.objects.filter(client=client, staff=staff).exists()
    )


def supervises(user: User, case: Case) -> bool:
    return user.has_role(Role.SUPERVISOR) and case.team_id in user.supervised_team_ids()
