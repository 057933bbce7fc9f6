"""Painting learner layers: WeasyPrint's own painting, without what it would do again for every learner.

WeasyPrint paints a learner layer's pages into a :func:`layer_stream`, a
WeasyPrint page stream that saves two costs of a cohort:

* a font's file and tables are read once per process, not once per
  layer (:func:`_font`);
* font subsetting asks cffi for open arrays, not a new C type for every
  glyph count (:class:`_OpenArrays`).

Both give the bytes WeasyPrint gives (the tests compare the layers with
WeasyPrint's own layout of each learner, and the certificates with full
renders).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

__all__ = ["layer_stream"]

_FONTS: dict[tuple[Any, float], Any] = {}
#: Fonts kept: a template uses a few faces at a few sizes.
_FONTS_KEPT = 64


def _font(pango_font: Any, key: Any, description: Any, size: float) -> Any:
    """WeasyPrint's ``Font`` for ``pango_font`` (of ``get_pango_font_key``'s key, description and size).

    Reading a font's file and tables costs WeasyPrint about 0.7 ms per font
    and document; so each is read once per process. A copy of the font read
    before, with its per-document state (the glyphs used) empty, is the same
    as a font read now: the key and the size are all a ``Font`` is made of.
    """
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import pango

    read = _FONTS.get((key, size))
    if read is None:
        read = _FONTS[key, size] = Font(pango_font, description, size)
        while len(_FONTS) > _FONTS_KEPT:
            del _FONTS[next(iter(_FONTS))]
    font = _empty_copy(read)
    font.hb_font = pango.pango_font_get_hb_font(pango_font)  # not referenced by the font read before: this one's
    return font


def _empty_copy(font: Any) -> Any:
    """``font`` with no glyph used yet."""
    empty = copy.copy(font)
    empty.variations, empty.widths, empty.to_unicode, empty.missing = dict(font.variations), {}, {}, {}
    return empty


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


@lru_cache(maxsize=1)
def layer_stream() -> Any:
    """The class of the page streams learner layers are painted into (see the module's docstring)."""
    import weasyprint.pdf.fonts
    from weasyprint.pdf.stream import Stream
    from weasyprint.text.fonts import get_pango_font_key

    class LayerStream(Stream):  # type: ignore[misc]
        def add_font(self, pango_font: Any) -> tuple[Any, float]:
            key, description, size = get_pango_font_key(pango_font)
            if key not in self._fonts:
                self._fonts[key] = _font(pango_font, key, description, size)
            return self._fonts[key], size

    if not isinstance(weasyprint.pdf.fonts.ffi, _OpenArrays):
        weasyprint.pdf.fonts.ffi = _OpenArrays(weasyprint.pdf.fonts.ffi)
    return LayerStream
