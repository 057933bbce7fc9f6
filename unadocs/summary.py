"""The one-screen summary of a consortium that ``unadocs check`` prints, and the fields that differ between two
versions of a spec (``unadocs compare``)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from unadocs.errors import Location, format_location
from unadocs.model import Consortium
from unadocs.model.base import decimal_text

__all__ = ["summarise", "summary_text", "FieldChange", "spec_changes"]


def summarise(c: Consortium) -> dict[str, Any]:
    """The facts of the summary as plain data (the ``--json`` form)."""
    cred = c.credential
    return {
        "credential": {
            "title": cred.title,
            "eqf_level": cred.eqf_level,
            "cycle": cred.cycle.value if cred.cycle else None,
            "ects": decimal_text(cred.ects),
            "participation": cred.participation.value,
            "stackability": cred.stackability.mode.value,
            "languages": cred.languages,
        },
        "agreement": {
            "reference": c.agreement.reference,
            "version": c.agreement.version,
            "status": c.agreement.status.value,
            "date": c.agreement.date.isoformat(),
        },
        "partners": [
            {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "member": p.member,
                "role": p.role.value,
                "certificate_issuer": p.id == c.certificate.issuer,
                "accession_date": d.isoformat() if (d := c.accession_date(p.id)) else None,
            }
            for p in c.partners
        ],
        "term": {
            "start": c.term.start.isoformat(),
            "end": c.term.end.isoformat(),
            "duration_years": c.term.duration_years,
            "review": c.term.review.value,
        },
        "finance": {
            "model": c.finance.model.value,
            "collecting_partner": c.finance.collecting_partner,
            "fees": [{"learners": f.learners, "amount": str(f.amount)} for f in c.finance.fees],
        },
    }


def summary_text(c: Consortium) -> str:
    """The summary as aligned plain text."""
    cred = c.credential
    level = f"EQF {cred.eqf_level}" + (f" ({cred.cycle.value} cycle)" if cred.cycle else "")
    lines = [
        cred.title,
        f"  {level} · {decimal_text(cred.ects)} ECTS · {cred.participation.value} · {cred.stackability.mode.value} · "
        f"{', '.join(cred.languages)}",
        f"  agreement {c.agreement.reference}, version {c.agreement.version} ({c.agreement.status.value}), "
        f"{c.agreement.date.isoformat()}",
        "",
        "Partners",
    ]
    width = max(len(p.id) for p in c.partners)
    for p in c.partners:
        roles = [p.role.value]
        if p.id == c.certificate.issuer:
            roles.append("certificate issuer")
        if not p.is_member:
            roles.append("associated (non-member)")
        if (joined := c.accession_date(p.id)) is not None:
            roles.append(f"accedes {joined.isoformat()}")
        lines.append(f"  {p.id:<{width}}  {p.name} ({p.country}) · {', '.join(roles)}")
    t = c.term
    lines += [
        "",
        f"Term     {t.start.isoformat()} to {t.end.isoformat()} ({t.duration_years} years, review: {t.review.value}, "
        f"renewal: {t.renewal.value})",
    ]
    f = c.finance
    collected = f" collected by {f.collecting_partner}" if f.collecting_partner else ""
    fees = "; ".join(f"{fee.amount} for {fee.learners}" for fee in f.fees) or "no fees"
    lines.append(f"Finance  {f.model.value}{collected}; {fees}")
    return "\n".join(lines)



# -- two versions --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    """A field of the spec whose value differs between two versions."""

    path: str
    """The field as ``unadocs check`` names it: ``finance.fees[1].amount``, with the new version's list index
    (the old one's for a removed item)."""
    old: Any
    """The old value as JSON data (a list item or partner as a mapping); None where the old version has none."""
    new: Any
    """The new value, likewise; None where the new version has none."""
    line: int | None = None
    """The line of the new spec that gives it (of the old spec for a removed field), when loaded from YAML."""

    @property
    def change(self) -> Literal["added", "removed", "changed"]:
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    @property
    def line_in(self) -> Literal["old", "new"]:
        """Which version's spec :attr:`line` is a line of: the old one's for a removed field."""
        return "old" if self.change == "removed" else "new"

    def __str__(self) -> str:
        of = " of the old spec" if self.line_in == "old" else ""
        where = f"{self.path} (line {self.line}{of})" if self.line else self.path
        if self.change == "added":
            return f"{where}: added {shown(self.new)}"
        if self.change == "removed":
            return f"{where}: removed {shown(self.old)}"
        return f"{where}: {shown(self.old)} \u2192 {shown(self.new)}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "change": self.change, "old": self.old, "new": self.new, "line": self.line,
                "line_in": self.line_in}


