"""Setting a text into a field's box: shaped by HarfBuzz, broken into lines, at the first declared size that fits.

Pure: text in, lines of positioned glyphs out; no PDF and no WeasyPrint. It
sets a text as WeasyPrint (through Pango) sets the same text under the CSS
that :func:`unadocs.certificate.fields.field_html` gives the field, so that a
certificate looks like a full render of its template:

* sizes and advances are in Pango units, 1/1024 of a CSS px: a font of
  ``size`` px is shaped at a scale of ``int(size * 1024)``;
* the text is split into runs of one script (spaces and punctuation join the
  run they are in), each shaped on its own, as Pango itemises a paragraph;
* a line breaks where Unicode line breaking allows it (UAX #14), and a word
  longer than the line breaks between two clusters (CSS ``overflow-wrap:
  anywhere``); each line is shaped again on its own, as WeasyPrint does;
* each line box is ``line_height`` high, with the font's ascent and descent
  centred in it (CSS half-leading);
* invisible format characters (bidi controls, joiners) give no glyph. Bidi
  controls are not applied: a name is shown in the order it is written, so a
  control character in it cannot rearrange what the certificate shows.

Runs are the unit a later step extends: font fallback (a run per font) and
right-to-left text (a run per bidi level) fit in the same shape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uharfbuzz

__all__ = ["Face", "Line", "Run", "SetText", "break_opportunities", "set_text"]

#: Pango units per CSS px.
UNITS = 1024
#: White space that CSS collapses (``white-space: normal``); a no-break space is not among it.
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")


@dataclass(eq=False)
class Face:
    """One font file of a template, loaded once: its HarfBuzz face, and a HarfBuzz font per size."""

    path: Path
    data: bytes
    hb_face: uharfbuzz.Face
    _fonts: dict[int, uharfbuzz.Font] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path) -> Face:
        import uharfbuzz as hb

        data = path.read_bytes()
        return cls(path, data, hb.Face(hb.Blob(data)))

    def font(self, units: int) -> uharfbuzz.Font:
        """The HarfBuzz font at ``units`` (Pango units per em), as Pango scales it."""
        font = self._fonts.get(units)
        if font is None:
            import uharfbuzz as hb

            font = self._fonts[units] = hb.Font(self.hb_face)
            font.scale = (units, units)
        return font

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` this font has no glyph for (invisible format characters aside)."""
        covered = self._covered()
        return [c for c in dict.fromkeys(text) if ord(c) not in covered and unicodedata.category(c) != "Cf"]

    @cache  # noqa: B019 (a face lives as long as its template)
    def _covered(self) -> frozenset[int]:
        return frozenset(self.hb_face.unicodes)


@dataclass(frozen=True)
class Run:
    """Glyphs of one face, shaped from ``text[start:end]`` in one script: ids, advances and offsets in Pango units."""

    face: Face
    text: str
    start: int
    end: int
    glyphs: tuple[int, ...]
    clusters: tuple[int, ...]
    """Index in ``text`` of the first character of each glyph's cluster."""
    advances: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]

    @property
    def width(self) -> int:
        return sum(self.advances)


@dataclass(frozen=True)
class Line:
    text: str
    runs: tuple[Run, ...]

    @property
    def width(self) -> int:
        return sum(run.width for run in self.runs)


@dataclass(frozen=True)
class SetText:
    """A text set into a box: its lines at ``units`` per em, their height and the font's ascent and descent (px)."""

    lines: tuple[Line, ...]
    size: float
    """The declared size it fits at, in CSS px (``units`` is that in whole Pango units)."""
    units: int
    line_height: float
    ascent: float
    descent: float

    @property
    def baseline(self) -> float:
        """The first baseline below the top of the first line box, in px: the half-leading, then the ascent."""
        return (self.line_height - (self.ascent + self.descent)) / 2 + self.ascent

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height


def set_text(text: str, face: Face, sizes: Sequence[float], line_height: float, width: float, height: float,
             max_lines: int, lang: str) -> SetText | None:
    """``text`` set at the first of ``sizes`` (CSS px) at which it fits the box, or None if it fits at none.

    ``line_height`` is a multiple of the size; ``width`` and ``height`` are the box's, in px.
    """
    text = _COLLAPSIBLE.sub(" ", text).strip(" ")
    for size in sizes:
        units = int(size * UNITS)
        runs = _shape(text, face, units, lang)
        lines = _lines(text, runs, width * UNITS)
        leading = line_height * size
        if lines is not None and len(lines) <= max_lines and len(lines) * leading <= height + 0.01:
            extents = face.font(units).get_font_extents("ltr")
            return SetText(tuple(Line(line, tuple(runs if line == text else _shape(line, face, units, lang)))
                                 for line in lines), size, units, leading, extents.ascender / UNITS,
                           -extents.descender / UNITS)
    return None


