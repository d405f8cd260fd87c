import datetime as dt

import pytest

from aftercare.holidays import easter_sunday, holiday_name, holidays


@pytest.mark.parametrize(
    "year, easter",
    [
        (2019, dt.date(2019, 4, 21)),
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
        (2038, dt.date(2038, 4, 25)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_nationwide_holidays_hold_in_every_state():
    for region in ("DE", "DE-NW", "DE-BE", "DE-SN"):
        assert holiday_name(dt.date(2025, 4, 21), region) == "Easter Monday"
        assert holiday_name(dt.date(2024, 10, 3), region) == "German Unity Day"
        assert holiday_name(dt.date(2025, 5, 29), region) == "Ascension Day"
        assert holiday_name(dt.date(2025, 6, 9), region) == "Whit Monday"
        assert holiday_name(dt.date(2025, 4, 18), region) == "Good Friday"
    assert len(holidays(2025, "DE")) == 9


def test_regional_holidays_differ_between_states():
    corpus_christi = dt.date(2025, 6, 19)
    assert holiday_name(corpus_christi, "DE-NW") == "Corpus Christi"
    assert holiday_name(corpus_christi, "DE-BE") is None
    assert holiday_name(dt.date(2025, 3, 8), "DE-BE") == "International Women's Day"
    assert holiday_name(dt.date(2025, 3, 8), "DE-NW") is None
    assert holiday_name(dt.date(2025, 11, 19), "DE-SN") == "Day of Repentance and Prayer"
    assert holiday_name(dt.date(2025, 10, 31), "DE-NI") == "Reformation Day"
    assert holiday_name(dt.date(2017, 10, 31), "DE-NI") == "Reformation Day"  # before 2018: the 2017 jubilee only
    assert holiday_name(dt.date(2016, 10, 31), "DE-NI") is None
    assert holiday_name(dt.date(2025, 11, 1), "DE-BY") == "All Saints' Day"
    assert holiday_name(dt.date(2025, 1, 6), "DE-ST") == "Epiphany"
    assert holiday_name(dt.date(2025, 9, 20), "DE-TH") == "World Children's Day"
    assert holiday_name(dt.date(2025, 8, 15), "DE-SL") == "Assumption Day"


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        holidays(2025, "DE-XX")
