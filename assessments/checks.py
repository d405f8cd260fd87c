"""Every instrument file must load and validate: a broken file fails `manage.py check` with its place named."""

from __future__ import annotations

from django.core import checks


@checks.register()
def instruments_valid(app_configs=None, **kwargs):
    from .instruments import InstrumentError, load_all

    try:
        load_all(refresh=True)
    except InstrumentError as exc:
        return [checks.Error(problem, id="assessments.E001") for problem in exc.problems]
    return []
