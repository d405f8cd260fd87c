"""The shared widgets render exactly the HTML of the Django widgets they stand in for."""

from __future__ import annotations

import pytest
from django import forms

from tandem import widgets

CHOICES = [("a", "A & b"), ("b", "<B>"), (1, "One"), ("", "Empty")]


@pytest.mark.parametrize("attrs", [{}, {"class": "choices", "required": True, "data-off": False}])
@pytest.mark.parametrize("value", [None, ["a"], ["a", "b", 1]])
def test_checkboxes_render_as_djangos(attrs, value):
    ours = widgets.CheckboxSelectMultiple(attrs=attrs, choices=CHOICES)
    django = forms.CheckboxSelectMultiple(attrs=attrs, choices=CHOICES)
    assert ours.render("n", value, attrs={"id": "id_n"}) == django.render("n", value, attrs={"id": "id_n"})


def test_single_boxes_and_field_type_as_djangos():
    class Both(forms.Form):
        ours = forms.MultipleChoiceField(choices=CHOICES, widget=widgets.CheckboxSelectMultiple)
        django = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)

    form = Both({"ours": ["a", "nope"], "django": ["a", "nope"]})
    assert not form.is_valid()
    assert form["ours"].widget_type == form["django"].widget_type == "checkboxselectmultiple"
    for mine, theirs in zip(form["ours"], form["django"], strict=True):
        assert mine.tag() == theirs.tag().replace("django", "ours")
        assert str(mine) == str(theirs).replace("django", "ours")  # the label-wrapped form
