"""The certificate's words in each language: gettext catalogs, and dates and numbers as each language writes them.

The words live in ``locale/<lang>/LC_MESSAGES/unadocs.po``, one catalog per
language, which translators edit without Python (Poedit, or any text
editor); ``locale/unadocs.pot`` lists the keys. A message is found by its key
(``annex.countries``), never by its English text, so that the English wording,
the Recommendation's own, is data too (``en``). Each catalog is read and
compiled with Babel once per process. Dates and numbers come from Babel's
CLDR data: ``20. tammikuuta 2026``, ``20 janvier 2026``, ``7,5``.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from unadocs.errors import TemplateError
from unadocs.resources import data_dir

if TYPE_CHECKING:
    from babel.support import Translations

__all__ = ["DOMAIN", "catalog_languages", "catalog_path", "format_day", "format_number", "keys", "language_name",
           "country_name", "message"]

#: The catalogs' gettext domain: ``locale/<lang>/LC_MESSAGES/unadocs.po``.
DOMAIN = "unadocs"
#: A catalog is a few dozen kilobytes; anything much larger is not one.
_MAX_BYTES = 1024 * 1024
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalog_path(language: str) -> Path:
    """The catalog file of ``language`` (it may not exist)."""
    return data_dir("locale") / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=1)
def catalog_languages() -> tuple[str, ...]:
    """The languages that have a catalog, English first, the others by code."""
    found = sorted(path.parent.parent.name for path in data_dir("locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted(found, key=lambda code: code != "en"))


@lru_cache(maxsize=32)
def _translations(language: str) -> Translations:
    """The catalog of ``language``, read from its .po file and compiled to a gettext catalog by Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if language not in catalog_languages():
        raise TemplateError(f"no catalog of certificate words in {language!r} ({catalog_path(language)}); "
                            f"there are catalogs in {', '.join(catalog_languages())}")
    path = catalog_path(language)
    with path.open("rb") as handle:
        data = handle.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise TemplateError(f"{path}: larger than {_MAX_BYTES // 1024} KB; it is not a catalog")
    try:
        catalog = read_po(io.BytesIO(data), locale=language, abort_invalid=True)
    except Exception as exc:  # Babel's PoFileError, or a decoding error
        raise TemplateError(f"{path}: not a gettext catalog: {exc}") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@lru_cache(maxsize=1)
def keys() -> tuple[str, ...]:
    """Every key of the English catalog, the one every other catalog must match."""
    from babel.messages.pofile import read_po

    with catalog_path("en").open("rb") as handle:
        return tuple(str(m.id) for m in read_po(handle) if m.id)


def message(language: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``language``, its ``{placeholders}`` filled with ``values``.

    A key a catalog lacks is an error, never an English word on a certificate in another language (the tests
    check every catalog holds every key).
    """
    text = _translations(language).gettext(key)
    if text == key:
        raise TemplateError(f"{catalog_path(language)}: no text for {key!r}")
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


def format_day(day: date, language: str) -> str:
    """A date as documents in ``language`` print it: ``20 January 2026``, ``20. tammikuuta 2026``."""
    from babel.dates import format_date

    return format_date(day, format="d MMMM y" if language == "en" else "long", locale=language)


def format_number(value: Decimal | int, language: str) -> str:
    """A number of credits in ``language``'s way, in its shortest form: ``10``, ``7.5``, ``7,5``."""
    from babel.numbers import format_decimal

    number = Decimal(value).normalize()
    decimals = max(0, -int(number.as_tuple().exponent))
    return format_decimal(number, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=language)


@lru_cache(maxsize=2048)
def country_name(code: str, language: str) -> str:
    """A country's name in ``language`` (``FI`` in French: Finlande), from CLDR."""
    from babel import Locale

    return str(Locale.parse(language).territories.get(code, code))


@lru_cache(maxsize=2048)
def language_name(code: str, language: str) -> str:
    """A language's name in ``language`` (``fi`` in French: finnois), from CLDR."""
    from babel import Locale

    return str(Locale.parse(language).languages.get(code, code))
