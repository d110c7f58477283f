"""Country names for the NUTS countries (level 0).

NUTS country codes are ISO 3166-1 alpha-2 codes except ``EL`` (Greece, ISO ``GR``) and
``UK`` (United Kingdom, ISO ``GB``). English names come from :mod:`pycountry`; the
national-language names (GISCO's level-0 labels) are the small explicit table below.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from smartspec.errors import InputError, UnknownCodeError

#: National-language name of every country that appears in a NUTS version 2010–2024.
NATIONAL_NAMES: dict[str, str] = {
    "AL": "Shqipëria",
    "AT": "Österreich",
    "BA": "Bosna i Hercegovina",
    "BE": "Belgique/België",
    "BG": "България",
    "CH": "Schweiz/Suisse/Svizzera",
    "CY": "Κύπρος",
    "CZ": "Česko",
    "DE": "Deutschland",
    "DK": "Danmark",
    "EE": "Eesti",
    "EL": "Ελλάδα",
    "ES": "España",
    "FI": "Suomi/Finland",
    "FR": "France",
    "HR": "Hrvatska",
    "HU": "Magyarország",
    "IE": "Éire/Ireland",
    "IS": "Ísland",
    "IT": "Italia",
    "LI": "Liechtenstein",
    "LT": "Lietuva",
    "LU": "Luxembourg",
    "LV": "Latvija",
    "ME": "Црна Гора",
    "MK": "Северна Македонија",
    "MT": "Malta",
    "NL": "Nederland",
    "NO": "Norge",
    "PL": "Polska",
    "PT": "Portugal",
    "RO": "România",
    "RS": "Србија",
    "SE": "Sverige",
    "SI": "Slovenija",
    "SK": "Slovensko",
    "TR": "Türkiye",
    "UA": "Україна",
    "UK": "United Kingdom",
    "XK": "Kosovë/Kosovo",
}

#: Latin-script form of the national names written in another script.
LATIN_NAMES: dict[str, str] = {
    "BG": "Bulgaria",
    "CY": "Kýpros",
    "EL": "Elláda",
    "ME": "Crna Gora",
    "MK": "Severna Makedonija",
    "RS": "Srbija",
    "UA": "Ukraina",
}

# NUTS country code -> ISO 3166-1 alpha-2, where they differ
_NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}
_ISO_TO_NUTS = {iso: nuts for nuts, iso in _NUTS_TO_ISO.items()}
# countries pycountry does not list
_ENGLISH_FALLBACK = {"XK": "Kosovo"}


def to_nuts_country(code: str) -> str:
    """The NUTS country code for a NUTS or ISO 3166-1 alpha-2 code (``GR`` → ``EL``).

    Raises :class:`~smartspec.errors.UnknownCodeError` for codes that are not NUTS
    countries.

    Examples
    --------
    >>> to_nuts_country("gr"), to_nuts_country("SE"), to_nuts_country("GB")
    ('EL', 'SE', 'UK')
    """
    if not isinstance(code, str) or not code.strip():
        raise InputError(f"country code must be a non-empty string, not {code!r}")
    key = code.strip().upper()
    key = _ISO_TO_NUTS.get(key, key)
    if key not in NATIONAL_NAMES:
        raise UnknownCodeError(
            "country",
            code,
            [f"{c} ({english_name(c)})" for c in _closest_countries(key)],
            context="(use a 2-letter NUTS country code such as SE, DE, EL for Greece, UK)",
        )
    return key


def _closest_countries(key: str) -> list[str]:
    same_first = [c for c in NATIONAL_NAMES if key[:1] and c[0] == key[0]]
    same_second = [c for c in NATIONAL_NAMES if len(key) > 1 and c[1:2] == key[1:2]]
    return sorted(set(same_first) | set(same_second))[:5]


@cache
def english_name(code: str) -> str:
    """English short name of a NUTS country code, via pycountry."""
    import pycountry  # lazy: loads pycountry's database on first use

    iso = _NUTS_TO_ISO.get(code, code)
    if code in _ENGLISH_FALLBACK:
        return _ENGLISH_FALLBACK[code]
    record = pycountry.countries.get(alpha_2=iso)
    if record is None:  # pragma: no cover - every NUTS country is in pycountry but XK
        return code
    return str(getattr(record, "common_name", None) or record.name)


@cache
def english_aliases(code: str) -> tuple[str, ...]:
    """English names of a country (short and official), for name search."""
    import pycountry

    names = [english_name(code)]
    record = pycountry.countries.get(alpha_2=_NUTS_TO_ISO.get(code, code))
    if record is not None:
        for attr in ("name", "official_name"):
            value = getattr(record, attr, None)
            if value and value not in names:
                names.append(str(value))
    if code == "EL":
        names.append("Hellas")
    return tuple(names)


def country_name(country_code: str, form: Literal["en", "national"] = "en") -> str:
    """Name of a NUTS country, in English or in its national language.

    Parameters
    ----------
    country_code:
        NUTS country code (``SE``, ``EL`` for Greece, ``UK``); the ISO codes ``GR`` and
        ``GB`` are accepted too. Case-insensitive.
    form:
        ``"en"`` for the English name (from pycountry), ``"national"`` for the name in
        the national language (GISCO's level-0 label).

    Examples
    --------
    >>> country_name("SE"), country_name("SE", form="national")
    ('Sweden', 'Sverige')
    >>> country_name("EL"), country_name("EL", "national")
    ('Greece', 'Ελλάδα')
    """
    code = to_nuts_country(country_code)
    if form == "en":
        return english_name(code)
    if form == "national":
        return NATIONAL_NAMES[code]
    raise InputError(f"unknown name form {form!r}", hint="use 'en' or 'national'")
