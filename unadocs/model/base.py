"""Shared building blocks of the model: the strict base class and value types.

The value types check codes against public standards (ISO 4217 currencies,
ISO 3166 countries, ISO 639-1 languages) with Babel's CLDR data, which we load
only when a value is validated so that ``import unadocs`` stays light.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = [
    "SpecModel",
    "decimal_text",
    "long_date",
    "invalid",
    "Text",
    "ShortText",
    "Day",
    "PartnerId",
    "CountryCode",
    "LanguageCode",
    "Money",
    "country_name",
    "is_country",
    "language_name",
]


class SpecModel(BaseModel):
    """Base of every spec section: unknown keys are errors, values are immutable.

    A typo in a key must never be dropped silently, so ``extra="forbid"``; the
    loader turns the resulting error into a "did you mean" message.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
        defer_build=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """No spec text holds a control character: the agreement and the certificate would drop it silently
        (or print a box) while the spec, the record and the seal keep it. Tabs and line breaks are text."""
        _refuse_control_characters(value)
        return value


def _refuse_control_characters(value: Any) -> None:
    """Raise for the first control character in ``value``: a text, or the texts of a list or mapping (a nested
    model checks its own fields); a text given per language counts each translation."""
    if isinstance(value, str):
        for text in (value, *getattr(value, "texts", {}).values()):
            for char in text:
                if char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cs"):
                    raise invalid("control_character", "contains a control character (U+{code:04X}), which "
                                  "documents cannot print", code=ord(char))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_control_characters(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            _refuse_control_characters(item)


def long_date(day: date, locale: str = "en") -> str:
    """A date as documents print it (``20 January 2026``), by Babel's data for ``locale``, whatever the machine's."""
    from babel.dates import format_date

    return format_date(day, format="d MMMM y" if locale == "en" else "long", locale=locale)


def decimal_text(value: Decimal | int) -> str:
    """A decimal in its shortest plain form, as documents print it: ``10`` for 10.0, ``7.5`` for 7.50, never 1E+1."""
    return format(Decimal(value).normalize(), "f")


def invalid(kind: str, template: str, **values: Any) -> PydanticCustomError:
    """A validation error whose message is formatted here, with ``!r`` quoting.

    The values are user data; formatting them into our own template (and
    giving pydantic no context to format again) keeps braces in them literal.
    """
    return PydanticCustomError(kind, template.format(**values))


def _non_empty(value: str) -> str:
    if not value:
        raise invalid("empty", "must not be empty")
    return value


def _day(value: Any) -> Any:
    """A spec date: ISO ``2027-01-01`` (YAML reads it as a date), or ``01.01.2027`` as the learner lists allow."""
    if isinstance(value, str):
        text = value.strip()
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise invalid("date", "{value!r} is not a date: write 2027-01-31 (or 31.01.2027)", value=value)
    return value


#: A date in a spec: YYYY-MM-DD or DD.MM.YYYY.
Day = Annotated[date, BeforeValidator(_day)]

#: A piece of text that must not be empty once surrounding space is removed.
Text = Annotated[str, AfterValidator(_non_empty)]


def _at_most(limit: int, why: str) -> Any:
    def check(value: str) -> str:
        if len(value) > limit:
            raise invalid("too_long", "is {length} characters long; at most {limit} fit {why}",
                          length=len(value), limit=limit, why=why)
        return value

    return AfterValidator(check)


#: A name or title that documents print in headers and metadata: Word keeps at most 255 characters there.
ShortText = Annotated[str, AfterValidator(_non_empty), _at_most(200, "a title line, a page header and the "
                                                                         "document's properties")]

_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")


def _partner_id(value: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise invalid(
            "partner_id",
            "a partner id is a short code of letters, digits, '-', '_' or '.', starting with a letter "
            "(for example UH or UNIBO), not {value!r}", value=value,
        )
    return value


#: The short id by which a spec refers to a partner everywhere (``UH``).
PartnerId = Annotated[str, AfterValidator(_partner_id)]


#: Two-letter CLDR territories that are no country: unions, regions, pseudo-locales, "Unknown Region".
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@lru_cache(maxsize=1)
def _territories() -> dict[str, str]:
    from babel import Locale

    return {k: str(v) for k, v in Locale("en").territories.items()
            if len(k) == 2 and k.isalpha() and k not in _NOT_COUNTRIES}


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    from babel import Locale

    return {k: str(v) for k, v in Locale("en").languages.items() if len(k) == 2}


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


#: The languages whose names for languages and countries a spec's author may write instead of a code: Una
#: Europa's members' and the EU's most spoken.
_NAME_LOCALES = ("en", "fr", "de", "it", "es", "pl", "fi", "sv", "nl", "ga", "pt", "cs", "el", "hu", "ro")


@lru_cache(maxsize=2)
def _codes_by_name(kind: str) -> dict[str, str]:
    """Name (case-folded, in any of :data:`_NAME_LOCALES`) -> ISO code, for ``languages`` or ``territories``."""
    from babel import Locale

    known = _languages() if kind == "languages" else _territories()
    names: dict[str, str] = {}
    for locale in _NAME_LOCALES:
        for code, name in getattr(Locale(locale), kind).items():
            if code in known:
                names.setdefault(str(name).casefold(), code)
    for code in known:  # and each language's name for itself: "suomi", "polski"
        if kind == "languages":
            try:
                native = Locale(code).languages.get(code)
            except Exception:  # noqa: BLE001 - Babel has no data for some codes
                native = None
            if native:
                names.setdefault(str(native).casefold(), code)
    return names


def code_for_name(kind: str, text: str) -> str | None:
    """The ISO code a language or country name stands for (``English`` -> ``en``, ``Suomi`` -> ``FI``), if any."""
    return _codes_by_name(kind).get(text.strip().casefold())


def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 alpha-2 country code (``BE`` → Belgium)."""
    return _territories()[code]


def is_country(code: str) -> bool:
    """Whether an upper-case code is an ISO 3166-1 alpha-2 country code."""
    return code in _territories()


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 language code (``en`` → English)."""
    return _languages()[code]


def _country(value: Any) -> Any:
    if isinstance(value, str):
        code = value.strip().upper()
        if code not in _territories():
            named = code_for_name("territories", value)
            hint = f"; did you mean {named} ({country_name(named)})?" if named else ""
            raise invalid(
                "country", "{value!r} is not an ISO 3166 country code (for example BE, FI, IT){hint}", value=value,
                hint=hint,
            )
        return code
    return value


def _language(value: Any) -> Any:
    if isinstance(value, str):
        code = value.strip().lower()
        if code not in _languages():
            named = code_for_name("languages", value)
            hint = f"; did you mean {named} ({language_name(named)})?" if named else ""
            raise invalid(
                "language", "{value!r} is not an ISO 639-1 language code (for example en, fr, de){hint}",
                value=value, hint=hint,
            )
        return code
    return value


#: An ISO 3166-1 alpha-2 country code, upper case.
CountryCode = Annotated[str, BeforeValidator(_country)]
#: An ISO 639-1 language code, lower case.
LanguageCode = Annotated[str, BeforeValidator(_language)]

#: Digits of an amount before and after the decimal point: fees are far below a trillion, and sums and
#: shares stay exact within Decimal's 28 digits.
MAX_AMOUNT_DIGITS = 12
MAX_AMOUNT_DECIMALS = 4
_MONEY_RE = re.compile(r"^\s*(?P<amount>[+-]?\d+(?:\.\d+)?)\s+(?P<currency>[A-Za-z]{3})\s*$")


class Money:
    """An exact amount in an ISO 4217 currency, written ``"300 EUR"`` in a spec.

    Amounts are :class:`~decimal.Decimal` so that fees and shares add up
    exactly; negative amounts are rejected because no fee or cap is negative.
    """

    __slots__ = ("amount", "currency")

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        self.amount = Decimal(amount)
        self.currency = currency

    @classmethod
    def parse(cls, value: Any) -> Money:
        """Read ``"300 EUR"``, ``{amount: 300, currency: EUR}`` or a Money."""
        if isinstance(value, Money):
            return value
        if isinstance(value, dict) and set(value) == {"amount", "currency"}:
            amount_text, currency = str(value["amount"]), str(value["currency"])
        elif isinstance(value, str) and (m := _MONEY_RE.match(value)):
            amount_text, currency = m["amount"], m["currency"]
        else:
            raise invalid(
                "money", "write an amount as a number and an ISO 4217 currency code, like '300 EUR', not {value!r}", value=value,
            )
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            raise invalid("money", "{value!r} is not a number", value=amount_text) from None
        if not amount.is_finite():
            raise invalid("money", "{value!r} is not a number", value=amount_text)
        currency = currency.upper()
        if currency not in _currencies():
            raise invalid(
                "currency", "{value!r} is not an ISO 4217 currency code (for example EUR, CHF, PLN)", value=currency,
            )
        if amount < 0:
            raise invalid("negative", "an amount cannot be negative ({value})", value=value)
        exponent = amount.as_tuple().exponent
        if amount.adjusted() >= MAX_AMOUNT_DIGITS or (isinstance(exponent, int) and exponent < -MAX_AMOUNT_DECIMALS):
            raise invalid("money", "an amount has at most {whole} digits before the decimal point and {decimals} "
                          "after, not {value!r}", whole=MAX_AMOUNT_DIGITS, decimals=MAX_AMOUNT_DECIMALS,
                          value=amount_text)
        return cls(amount, currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and (self.amount, self.currency) == (other.amount, other.currency)

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": r"^\d+(\.\d+)? [A-Z]{3}$",
            "examples": ["300 EUR"],
            "description": "An amount and an ISO 4217 currency code.",
        }
