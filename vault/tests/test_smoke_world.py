def test_world_builds(world):
    assert world.case.state == "active"
    assert world.case.client.full_name == "Mira Okonkwo-Lindqvist"
