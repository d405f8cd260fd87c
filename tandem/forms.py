"""The one answer to a form post that did not validate."""

from __future__ import annotations

from django.forms import BaseForm

INVALID_FORM_STATUS = 400


def form_status(*forms: BaseForm | None) -> int:
    """400 when a bound form did not validate (the page shows it again, with its errors and everything the
    person typed), else 200. htmx swaps 400 answers too (see the htmx-config in base.html)."""
    return INVALID_FORM_STATUS if any(f is not None and f.is_bound and not f.is_valid() for f in forms) else 200
