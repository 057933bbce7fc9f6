"""Jurisdictions whose law can govern the agreement.

A country code names a law where the country has one contract law
(``BE``, ``FI``). The United Kingdom has three, so ``GB`` names none: a
spec gives the ISO 3166-2 code of the jurisdiction instead, and the
agreement names its law the way lawyers do ("Scots law").
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from unadocs.model.base import code_for_name, country_name, invalid, is_country

__all__ = ["Jurisdiction", "SUBDIVISIONS", "jurisdiction_country", "law_name", "country_with_article"]

#: ISO 3166-2 codes of jurisdictions with a contract law of their own: (country, the law's name in English).
SUBDIVISIONS: dict[str, tuple[str, str]] = {
    "GB-ENG": ("GB", "the law of England and Wales"),
    "GB-WLS": ("GB", "the law of England and Wales"),
    "GB-EAW": ("GB", "the law of England and Wales"),
    "GB-SCT": ("GB", "Scots law"),
    "GB-NIR": ("GB", "the law of Northern Ireland"),
}

#: The jurisdictions by the names people write for them.
_PLACES = {"scotland": "GB-SCT", "england": "GB-ENG", "wales": "GB-WLS", "england and wales": "GB-EAW",
           "northern ireland": "GB-NIR"}

#: Countries whose contract law is that of their jurisdictions: the country code alone names no law.
_SPLIT = {"GB": "GB-ENG (England and Wales), GB-SCT (Scotland) or GB-NIR (Northern Ireland)"}

#: Countries whose English name takes "the" in running text ("the law of the Netherlands").
_WITH_ARTICLE = frozenset({"GB", "NL", "US", "CZ", "PH", "AE"})


def _jurisdiction(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    if code in _SPLIT:
        raise invalid("jurisdiction", "{code} has no single contract law: give the jurisdiction, {choices}",
                      code=code, choices=_SPLIT[code])
    if code in SUBDIVISIONS or is_country(code):
        return code
    named = _PLACES.get(value.strip().casefold()) or code_for_name("territories", value)
    hint = f"; did you mean {named}?" if named and named not in _SPLIT else (
        f"; give the jurisdiction, {_SPLIT[named]}" if named else "")
    raise invalid("jurisdiction", "{value!r} is neither an ISO 3166 country code (for example BE, FI, IT) nor a "
                  "jurisdiction with its own contract law ({known}){hint}", value=value,
                  known=", ".join(SUBDIVISIONS), hint=hint)


#: An ISO 3166-1 country code, or the ISO 3166-2 code of a jurisdiction with its own contract law (GB-SCT).
Jurisdiction = Annotated[str, BeforeValidator(_jurisdiction)]


def jurisdiction_country(code: str) -> str:
    """The ISO 3166-1 country of a jurisdiction (``GB-SCT`` → ``GB``)."""
    return SUBDIVISIONS[code][0] if code in SUBDIVISIONS else code


def country_with_article(code: str) -> str:
    """A country's English name as running text needs it: ``NL`` → "the Netherlands"."""
    name = country_name(code)
    return f"the {name}" if code in _WITH_ARTICLE else name


def law_name(code: str) -> str:
    """How the agreement names the law of a jurisdiction: "the law of Belgium", "Scots law"."""
    if code in SUBDIVISIONS:
        return SUBDIVISIONS[code][1]
    return f"the law of {country_with_article(code)}"
