import datetime as dt

import pytest
from django.utils import translation
from holidays import country_holidays

from aftercare.holidays import REGIONS, holiday_name, public_holidays


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
def test_the_easter_holidays_move_with_easter(year, easter):
    assert holiday_name(easter - dt.timedelta(days=2), "DE") == "Good Friday"
    assert holiday_name(easter + dt.timedelta(days=1), "DE") == "Easter Monday"


def test_nationwide_holidays_hold_in_every_state():
    for region in ("DE", "DE-NW", "DE-BE", "DE-SN"):
        assert holiday_name(dt.date(2025, 4, 21), region) == "Easter Monday"
        assert holiday_name(dt.date(2024, 10, 3), region) == "German Unity Day"
        assert holiday_name(dt.date(2025, 5, 29), region) == "Ascension Day"
        assert holiday_name(dt.date(2025, 6, 9), region) == "Pentecost Monday"
        assert holiday_name(dt.date(2025, 4, 18), region) == "Good Friday"
    assert len(public_holidays(2025, "DE")) == 9


def test_regional_holidays_differ_between_states():
    corpus_christi = dt.date(2025, 6, 19)
    assert holiday_name(corpus_christi, "DE-NW") == "Corpus Christi"
    assert holiday_name(corpus_christi, "DE-BE") is None
    assert holiday_name(dt.date(2025, 3, 8), "DE-BE") == "Women's Day"
    assert holiday_name(dt.date(2025, 3, 8), "DE-NW") is None
    assert holiday_name(dt.date(2025, 11, 19), "DE-SN") == "Repentance and Prayer Day"
    assert holiday_name(dt.date(2025, 10, 31), "DE-NI") == "Reformation Day"
    assert holiday_name(dt.date(2017, 10, 31), "DE-NI") == "Reformation Day"  # before 2018: the 2017 jubilee only
    assert holiday_name(dt.date(2016, 10, 31), "DE-NI") is None
    assert holiday_name(dt.date(2025, 11, 1), "DE-BY") == "All Saints' Day"
    assert holiday_name(dt.date(2025, 1, 6), "DE-ST") == "Epiphany"
    assert holiday_name(dt.date(2025, 9, 20), "DE-TH") == "World Children's Day"
    assert holiday_name(dt.date(2025, 8, 15), "DE-SL") == "Assumption Day"


def test_local_holidays_do_not_count_for_a_whole_state():
    assert holiday_name(dt.date(2025, 8, 15), "DE-BY") is None  # Assumption: Catholic municipalities only
    assert holiday_name(dt.date(2025, 8, 8), "DE-BY") is None  # Augsburg's peace festival


def test_austrian_holidays():
    immaculate_conception = dt.date(2025, 12, 8)
    assert holiday_name(immaculate_conception, "AT-9") == "Immaculate Conception"
    assert holiday_name(immaculate_conception, "AT") == "Immaculate Conception"
    assert holiday_name(immaculate_conception, "DE-BY") is None
    assert holiday_name(dt.date(2025, 10, 26), "AT-9") == "National Day"
    assert holiday_name(dt.date(2025, 4, 18), "AT-9") is None  # Good Friday is no public holiday in Austria


def test_swiss_holidays_differ_between_cantons():
    assert holiday_name(dt.date(2025, 8, 1), "CH-ZH") == "National Day"
    assert holiday_name(dt.date(2025, 8, 1), "CH") == "National Day"
    assert holiday_name(dt.date(2025, 5, 1), "CH-ZH") == "Labor Day"
    assert holiday_name(dt.date(2025, 5, 1), "CH-LU") is None
    assert holiday_name(dt.date(2025, 4, 18), "CH-ZH") == "Good Friday"
    assert holiday_name(dt.date(2025, 4, 18), "CH-TI") is None


def test_holiday_names_follow_the_active_language():
    with translation.override("de"):
        assert holiday_name(dt.date(2025, 6, 9), "DE-NW") == "Pfingstmontag"
        assert holiday_name(dt.date(2025, 12, 8), "AT-9") == "Mariä Empfängnis"
        assert holiday_name(dt.date(2025, 8, 1), "CH-ZH") == "Nationalfeiertag"
    with translation.override("en"):
        assert holiday_name(dt.date(2025, 6, 9), "DE-NW") == "Pentecost Monday"


def test_every_region_is_known_to_the_calendar():
    for region in REGIONS:
        country, _sep, subdiv = region.partition("-")
        assert country_holidays(country, subdiv=subdiv or None, years=2025)


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        public_holidays(2025, "DE-XX")
    with pytest.raises(ValueError):
        public_holidays(2025, "DE-Augsburg")
