"""System check: every field of Tandem's own models is classified, and sensitive ones are sealed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db import models

from .classification import SEALED_CLASSES, DataClass, field_class


def project_models() -> list[type[models.Model]]:
    """Every model of Tandem's own apps (those in the repository, not installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    own = []
    for model in apps.get_models(include_auto_created=False):
        path = Path(model._meta.app_config.path).resolve()
        if base in path.parents and "site-packages" not in path.parts:
            own.append(model)
    return own


@checks.register(checks.Tags.models)
def check_field_classification(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from .fields import SealedField

    errors: list[checks.CheckMessage] = []
    for model in project_models():
        declared = getattr(model, "data_classification", {})
        fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
        names = {f.name for f in fields}
        for name in declared:
            if name not in names:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.data_classification names '{name}', which is not a field.",
                        obj=model,
                        id="tandem.E002",
                    )
                )
        for field in fields:
            cls = field_class(model, field.name)
            if cls is None:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} has no data classification.",
                        hint="Add it to the model's data_classification, or use a SealedField.",
                        obj=model,
                        id="tandem.E001",
                    )
                )
            elif not isinstance(cls, DataClass):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name}: {cls!r} is not a DataClass.", obj=model, id="tandem.E003"
                    )
                )
            elif cls in SEALED_CLASSES and not isinstance(field, SealedField):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} is classified {cls.value} but is stored in clear.",
                        hint="Identifying and special-category fields must be SealedFields.",
                        obj=model,
                        id="tandem.E004",
                    )
                )
    return errors
