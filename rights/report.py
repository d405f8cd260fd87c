"""Everything held about one client (GDPR Art. 15), built from the field classification.

Every model that carries a `data_classification` and links to a client (directly or through a case, a
need, a goal …) is found by following its foreign keys, so a new app's records appear in the report
without changes here. Technical fields (keys, ids, hashes) are left out; staff appear by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Client
from vault.classification import DataClass, field_class

if TYPE_CHECKING:
    from accounts.models import User

# Records that are about the client but are not the client's data: the blind name index (digests only)
# and conflict-of-interest exclusions (a protective measure about staff members; Art. 15(4)).
NOT_IN_REPORT = frozenset({"cases.ClientName", "cases.ClientExclusion"})


def classified_models() -> list[type[models.Model]]:
    """Every model of the project: the ones that carry a data classification."""
    return [m for m in apps.get_models() if hasattr(m, "data_classification")]


def _paths_to(root: type[models.Model]) -> dict[type[models.Model], str]:
    """For each classified model, the lookup from it to `root` over foreign keys ("" for root itself)."""
    user_model = apps.get_model("accounts", "User")
    known: dict[type[models.Model], str] = {root: ""}
    changed = True
    while changed:
        changed = False
        for model in classified_models():
            if model in known or model is user_model:
                continue
            for f in model._meta.concrete_fields:
                if f.many_to_one or f.one_to_one:
                    target = f.related_model
                    if target in known:
                        known[model] = f.name if known[target] == "" else f"{f.name}__{known[target]}"
                        changed = True
                        break
    return known


def client_paths() -> dict[type[models.Model], str]:
    return _paths_to(Client)


def case_paths() -> dict[type[models.Model], str]:
    return _paths_to(Case)


@dataclass
class Section:
    label: str
    model: str
    columns: list[str] = field(default_factory=list)  # verbose names
    names: list[str] = field(default_factory=list)  # field names
    rows: list[list[str]] = field(default_factory=list)  # for reading
    records: list[dict] = field(default_factory=list)  # for machines


@dataclass
class AccessReport:
    client: Client
    generated_at: dt.datetime
    cases: list[Case]
    hidden_cases: int
    sections: list[Section]

    def as_json(self) -> dict:
        return {
            "format": "tandem-access-report/1",
            "generated_at": self.generated_at.isoformat(),
            "client": self.client.pseudonym,
            "cases_not_included": self.hidden_cases,
            "sections": [{"model": s.model, "title": s.label, "records": s.records} for s in self.sections],
        }


def _is_default_str(obj: models.Model) -> bool:
    return type(obj).__str__ is models.Model.__str__


def _related_label(obj: models.Model | None, case_labels: dict) -> str:
    if obj is None:
        return ""
    if isinstance(obj, Case):
        return case_labels.get(obj.pk, "")
    if hasattr(obj, "display_name"):
        return obj.display_name
    if _is_default_str(obj):
        for name in ("domain", "kind", "role", "status"):
            if hasattr(obj, f"get_{name}_display"):
                return f"{obj._meta.verbose_name}: {getattr(obj, f'get_{name}_display')()}"
        return str(obj._meta.verbose_name)
    return str(obj)


def _values(obj: models.Model, fields, case_labels: dict) -> tuple[list[str], dict]:
    shown: list[str] = []
    machine: dict[str, Any] = {}
    for f in fields:
        if f.many_to_many:
            related = list(getattr(obj, f.name).all())
            shown.append(", ".join(str(r) for r in related))
            machine[f.name] = [str(r) for r in related]
            continue
        if f.many_to_one or f.one_to_one:
            related = getattr(obj, f.name)
            label = _related_label(related, case_labels)
            shown.append(label)
            machine[f.name] = label
            continue
        value = getattr(obj, f.attname)
        if f.choices and value not in (None, ""):
            shown.append(str(getattr(obj, f"get_{f.name}_display")()))
            machine[f.name] = value
        elif isinstance(value, dt.datetime):
            shown.append(timezone.localtime(value).strftime("%Y-%m-%d %H:%M"))
            machine[f.name] = value.isoformat()
        elif isinstance(value, dt.date):
            shown.append(value.isoformat())
            machine[f.name] = value.isoformat()
        elif isinstance(value, list):
            shown.append(", ".join(str(v) for v in value))
            machine[f.name] = value
        elif isinstance(value, bool):
            shown.append(_("yes") if value else _("no"))
            machine[f.name] = value
        else:
            shown.append("" if value is None else str(value))
            machine[f.name] = value
    return shown, machine


def _report_fields(model: type[models.Model], path: str) -> list:
    first_hop = path.split("__", 1)[0] if path else None
    chosen = []
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field_class(model, f.name) == DataClass.TECHNICAL or f.name == first_hop and f.related_model is Client:
            continue
        chosen.append(f)
    return chosen


def build_access_report(*, user: User, client: Client) -> AccessReport:
    """The report for `client`, as far as `user` may see: cases outside their need-to-know are counted, not shown."""
    import access

    all_cases = client.cases.count()
    cases = list(access.cases_for(user).filter(client=client).select_related("programme", "team").order_by("opened_on"))
    case_ids = [c.pk for c in cases]
    case_labels = {
        c.pk: _("%(programme)s, opened %(date)s") % {"programme": c.programme.name, "date": c.opened_on.isoformat()}
        for c in cases
    }
    to_client, to_case = client_paths(), case_paths()
    order = {cfg.label: i for i, cfg in enumerate(apps.get_app_configs())}
    models_in_report = sorted(
        (m for m in to_client if m._meta.label not in NOT_IN_REPORT),
        key=lambda m: (m is not Client, m is not Case, order.get(m._meta.app_label, 99), m._meta.label),
    )
    sections: list[Section] = []
    for model in models_in_report:
        path = to_client[model]
        queryset: models.QuerySet[Any]
        if model is Client:
            queryset = Client.objects.filter(pk=client.pk)
        else:
            queryset = model._default_manager.filter(**{path: client})
            if model is Case:
                queryset = queryset.filter(pk__in=case_ids)
            elif model in to_case:
                queryset = queryset.filter(**{f"{to_case[model]}__in": case_ids})
            queryset = queryset.select_related(path)
        fields = _report_fields(model, path)
        if any(f.many_to_many for f in fields):
            queryset = queryset.prefetch_related(*[f.name for f in fields if f.many_to_many])
        section = Section(
            label=str(model._meta.verbose_name_plural).capitalize(),
            model=model._meta.label,
            columns=[str(f.verbose_name).capitalize() for f in fields],
            names=[f.name for f in fields],
        )
        for obj in queryset.order_by(*(model._meta.ordering or ["pk"])):
            shown, machine = _values(obj, fields, case_labels)
            section.rows.append(shown)
            section.records.append(machine)
        sections.append(section)
    return AccessReport(
        client=client, generated_at=timezone.now(), cases=cases, hidden_cases=all_cases - len(cases), sections=sections
    )
