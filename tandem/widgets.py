"""Form widgets shared by the apps, and a helper for model choice fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's CheckboxSelectMultiple whose boxes render from one template each (Django nests four per box).

    The HTML is byte for byte Django's; long lists of boxes (a programme's topics) render several times faster.
    The class keeps Django's name: a bound field's `widget_type` ("checkboxselectmultiple") comes from it, and
    the field templates choose their layout by it.
    """

    option_template_name = "forms/widgets/checkbox_option.html"


def choice_labels(field: forms.Field, label: Callable[[Any], str]) -> None:
    """Show the objects of a model choice field by `label` instead of their `__str__`."""
    # Django documents overriding label_from_instance; setting it on the form's own copy of the field does the
    # same for one form, which the stubs' method type does not allow for.
    field.label_from_instance = label  # type: ignore[attr-defined]
