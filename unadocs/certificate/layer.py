"""The learner layer: a learner's fields set into their boxes and written as PDF objects, with the QR code and link.

Each field's text is set by :mod:`~unadocs.certificate.typeset` (HarfBuzz),
and drawn as WeasyPrint draws the same text (the same text matrix, glyph
adjustments and colour operators), so that the certificate looks like a full
render of the template. Each page's drawing is a form XObject that the
page paints over its shared drawing. The fonts are the fields' own files, one
per face, their glyph ids kept (as WeasyPrint keeps them): the cohort's,
written once in the shared part with the European Latin letters
(:func:`cohort_fonts`), or, for a learner with other letters, a HarfBuzz
subset of the learner's own glyphs.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from unadocs.certificate.fields import Box, Field, Fields, field_text
from unadocs.certificate.pdf import Objects, name, number, text_string
from unadocs.certificate.typeset import LINE_SEPARATOR, UNITS, Face, Run, SetText, missing_in, set_text
from unadocs.errors import LearnerError

if TYPE_CHECKING:
    from unadocs.record import CertificateRecord

__all__ = ["COHORT_CHARACTERS", "LearnerLayer", "Placed", "cohort_fonts", "fit_fields", "write_layer"]

#: PDF points per CSS px.
_SCALE = 0.75
#: Every ASCII character but the space stays as it is in a link; the rest is percent-encoded, as WeasyPrint does.
_URI_SAFE = "".join(chr(c) for c in range(33, 127))


@dataclass(frozen=True)
class Placed:
    """A field's text set into its box, and drawn: the content stream's operators, the glyphs shown of each face."""

    fitted: SetText
    drawing: bytes
    glyphs: tuple[tuple[Face, tuple[tuple[int, str], ...]], ...]
    """For each face, each glyph shown and the text it stands for (the first text wins, as in WeasyPrint)."""


@dataclass(frozen=True)
class LearnerLayer:
    """A learner's fields, each with its text and where it was placed."""

    fields: tuple[tuple[Field, str, Placed], ...]
    link: str
    qr_png: bytes


def fit_fields(fields: Fields, record: CertificateRecord, context: Mapping[str, Any], link: str, qr_png: bytes
               ) -> LearnerLayer:
    """Each field's text for this learner, set into its box; a :class:`LearnerError` names one that does not fit,
    or a letter that none of its fonts has."""
    placed = []
    for declared in fields.fields:
        text = field_text(declared, context)
        missing = missing_in(text, (declared.face, *declared.fallbacks))
        if missing:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')})"
                              for c in missing[:5])
            fonts = declared.face.path.name + (f" and its {len(declared.fallbacks)} fallback fonts"
                                               if declared.fallbacks else "")
            raise LearnerError(f"the {declared.name} field cannot be printed: no font of it ({fonts}) has a letter "
                               f"for {shown}", learner_id=record.learner.learner_id)
        done = _placed(declared, text, fields.lang, fields.all_faces)
        if done is None:
            raise LearnerError(f"the {declared.name} field does not fit its box even at "
                               f"{declared.sizes[-1] * _SCALE:g} pt: {_quoted(text)}",
                               learner_id=record.learner.learner_id)
        placed.append((declared, text, done))
    return LearnerLayer(tuple(placed), link, qr_png)


def _quoted(text: str, limit: int = 160) -> str:
    """A field's text for a message: its lines joined by " / ", cut at ``limit`` characters, its length said."""
    joined = text.replace(LINE_SEPARATOR, " / ")
    if len(joined) <= limit:
        return repr(joined)
    return f"{joined[:limit]!r}… ({len(joined)} characters)"


@lru_cache(maxsize=512)  # many fields say the same for many learners: a date, a grade, the verification host
def _placed(declared: Field, text: str, lang: str, faces: tuple[Face, ...]) -> Placed | None:
    box = declared.box
    fitted = set_text(text, (declared.face, *declared.fallbacks), declared.sizes, declared.line_height, box.width,
                      box.height, declared.lines, lang)
    if fitted is None:
        return None
    glyphs: dict[Face, dict[int, str]] = {}
    drawing = _draw_text(declared, fitted, faces, glyphs) if fitted.lines else b""
    return Placed(fitted, drawing, tuple((face, tuple(shown.items())) for face, shown in glyphs.items()))


