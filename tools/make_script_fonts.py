"""Make the certificate template's fonts for names in other scripts from Debian's Noto packages.

    apt-get install fonts-noto-core fonts-noto-cjk
    .venv/bin/python tools/make_script_fonts.py

Arabic, Hebrew, Georgian and Armenian are Noto Sans as Debian ships them (fonts-noto-core, TrueType, a few dozen
kilobytes each but Arabic). Chinese, Japanese and Korean come from Noto Sans CJK (fonts-noto-cjk), whose full
fonts are 20 MB each in PostScript outlines: this keeps the ideographs of the national standard character sets
(GB 2312, Big5's common characters, JIS X 0208, KS X 1001's hanja), the kana and the 2,350 Hangul syllables of
KS X 1001, converts the outlines to TrueType (which the certificate writer embeds) and drops hinting. A name
with a character outside these sets fails its row naming the character; nothing prints as a box. All the fonts
are under the SIL Open Font License 1.1 (fonts/OFL.txt). The output is the same for the same input packages.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "templates" / "certificate" / "fonts"
CORE = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
SCRIPTS = ("Arabic", "Hebrew", "Georgian", "Armenian")
#: The Simplified Chinese face of the collection (its default glyph forms are mainland China's).
CJK_FACE = "Noto Sans CJK SC"


def cjk_characters() -> list[int]:
    """The code points kept: the characters of the East Asian national standard encodings, and CJK punctuation."""
    keep = set(range(0x3000, 0x3100)) | set(range(0xFF00, 0xFFF0)) | set(range(0x3130, 0x3190))  # punctuation,
    keep |= set(range(0x31F0, 0x3200)) | set(range(0x20, 0x7F))  # kana, fullwidth forms, Hangul compatibility
    # jamo, small kana; ASCII, so that a space between two ideographs is the font's own
    for code in range(0x3400, 0xA000):
        char = chr(code)
        for encoding in ("gb2312", "shift_jis", "euc_kr"):  # GB 2312, JIS X 0208, KS X 1001
            try:
                if len(char.encode(encoding)) != 2:
                    continue
            except UnicodeEncodeError:
                continue
            keep.add(code)
            break
        else:
            try:
                if 0xA440 <= int.from_bytes(char.encode("big5"), "big") <= 0xC67E:  # Big5's common characters
                    keep.add(code)
            except UnicodeEncodeError:
                pass
    for code in range(0xAC00, 0xD7A4):  # Hangul syllables of KS X 1001 (two bytes; the codec spells the others
        if len(chr(code).encode("euc_kr")) == 2:  # in eight)
            keep.add(code)
    return sorted(keep)


def to_truetype(font: object) -> None:
    """Convert a CFF-flavoured font to TrueType outlines in place (quadratic curves, within 1 unit)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()  # type: ignore[attr-defined]
    glyph_set = font.getGlyphSet()  # type: ignore[attr-defined]
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")  # type: ignore[index]
    glyf = font["glyf"] = newTable("glyf")  # type: ignore[index]
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]  # type: ignore[attr-defined]
    if "VORG" in font:  # type: ignore[operator]
        del font["VORG"]  # type: ignore[attr-defined]
    font["maxp"] = newTable("maxp")  # type: ignore[index]
    maxp = font["maxp"]  # type: ignore[index]
    maxp.tableVersion = 0x00010000
    for attribute in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0  # type: ignore[index]
    font["post"].formatType = 3.0  # no glyph names: smaller  # type: ignore[index]
    font.sfntVersion = "\x00\x01\x00\x00"  # type: ignore[attr-defined]


def make_cjk(weight: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(CJK / f"NotoSansCJK-{weight}.ttc"))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == CJK_FACE)
    options = subset.Options()
    options.layout_features = ["ccmp", "kern", "halt", "palt"]  # horizontal text only: no vertical or regional forms
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cjk_characters())
    subsetter.subset(font)
    to_truetype(font)
    font.recalcTimestamp = False  # the same packages give the same bytes
    font.save(str(FONTS / f"NotoSansCJKsc-{weight}-subset.ttf"))


def main() -> int:
    for script in SCRIPTS:
        for weight in ("Regular", "Bold"):
            shutil.copyfile(CORE / f"NotoSans{script}-{weight}.ttf", FONTS / f"NotoSans{script}-{weight}.ttf")
    for weight in ("Regular", "Bold"):
        make_cjk(weight)
    return 0


if __name__ == "__main__":
    sys.exit(main())
