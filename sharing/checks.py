"""Start-up check: the deployment's sharing policy and every preset must load."""

from __future__ import annotations

from django.core import checks


@checks.register()
def sharing_policy_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .policy import all_policy_problems, load_policy_file

    load_policy_file.cache_clear()
    return [checks.Error(problem, id="sharing.E001") for problem in all_policy_problems()]
