"""The record of processing activities (GDPR Art. 30), generated from the code and the configuration.

Every model and field with its data class, which fields are sealed, how long client data is kept, to
which recipient categories the sharing policy lets data go, and the security measures in place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from vault.classification import SEALED_CLASSES, DataClass, field_class

from .report import client_paths

CLASS_DESCRIPTIONS = {
    DataClass.IDENTIFYING: "Names, aliases, birth date and contact details of a client",
    DataClass.SPECIAL: "Free text about a client; may hold special-category data (Art. 9)",
    DataClass.CASE: "Pseudonymous case facts: state, setting, risk level, dates, topics",
    DataClass.STAFF: "Data about staff accounts",
    DataClass.OPERATIONAL: "Configuration and reference data of the programme",
    DataClass.TECHNICAL: "Keys, hashes and identifiers with no meaning outside the system",
}

SECURITY_MEASURES = [
    "Identifying and special-category fields are encrypted at rest (AES-256-GCM) under a data key per client; "
    "the data keys are wrapped by master keys kept outside the database.",
    "Erasure destroys the client's data key (crypto-shredding): nothing sealed for the client can be opened again.",
    "Need-to-know access: practitioners and specialists see the cases they are assigned to, supervisors their "
    "teams' cases; programme managers, evaluators and administrators see no case content; organisations never "
    "see each other's cases; an exclusion from a client beats every rule.",
    "Every read and write of case data is recorded in an append-only, hash-chained audit log that a command verifies.",
    "Exact-name lookup uses a keyed blind index; names are never stored in clear.",
    "Restricted records (Art. 18) can be read but not changed, exported or disclosed.",
    "Published numbers suppress cells below 5.",
    "Sessions expire after inactivity; API tokens are stored as hashes and expire.",
]


@dataclass
class FieldEntry:
    name: str
    label: str
    data_class: str
    sealed: bool


@dataclass
class ModelEntry:
    label: str
    title: str
    about_clients: bool
    fields: list[FieldEntry] = field(default_factory=list)


@dataclass
class RecordOfProcessing:
    generated_at: str
    controller: list[str]
    purposes: list[str]
    data_classes: dict[str, str]
    models: list[ModelEntry]
    retention: list[dict]
    recipients: list[dict]
    security_measures: list[str]

    def as_json(self) -> dict:
        return asdict(self)

    def as_markdown(self) -> str:
        lines = [
            "# Record of processing activities (GDPR Art. 30)",
            "",
            f"Generated {self.generated_at}.",
            "",
            "## Controller",
            "",
            *[f"- {c}" for c in self.controller],
            "",
            "## Purposes",
            "",
            *[f"- {p}" for p in self.purposes],
            "",
            "## Data classes",
            "",
        ]
        lines += [f"- **{k}**: {v}" for k, v in self.data_classes.items()]
        lines += ["", "## Retention", ""]
        for rule in self.retention:
            lines.append(
                f"- {rule['programme']}: closed cases {rule['closed_months']} months after closure; "
                f"declined or not accepted {rule['not_taken_up_months']} months."
            )
        lines += ["", "## Recipients", ""]
        if self.recipients:
            lines += [f"- {r['category']}: {r['rules']}" for r in self.recipients]
        else:
            lines.append("- No sharing policy is installed: nothing leaves the programme.")
        lines += ["", "## Security measures", "", *[f"- {m}" for m in self.security_measures], "", "## Data held", ""]
        for model in self.models:
            lines += [
                f"### {model.title} (`{model.label}`)" + (" — about clients" if model.about_clients else ""),
                "",
                "| Field | Label | Data class | Sealed |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| `{f.name}` | {f.label} | {f.data_class} | {'yes' if f.sealed else 'no'} |" for f in model.fields
            ]
            lines.append("")
        return "\n".join(lines)

    def as_json_text(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)


def _recipients(programmes) -> list[dict]:
    from sharing import policy as sharing_policy

    entries = []
    loader = getattr(sharing_policy, "policy_named", None)
    names = sorted({p.sharing_policy for p in programmes})
    for category, label in sharing_policy.RecipientCategory.choices:
        rules = []
        for name in names:
            try:
                pol = loader(name) if loader else None
            except Exception:  # a broken policy file is reported by the sharing app's own check
                pol = None
            if pol is None:
                continue
            try:
                per_data = {dc: pol.rule(category, dc).rule for dc in sharing_policy.DataCategory.values}
            except KeyError:
                continue
            allowed = sorted(dc for dc, rule in per_data.items() if rule != "never")
            rules.append(f"{name}: " + (", ".join(allowed) if allowed else "never"))
        entries.append({"category": str(label), "code": category, "rules": "; ".join(rules) or "—"})
    return entries


def record_of_processing(*, organisation=None) -> RecordOfProcessing:
    about_clients = set(client_paths())
    models = []
    for model in sorted(
        (m for m in apps.get_models() if hasattr(m, "data_classification")), key=lambda m: m._meta.label
    ):
        entry = ModelEntry(
            label=model._meta.label,
            title=str(model._meta.verbose_name_plural).capitalize(),
            about_clients=model in about_clients,
        )
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            cls = field_class(model, f.name)
            entry.fields.append(
                FieldEntry(
                    name=f.name,
                    label=str(getattr(f, "verbose_name", f.name)),
                    data_class=cls.value if cls else "unclassified",
                    sealed=cls in SEALED_CLASSES,
                )
            )
        models.append(entry)
    chosen = Programme.objects.select_related("organisation").order_by("organisation__name", "name")
    if organisation is not None:
        chosen = chosen.filter(organisation=organisation)
    programmes = list(chosen)
    retention = [
        {
            "programme": p.name,
            "organisation": p.organisation.name,
            "closed_months": p.retention_closed_months,
            "not_taken_up_months": p.retention_not_taken_up_months,
            "sharing_policy": p.sharing_policy,
        }
        for p in programmes
    ]
    controller = sorted({p.organisation.name for p in programmes}) or [_("(no organisation configured)")]
    return RecordOfProcessing(
        generated_at=timezone.now().isoformat(timespec="seconds"),
        controller=controller,
        purposes=[
            "Case management of exit and distancing programmes (support of clients leaving violent extremism)",
            "Planning, documenting and supervising the casework of the tandem",
            "Disclosures to partners under the sharing policy, with consent or on a legal ground",
            "Programme statistics with small cells suppressed",
        ],
        data_classes={c.value: CLASS_DESCRIPTIONS[c] for c in DataClass},
        models=models,
        retention=retention,
        recipients=_recipients(programmes),
        security_measures=[
            *SECURITY_MEASURES,
            f"Time zone {settings.TIME_ZONE}; session idle timeout {settings.SESSION_COOKIE_AGE // 60} minutes.",
        ],
    )