def _lines(text: str, runs: list[Run], width: float) -> list[str] | None:
    """``text`` (shaped as ``runs``) broken greedily into lines no wider than ``width`` (Pango units).

    None if a single cluster is wider than the line.
    """
    advance = [0] * (len(text) + 1)  # advance[i]: the width of text[:i]
    clusters = set()
    for run in runs:
        for cluster, width_ in zip(run.clusters, run.advances, strict=True):
            advance[cluster + 1] += width_
            clusters.add(cluster)
    for i in range(len(text)):
        advance[i + 1] += advance[i]
    if advance[-1] <= width:
        return [text] if text else []  # the usual case: no need to know where it could break
    opportunities = [*break_opportunities(text), len(text)]
    anywhere = [*sorted(c for c in clusters if c), len(text)]  # CSS overflow-wrap: anywhere

    def last_fitting(start: int, ends: list[int]) -> int | None:
        fitting = [end for end in ends if end > start and advance[len(text[:end].rstrip(" "))] - advance[start] <= width]
        return fitting[-1] if fitting else None

    lines = []
    start = 0
    while start < len(text):
        end = last_fitting(start, opportunities) or last_fitting(start, anywhere)
        if end is None:
            return None
        lines.append(text[start:end].rstrip(" "))
        start = end
    return lines


def _shape(text: str, face: Face, units: int, lang: str) -> list[Run]:
    """``text`` shaped as Pango shapes a paragraph: one run per script, each with the paragraph as context."""
    import uharfbuzz as hb

    runs = []
    for start, end, script in _script_runs(text):
        buffer = hb.Buffer()
        buffer.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES  # no glyph, as Pango gives none
        buffer.add_str(text, start, end - start)
        buffer.guess_segment_properties()
        buffer.script = script
        buffer.language = lang
        hb.shape(face.font(units), buffer)
        infos, positions = buffer.glyph_infos, buffer.glyph_positions
        runs.append(Run(face, text, start, end, tuple(i.codepoint for i in infos), tuple(i.cluster for i in infos),
                        tuple(p.x_advance for p in positions), tuple((p.x_offset, p.y_offset) for p in positions)))
    return runs


def _script_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO 15924 script) of each run of one script; common and inherited characters join their run."""
    if not text:
        return []
    runs: list[tuple[int, int, str]] = []
    current, start = "Zyyy", 0
    for index, char in enumerate(text):
        script = _script(char)
        if script in ("Zyyy", "Zinh", "Zzzz") or script == current:
            continue
        if current != "Zyyy":
            runs.append((start, index, current))
            start = index
        current = script
    runs.append((start, len(text), current))
    return runs


@cache
def _script(char: str) -> str:
    from fontTools import unicodedata as ucd

    return str(ucd.script(char))


# -- where a line may break -----------------------------------------------------------------------------------------

#: Line break classes (UAX #14) of the texts whose break opportunities are found without the full algorithm.
_SIMPLE = frozenset({"AL", "NU", "SP", "HY", "CM", "IS", "QU"})


def break_opportunities(text: str) -> list[int]:
    """Where a line may start in ``text`` (indices), by the Unicode line breaking algorithm (UAX #14).

    Texts of letters, digits, spaces, hyphens, quotes and punctuation inside
    numbers and words (most names, ids and dates) break only after spaces and
    after a hyphen that is not word-initial and is followed by a letter; that
    takes microseconds. Any other text goes through ``uniseg``'s full
    implementation, which takes milliseconds.
    """
    classes = [_line_break_class(c) for c in text]
    if not set(classes) <= _SIMPLE:
        from uniseg.linebreak import line_break_boundaries

        return [b for b in line_break_boundaries(text) if 0 < b < len(text)]
    bases: list[tuple[int, str]] = []  # a combining mark goes with its letter (LB9), or stands as a letter (LB10)
    for index, value in enumerate(classes):
        if value != "CM" or not bases or bases[-1][1] == "SP":
            bases.append((index, "AL" if value == "CM" else value))
    found = []
    for k in range(1, len(bases)):
        before, (index, after) = bases[k - 1][1], bases[k]
        following = bases[k + 1][1] if k + 1 < len(bases) else None
        if before == "SP" and (after not in ("SP", "IS") or after == "IS" and following == "NU"):
            found.append(index)  # after spaces, not before a comma or colon unless it starts a number (LB15c, d)
        elif before == "HY" and after == "AL" and k >= 2 and bases[k - 2][1] != "SP":  # not word-initial (LB20a)
            found.append(index)
    return found


@cache
def _line_break_class(char: str) -> str:
    from uniseg.linebreak import line_break

    value = str(line_break(char))
    if value == "QU" and unicodedata.category(char) in ("Pi", "Pf"):
        return "QU-" + unicodedata.category(char)  # typographic quotes have rules of their own (LB15a, LB15b)
    return "AL" if value == "AI" else value
