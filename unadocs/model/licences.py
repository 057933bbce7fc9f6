"""Creative Commons licences by SPDX id, with their names and deed URLs.

The agreement names the licence granted on teaching materials in full and
links its legal code, so the table holds both.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Licence", "CREATIVE_COMMONS", "NON_EXCLUSIVE_ROYALTY_FREE", "creative_commons"]

#: The alternative to a Creative Commons licence: a non-exclusive, royalty-free
#: licence between the partners for the term of the agreement.
NON_EXCLUSIVE_ROYALTY_FREE = "non-exclusive-royalty-free"


@dataclass(frozen=True)
class Licence:
    """A Creative Commons licence."""

    spdx: str
    name: str
    url: str

    @property
    def no_derivatives(self) -> bool:
        """Whether the licence forbids adapted material (ND)."""
        return "-ND-" in self.spdx


_ELEMENTS = {"BY": "Attribution", "SA": "ShareAlike", "NC": "NonCommercial", "ND": "NoDerivatives"}
_VARIANTS = ["BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND", "BY-NC-ND"]


def _build() -> dict[str, Licence]:
    table: dict[str, Licence] = {}
    for version in ("3.0", "4.0"):
        for variant in _VARIANTS:
            parts = variant.split("-")
            words = "-".join(_ELEMENTS[p] for p in parts)
            if version == "3.0":
                words = words.replace("NoDerivatives", "NoDerivs")
            spdx = f"CC-{variant}-{version}"
            url = f"https://creativecommons.org/licenses/{variant.lower()}/{version}/legalcode"
            table[spdx] = Licence(spdx, f"Creative Commons {words} {version} International"
                                  if version == "4.0" else f"Creative Commons {words} {version} Unported", url)
    table["CC0-1.0"] = Licence(
        "CC0-1.0", "Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/legalcode"
    )
    return table


#: Every Creative Commons licence a spec may name, by SPDX id.
CREATIVE_COMMONS: dict[str, Licence] = _build()


def creative_commons(spdx: str) -> Licence | None:
    """The Creative Commons licence with this SPDX id, if it is one."""
    return CREATIVE_COMMONS.get(spdx)