def write_layer(layer: LearnerLayer, fields: Fields, sizes: Sequence[tuple[float, float]], shared_fonts: Sequence[int],
                objects: Objects) -> list[tuple[int, list[int]]]:
    """The layer's objects: for each page (of ``sizes``, in points), its form XObject and its link annotations.

    ``shared_fonts`` are the cohort's fonts (:func:`cohort_fonts`) in the shared part, one per face of
    ``fields.faces``; the fallback fonts are subset for each learner who needs them.
    """
    faces = fields.all_faces
    drawings = [bytearray(b"1 0 0 -1 0 %s cm\n0.75 0 0 0.75 0 0 cm\n" % number(h)) for _, h in sizes]
    shown: dict[Face, dict[int, str]] = {face: {} for face in faces}
    first_widths: dict[Face, dict[int, int]] = {face: {} for face in faces}
    for declared, _, placed in sorted(layer.fields, key=lambda item: item[0].box.page):  # in the order painted
        for face, glyphs in placed.glyphs:
            for glyph, text in glyphs:
                shown[face].setdefault(glyph, text)
                first_widths[face].setdefault(glyph, _width_at(face, glyph, placed.fitted.units))
        if any(_differ(first_widths[face], _metrics(face).widths, glyphs) for face, glyphs in placed.glyphs):
            drawings[declared.box.page - 1] += _draw_text(declared, placed.fitted, faces, {}, first_widths)
        else:
            drawings[declared.box.page - 1] += placed.drawing
    qr = fields.qr
    image = _qr_image(layer.qr_png, objects)
    drawings[qr.page - 1] += (b"q\n1 0 0 1 %s %s cm\n%s 0 0 -%s 0 %s cm\n/QR Do\nQ\n"
                              % (number(qr.left), number(qr.top), number(qr.width), number(qr.height),
                                 number(qr.height)))
    cohort = dict(zip(fields.faces, shared_fonts, strict=True))
    fonts = b" ".join(b"/F%d %d 0 R" % (n, cohort[face] if face in cohort and glyphs.keys() <= dict(
                          _cohort_glyphs(face)).keys() else _font(face, glyphs, objects))
                      for n, (face, glyphs) in enumerate(shown.items()) if glyphs)
    pages = []
    for index, (drawing, (width, height)) in enumerate(zip(drawings, sizes, strict=True)):
        resources = b"<< /Font << " + fonts + b" >>"
        if index == qr.page - 1:
            resources += b" /XObject << /QR %d 0 R >>" % image
        form = objects.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources %s >>"
                              % (number(width), number(height), resources), bytes(drawing))
        links = [_link(layer.link, qr, height, objects)] if index == qr.page - 1 else []
        pages.append((form, links))
    return pages


def _differ(first: Mapping[int, int], widths: Mapping[int, int], glyphs: Sequence[tuple[int, str]]) -> bool:
    """Whether any of ``glyphs`` was first drawn at a width other than the font's own."""
    return any(first[glyph] != widths[glyph] for glyph, _ in glyphs)


