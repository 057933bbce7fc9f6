"""A template's learner fields (``fields.toml``): which texts differ per learner, and the box each is set into.

A template declares every per-learner text as a field: its page, its box in
mm from the page's top left corner, its text (a Jinja2 expression over the
record), its font file, the sizes to step down through, its line height,
alignment and colour; and the box of the QR code. ``templates/certificate/README.md``
documents the format. The shared part of a certificate is the template's HTML
without the fields; :mod:`~unadocs.certificate.layer` sets each learner's
fields over it, and :func:`field_html` gives the same fields as HTML and CSS
for a full WeasyPrint render of the template (the reference the certificates
are compared with).
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jinja2

from unadocs.certificate.typeset import LINE_SEPARATOR, Face
from unadocs.errors import TemplateError

__all__ = ["FIELDS", "LINE_BREAK", "Box", "Field", "Fields", "field_html", "load_fields"]

FIELDS = "fields.toml"
#: CSS px per mm and per pt, as WeasyPrint converts them.
PX_PER_MM = 96 / 25.4
PX_PER_PT = 1 / 0.75
#: A fields file is a few kilobytes; anything much larger is not one.
_MAX_BYTES = 256 * 1024
_KEYS = {"page", "box", "text", "font", "fallback", "size", "line-height", "align", "valign", "color", "lines"}
_ALIGN = ("left", "center", "right")
_VALIGN = ("top", "middle", "bottom")


@dataclass(frozen=True)
class Box:
    """A box on a page, in CSS px from the page's top left corner."""

    page: int
    left: float
    top: float
    width: float
    height: float


#: Where a field's text breaks to a new line: U+2028 LINE SEPARATOR (``{{ br }}`` in a field's text), e.g. between
#: the languages of a certificate. Learner data never holds it (the learner model refuses it).
LINE_BREAK = LINE_SEPARATOR


@dataclass(frozen=True, eq=False)
class Field:
    """One learner field: where its text goes, how it is set, and what it says."""

    name: str
    box: Box
    boxes: dict[int, Box]
    """The box for a certificate in so many languages, when the template gives one per number of languages."""
    text: jinja2.Template
    face: Face
    fallbacks: tuple[Face, ...]
    """Fonts for the letters ``face`` lacks, tried in order (other scripts: Arabic, Chinese, ...)."""
    sizes: tuple[float, ...]
    """Font sizes in px, largest first."""
    line_height: float
    lines: int
    align: str
    valign: str
    color: tuple[int, int, int]


@dataclass(frozen=True, eq=False)
class Fields:
    """A template's learner fields, its QR code's box and the language its texts are set in."""

    lang: str
    fields: tuple[Field, ...]
    qr: Box
    where: str = FIELDS

    @property
    def faces(self) -> tuple[Face, ...]:
        """The fields' own fonts (not their fallbacks), each once, in the order of the fields: the cohort's fonts."""
        return tuple(dict.fromkeys(field.face for field in self.fields))

    @cached_property
    def all_faces(self) -> tuple[Face, ...]:
        """Every font a field may be set in: :attr:`faces`, then the fallbacks, each once. A font's place here is
        its number in the certificate's resources (``F<n>``) and in :func:`fonts_css`."""
        return tuple(dict.fromkeys([*self.faces, *(face for field in self.fields for face in field.fallbacks)]))

    def for_languages(self, count: int) -> Fields:
        """The fields of a certificate in ``count`` languages: each field in its box for that many languages.

        A template that gives a field boxes per number of languages and none for ``count`` is refused, naming
        the field and the numbers it has.
        """
        return _for_languages(self, count)


@lru_cache(maxsize=32)
def _for_languages(fields: Fields, count: int) -> Fields:
    resolved = []
    for field in fields.fields:
        if field.boxes and count not in field.boxes:
            known = ", ".join(str(n) for n in sorted(field.boxes))
            raise TemplateError(f"{fields.where}, [fields.{field.name}]: the template lays this field out for "
                                f"{known} language(s), not for a certificate in {count}; give 'box' for "
                                f"\"{count}\" too, or choose fewer languages (certificate.languages)")
        resolved.append(replace(field, box=field.boxes[count]) if field.boxes else field)
    return Fields(fields.lang, tuple(resolved), fields.qr, fields.where)


def load_fields(directory: Path, fingerprint: str) -> Fields:
    """The learner fields of the template in ``directory``; ``fingerprint`` (the template's) keys the cache."""
    return _load(directory, fingerprint)


