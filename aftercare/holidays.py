"""Public holidays by region, from the `holidays` package: Germany, Austria and Switzerland.

A region is an ISO 3166-2 code: the country alone ("DE") for its nationwide holidays only, or a state or canton
("DE-NW", "AT-9", "CH-ZH"), which is the package's country and subdivision. Only the package's public holidays
count: days that only some municipalities or confessions keep would make a release-day check warn a whole state
about a local holiday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from holidays import country_holidays, list_localized_countries

GERMANY: dict[str, StrOrPromise] = {
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

AUSTRIA: dict[str, StrOrPromise] = {
    "AT": _("Austria (nationwide holidays only)"),
    "AT-1": _("Burgenland"),
    "AT-2": _("Carinthia"),
    "AT-3": _("Lower Austria"),
    "AT-4": _("Upper Austria"),
    "AT-5": _("Salzburg"),
    "AT-6": _("Styria"),
    "AT-7": _("Tyrol"),
    "AT-8": _("Vorarlberg"),
    "AT-9": _("Vienna"),
}

SWITZERLAND: dict[str, StrOrPromise] = {
    "CH": _("Switzerland (nationwide holidays only)"),
    "CH-AG": _("Aargau"),
    "CH-AR": _("Appenzell Ausserrhoden"),
    "CH-AI": _("Appenzell Innerrhoden"),
    "CH-BL": _("Basel-Landschaft"),
    "CH-BS": _("Basel-Stadt"),
    "CH-BE": _("Bern"),
    "CH-FR": _("Fribourg"),
    "CH-GE": _("Geneva"),
    "CH-GL": _("Glarus"),
    "CH-GR": _("Graubünden"),
    "CH-JU": _("Jura"),
    "CH-LU": _("Lucerne"),
    "CH-NE": _("Neuchâtel"),
    "CH-NW": _("Nidwalden"),
    "CH-OW": _("Obwalden"),
    "CH-SH": _("Schaffhausen"),
    "CH-SZ": _("Schwyz"),
    "CH-SO": _("Solothurn"),
    "CH-SG": _("St. Gallen"),
    "CH-TG": _("Thurgau"),
    "CH-TI": _("Ticino"),
    "CH-UR": _("Uri"),
    "CH-VS": _("Valais"),
    "CH-VD": _("Vaud"),
    "CH-ZG": _("Zug"),
    "CH-ZH": _("Zurich"),
}

REGIONS: dict[str, StrOrPromise] = {**GERMANY, **AUSTRIA, **SWITZERLAND}

# For a select box: the regions grouped by country.
REGION_CHOICES = [
    (_("Germany"), list(GERMANY.items())),
    (_("Austria"), list(AUSTRIA.items())),
    (_("Switzerland"), list(SWITZERLAND.items())),
]


@lru_cache(maxsize=32)
def _package_language(country: str, active: str) -> str:
    """The package's translation nearest to a Django language code ("de", "en", "de-ch"); English otherwise."""
    offered = list_localized_countries()[country]
    wanted = active.replace("-", "_").lower()
    for language in offered:
        if language.lower() == wanted:
            return language
    base = wanted.split("_")[0]
    for language in offered:
        if language.split("_")[0].lower() == base:
            return language
    return "en_US"


@lru_cache(maxsize=256)
def _holidays(year: int, region: str, language: str) -> Mapping[dt.date, str]:
    country, _sep, subdiv = region.partition("-")
    return MappingProxyType(dict(country_holidays(country, subdiv=subdiv or None, years=year, language=language)))


def public_holidays(year: int, region: str = "DE") -> Mapping[dt.date, str]:
    """The public holidays of one year in one region, date -> name in the active language."""
    if region not in REGIONS:
        raise ValueError(f"Unknown holiday region {region!r}")
    country = region.partition("-")[0]
    active = translation.get_language() or settings.LANGUAGE_CODE
    return _holidays(year, region, _package_language(country, active))


def holiday_name(day: dt.date, region: str = "DE") -> str | None:
    """The name of the public holiday on this day in this region, in the active language, or None."""
    return public_holidays(day.year, region).get(day)
