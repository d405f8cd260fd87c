"""Reads for the casework pages: caseload, due items, case lists, the timeline. Constant query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

import access
from accounts.models import Role, RoleGrant, User
from programmes.models import Setting
from tandem.small_cells import suppress_small_cells

from . import due
from .due import DueItem
from .lifecycle import State
from .models import TANDEM_ROLES, Case, CaseAssignment, CaseTransition, Contact, Participant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.http import AuthenticatedHttpRequest


@dataclass
class CaseloadRow:
    case: Case
    days_since_contact: int | None
    due: list[DueItem] = field(default_factory=list)

    @property
    def next_due(self) -> DueItem | None:
        return self.due[0] if self.due else None


def _current_tandem_prefetch(on: dt.date | None = None) -> Prefetch:
    tandem = CaseAssignment.objects.current(on).tandem().select_related("staff").order_by("role", "starts_on")
    return Prefetch("assignments", queryset=tandem, to_attr="current_tandem")


def with_current_tandem(queryset: QuerySet[Case], on: dt.date | None = None) -> QuerySet[Case]:
    """Cases with their client, programme and team, and the tandem on the day (today) as `current_tandem`."""
    return queryset.select_related("client", "programme", "team").prefetch_related(_current_tandem_prefetch(on))


def case_for_page(user: User, case_id: object, *, write: bool = False, action: str | None = None) -> Case:
    """The case for a page, through access.get_case_for (404 outside need-to-know, audited), with its client,
    programme and team; the header's `case.current_tandem` is read only by a page that shows it."""
    return access.get_case_for(user, case_id, write=write, action=action)


def case_for_form_page(request: AuthenticatedHttpRequest, case_id: object, *, viewed: str | None = None) -> Case:
    """The case for a page that shows a form (GET: a read, audited as `viewed`) and takes it (POST: a write, which
    a restricted record refuses)."""
    posted = request.method == "POST"
    return case_for_page(request.user, case_id, write=posted, action=None if posted else viewed)


def days_since(moment: dt.datetime | None, today: dt.date | None = None) -> int | None:
    if moment is None:
        return None
    today = today or timezone.localdate()
    return (today - timezone.localtime(moment).date()).days


@dataclass
class Caseload:
    rows: list[CaseloadRow]  # this page's cases, fully loaded
    page: Page  # the page of case ids, for the page links
    open_cases: int
    due: list[DueItem]  # everything due on all the open cases, earliest first


def caseload(user: User, *, page: int | str | None = 1, per_page: int = 50) -> Caseload:
    """The user's open cases (their assignments, and their teams' cases for supervisors), most urgent first,
    one page at a time. What is due comes from the providers registered in cases.due.

    Only ids and pseudonyms of all open cases are read to order them; the page's cases alone are loaded in full,
    so the cost follows the page, not the size of the caseload."""
    today = timezone.localdate()
    visible = access.cases_for(user).open()
    pseudonyms = dict(visible.values_list("pk", "client__pseudonym"))
    # Earliest first, from the providers; each case's own list keeps that order.
    items = [item for item in due.due_items(visible, today) if item.case.pk in pseudonyms]
    due_by_case: dict = {}
    for item in items:
        due_by_case.setdefault(item.case.pk, []).append(item)
    far_future = dt.date.max
    ordered = sorted(
        pseudonyms, key=lambda pk: (due_by_case[pk][0].due_on if pk in due_by_case else far_future, pseudonyms[pk])
    )
    shown = Paginator(ordered, per_page).get_page(page)
    # The page's ids all came from the visible cases just read; loading them by primary key alone lets the
    # database use that index (combined with the visibility lists it misjudged the rows and scanned).
    loaded = {case.pk: case for case in with_current_tandem(Case.objects.filter(pk__in=list(shown.object_list)))}
    rows = []
    for pk in shown.object_list:
        case = loaded.get(pk)
        if case is None:  # closed or reassigned between the two reads
            continue
        row = CaseloadRow(case, days_since(case.last_contact_at, today), due_by_case.get(pk, []))
        for item in row.due:
            item.case = case
        rows.append(row)
    return Caseload(rows=rows, page=shown, open_cases=len(ordered), due=items)


