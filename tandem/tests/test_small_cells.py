from tandem.small_cells import SMALL_CELL, suppress_small_cells


def test_the_threshold_is_the_documented_five():
    assert SMALL_CELL == 5
    assert suppress_small_cells({"a": 4, "b": 4}) == {"a": "<5", "b": "<5"}
    assert suppress_small_cells({"a": 5, "b": 6}) == {"a": "5", "b": "6"}


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    assert suppress_small_cells({"a": 0, "b": 3, "c": 12, "d": 7}) == {"a": "0", "b": "<5", "c": "12", "d": "≥5"}


def test_two_small_cells_need_no_second_cell():
    assert suppress_small_cells({"a": 2, "b": 1, "c": 9}) == {"a": "<5", "b": "<5", "c": "9"}


def test_zeros_and_a_table_of_one_small_cell():
    assert suppress_small_cells({"a": 0, "b": 0}) == {"a": "0", "b": "0"}
    assert suppress_small_cells({"a": 3}) == {"a": "<5"}