#: Keys that name a list item, in order of preference: a list of mappings that all have one, each once, is
#: compared item by item by that key (a partner by its id), so that adding one is not a change of all after it.
_IDENTITY = ("id", "partner", "title", "learners")
#: How many characters of a value a summary line shows.
_SHOWN = 100
_ABSENT: Any = object()


def spec_changes(old: Consortium, new: Consortium) -> list[FieldChange]:
    """Every field whose value differs between two versions of a spec, in the new spec's order.

    Values are compared as the model holds them, so a partner's name
    inherited from the member registry counts as much as one written in the
    spec, and a default counts as its value.
    """
    out: list[FieldChange] = []
    for old_loc, new_loc, a, b in _differences((), (), old.model_dump(mode="json"), new.model_dump(mode="json")):
        a, b = (None if v is _ABSENT else v for v in (a, b))
        if b is None:
            out.append(FieldChange(format_location(old_loc), a, None, old.source_line(old_loc)))
        else:
            out.append(FieldChange(format_location(new_loc), a, b, new.source_line(new_loc)))
    return out


def _differences(old_loc: Location, new_loc: Location, a: Any,
                 b: Any) -> Iterator[tuple[Location, Location, Any, Any]]:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*b, *(k for k in a if k not in b)]:
            yield from _differences((*old_loc, key), (*new_loc, key), a.get(key, _ABSENT), b.get(key, _ABSENT))
        return
    if isinstance(a, list) and isinstance(b, list):
        for i, j in _item_pairs(a, b):
            yield from _differences((*old_loc, i if i is not None else j or 0),
                                    (*new_loc, j if j is not None else i or 0),
                                    a[i] if i is not None else _ABSENT, b[j] if j is not None else _ABSENT)
        return
    yield old_loc, new_loc, a, b


def _item_pairs(a: list[Any], b: list[Any]) -> list[tuple[int | None, int | None]]:
    """Which old item each new item is: by an identity key when the items have one, else by position where the
    lists differ item for item, else as removed and added items."""
    for key in _IDENTITY:
        ids = [item.get(key) if isinstance(item, dict) else None for item in a + b]
        if all(isinstance(i, str) for i in ids) and len(set(ids[:len(a)])) == len(a) \
                and len(set(ids[len(a):])) == len(b):
            where = {item[key]: i for i, item in enumerate(a)}
            kept = {item[key] for item in b}
            return ([(where.get(item[key]), j) for j, item in enumerate(b)]
                    + [(i, None) for i, item in enumerate(a) if item[key] not in kept])
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, [json.dumps(x, sort_keys=True) for x in a],
                              [json.dumps(x, sort_keys=True) for x in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            pairs.extend((i, None) for i in range(i1, i2))
            pairs.extend((None, j) for j in range(j1, j2))
    return pairs


def shown(value: Any) -> str:
    """A value as a summary line shows it: as a spec writes it, a partner by its id and name, long values cut."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        text = value["id"] + (f" ({value['name']})" if isinstance(value.get("name"), str) else "")
    else:
        text = _flow(value)
    text = "".join(c if unicodedata.category(c)[0] != "C" else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "\u2026"


def _flow(value: Any) -> str:
    """YAML's flow style, roughly: ``{partner: KUL, date: 2026-09-01}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items() if item is not None) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "not given"
    return str(value)
