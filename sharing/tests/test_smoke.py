import pytest

from sharing import services
from sharing.policy import deployment_policy, load_policy_file, preset_names, preset_path


def test_presets_load():
    assert set(preset_names()) >= {"independent-ngo", "statutory"}
    for name in preset_names():
        assert load_policy_file(str(preset_path(name))).name == name
    assert deployment_policy().name == "independent-ngo"


def test_disclose_refuses_police_progress(world):
    with pytest.raises(services.DisclosureRefused):
        services.disclose(actor=world.case_manager, case=world.case, recipient_category="police",
                          data_categories=["progress_summary"], purpose="safety", ground="consent", content="x")
