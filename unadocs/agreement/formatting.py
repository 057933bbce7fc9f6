"""How values read in the agreement: dates, money, percentages, lists, numbers in words.

One place for these conventions keeps every clause consistent: a date is
always "31 August 2029", an amount "EUR 300.00".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from unadocs.model import Money, country_name, language_name
from unadocs.model.base import decimal_text, long_date
from unadocs.model.jurisdictions import country_with_article

__all__ = ["long_date", "money", "percent", "join_and", "in_words", "country", "language", "plain", "words",
           "indefinite"]

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def money(value: Money) -> str:
    """``300 EUR`` → ``EUR 300.00``."""
    return f"{value.currency} {value.amount:,.2f}"


def percent(value: Decimal | int) -> str:
    return f"{decimal_text(value)}%"


def join_and(items: Iterable[Any], conjunction: str = "and") -> str:
    """``[a, b, c]`` → ``a, b and c``."""
    words = [plain(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def in_words(number: int) -> str:
    """``4`` → ``four (4)``; numbers above twenty stay digits."""
    return f"{_WORDS[number]} ({number})" if 0 <= number < len(_WORDS) else str(number)


def country(code: str, article: bool = False) -> str:
    """An ISO country code as its English name, with "the" where English needs it."""
    return country_with_article(code) if article else country_name(code)


#: Words that start with a vowel letter but a consonant sound ("a university").
_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "eu", "one", "once")


def indefinite(phrase: str) -> str:
    """A noun phrase with "a" or "an": ``public university`` → ``a public university``."""
    first = unicodedata.normalize("NFD", phrase.lstrip().lower())  # é → e + accent
    vowel = first[:1] in "aeiou" and not first.startswith(_CONSONANT_SOUND)
    return f"{'an' if vowel else 'a'} {phrase}"


def language(code: str) -> str:
    return language_name(code)


def words(value: Any) -> str:
    """An enum value as words: ``quality-assurance`` → ``quality assurance``."""
    return plain(value).replace("-", " ")


def plain(value: Any) -> str:
    """The text of a value as a clause shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, Money):
        return money(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dict):
        return ", ".join(f"{plain(k)} {plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    return str(value)
