"""Dates as a registrar's export writes them: spreadsheet dates, or text in the forms a European office uses.

``2026-01-20`` (ISO) and ``20.01.2026`` (day first, as Excel writes dates to
CSV in much of Europe) always read alike. ``20/01/2026`` is day first and
``01/20/2026`` month first, because only one reading is a date; ``01/02/2026``
is either, so it is refused unless the list's date format is given
(``--date-format DD/MM/YYYY``): a date read the wrong way round would be a
silent wrong result on a certificate.
"""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["DateFormat", "parse_date_text"]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")
_SLASHED = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})\Z")
_TOKENS = {"DD": "%d", "MM": "%m", "YYYY": "%Y"}


class DateFormat:
    """A date format the user names, like ``DD/MM/YYYY`` or ``MM/DD/YYYY``; ``ValueError`` for anything else."""

    def __init__(self, pattern: str) -> None:
        text = pattern.strip().upper()
        if sorted(re.findall(r"DD|MM|YYYY", text)) != ["DD", "MM", "YYYY"] or re.sub(r"DD|MM|YYYY", "", text) not in (
                "//", "..", "--", "  "):
            raise ValueError(f"a date format is DD, MM and YYYY joined by '/', '.' or '-', like DD/MM/YYYY, "
                             f"not {pattern!r}")
        self.pattern = text
        self._strptime = re.sub(r"DD|MM|YYYY", lambda m: _TOKENS[m.group(0)], text)

    def parse(self, text: str) -> date:
        return datetime.strptime(text, self._strptime).date()

    def __repr__(self) -> str:
        return f"DateFormat({self.pattern!r})"


def parse_date_text(text: str, given: DateFormat | None = None) -> date:
    """The date a cell's text means; ``ValueError`` with a message for the user when it is none or ambiguous."""
    value = text.strip()
    if _ISO.match(value):
        return _strict(value, "%Y-%m-%d", text)
    if given is not None:
        try:
            return given.parse(value)
        except ValueError:
            raise ValueError(f"{text!r} is not a date in the format {given.pattern}") from None
    if _DOTTED.match(value):
        return _strict(value, "%d.%m.%Y", text)
    slashed = _SLASHED.match(value)
    if slashed is None:
        raise ValueError(f"{text!r} is not a date (write YYYY-MM-DD or DD.MM.YYYY)")
    first, mark, second, year = slashed.groups()
    day_first = _maybe(f"{first}/{second}/{year}", "%d/%m/%Y")
    month_first = _maybe(f"{first}/{second}/{year}", "%m/%d/%Y")
    if day_first and month_first and day_first != month_first:
        raise ValueError(
            f"{text!r} could be {_spelled(day_first)} or {_spelled(month_first)}; give the list's date format "
            f"(--date-format DD{mark}MM{mark}YYYY or MM{mark}DD{mark}YYYY)")
    found = day_first or month_first
    if found is None:
        raise ValueError(f"{text!r} is not a date")
    return found


def _strict(value: str, pattern: str, text: str) -> date:
    try:
        return datetime.strptime(value, pattern).date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None


def _maybe(value: str, pattern: str) -> date | None:
    try:
        return datetime.strptime(value, pattern).date()
    except ValueError:
        return None


def _spelled(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, format="d MMMM y", locale="en")
