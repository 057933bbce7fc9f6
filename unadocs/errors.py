"""The exceptions unadocs raises, and the rule for when it raises, warns or logs.

The rule (after pypdf's):

* **Raise** a subclass of :class:`UnadocsError` when the input cannot give a
  correct output: an invalid spec, an unreadable file, a bad learner row, a
  key that does not match. The message names the field and, where there is
  one, the file line. The CLI prints it on one line and exits with status 1;
  it never shows a traceback for these.
* **Advise** (:class:`unadocs.Advisory`, returned, never raised) when the
  input is valid but departs from a recommendation of the framework. Advisories
  never block an output.
* **Log** (the ``unadocs`` logger) only facts useful for debugging that need
  no action from the user.

Any other exception escaping unadocs is a bug in unadocs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Location",
    "Problem",
    "UnadocsError",
    "SpecError",
    "LearnerError",
    "TemplateError",
    "ExportError",
    "SealError",
    "MalformedToken",
    "CorruptPayload",
]

#: A path into a document: keys and list indexes, e.g. ``("partners", 0, "id")``.
Location = tuple[str | int, ...]


def format_location(loc: Sequence[str | int]) -> str:
    """Render a path the way users write it: ``partners[0].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is."""

    loc: Location
    message: str
    line: int | None = None

    @property
    def path(self) -> str:
        return format_location(self.loc)

    def __str__(self) -> str:
        if not self.loc:
            return f"line {self.line}: {self.message}" if self.line is not None else self.message
        where = self.path
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.message}"


class UnadocsError(Exception):
    """Base class of every error unadocs raises on purpose."""


class SpecError(UnadocsError):
    """A consortium spec cannot be read or is invalid.

    ``problems`` lists every problem found, not just the first, so that a
    user can fix them all in one pass.
    """

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return head + str(self.problems[0])
        lines = [f"{head}{len(self.problems)} problems"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class LearnerError(UnadocsError):
    """A learner row cannot become a certificate (missing name, bad date...)."""

    def __init__(self, message: str, row: int | None = None, learner_id: str | None = None) -> None:
        self.row = row
        self.learner_id = learner_id
        self.reason = message
        where = f"row {row}: " if row is not None else ""
        super().__init__(where + message)


class TemplateError(UnadocsError):
    """A template or clause file (edited by non-programmers) is broken."""


class ExportError(UnadocsError):
    """A record cannot be expressed in an export format (e.g. a language without an EU vocabulary concept)."""


class SealError(UnadocsError):
    """A key, trust list or signature cannot be used."""


class MalformedToken(SealError):
    """Input that is not a certificate token, verification link or credential at all (verdict *malformed*)."""


class CorruptPayload(MalformedToken):
    """A token whose payload cannot be read: it was altered after sealing (verdict *bad-signature*)."""