def _draw_text(declared: Field, fitted: SetText, faces: Sequence[Face], glyphs: dict[Face, dict[int, str]],
               reference: Mapping[Face, Mapping[int, int]] | None = None) -> bytes:
    """The field's lines as WeasyPrint draws text: a text matrix per line, each glyph's adjustment in the TJ array,
    a font per run (``F<n>``, ``n`` the font's place in ``faces``).

    The glyphs shown of each font, and the text each stands for, are noted in
    ``glyphs``. WeasyPrint adjusts each glyph by the whole thousandths of an em
    between its advance and the glyph's width in the font, a width it takes at
    the size the glyph is first drawn in (``reference``, when it is not the
    font's own width): the adjustments here put each glyph where WeasyPrint
    puts it.
    """
    box = declared.box
    size = fitted.units / UNITS
    red, green, blue = (number(c / 255) for c in declared.color)
    top = box.top + {"top": 0, "middle": (box.height - fitted.height) / 2,
                     "bottom": box.height - fitted.height}[declared.valign]
    out = [b"q\n%s %s %s %s re\nW\nn\n%s %s %s rg\nBT\n" % (
        number(box.left), number(box.top), number(box.width), number(box.height), red, green, blue)]
    current: Face | None = None  # clipped to the box, as WeasyPrint clips a box whose overflow is hidden
    for index, line in enumerate(fitted.lines):
        width = line.width / UNITS
        left = box.left + {"left": 0, "center": (box.width - width) / 2, "right": box.width - width}[declared.align]
        out.append(b"1 0 0 -1 %s %s Tm\n" % (number(left), number(top + fitted.baseline + index * fitted.line_height)))
        mixed = any(run.level % 2 or not _one_glyph_per_letter(run) for run in line.runs)
        if mixed:  # glyphs drawn right to left, or a glyph that is not one letter (a letter and its marks, a
            # ligature): the line's text in reading order, for copying and searching, which a glyph's own text
            # (one per glyph in a font, whatever letters it stood for first) cannot give
            logical = "".join(c for c in line.text if unicodedata.category(c) != "Cf")
            out.append(b"/Span << /ActualText %s >> BDC\n" % text_string(logical))
        shown = ["["]
        for run in line.runs:
            if run.face is not current:
                if len(shown) > 1:
                    out.append("".join(shown).encode("ascii") + b"] TJ\n")
                shown = ["["]
                out.append(b"%s %s Tf\n" % (name(f"F{faces.index(run.face)}"), number(size)))
                current = run.face
            _note_glyphs(run, glyphs.setdefault(run.face, {}))
            widths = _metrics(run.face).widths
            first = reference[run.face] if reference else widths
            for glyph, advance, (x_offset, y_offset) in zip(run.glyphs, run.advances, run.offsets, strict=True):
                offset = x_offset / size
                if x_offset or y_offset:  # a mark placed by the font: adjusted, raised or lowered as WeasyPrint does
                    # HarfBuzz's y offset points up, Pango's (which WeasyPrint negates into the rise) down: the
                    # rise is HarfBuzz's offset, in WeasyPrint's thousandths.
                    rise = f"] TJ\n{number(y_offset / 1000).decode()} Ts\n[" if y_offset else ""
                    shown.append(f"{rise}{-offset}<{glyph:04x}>" if offset else f"{rise}<{glyph:04x}>")
                    if y_offset:
                        shown.append("] TJ\n0 Ts\n[")
                else:
                    shown.append(f"<{glyph:04x}>")
                kerning = first[glyph] + offset - advance * 1000 / UNITS / size
                change = widths[glyph] - first[glyph]
                if kerning or change:
                    shown.append(f"{int(kerning) + change}")
        out.append("".join(shown).encode("ascii") + b"] TJ\n")
        if mixed:
            out.append(b"EMC\n")
    out.append(b"ET\nQ\n")
    return b"".join(out)


def _one_glyph_per_letter(run: Run) -> bool:
    """Whether each glyph of ``run`` stands for one letter of its text and each letter has one glyph, in order."""
    return run.clusters == tuple(range(run.start, run.end))


def _width_at(face: Face, glyph: int, units: int) -> int:
    """The glyph's width in thousandths of an em as WeasyPrint takes it, from its advance at ``units`` per em."""
    advance: int = face.font(units).get_glyph_h_advance(glyph)
    return round(advance * 1000 / UNITS / (units / UNITS))


def _note_glyphs(run: Run, glyphs: dict[int, str]) -> None:
    """Note the text each glyph of ``run`` stands for, its cluster's visible characters; the first text noted wins."""
    end = run.end
    found = {}
    for glyph, cluster in reversed(list(zip(run.glyphs, run.clusters, strict=True))):
        if glyph not in glyphs:  # of this run, the first occurrence is found last
            found[glyph] = run.text[cluster:end]
        if cluster < end:
            end = cluster
    for glyph, text in reversed(found.items()):
        glyphs.setdefault(glyph, text if text.isprintable() else "".join(
            c for c in text if unicodedata.category(c) != "Cf"))  # no invisible format characters