@lru_cache(maxsize=8)
def _load(directory: Path, fingerprint: str) -> Fields:
    path = directory / FIELDS
    where = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise TemplateError(f"{where}: cannot read the template's learner fields ({exc.strerror})") from None
    if len(data) > _MAX_BYTES:
        raise TemplateError(f"{where}: larger than {_MAX_BYTES // 1024} KB; it is not a fields file")
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{where}: {exc}") from None
    unknown = set(document) - {"lang", "defaults", "fields", "qr"}
    if unknown:
        raise TemplateError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    lang = document.get("lang", "en")
    if not isinstance(lang, str) or not lang:
        raise TemplateError(f"{where}: 'lang' must be a language tag such as \"en\"")
    defaults = _table(document.get("defaults", {}), where, "[defaults]")
    declared = _table(document.get("fields"), where, "[fields]")
    if not declared:
        raise TemplateError(f"{where}: no [fields.<name>] table: a certificate needs at least the learner's name")
    faces: dict[Path, Face] = {}
    fields = tuple(_field(name, {**defaults, **_table(table, where, f"[fields.{name}]")}, directory, where, faces)
                   for name, table in declared.items())
    qr = _table(document.get("qr"), where, "[qr]")
    if set(qr) != {"page", "box"}:
        raise TemplateError(f"{where}: [qr] needs exactly 'page' and 'box' (the QR code's box in mm)")
    return Fields(lang, fields, _box(qr, f"{where}, [qr]"), where)


def _table(value: Any, where: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: {name} is missing or not a table")
    return value


def _field(name: str, table: dict[str, Any], directory: Path, where: str, faces: dict[Path, Face]) -> Field:
    at = f"{where}, [fields.{name}]"
    unknown = set(table) - _KEYS
    if unknown:
        raise TemplateError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}; a field has {', '.join(sorted(_KEYS))}")
    missing = {"page", "box", "text", "font", "size"} - set(table)
    if missing:
        raise TemplateError(f"{at}: missing {', '.join(sorted(missing))}")
    sizes = table["size"]
    if not (isinstance(sizes, list) and sizes and all(_positive(s) for s in sizes)) or sizes != sorted(sizes)[::-1]:
        raise TemplateError(f"{at}: 'size' must be a list of sizes in pt, largest first, such as [26, 20, 15]")
    line_height, lines = table.get("line-height", 1.2), table.get("lines", 1000)
    if not _positive(line_height):
        raise TemplateError(f"{at}: 'line-height' must be a positive number (a multiple of the size)")
    if not (isinstance(lines, int) and lines >= 1):
        raise TemplateError(f"{at}: 'lines' must be a whole number of at least 1")
    align, valign = table.get("align", "left"), table.get("valign", "top")
    if align not in _ALIGN or valign not in _VALIGN:
        raise TemplateError(f"{at}: 'align' is one of {', '.join(_ALIGN)}, 'valign' one of {', '.join(_VALIGN)}")
    try:
        text = _texts().from_string(table["text"]) if isinstance(table["text"], str) else None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{at}: 'text': {exc}") from None
    if text is None:
        raise TemplateError(f"{at}: 'text' must be a string (Jinja2, e.g. \"{{{{ r.learner.full_name }}}}\")")
    boxes = {}
    if isinstance(table.get("box"), dict):  # a box per number of languages: {"1" = [...], "2" = [...]}
        for count, box in table["box"].items():
            if not (isinstance(count, str) and count.isdigit() and int(count) >= 1):
                raise TemplateError(f"{at}: 'box' per number of languages has keys \"1\", \"2\", ... (got {count!r})")
            boxes[int(count)] = _box({"page": table["page"], "box": box}, at)
        if not boxes:
            raise TemplateError(f"{at}: 'box' must be [left, top, width, height] in mm, such as [20, 71, 170, 30]")
    first = boxes[min(boxes)] if boxes else _box(table, at)
    fallback = table.get("fallback", [])
    if not (isinstance(fallback, list) and all(isinstance(f, str) for f in fallback)):
        raise TemplateError(f"{at}: 'fallback' must be a list of font files, such as [\"fonts/NotoSansArabic-Regular.ttf\"]")
    return Field(name, first, boxes, text, _face(table["font"], directory, at, faces),
                 tuple(dict.fromkeys(_face(f, directory, at, faces) for f in fallback)),
                 tuple(float(s) * PX_PER_PT for s in sizes), float(line_height), lines, align, valign,
                 _color(table.get("color", "#000000"), at))


def _box(table: dict[str, Any], at: str) -> Box:
    page, box = table["page"], table["box"]
    if not (isinstance(page, int) and page >= 1):
        raise TemplateError(f"{at}: 'page' must be a page number (1 is the front)")
    if not (isinstance(box, list) and len(box) == 4 and all(_positive(v) or v == 0 for v in box)
            and _positive(box[2]) and _positive(box[3])):
        raise TemplateError(f"{at}: 'box' must be [left, top, width, height] in mm, such as [20, 71, 170, 30]")
    left, top, width, height = (float(v) * PX_PER_MM for v in box)
    return Box(page, left, top, width, height)


