import uuid

import pytest

from tandem.ids import parse_uuid

AN_ID = uuid.UUID("6f1c2a4e-3b5d-4e8f-9a0b-1c2d3e4f5a6b")


@pytest.mark.parametrize("value", [AN_ID, str(AN_ID), str(AN_ID).upper(), AN_ID.hex])
def test_a_uuid_in_any_spelling_is_read(value):
    assert parse_uuid(value) == AN_ID


@pytest.mark.parametrize("value", [None, "", "42", "not-a-uuid", "\x00", 42, ["x"], str(AN_ID) + "0"])
def test_anything_else_is_none(value):
    assert parse_uuid(value) is None