@dataclass(frozen=True)
class _Metrics:
    """What a PDF font says about its face: names, box and metrics (in 1/1000 em), glyph widths."""

    postscript_name: str
    flags: int
    bbox: bytes
    italic_angle: bytes
    ascent: int
    descent: int
    cap_height: int
    widths: dict[int, int]


@cache
def _metrics(face: Face) -> _Metrics:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(face.data), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    names = font["name"]
    postscript = str(names.getDebugName(6) or face.path.stem)
    os2 = font["OS/2"] if "OS/2" in font else None
    head, post = font["head"], font["post"]
    widths = {glyph: round(advance * scale) for glyph, (advance, _) in enumerate(
        font["hmtx"][name_] for name_ in font.getGlyphOrder())}
    italic = float(post.italicAngle)
    flags = 4 | (64 if italic else 0)  # symbolic (a font of its own glyph ids), italic
    return _Metrics(
        postscript_name="".join(c for c in postscript if c.isascii() and c.isalnum() or c in "-_") or "Font",
        flags=flags,
        bbox=b"[%d %d %d %d]" % tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        italic_angle=number(italic),
        ascent=round(font["hhea"].ascent * scale), descent=round(font["hhea"].descent * scale),
        cap_height=round((getattr(os2, "sCapHeight", 0) or font["hhea"].ascent) * scale), widths=widths)


def _font(face: Face, glyphs: dict[int, str], objects: Objects) -> int:
    """A Type 0 font of ``face`` holding ``glyphs`` (a subset that keeps their ids), with widths and ToUnicode."""
    metrics = _metrics(face)
    ids = sorted(glyphs)
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(face.data[:64] + repr(ids).encode()).digest()[:6])
    base = name(f"{tag}+{metrics.postscript_name}")
    subset = _subset(face, ids)
    file = objects.stream(b"/Length1 %d" % len(subset), subset)
    descriptor = objects.add(
        b"<< /Type /FontDescriptor /FontName %s /Flags %d /FontBBox %s /ItalicAngle %s /Ascent %d /Descent %d "
        b"/CapHeight %d /StemV 80 /FontFile2 %d 0 R >>" % (base, metrics.flags, metrics.bbox, metrics.italic_angle,
                                                          metrics.ascent, metrics.descent, metrics.cap_height, file))
    widths: list[tuple[int, list[int]]] = []
    for glyph in ids:
        if widths and widths[-1][0] + len(widths[-1][1]) == glyph:
            widths[-1][1].append(metrics.widths.get(glyph, 0))
        else:
            widths.append((glyph, [metrics.widths.get(glyph, 0)]))
    w = b" ".join(b"%d [%s]" % (first, b" ".join(b"%d" % v for v in values)) for first, values in widths)
    descendant = objects.add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont %s /CIDSystemInfo << /Registry (Adobe) /Ordering "
        b"(Identity) /Supplement 0 >> /FontDescriptor %d 0 R /W [%s] /CIDToGIDMap /Identity >>" % (base, descriptor, w))
    to_unicode = objects.stream(b"", _to_unicode(glyphs))
    return objects.add(b"<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H /DescendantFonts [%d 0 R] "
                       b"/ToUnicode %d 0 R >>" % (base, descendant, to_unicode))


#: The characters every learner layer's fonts hold, written once per cohort in its shared part: the letters of the
#: European languages written in Latin script, digits, punctuation and the usual symbols. A learner whose texts use
#: no other glyph of a face (most do) needs no font of their own; the others get a subset of their own glyphs.
COHORT_CHARACTERS = "".join(chr(c) for start, end in ((0x20, 0x7F), (0xA0, 0x180), (0x2010, 0x2028), (0x20AC, 0x20AD))
                            for c in range(start, end))


