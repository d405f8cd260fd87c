"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's CheckboxSelectMultiple whose boxes render from one template each (Django nests four per box).

    The HTML is byte for byte Django's; long lists of boxes (a programme's topics) render several times faster.
    The class keeps Django's name: a bound field's `widget_type` ("checkboxselectmultiple") comes from it, and
    the field templates choose their layout by it.
    """

    option_template_name = "forms/widgets/checkbox_option.html"
