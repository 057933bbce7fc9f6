"""Painting learner layers: WeasyPrint's own painting, without what it would do again for every learner.

WeasyPrint paints a learner layer's pages into a :func:`layer_stream`, a
WeasyPrint page stream that saves four costs of a cohort:

* a font's file and tables are read once per process, not once per
  layer (:func:`_font`);
* a font subset to glyphs it was subset to before is not subset again
  (:func:`_subset_once`), and font subsetting asks cffi for open arrays,
  not a new C type for every glyph count (:class:`_OpenArrays`);
* a text box painted again (the labels and fixed texts of a class's
  layout, see :mod:`~unadocs.certificate.layer`) replays what painting it
  did before (:class:`_Recording`) instead of shaping its text again.

Each gives the bytes WeasyPrint gives: the tests compare layers painted
with and without each of them (``tests/certificate/test_stamp.py``). Two
reach into WeasyPrint's internals, which is why pyproject.toml pins
WeasyPrint 70.x: its painting calls ``weasyprint.draw.draw_text`` by that
name, which is rebound to send a learner layer's stream to its own method
(any other stream is painted as before), and the font module's cffi handle
(``weasyprint.pdf.fonts.ffi``) is wrapped. Run those tests before moving to
another WeasyPrint.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["RECORDING", "layer_stream"]

#: Whether text boxes painted again replay a recording (off: WeasyPrint shapes and paints each every time).
RECORDING = True

#: Fonts read, by face (see :func:`_face`), description and size.
_FONTS: dict[tuple[Any, ...], Any] = {}
#: Fonts kept: a template uses a few faces at a few sizes.
_FONTS_KEPT = 64
#: The file of each face read (one copy for all its sizes), and its digest.
_FILES: dict[tuple[int, int, int], tuple[bytes, bytes]] = {}
#: Subset fonts, by font file, face and glyphs: a cohort's fixed texts use the same glyphs of a face again and again.
_SUBSETS: dict[tuple[bytes, int, tuple[int, ...], bool, bool], bytes] = {}
_SUBSETS_KEPT = 256
#: The caches above are the process's: certificates may be made from several threads.
_CACHES = threading.Lock()
#: The page stream's attributes that painting a text reads and sets (colour, opacity and font in use).
_STATE = ("_current_color", "_current_color_stroke", "_current_alpha", "_current_alpha_stroke", "_current_font",
          "_old_font")
#: Recordings kept per text box: one per state the stream is in when the box is painted.
_RECORDINGS = 4
#: A text box painted once in a state (recorded the next time), and one whose painting cannot be replayed.
_SEEN, _DIRECT = "seen", "direct"


def _font(pango_font: Any, key: Any, description: Any, size: float) -> Any:
    """WeasyPrint's ``Font`` for ``pango_font`` (of ``get_pango_font_key``'s key, description and size).

    Reading a font's file and tables costs WeasyPrint about 0.7 ms per font
    and document; so each is read once per process. A copy of the font read
    before, with its per-document state (the glyphs used) empty, is the same
    as a font read now: its face, description and size are all a ``Font`` is
    made of. (The description alone is not enough: two ``@font-face`` rules
    split by ``unicode-range`` give two files one description.)
    """
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import pango

    face = _face(pango_font)
    with _CACHES:
        read = _FONTS.get((face, key, size))
        if read is None:
            read = _FONTS[face, key, size] = Font(pango_font, description, size)
            read.__class__ = _subset_once()
            read.file_content, read.source = _FILES.setdefault(
                face, (read.file_content, hashlib.sha256(read.file_content).digest()))
            while len(_FONTS) > _FONTS_KEPT:
                del _FONTS[next(iter(_FONTS))]
            while len(_FILES) > _FONTS_KEPT:
                del _FILES[next(iter(_FILES))]
    font = _empty_copy(read)
    font.hb_font = pango.pango_font_get_hb_font(pango_font)  # not referenced by the font read before: this one's
    return font


def _face(pango_font: Any) -> tuple[int, int, int]:
    """Which font face ``pango_font`` is: its file's bytes in memory (where, and how many) and its index there.

    Pango maps each font file into memory once and keeps it while its font
    map lives (the process's), so the place identifies the file without
    reading it.
    """
    from weasyprint.text.ffi import ffi, harfbuzz
    from weasyprint.text.fonts import get_pango_font_hb_face

    hb_face = get_pango_font_hb_face(pango_font)
    blob = harfbuzz.hb_face_reference_blob(hb_face)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return int(ffi.cast("uintptr_t", data)), int(length[0]), int(harfbuzz.hb_face_get_index(hb_face))
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _empty_copy(font: Any) -> Any:
    """``font`` with no glyph used yet."""
    empty = copy.copy(font)
    empty.variations, empty.widths, empty.to_unicode, empty.missing = dict(font.variations), {}, {}, {}
    return empty


@lru_cache(maxsize=1)
def _subset_once() -> Any:
    """WeasyPrint's ``Font``, subset to a set of glyphs once per process (the subset is the same every time).

    Subsetting costs HarfBuzz about 0.9 ms per font and layer. A variable
    font is instantiated and a colour font stripped as it is cleaned, from
    more than its glyphs: those are subset every time.
    """
    from weasyprint.pdf.fonts import Font

    class SubsetOnce(Font):  # type: ignore[misc]
        source: bytes
        file_content: bytes

        def clean(self, to_unicode: dict[int, str], hinting: bool) -> None:
            if "fvar" in self.tables or self.png or self.svg or self.colr:
                super().clean(to_unicode, hinting)
                return
            # The file may be a collection: the face's index says which of its fonts is subset.
            key = (self.source, self.index, tuple(sorted(to_unicode)), bool(hinting), bool(self.missing))
            with _CACHES:
                subset = _SUBSETS.get(key)
            if subset is None:
                super().clean(to_unicode, hinting)
                with _CACHES:
                    subset = _SUBSETS[key] = self.file_content
                    while len(_SUBSETS) > _SUBSETS_KEPT:
                        del _SUBSETS[next(iter(_SUBSETS))]
            self.file_content = subset

    return SubsetOnce


class _OpenArrays:
    """WeasyPrint's cffi handle, allocating the arrays it fills as open arrays (``T[]``), not sized ones (``T[n]``).

    cffi parses each C type once per process, and WeasyPrint's font
    subsetting asks for a new type for every new number of glyphs
    (``hb_codepoint_t[n]``): about 20 ms each, 0.7 s in a worker's first
    chunk. An open array of the same values is the same array.
    """

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: str, init: Any = None) -> Any:
        if init is not None and cdecl.startswith("hb_codepoint_t[") and cdecl.endswith("]"):
            cdecl = "hb_codepoint_t[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


@dataclass(frozen=True)
class _Recording:
    """What painting a text box did to a page stream in a given state, to do again without shaping the text.

    Painting a text appends operators (and may first take back the stream's
    last ``ET``, to continue its text object), leaves the stream in a new
    state, may add an opacity to the resources, and marks glyphs used in its
    fonts (their widths and the text each stands for).
    """

    popped: bool
    operators: tuple[Any, ...]
    after: tuple[Any, ...]
    opacities: tuple[tuple[str, dict[str, Any]], ...]
    #: Per font (in the order the text first uses them): its key, the font with no glyph used, and the glyphs'
    #: widths and texts in the order the text uses them.
    glyphs: tuple[tuple[Any, Any, tuple[tuple[int, int], ...], tuple[tuple[int, str], ...]], ...]


def _use_glyphs(fonts: dict[Any, Any], glyphs: Any) -> None:
    """Mark glyphs used in ``fonts`` as painting their text marks them: a glyph's first text stays its text."""
    for key, empty, widths, texts in glyphs:
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _empty_copy(empty)
        for glyph, width in widths:
            font.widths.setdefault(glyph, width)
        for glyph, text in texts:
            font.to_unicode.setdefault(glyph, text)


@lru_cache(maxsize=1)
def layer_stream() -> Any:
    """The class of the page streams learner layers are painted into (see the module's docstring)."""
    import pydyf  # type: ignore[import-untyped]
    import weasyprint.draw
    import weasyprint.pdf.fonts
    from weasyprint.draw.text import draw_text
    from weasyprint.pdf.stream import Stream
    from weasyprint.text.fonts import get_pango_font_key

    class LayerStream(Stream):  # type: ignore[misc]
        _fonts: dict[Any, Any]
        def add_font(self, pango_font: Any) -> tuple[Any, float]:
            key, description, size = get_pango_font_key(pango_font)
            if key not in self._fonts:
                self._fonts[key] = _font(pango_font, key, description, size)
            return self._fonts[key], size

        def draw_text(self, textbox: Any, offset_x: float, text_overflow: str, block_ellipsis: str) -> None:
            """WeasyPrint's ``draw_text``, replayed from a recording when ``textbox`` was painted before.

            A box is recorded the second time it is painted (the first
            time, most boxes are a learner's own texts, never painted again),
            for the state the stream is in; the key holds everything else
            painting it depends on.
            """
            if not RECORDING:
                draw_text(self, textbox, offset_x, text_overflow, block_ellipsis)
                return
            key = (offset_x, text_overflow, block_ellipsis, textbox.position_x, textbox.position_y, textbox.text,
                   bool(self.stream) and self.stream[-1] == b"ET", tuple(map(tuple, self.ctm)),
                   tuple(getattr(self, name) for name in _STATE))
            recordings = textbox.__dict__.setdefault("_unadocs_recordings", {})
            recording = recordings.get(key)
            if not isinstance(recording, _Recording):
                if recording is None:  # the first time: painted, and recorded the next time
                    recordings[key] = _SEEN
                    while len(recordings) > _RECORDINGS:
                        del recordings[next(iter(recordings))]
                    draw_text(self, textbox, offset_x, text_overflow, block_ellipsis)
                elif recording is _SEEN:
                    recordings[key] = self._record(textbox, offset_x, text_overflow, block_ellipsis) or _DIRECT
                else:
                    draw_text(self, textbox, offset_x, text_overflow, block_ellipsis)
                return
            if recording.popped:
                self.stream.pop()
            self.stream.extend(recording.operators)
            for name, value in zip(_STATE, recording.after, strict=True):
                setattr(self, name, value)
            for name, value in recording.opacities:
                self._resources["ExtGState"].setdefault(name, pydyf.Dictionary(value))
            _use_glyphs(self._fonts, recording.glyphs)

        def _record(self, textbox: Any, offset_x: float, text_overflow: str, block_ellipsis: str
                    ) -> _Recording | None:
            """Paint ``textbox`` and record it; None when the painting cannot be replayed (it is done anyway)."""
            before, last = len(self.stream), self.stream[-1] if self.stream else None
            state = tuple(getattr(self, name) for name in _STATE)
            resources = {name: dict(self._resources[name]) for name in ("ExtGState", "XObject", "Pattern", "Shading")}
            images = len(self._images)
            fonts, self._fonts = self._fonts, {}  # the text's own glyphs, all of them, in the order it uses them
            try:
                draw_text(self, textbox, offset_x, text_overflow, block_ellipsis)
            finally:
                used, self._fonts = self._fonts, fonts
            popped = before > 0 and (len(self.stream) < before or self.stream[before - 1] is not last)
            if any(font.missing or font.bitmap or font.png or font.svg or font.colr for font in used.values()):
                # Glyphs missing from a font are numbered in the order the document meets them, and colour or
                # bitmap glyphs are painted as images: take the painting back, paint with the document's fonts.
                del self.stream[before - popped:]
                if popped:
                    self.stream.append(last)
                for name, value in zip(_STATE, state, strict=True):
                    setattr(self, name, value)
                for name, entries in resources.items():
                    self._resources[name].clear()
                    self._resources[name].update(entries)
                draw_text(self, textbox, offset_x, text_overflow, block_ellipsis)
                return None
            glyphs = tuple((key, _empty_copy(font), tuple(font.widths.items()), tuple(font.to_unicode.items()))
                           for key, font in used.items())
            _use_glyphs(self._fonts, glyphs)
            added = {name: [key for key in self._resources[name] if key not in entries]
                     for name, entries in resources.items()}
            opacities = tuple((key, dict(self._resources["ExtGState"][key])) for key in added["ExtGState"])
            if len(self._images) != images or any(added[name] for name in ("XObject", "Pattern", "Shading")) or any(
                    set(value) - {"ca", "CA"} for _, value in opacities):
                return None  # images, patterns or masks: objects of this document alone
            return _Recording(popped, tuple(self.stream[before - popped:]), tuple(getattr(self, n) for n in _STATE),
                              opacities, glyphs)

    def draw_text_to(stream: Any, textbox: Any, offset_x: float, text_overflow: str, *rest: Any) -> None:
        """WeasyPrint's ``draw_text``, or the stream's own for a learner layer's stream."""
        if isinstance(stream, LayerStream):
            stream.draw_text(textbox, offset_x, text_overflow, *(rest or ("none",)))
        else:
            draw_text(stream, textbox, offset_x, text_overflow, *rest)

    if weasyprint.draw.draw_text is draw_text:  # the one name WeasyPrint's painting calls it by
        weasyprint.draw.draw_text = draw_text_to
    if not isinstance(weasyprint.pdf.fonts.ffi, _OpenArrays):
        weasyprint.pdf.fonts.ffi = _OpenArrays(weasyprint.pdf.fonts.ffi)
    return LayerStream