def cohort_fonts(faces: Sequence[Face], objects: Objects) -> list[int]:
    """A font per face with the glyphs of :data:`COHORT_CHARACTERS`, for the shared part (their object numbers)."""
    return [_font(face, dict(_cohort_glyphs(face)), objects) for face in faces]


@cache
def _cohort_glyphs(face: Face) -> tuple[tuple[int, str], ...]:
    """The glyphs of :data:`COHORT_CHARACTERS` in ``face``, each with the first character it shows."""
    font = face.font(UNITS)
    glyphs: dict[int, str] = {}
    for char in COHORT_CHARACTERS:
        glyph = font.get_nominal_glyph(ord(char))
        if glyph:
            glyphs.setdefault(glyph, char)
    return tuple(sorted(glyphs.items()))


def _subset(face: Face, glyphs: Sequence[int]) -> bytes:
    """The face with only ``glyphs`` (and .notdef) drawn, their ids kept, without hinting or layout tables."""
    import uharfbuzz as hb

    request = hb.SubsetInput()
    request.glyph_set.update([0, *glyphs])
    request.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    dropped = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for table in (b"GSUB", b"GPOS", b"GDEF", b"BASE", b"JSTF", b"DSIG", b"LTSH", b"PCLT", b"SVG "):
        dropped.add(int.from_bytes(table, "big"))
    return bytes(hb.subset(face.hb_face, request).blob.data)


def _to_unicode(glyphs: Mapping[int, str]) -> bytes:
    """The ToUnicode CMap: the text each glyph stands for, so that the certificate's text can be copied and searched."""
    entries = [b"<%04x> <%s>" % (glyph, text.encode("utf-16-be").hex().encode()) for glyph, text in sorted(glyphs.items())
               if text]
    blocks = b"".join(b"%d beginbfchar\n" % len(entries[i:i + 100]) + b"\n".join(entries[i:i + 100])
                      + b"\nendbfchar\n" for i in range(0, len(entries), 100))
    return (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n" + blocks
            + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")


def _qr_image(png: bytes, objects: Objects) -> int:
    """The QR code's image: its grey levels, drawn without smoothing (crisp edges), as WeasyPrint writes it.

    An 8-bit greyscale PNG (what :func:`unadocs.seal.qr.qr_png` makes) goes in
    as it is: its compressed rows are a Flate stream with PNG predictors. Any
    other image is decoded first.
    """
    entries = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 " \
              b"/Interpolate false"
    chunks = _png_chunks(png)
    header = chunks.get(b"IHDR", b"")
    if len(header) == 13 and header[8:13] == b"\x08\x00\x00\x00\x00":  # 8 bits, grey, no interlace
        width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
        return objects.stream(entries % (width, height) + b" /Filter /FlateDecode /DecodeParms << /Predictor 15 "
                              b"/Colors 1 /BitsPerComponent 8 /Columns %d >>" % width, chunks[b"IDAT"], compress=False)
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
        return objects.stream(entries % grey.size, grey.tobytes())


def _png_chunks(png: bytes) -> dict[bytes, bytes]:
    """A PNG's chunks by type (the IDAT chunks joined); empty for anything that is not a PNG."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return {}
    chunks: dict[bytes, bytes] = {}
    position = 8
    while position + 8 <= len(png):
        length, kind = int.from_bytes(png[position:position + 4], "big"), png[position + 4:position + 8]
        chunks[kind] = chunks.get(kind, b"") + png[position + 8:position + 8 + length]
        position += 12 + length
    return chunks


def _link(link: str, box: Box, height: float, objects: Objects) -> int:
    """The QR code as a link to the verification page: a printable annotation (PDF/A) over the code."""
    rect = b" ".join(number(v * _SCALE) for v in (box.left, height / _SCALE - box.top - box.height,
                                                  box.left + box.width, height / _SCALE - box.top))
    uri = text_string(quote(link, safe=_URI_SAFE))
    return objects.add(b"<< /Type /Annot /Subtype /Link /Rect [%s] /F 4 /Border [0 0 0] "
                       b"/A << /Type /Action /S /URI /URI %s >> >>" % (rect, uri))
