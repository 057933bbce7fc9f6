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
* each character is set in the first of the field's fonts that has it (its
  font, then its fallbacks), as Pango picks a font from a font-family list;
  a space or another invisible character never chooses a font: as Pango
  adds it to the item it is in, it takes the font of the text before it at
  its bidi level, and starts a run (a line, a change of direction) in the
  font of the text after it. A run is one script in one font at one bidi
  level;
* right-to-left text (Arabic, Hebrew) is ordered by the Unicode
  bidirectional algorithm (UAX #9, python-bidi's implementation) in a
  left-to-right paragraph, as HTML orders it: levels are resolved for the
  paragraph, each line's runs are shaped in their direction and laid out in
  visual order (rule L2);
* invisible format characters (bidi controls, joiners) give no glyph. Bidi
  controls are not applied: they are removed before the algorithm runs, so a
  control character in a name cannot rearrange what the certificate shows
  (the learner model refuses them anyway);
* ``U+2028`` (LINE SEPARATOR) starts a new line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uharfbuzz

__all__ = ["LINE_SEPARATOR", "Face", "Line", "Run", "SetText", "bidi_levels", "break_opportunities", "missing_in",
           "set_text"]

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
        covered = self.covered()
        return [c for c in dict.fromkeys(text) if ord(c) not in covered and not _invisible(c)]

    @cache  # noqa: B019 (a face lives as long as its template)
    def covered(self) -> frozenset[int]:
        """The code points this font has a glyph for."""
        return frozenset(self.hb_face.unicodes)


def missing_in(text: str, faces: Sequence[Face]) -> list[str]:
    """The characters of ``text`` that none of ``faces`` has a glyph for (invisible format characters aside)."""
    if faces[0].covered().issuperset(map(ord, text)):
        return []
    return [c for c in dict.fromkeys(text) if not _invisible(c) and not any(ord(c) in f.covered() for f in faces)]


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Zl")


@dataclass(frozen=True)
class Run:
    """Glyphs of one face, shaped from ``text[start:end]`` in one script and direction: ids, advances and offsets in
    Pango units, in visual order (left to right)."""

    face: Face
    text: str
    start: int
    end: int
    level: int
    """Its bidi embedding level: odd for right-to-left."""
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


def set_text(text: str, faces: Face | Sequence[Face], sizes: Sequence[float], line_height: float, width: float,
             height: float, max_lines: int, lang: str) -> SetText | None:
    """``text`` set at the first of ``sizes`` (CSS px) at which it fits the box, or None if it fits at none.

    ``faces`` is the field's font and its fallbacks, in order; ``line_height`` is a multiple of the size;
    ``width`` and ``height`` are the box's, in px. ``U+2028`` breaks the line.
    """
    faces = (faces,) if isinstance(faces, Face) else tuple(faces)
    paragraphs = [paragraph for paragraph in (_COLLAPSIBLE.sub(" ", part).strip(" ") for part in text.split(LINE_SEPARATOR))
                  if paragraph]
    for size in sizes:
        units = int(size * UNITS)
        lines: list[Line] = []
        for paragraph in paragraphs:
            layout = _Paragraph.of(paragraph, faces)
            runs = layout.shape(0, len(paragraph), units, lang)
            broken = _lines(paragraph, runs, width * UNITS)
            if broken is None:
                lines = []
                break
            start = 0
            for line in broken:
                start = paragraph.index(line, start)
                lines.append(Line(line, tuple(runs if line == paragraph else layout.shape(start, start + len(line),
                                                                                         units, lang))))
                start += len(line)
        leading = line_height * size
        if lines and len(lines) <= max_lines and len(lines) * leading <= height + 0.01 or not paragraphs:
            extents = faces[0].font(units).get_font_extents("ltr")
            return SetText(tuple(lines), size, units, leading, extents.ascender / UNITS,
                           -extents.descender / UNITS)
    return None


#: Breaks a field's text into lines (``{{ br }}`` in fields.toml).
LINE_SEPARATOR = "\u2028"


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph's fonts and bidi levels, character by character: what its runs are cut from."""

    text: str
    faces: tuple[Face, ...]
    face_of: tuple[int, ...]
    """For each character, the index in ``faces`` of the font it is set in."""
    levels: tuple[int, ...]

    @classmethod
    def of(cls, text: str, faces: tuple[Face, ...]) -> _Paragraph:
        return _paragraph(text, faces)

    def shape(self, start: int, end: int, units: int, lang: str) -> list[Run]:
        """``text[start:end]`` (a line, or the whole paragraph) shaped in runs, in visual order."""
        runs = [_shape_run(self.text, start_, end_, self.faces[face], script, level, units, lang)
                for start_, end_, face, script, level in self._runs(start, end)]
        return _visual_order(runs)

    def _runs(self, start: int, end: int) -> list[tuple[int, int, int, str, int]]:
        """(start, end, face, script, level) of each run of one font, script and level (common characters join
        the script of their run)."""
        runs: list[tuple[int, int, int, str, int]] = []
        for index in range(start, end):
            char = self.text[index]
            script = _script(char)
            face, level = self.face_of[index], self.levels[index]
            if runs and runs[-1][2] == face and runs[-1][4] == level and (
                    script in ("Zyyy", "Zinh", "Zzzz") or script == runs[-1][3] or runs[-1][3] == "Zyyy"):
                last = runs[-1]
                runs[-1] = (last[0], index + 1, face, script if last[3] == "Zyyy" else last[3], level)
            else:
                runs.append((index, index + 1, face, script, level))
        return runs


@lru_cache(maxsize=512)
def _paragraph(text: str, faces: tuple[Face, ...]) -> _Paragraph:
    levels = bidi_levels(text)
    if faces[0].covered().issuperset(map(ord, text)):  # the usual case: every letter in the field's own font
        return _Paragraph(text, faces, (0,) * len(text), levels)
    chosen: list[int | None] = []
    for char in text:
        if char.isspace() or _invisible(char):
            chosen.append(None)  # a space never chooses a font: here, the font of the text after it
        else:
            code = ord(char)
            chosen.append(next((n for n, face in enumerate(faces) if code in face.covered()), 0))
    face_of: list[int] = []
    following = next((face for face in reversed(chosen) if face is not None), 0)  # trailing: the last letter's
    for index in range(len(text) - 1, -1, -1):
        char, face = text[index], chosen[index]
        if face is None:
            face = following
            if not _invisible(char) and ord(char) not in faces[face].covered():  # a space that font lacks: the
                face = next((n for n, other in enumerate(faces) if ord(char) in other.covered()), face)  # first
        else:  # that has it
            following = face
        face_of.append(face)
    face_of.reverse()
    for index in range(1, len(text)):  # but a space at the level of the text before it continues that text's run,
        if chosen[index] is None and levels[index] == levels[index - 1]:  # in its font, if that font has it
            if _invisible(text[index]) or ord(text[index]) in faces[face_of[index - 1]].covered():
                face_of[index] = face_of[index - 1]
    return _Paragraph(text, faces, tuple(face_of), levels)


def bidi_levels(text: str) -> tuple[int, ...]:
    """The embedding level of each character of ``text`` in a left-to-right paragraph (UAX #9, by python-bidi).

    Explicit directional formatting characters are not obeyed: they are left out of the text the algorithm sees
    (and given the level of the paragraph), so nothing but the letters themselves decides the order.
    """
    if all(ord(c) < 0x0590 for c in text):  # no right-to-left letter, no formatting character: all left to right
        return (0,) * len(text)
    kept = [index for index, char in enumerate(text) if char not in _BIDI_CONTROLS]
    levels = [0] * len(text)
    for index, level in zip(kept, _resolved_levels("".join(text[i] for i in kept)), strict=True):
        levels[index] = level
    return tuple(levels)


#: The explicit directional formatting characters of UAX #9 (embeddings, overrides, isolates and their ends).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _resolved_levels(text: str) -> list[int]:
    """Each character's resolved level, from python-bidi's ``get_display(..., debug=True)``, which gives the
    levels its UAX #9 implementation (the Rust crate unicode-bidi) computed, one per UTF-8 byte."""
    from bidi import get_display

    report = str(get_display(text, base_dir="L", debug=True))
    section = report.partition("levels:")[2].partition("paragraphs:")[0]
    per_byte = [int(level) for level in _LEVEL.findall(section)]
    encoded = [len(char.encode("utf-8")) for char in text]
    if len(per_byte) != sum(encoded):
        raise RuntimeError(f"python-bidi reported {len(per_byte)} levels for {sum(encoded)} bytes of {text!r}")
    levels, position = [], 0
    for size in encoded:
        levels.append(per_byte[position])
        position += size
    return levels


def _visual_order(runs: list[Run]) -> list[Run]:
    """Runs of one line in visual order: from the highest level down to the lowest odd one, every sequence of runs
    at that level or higher is reversed (UAX #9, rule L2)."""
    if not runs or all(run.level == 0 for run in runs):
        return runs
    ordered = list(runs)
    lowest_odd = min(run.level for run in runs) | 1
    for level in range(max(run.level for run in runs), lowest_odd - 1, -1):
        index = 0
        while index < len(ordered):
            if ordered[index].level >= level:
                end = index
                while end < len(ordered) and ordered[end].level >= level:
                    end += 1
                ordered[index:end] = ordered[index:end][::-1]
                index = end
            else:
                index += 1
    return ordered


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


def _shape_run(text: str, start: int, end: int, face: Face, script: str, level: int, units: int, lang: str) -> Run:
    """``text[start:end]`` shaped as Pango shapes an item: in its font, script and direction, with the paragraph as
    context; the glyphs come out in visual order."""
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES  # no glyph, as Pango gives none
    buffer.add_str(text, start, end - start)
    buffer.guess_segment_properties()
    buffer.script = script
    buffer.direction = "rtl" if level % 2 else "ltr"
    buffer.language = lang
    hb.shape(face.font(units), buffer)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    return Run(face, text, start, end, level, tuple(i.codepoint for i in infos), tuple(i.cluster for i in infos),
               tuple(p.x_advance for p in positions), tuple((p.x_offset, p.y_offset) for p in positions))


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
