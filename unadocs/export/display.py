"""The picture a wallet shows for a European Digital Credential: a plain card made from the record.

ELM requires a display image (``DisplayDetail.image``). It is drawn here
with Pillow from the record's own facts, with the certificate's Noto Sans, so
that it needs no PDF rasteriser and the same record always gives the same
PNG bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from unadocs.record import CertificateRecord

__all__ = ["display_png"]

_WIDTH, _HEIGHT, _MARGIN = 1200, 848, 80
_INK, _MUTED, _ACCENT, _PAPER = (26, 32, 44), (90, 98, 112), (0, 84, 147), (255, 255, 255)


#: The certificate's fonts for names in other scripts, tried in order after Noto Sans (as the certificate does).
_SCRIPT_FONTS = ("NotoSansArabic-{weight}.ttf", "NotoSansHebrew-{weight}.ttf", "NotoSansCJKsc-{weight}-subset.ttf",
                 "NotoSansGeorgian-{weight}.ttf", "NotoSansArmenian-{weight}.ttf")


@lru_cache(maxsize=8)
def _font(weight: str, size: int, file: str = "NotoSans-{weight}.ttf") -> Any:
    from PIL import ImageFont

    from unadocs.resources import data_dir

    path = data_dir("templates") / "certificate" / "fonts" / file.format(weight=weight)
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=16)
def _covered(weight: str, file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    from unadocs.resources import data_dir

    path = data_dir("templates") / "certificate" / "fonts" / file.format(weight=weight)
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _font_for(text: str, weight: str, size: int) -> Any:
    """The first of the certificate's fonts that has every letter of ``text`` (a name in Arabic, Chinese, ...), so
    that no letter is drawn as a box; Noto Sans when none has them all."""
    letters = {ord(c) for c in text if not c.isspace()}
    for file in ("NotoSans-{weight}.ttf", *_SCRIPT_FONTS):
        if letters <= _covered(weight, file):
            return _font(weight, size, file)
    return _font(weight, size)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def display_png(record: CertificateRecord) -> bytes:
    """A 1200 x 848 PNG: title, learner, awarding bodies, date, ECTS and level (and SPECIMEN for a draft), in the
    certificate's primary language (ELM's individual display is in that language)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (_WIDTH, _HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, _WIDTH, 16), fill=_ACCENT)
    width = _WIDTH - 2 * _MARGIN
    language = record.primary_language
    kind = record.words_in("display.kind", language)
    if record.specimen:
        kind += " · " + record.words_in("display.specimen", language)
    bodies = ", ".join(b.name for b in record.awarding_bodies)
    facts = f"{record.issued_text} · {record.words_in('value.ects', language, ects=record.ects_text_in(language))}"
    blocks: list[tuple[str, Any, tuple[int, int, int], int]] = [
        (kind, _font("Bold", 26), _ACCENT, 20),
        (record.title, _font("Bold", 46), _INK, 28),
        (record.words_in("display.awarded_to", language), _font("Regular", 26), _MUTED, 6),
        (record.learner.full_name, _font_for(record.learner.full_name, "Bold", 40), _INK,
         6 if record.learner.name_latin else 28),
        *([(record.learner.name_latin, _font("Regular", 28), _MUTED, 22)] if record.learner.name_latin else []),
        (record.words_in("display.by", language, bodies=bodies), _font("Regular", 26), _INK, 28),
        (f"{facts} · {record.level_text}", _font("Regular", 24), _MUTED, 0),
    ]
    lines: list[tuple[int, str, Any, tuple[int, int, int]]] = []
    y = 0
    for text, font, colour, gap in blocks:
        for line in _wrap(draw, text, font, width)[:4]:
            lines.append((y, line, font, colour))
            y += int(font.size * 1.3)
        y += gap
    top = 16 + max(40, (_HEIGHT - 16 - y) // 2)  # centred below the band
    for offset, line, font, colour in lines:
        draw.text((_MARGIN, top + offset), line, font=font, fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