def _face(font: Any, directory: Path, at: str, faces: dict[Path, Face]) -> Face:
    path = (directory / font).resolve() if isinstance(font, str) else None
    if path is None or not path.is_relative_to(directory.resolve()) or not path.is_file():
        raise TemplateError(f"{at}: 'font' must name a font file inside the template directory, "
                            f"such as \"fonts/NotoSans-Regular.ttf\" (got {font!r})")
    if path not in faces:
        try:
            faces[path] = Face.load(path)
        except Exception as exc:  # HarfBuzz reads anything, but an empty face has no glyphs
            raise TemplateError(f"{at}: cannot read the font {font} ({exc})") from None
        if faces[path].hb_face.glyph_count == 0:
            raise TemplateError(f"{at}: {font} is not a font file (TrueType or OpenType)")
    return faces[path]


def _color(value: Any, at: str) -> tuple[int, int, int]:
    digits = value[1:] if isinstance(value, str) and value.startswith("#") else ""
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    try:
        if len(digits) != 6:
            raise ValueError
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    except ValueError:
        raise TemplateError(f"{at}: 'color' must be #rgb or #rrggbb (got {value!r})") from None


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@lru_cache(maxsize=1)
def _texts() -> jinja2.Environment:
    """The environment of field texts: plain text, not HTML, so nothing is escaped (nor ever parsed as markup).

    Besides ``r``, ``link`` and ``host``, a text has ``languages`` (the certificate's), ``t(language, key,
    **values)`` (a word of the catalogs in one language), ``joined(key)`` (a word in every language, joined by
    " / ") and ``br`` (a line break).
    """
    from unadocs.catalogs import message
    from unadocs.record import format_date

    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701 (text, not HTML)
    env.filters["longdate"] = format_date
    env.filters["ects"] = lambda value: format(Decimal(value).normalize(), "f")
    env.globals["t"] = message
    env.globals["br"] = LINE_BREAK
    return env


def field_text(field: Field, context: Mapping[str, Any]) -> str:
    """The field's text for one learner; a template error names the field.

    Lines (``{{ br }}``) that repeat an earlier line are left out: a date or a grade written alike in two of
    the certificate's languages is printed once.
    """
    from unadocs.catalogs import message

    languages = context["r"].certificate_languages
    try:
        text = field.text.render({**context, "languages": languages,
                                  "joined": lambda key: " / ".join(dict.fromkeys(message(language, key)
                                                                                 for language in languages))})
    except jinja2.TemplateError as exc:
        raise TemplateError(f"learner field {field.name!r}: {exc}") from None
    return LINE_BREAK.join(dict.fromkeys(line for line in text.split(LINE_BREAK) if line.strip()))


def field_html(field: Field, text: str, size: float, height: float, font: int | Sequence[int], lang: str) -> str:
    """The field as an HTML element that WeasyPrint sets as :mod:`~unadocs.certificate.layer` does.

    ``size`` is the size (px) the text was fitted at, ``height`` the height of
    its lines (they are placed in the box by its ``valign``), ``font`` the
    index of its font file in :func:`font_files` (or the indices of it and its fallbacks, in order). The box clips what reaches
    out of it (a letter's overhang), as the learner layer clips it. Every
    property that could change how the text is set is given, so that the
    template's own CSS cannot reach it.
    """
    box = field.box
    families = ",".join(f"unadocs-field-{n}" for n in ([font] if isinstance(font, int) else font))
    offset = {"top": 0.0, "middle": (box.height - height) / 2, "bottom": box.height - height}[field.valign]
    style = (f"position:absolute;display:block;left:{box.left!r}px;top:{box.top!r}px;width:{box.width!r}px;"
             f"height:{box.height - offset!r}px;margin:0;padding:{offset!r}px 0 0 0;border:0;overflow:hidden;"
             f"font-family:{families};font-size:{size!r}px;font-weight:normal;font-style:normal;"
             f"font-stretch:normal;font-variant:normal;font-feature-settings:normal;font-kerning:auto;"
             f"line-height:{field.line_height!r};text-align:{field.align};text-indent:0;text-transform:none;"
             f"letter-spacing:normal;word-spacing:normal;white-space:normal;overflow-wrap:anywhere;"
             f"hyphens:manual;color:rgb{field.color};background:none;opacity:1;transform:none")
    lines = "<br>".join(html.escape(line) for line in text.split(LINE_BREAK))
    return f'<div class="unadocs-field" lang="{html.escape(lang)}" style="{style}">{lines}</div>'


def fonts_css(fields: Fields) -> str:
    """``@font-face`` rules that give each field font file a family of its own, for :func:`field_html`."""
    return "\n".join(f'@font-face {{ font-family: unadocs-field-{n}; src: url("{path.as_uri()}"); }}'
                     for n, path in enumerate(font_files(fields)))


def font_files(fields: Fields) -> list[Path]:
    """The fields' font files, each once, in order: a field's font is ``unadocs-field-<its index here>``."""
    return [face.path for face in fields.all_faces]
