"""Public holidays of Germany and its federal states, computed in code (no calendar package).

Regions are ISO 3166-2 codes: "DE" for the nationwide holidays only, "DE-NW" for North
Rhine-Westphalia and so on. Holidays that only some municipalities keep (Augsburg's peace festival,
the Assumption in Catholic parts of Bavaria, Corpus Christi in parts of Saxony and Thuringia) are left
out: a release-day check should not warn for a whole state about a local holiday.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

REGIONS: dict[str, str] = {
    "DE": _("Germany (nationwide holidays only)"),
    "DE-BW": _("Baden-Württemberg"),
    "DE-BY": _("Bavaria"),
    "DE-BE": _("Berlin"),
    "DE-BB": _("Brandenburg"),
    "DE-HB": _("Bremen"),
    "DE-HH": _("Hamburg"),
    "DE-HE": _("Hesse"),
    "DE-MV": _("Mecklenburg-Western Pomerania"),
    "DE-NI": _("Lower Saxony"),
    "DE-NW": _("North Rhine-Westphalia"),
    "DE-RP": _("Rhineland-Palatinate"),
    "DE-SL": _("Saarland"),
    "DE-SN": _("Saxony"),
    "DE-ST": _("Saxony-Anhalt"),
    "DE-SH": _("Schleswig-Holstein"),
    "DE-TH": _("Thuringia"),
}


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _repentance_day(year: int) -> dt.date:
    """Buß- und Bettag: the Wednesday before 23 November."""
    day = dt.date(year, 11, 22)
    return day - dt.timedelta(days=(day.weekday() - 2) % 7)


@lru_cache(maxsize=256)
def holidays(year: int, region: str = "DE") -> dict[dt.date, str]:
    """The public holidays of one year in one region, date -> name (lazy, translated on display)."""
    if region not in REGIONS:
        raise ValueError(f"Unknown holiday region {region!r}")
    state = region.removeprefix("DE").removeprefix("-")
    easter = easter_sunday(year)
    days: dict[dt.date, str] = {
        dt.date(year, 1, 1): _("New Year's Day"),
        easter - dt.timedelta(days=2): _("Good Friday"),
        easter + dt.timedelta(days=1): _("Easter Monday"),
        dt.date(year, 5, 1): _("Labour Day"),
        easter + dt.timedelta(days=39): _("Ascension Day"),
        easter + dt.timedelta(days=50): _("Whit Monday"),
        dt.date(year, 10, 3): _("German Unity Day"),
        dt.date(year, 12, 25): _("Christmas Day"),
        dt.date(year, 12, 26): _("Second day of Christmas"),
    }
    if year == 2017:
        days[dt.date(2017, 10, 31)] = _("Reformation Day")  # the 500th anniversary, nationwide once
    if not state:
        return days
    if state in {"BW", "BY", "ST"}:
        days[dt.date(year, 1, 6)] = _("Epiphany")
    if (state == "BE" and year >= 2019) or (state == "MV" and year >= 2023):
        days[dt.date(year, 3, 8)] = _("International Women's Day")
    if state == "BB":
        days[easter] = _("Easter Sunday")
        days[easter + dt.timedelta(days=49)] = _("Whit Sunday")
    if state in {"BW", "BY", "HE", "NW", "RP", "SL"}:
        days[easter + dt.timedelta(days=60)] = _("Corpus Christi")
    if state == "SL":
        days[dt.date(year, 8, 15)] = _("Assumption Day")
    if state == "TH" and year >= 2019:
        days[dt.date(year, 9, 20)] = _("World Children's Day")
    if state in {"BB", "MV", "SN", "ST", "TH"} or (state in {"HB", "HH", "NI", "SH"} and year >= 2018):
        days[dt.date(year, 10, 31)] = _("Reformation Day")
    if state in {"BW", "BY", "NW", "RP", "SL"}:
        days[dt.date(year, 11, 1)] = _("All Saints' Day")
    if state == "SN":
        days[_repentance_day(year)] = _("Day of Repentance and Prayer")
    if state == "BE" and year in {2020, 2025}:
        days[dt.date(year, 5, 8)] = _("Day of Liberation")
    return days


def holiday_name(day: dt.date, region: str = "DE") -> str | None:
    """The name of the public holiday on this day in this region, or None."""
    name = holidays(day.year, region).get(day)
    return str(name) if name is not None else None
