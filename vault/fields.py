"""SealedField: a model field whose value is encrypted under its client's data key on save."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from typing import Any, Protocol, cast

from django import forms
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from . import crypto
from .classification import SEALED_CLASSES, DataClass

SERIALISED_PREFIX = "sealed:v1:"


class Sealable(Protocol):
    """A model with sealed fields names the client whose data key seals them."""

    def vault_client_id(self) -> uuid.UUID: ...


def _client_id(instance: models.Model) -> uuid.UUID:
    client_id = cast(Sealable, instance).vault_client_id()
    return client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))


class SealedText(str):
    """Clear text opened from a sealed value; it remembers its ciphertext so that a raw save
    (loading a backup or fixture) writes the ciphertext back, never the clear text."""

    blob: bytes = b""


class _Sealed:
    """Ciphertext as read from the database, opened on first access."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes) -> None:
        self.blob = blob


class SealedDescriptor:
    def __init__(self, field: SealedField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, _Sealed):
            plain = SealedText(
                crypto.open_text(
                    cast(Sealable, instance).vault_client_id(),
                    instance._meta.label,
                    instance.pk,
                    self.field.attname,
                    value.blob,
                )
            )
            plain.blob = value.blob
            instance.__dict__[self.field.attname] = plain
            instance.__dict__[self.field.cipher_attr] = value.blob
            return plain
        return value

    def __set__(self, instance: models.Model, value: object) -> None:
        if isinstance(value, memoryview):
            value = bytes(value)
        if isinstance(value, bytes):
            instance.__dict__[self.field.attname] = _Sealed(value)
            instance.__dict__[self.field.cipher_attr] = value
        else:
            # A value carried over from another record or field is clear text to be sealed anew here.
            instance.__dict__[self.field.attname] = str(value) if isinstance(value, SealedText) else value
            instance.__dict__.pop(self.field.cipher_attr, None)


class SealedField(models.BinaryField[str | bytes | None, str | None]):
    """Text encrypted at rest with AES-256-GCM, bound to model, record, field and client.

    The model must have a UUID primary key set before save and a `vault_client_id()` method.
    Values cannot be filtered on; use a blind index for exact lookups.
    """

    # For the type checker's Django plugin: the model attribute holds clear text, which SealedDescriptor opens;
    # BinaryField's stub declares bytes, which this field never hands out.
    _pyi_private_set_type: str | bytes | None
    _pyi_private_get_type: str | None  # type: ignore[assignment]

    def __init__(self, *args: Any, data_class: DataClass = DataClass.SPECIAL, **kwargs: Any) -> None:
        if data_class not in SEALED_CLASSES:
            raise ValueError("SealedField is for identifying or special-category data")
        self.data_class = data_class
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = True
        super().__init__(*args, **kwargs)

    @property
    def cipher_attr(self) -> str:
        return f"_{self.attname}_ciphertext"

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["data_class"] = self.data_class
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, SealedDescriptor(self))

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes | None:
        raw = model_instance.__dict__.get(self.attname)
        if raw is None:
            return None
        if isinstance(raw, _Sealed):
            return raw.blob
        cached: bytes | None = model_instance.__dict__.get(self.cipher_attr)
        if cached is not None:
            return cached
        if model_instance.pk is None:
            raise ValueError(f"{model_instance._meta.label} needs its primary key before a sealed value is saved")
        client_id = _client_id(model_instance)
        blob = crypto.seal_text(client_id, model_instance._meta.label, model_instance.pk, self.attname, str(raw))
        model_instance.__dict__[self.cipher_attr] = blob
        return blob

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        if isinstance(value, SealedText):
            value = value.blob
        elif isinstance(value, str):
            raise ValueError(f"{self.model._meta.label}.{self.attname}: clear text must never reach the database")
        return super().get_db_prep_value(value, connection, prepared)

    # None for no value, which Django's serialisers pass through as null before they ask this method.
    def value_to_string(self, obj: models.Model) -> str | None:  # type: ignore[override]
        # Serialised output (dumpdata, backups) carries the ciphertext, never the clear text.
        blob = self.pre_save(obj, add=False)
        return None if blob is None else SERIALISED_PREFIX + base64.b64encode(blob).decode("ascii")

    def to_python(self, value: Any) -> Any:
        # Serialised ciphertext comes back as bytes (still sealed); any other text is clear text to seal.
        if isinstance(value, str) and value.startswith(SERIALISED_PREFIX):
            return base64.b64decode(value[len(SERIALISED_PREFIX) :])
        return value

    def formfield(self, **kwargs: Any) -> forms.CharField:
        return forms.CharField(
            required=not self.blank,
            widget=forms.Textarea,
            **{k: v for k, v in kwargs.items() if k in {"label", "help_text"}},
        )
