"""The one data classification every model field carries.

The vault, exports and pseudonymisation all read it: a field classified IDENTIFYING or SPECIAL
must be sealed (encrypted), and pseudonymised output leaves both out.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class DataClass(StrEnum):
    IDENTIFYING = "identifying"  # names, aliases, birth date, contact details of a client
    SPECIAL = "special"  # free text about a client: may hold special-category data (Art. 9 GDPR)
    CASE = "case"  # pseudonymous case facts: state, setting, risk level, dates, topics
    STAFF = "staff"  # data about staff accounts
    OPERATIONAL = "operational"  # configuration and reference data of the programme
    TECHNICAL = "technical"  # keys, hashes, identifiers with no meaning outside the system


SEALED_CLASSES = frozenset({DataClass.IDENTIFYING, DataClass.SPECIAL})


def field_class(model: type[models.Model], field_name: str) -> DataClass | None:
    """The classification of a model field, or None when it has none."""
    field = model._meta.get_field(field_name)
    own: DataClass | None = getattr(field, "data_class", None)
    if own is not None:
        return own
    declared: dict[str, DataClass] = getattr(model, "data_classification", {})
    return declared.get(field_name)


def pseudonymised_values(instance: models.Model) -> dict[str, object]:
    """A record's values without identifying or special-category fields (for pseudonymous output)."""
    values: dict[str, object] = {}
    for field in instance._meta.concrete_fields:
        if field_class(type(instance), field.name) in SEALED_CLASSES:
            continue
        values[field.attname] = getattr(instance, field.attname)
    return values
