"""The variants of the clause library: spec changes that select each variant of each option.

``clauses/variants.yaml`` lists, for every option a spec can choose (the
finance model, the dispute resolution ...), the changes to a base spec that
select each of its variants, and words that only that variant prints; and
under ``situations`` more cases worth building whose wording need not be
exclusive. The drafting lint builds the agreement of every variant
(:func:`unadocs.agreement.lint.lint_library`), so that every clause file is
checked in the agreement it appears in::

    options:
      finance model:
        mixed:
          changes:
            finance.model: mixed
            finance.joint_activities: [the joint online module]
          wording: collects the fees for the joint activities

A change is a dotted path into the spec (a number picks a list item, one
past the last adds an item) and its new value; ``null`` removes the key.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unadocs.errors import SpecError, TemplateError

__all__ = ["Variant", "load_variants", "apply_changes", "VARIANTS_FILE"]

VARIANTS_FILE = "variants.yaml"


@dataclass(frozen=True)
class Variant:
    """One variant of an option: the spec changes that select it and the words only it prints."""

    option: str
    choice: str
    changes: Mapping[str, Any]
    wording: str | None = None
    exclusive: bool = True
    """Whether the option's variants exclude each other (an option), or are situations."""

    @property
    def name(self) -> str:
        return f"{self.option}: {self.choice}"


def load_variants(directory: Path) -> list[Variant]:
    """The variants listed in ``directory/variants.yaml``; :class:`TemplateError` names the file's problem."""
    from unadocs.load import read_yaml  # the spec's YAML rules: NO stays Norway, dates are dates

    path = directory / VARIANTS_FILE
    try:
        data, _ = read_yaml(path.read_text(encoding="utf-8"), VARIANTS_FILE)
    except OSError as exc:
        raise TemplateError(f"{VARIANTS_FILE}: cannot be read ({exc.strerror or exc})") from None
    except SpecError as exc:
        raise TemplateError(str(exc)) from None
    if not isinstance(data, dict) or set(data) - {"options", "situations"}:
        raise TemplateError(f"{VARIANTS_FILE}: must have 'options' and, optionally, 'situations', each mapping "
                            "options to their variants")
    out: list[Variant] = []
    for section in ("options", "situations"):
        options = data.get(section) or {}
        if not isinstance(options, dict):
            raise TemplateError(f"{VARIANTS_FILE}: {section} must map each option to its variants")
        for option, choices in options.items():
            if not isinstance(choices, dict) or not choices:
                raise TemplateError(f"{VARIANTS_FILE}: option {option!r} must map each variant to its changes")
            for choice, entry in choices.items():
                out.append(_variant(str(option), str(choice), entry, section == "options"))
    return out


def _variant(option: str, choice: str, entry: Any, exclusive: bool) -> Variant:
    if not isinstance(entry, dict) or not isinstance(entry.get("changes"), dict) or \
            set(entry) - {"changes", "wording"}:
        raise TemplateError(f"{VARIANTS_FILE}: {option}: {choice}: give 'changes' (a mapping of dotted spec paths "
                            "to values) and, optionally, 'wording'")
    wording = entry.get("wording")
    if wording is not None and not isinstance(wording, str):
        raise TemplateError(f"{VARIANTS_FILE}: {option}: {choice}: 'wording' must be text")
    return Variant(option, choice, entry["changes"], wording, exclusive)


def apply_changes(data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of spec data with dotted-path changes applied (``None`` removes the key)."""
    out = copy.deepcopy(dict(data))
    for path, value in changes.items():
        *parents, last = str(path).split(".")
        node: Any = out
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        if isinstance(node, list):
            if int(last) == len(node):  # one past the end adds an item
                node.append(copy.deepcopy(value))
            else:
                node[int(last)] = copy.deepcopy(value)
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return out
