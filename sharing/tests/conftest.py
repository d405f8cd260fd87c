from __future__ import annotations

import pytest

from programmes.models import Programme


@pytest.fixture
def use_policy(world):
    """use_policy(name): the world's programme follows that sharing policy from now on."""

    def apply(name: str):
        Programme.objects.filter(pk=world.programme.pk).update(sharing_policy=name)
        world.case.programme.refresh_from_db()
        world.other_case.programme.refresh_from_db()
        return world.case

    return apply