def organisation_counts(organisation_id: int) -> dict[str, list[tuple[StrOrPromise, str]]]:
    """Case counts by state and by setting for one organisation: numbers only, small cells suppressed."""
    base = Case.objects.filter(programme__organisation_id=organisation_id, client__erased_at__isnull=True)
    by_state = dict(base.values_list("state").annotate(n=Count("pk")).order_by())
    by_setting = dict(base.values_list("setting").annotate(n=Count("pk")).order_by())
    states = suppress_small_cells({s: by_state.get(s, 0) for s in State.values})
    settings_ = suppress_small_cells({s: by_setting.get(s, 0) for s in Setting.values})
    return {
        "by_state": [(State(s).label, states[s]) for s in State.values],
        "by_setting": [(Setting(s).label, settings_[s]) for s in Setting.values],
    }


def case_list(
    user: User, *, state: str = "", setting: str = "", ideology: str = "", worker: User | None = None, search: str = ""
) -> QuerySet[Case]:
    """The user's cases, filtered; search matches a pseudonym (prefix, any case) or an exact client name."""
    cases = access.cases_for(user)
    if state:
        cases = cases.filter(state=state)
    if setting:
        cases = cases.filter(setting=setting)
    if ideology:
        cases = cases.filter(ideology=ideology)
    if worker is not None:
        cases = cases.filter(Exists(CaseAssignment.objects.current().filter(case=OuterRef("pk"), staff=worker)))
    search = search.strip()
    if search:
        # Two indexed reads, merged: pseudonyms are stored in capitals, so a prefix in any case is matched in
        # capitals; the exact name goes through the blind index. (One query with OR made PostgreSQL scan.)
        matched = set(cases.filter(client__pseudonym__startswith=search.upper()).values_list("pk", flat=True))
        matched |= set(access.lookup_cases_by_name(user, search).values_list("pk", flat=True))
        cases = cases.filter(pk__in=matched)
    return with_current_tandem(cases).order_by("client__pseudonym", "opened_on")


