import pytest

from cases import services as case_services


@pytest.fixture
def prison_case(world):
    """world.case, now in prison: release planning applies."""
    return case_services.case_attributes_update(actor=world.supervisor, case=world.case, setting="prison")