def case_workers(organisation_id: int | None) -> QuerySet[User]:
    """Active staff of an organisation who hold a casework role."""
    if organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role_grants__role__in=[Role.PRACTITIONER, Role.SPECIALIST, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def case_list_workers(user: User) -> QuerySet[User]:
    """The worker filter's choices (not everyone in a large organisation): the user, the colleagues now on the
    user's own cases, and for a supervisor the staff of the supervised teams. Read through the assignment and
    role-grant indexes, never through all the cases a supervisor sees."""
    today = timezone.localdate()
    own_cases = CaseAssignment.objects.filter(staff=user).current(today).values("case_id")
    chosen = Q(pk=user.pk) | Q(
        pk__in=CaseAssignment.objects.current(today).filter(case_id__in=own_cases).values("staff_id")
    )
    supervised = user.supervised_team_ids() if user.has_role(Role.SUPERVISOR) else []
    if supervised:
        chosen |= Q(pk__in=RoleGrant.objects.filter(team_id__in=supervised).values("user_id"))
    if user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(chosen, organisation_id=user.organisation_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def assignable_staff(case: Case) -> QuerySet[User]:
    """Staff who may join this case: same organisation, a casework role, not excluded from the client."""
    return case_workers(case.programme.organisation_id).exclude(client_exclusions__client_id=case.client_id)


def case_team(case: Case) -> list[CaseAssignment]:
    """Everyone who is or was on the case; current first."""
    assignments = list(case.assignments.with_is_current().select_related("staff").order_by("role", "-starts_on"))
    return sorted(assignments, key=lambda a: (not a.is_current, a.role not in TANDEM_ROLES))


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # "contact" or "transition"
    item: Contact | CaseTransition
    # What the timeline shows, worked out once per page by present_timeline() instead of per entry in the
    # template: the heading, the time (ISO and localised), the meta line's parts and the topic names.
    title: str = ""
    when_iso: str = ""
    when: str = ""
    duration: str = ""
    participants: str = ""
    recorded_by: str = ""
    reason: str = ""
    by: str = ""
    topics: list[str] = field(default_factory=list)


TIMELINE_PAGE_SIZE = 25


@dataclass
class TimelinePage:
    """One page of the timeline, newest first; `number` counts from 1."""

    entries: list[TimelineEntry]
    number: int
    has_older: bool

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    @property
    def older_number(self) -> int:
        return self.number + 1

    @property
    def newer_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None


def timeline_page_number(raw: str | int | None) -> int:
    if raw is None:
        return 1
    try:
        number = int(raw)
    except ValueError:
        return 1
    return min(max(number, 1), 10_000)


def timeline(case: Case, page: str | int | None = 1, per_page: int = TIMELINE_PAGE_SIZE) -> TimelinePage:
    """Contacts and state changes, newest first, one page at a time.

    The newest `page * per_page + 1` rows of each kind are enough to merge the page (both lists are read
    through their (case, time) indexes), so the first page costs the same however long the case's history is.
    """
    number = timeline_page_number(page)
    upto = number * per_page + 1
    contacts = case.contacts.select_related("recorded_by").order_by("-occurred_at", "-recorded_at")[:upto]
    transitions = case.transitions.select_related("by").order_by("-at")[:upto]
    entries = [TimelineEntry(c.occurred_at, "contact", c) for c in contacts]
    entries += [TimelineEntry(t.at, "transition", t) for t in transitions]
    entries.sort(key=lambda e: e.at, reverse=True)
    start = (number - 1) * per_page
    shown = entries[start : start + per_page]
    # The shown contacts' topics in one query on the link table (lighter than a prefetch of the relation).
    topics: dict = {e.item.pk: [] for e in shown if e.kind == "contact"}
    if topics:
        links = (
            Contact.topics.through.objects.filter(contact_id__in=list(topics))
            .select_related("topic")
            .order_by("topic__group", "topic__code")
        )
        for link in links:
            topics[link.contact_id].append(link.topic)
    present_timeline(shown, topics)
    return TimelinePage(shown, number, has_older=len(entries) > start + per_page)


def _labels(model, name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _blocktranslate(text: str, **values) -> str:
    """A translated text with its values escaped and put in, as the template's blocktranslate does."""
    escaped = {key: conditional_escape(formats.localize(value)) for key, value in values.items()}
    return mark_safe(text % escaped)  # nosec B308 B703 # the text is the product's own catalogue; every value is escaped


def present_timeline(entries: list[TimelineEntry], topics: dict) -> None:
    """Fill in what each entry shows, in the active language and time zone (`topics`: contact id -> topics).

    Labels of choices are translated once per page (not once per entry); the texts are the timeline's own
    messages, so the catalogue is unchanged.
    """
    if not entries:
        return
    kinds = _labels(Contact, "kind")
    participants = {value: str(label) for value, label in Participant.choices}
    states, reasons = _labels(CaseTransition, "to_state"), _labels(CaseTransition, "closure_reason")
    for entry in entries:
        item = entry.item
        at = timezone.template_localtime(entry.at)  # type: ignore[attr-defined]  # in Django, missing from the stubs
        entry.when_iso = at.isoformat()
        entry.when = formats.date_format(at, "DATETIME_FORMAT")
        if isinstance(item, Contact):  # entry.kind == "contact"
            entry.title = kinds.get(item.kind, item.kind)
            minutes = item.duration_minutes
            entry.duration = _blocktranslate(
                ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes), minutes=minutes
            )
            entry.participants = ", ".join(participants.get(p, p) for p in item.participants)
            entry.recorded_by = _blocktranslate(gettext("recorded by %(name)s"), name=item.recorded_by.display_name)
            entry.topics = [topic.name for topic in topics.get(item.pk, ())]
        else:
            target = states.get(item.to_state, item.to_state)
            if item.from_state:
                entry.title = _blocktranslate(
                    gettext("State changed from %(source)s to %(target)s"),
                    source=states.get(item.from_state, item.from_state),
                    target=target,
                )
            else:
                entry.title = _blocktranslate(gettext("Case opened as %(target)s"), target=target)
            if item.closure_reason:
                entry.reason = reasons.get(item.closure_reason, item.closure_reason)
            if item.by:
                entry.by = _blocktranslate(gettext("by %(name)s"), name=item.by.display_name)
