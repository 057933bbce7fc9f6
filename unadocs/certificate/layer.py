"""The learner layer laid out once per cohort and refilled for each learner.

WeasyPrint spends most of a learner layer's time building and laying out a
document that is the same for every learner of a cohort except for a few
texts and the QR code. So the layer is laid out by WeasyPrint once per
*class* of learners, and for each learner of the class the texts are laid
again into the same boxes (with WeasyPrint's own line breaker, so that
wrapping, alignment and font fallback are WeasyPrint's) and the QR code and
its link are replaced; WeasyPrint then paints the pages into the learner's
certificate (:mod:`~unadocs.certificate.stamp`).

What may change from learner to learner without a new layout, and what
makes a new class:

* the *skeleton*: the layer's HTML with the learner's texts, QR code images
  (``data:image/png``) and web links left out. Two learners with different
  markup (a grade or not, a longer name's size class, another density) never
  share a layout.
* the *slots*: elements whose only content is text, laid out as a block of
  plain lines of definite width (see :func:`_slot_block`). Their texts are
  refilled; every other text is part of the class. A slot's lines must
  keep their number and heights in a class, so a name that wraps onto a
  second line makes a class of its own, with WeasyPrint's own layout and
  overflow check.

A template that this cannot handle (markup the standard library's HTML
parser reads differently from WeasyPrint's, no slot at all) is laid out by
WeasyPrint as before, many learners in one document. A learner alone goes
through the same steps as in a batch, so both give the same bytes.
"""

from __future__ import annotations

import base64
import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from hashlib import md5
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["Parts", "parts", "refilled"]

T = TypeVar("T")

LOGGER = logging.getLogger(__name__)

#: Elements without content or end tag in HTML: never on the parser's element stack.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_TEXT, _IMAGE, _LINK = "\x00text", "\x00image", "\x00link"
_PNG = "data:image/png;base64,"
#: Classes kept per skeleton: a cohort has a few (issue dates, name lengths); more would only hold memory.
_CLASSES = 16
#: Skeletons kept per process.
_SKELETONS = 8
#: Texts whose lines are kept per block.
_LAID = 4


@dataclass(frozen=True)
class Parts:
    """A learner layer's HTML split into its skeleton and what each learner fills in."""

    skeleton: tuple[str, ...]
    #: Texts of the body's text-only elements, in document order.
    texts: tuple[str, ...]
    #: ``data:image/png`` sources of the body's images, in document order.
    images: tuple[str, ...]
    #: http(s) targets of the body's links, in document order.
    links: tuple[str, ...]


def parts(html: str) -> Parts:
    """Split ``html`` (the learner layer of the certificate template) into :class:`Parts`."""
    parser = _Splitter()
    parser.feed(html)
    parser.close()
    return Parts(tuple(parser.tokens), tuple(parser.texts), tuple(parser.images), tuple(parser.links))


@dataclass
class _Open:
    """A body element the splitter is inside: has it child elements, and which tokens hold its text."""

    has_children: bool = False
    data: list[int] = field(default_factory=list)


class _Splitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self.texts: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.in_body = self.in_title = False
        self.stack: list[_Open] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = []
        for name, value in attrs:
            if tag == "meta" and name == "content":
                continue  # document metadata (read apart, by render._head_metadata): no part of the layout
            if self.in_body and value is not None:
                if tag == "img" and name == "src" and value.startswith(_PNG):
                    self.images.append(value)
                    value = _IMAGE
                elif tag == "a" and name == "href" and value.split(":", 1)[0].lower() in {"http", "https"}:
                    self.links.append(value)
                    value = _LINK
            values.append((name, value))
        self.tokens.append(f"<{tag} {values!r}>")
        if tag == "body":
            self.in_body = True
        elif tag == "title":
            self.in_title = True
        elif self.in_body:
            if self.stack:
                self.stack[-1].has_children = True
            if tag not in _VOID:
                self.stack.append(_Open())

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"</{tag}>")
        if tag == "body":
            self.in_body = False
        elif tag == "title":
            self.in_title = False
        if tag in _VOID or not self.stack or not self.in_body:
            return
        element = self.stack.pop()
        text = "".join(self.tokens[i] for i in element.data)
        if not element.has_children and text.strip():
            self.texts.append(_html_newlines(text))
            for i in element.data:
                self.tokens[i] = ""
            self.tokens[element.data[0]] = _TEXT

    def handle_data(self, data: str) -> None:
        if self.in_title:
            return  # the title is metadata too
        if self.stack:
            self.stack[-1].data.append(len(self.tokens))
        self.tokens.append(data)


def _html_newlines(text: str) -> str:
    """Text as an HTML5 parser gives it: CR LF and CR become LF, and NUL is dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")


# -- laying texts into a class's boxes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """A slot's block in one layout, with its first line as WeasyPrint laid it (the model for new lines)."""

    box: Any
    line: Any
    #: The floats placed before the block in its formatting context: lines flow around them, or below.
    floats: tuple[Any, ...]
    #: The lines of the texts laid in this block lately: labels and fixed texts are slots too, and repeat.
    laid: dict[str, list[Any]] = field(default_factory=dict, compare=False)


@dataclass
class _Class:
    """One WeasyPrint layout of the layer, and the boxes each learner refills."""

    document: Any
    #: The block of each slot (aligned with ``_Skeleton.slots``).
    blocks: list[_Block]
    #: Each refilled image box and the index of its source in ``Parts.images``.
    images: list[tuple[Any, int]]
    #: Per page, for each of its links, the index of its target in ``Parts.links`` (None: a fixed target).
    links: list[list[int | None]]
    #: The template's boxes whose content overflows (see ``render.overflowing_boxes``): the same for the class.
    clipped: list[list[str]]


@dataclass
class _Skeleton:
    """What one skeleton's first layout showed: which texts are slots, and the classes met so far."""

    slots: list[int]
    #: The first layout: each learner's texts are laid into its blocks to find the learner's class.
    reference: _Class
    classes: OrderedDict[tuple[Any, ...], _Class] = field(default_factory=OrderedDict)

    def lines(self, split: Parts) -> list[list[Any]]:
        return [_lay(block, split.texts[i]) for block, i in zip(self.reference.blocks, self.slots, strict=True)]

    def key(self, split: Parts, lines: list[list[Any]]) -> tuple[Any, ...]:
        """The class of a learner: the texts that are not slots, the slots' line geometry, the images' sizes."""
        slots = set(self.slots)
        return (tuple(text for i, text in enumerate(split.texts) if i not in slots),
                tuple(_geometry(slot, block.box) for slot, block in zip(lines, self.reference.blocks, strict=True)),
                tuple(_image_size(source) for source in split.images))


_LOCK = threading.Lock()  # the cached layouts are refilled in place: one learner at a time per process
_skeletons: OrderedDict[tuple[Any, ...], _Skeleton | None] = OrderedDict()


def refilled(html: str, directory: Path, fingerprint: str, write: Callable[[Any, Sequence[Any], list[list[str]]], T]
             ) -> T | None:
    """``write(document, pages, clipped)`` for the learner layer ``html`` set into its class's layout.

    ``pages`` are the layer's WeasyPrint pages (of ``document``), ``clipped``
    the class lists of its boxes that overflow; they are the learner's only
    while ``write`` runs (the layout is refilled for the next learner).
    ``fingerprint`` is the template's (``render.template_fingerprint``): an
    edited template is laid out anew.

    None when the layer's template cannot be refilled (see the module's
    docstring); the caller then lays it out with WeasyPrint alone.
    """
    split = parts(html)
    with _LOCK:
        key = (split.skeleton, directory, fingerprint)
        if key not in _skeletons:
            _skeletons[key] = _first_layout(html, split, directory)
            while len(_skeletons) > _SKELETONS:
                _skeletons.popitem(last=False)
        skeleton = _skeletons[key]
        _skeletons.move_to_end(key)
        if skeleton is None:
            return None
        lines = skeleton.lines(split)
        cls = _class(skeleton, split, lines, html, directory)
        if cls is None:
            return None
        _fill(cls, skeleton, split, lines, directory)
        return write(cls.document, cls.document.pages, cls.clipped)


def _class(skeleton: _Skeleton, split: Parts, lines: list[list[Any]], html: str, directory: Path) -> _Class | None:
    """The class of a learner whose slots take ``lines`` (laid in the reference blocks): cached, or laid out now."""
    key = skeleton.key(split, lines)
    cls = skeleton.classes.get(key)
    if cls is None:
        laid = _layout(html, split, directory, skeleton.slots)
        blocks = [block for block in laid[1] if block is not None] if laid else []
        if laid is None or len(blocks) != len(skeleton.slots) or [
                _geometry(block.box.children, block.box) for block in blocks] != list(key[1]):
            LOGGER.warning("the certificate template's learner layer is laid out differently for learners with "
                           "the same markup and line breaks; such a learner's layer is laid out in full")
            return None
        cls = laid[0]
        cls.blocks = blocks
        skeleton.classes[key] = cls
        while len(skeleton.classes) > _CLASSES:
            skeleton.classes.popitem(last=False)
    skeleton.classes.move_to_end(key)
    return cls


def _fill(cls: _Class, skeleton: _Skeleton, split: Parts, lines: list[list[Any]], directory: Path) -> None:
    """Put the learner's lines, images and link targets into ``cls``'s layout."""
    from PIL import Image
    from weasyprint.images import RasterImage

    for n, (block, reference) in enumerate(zip(cls.blocks, skeleton.reference.blocks, strict=True)):
        if _place(block.box) != _place(reference.box):  # the class's block is elsewhere: lay the text in it
            lines[n] = _lay(block, split.texts[skeleton.slots[n]])
        block.box.children = lines[n]
    for box, index in cls.images:
        source = split.images[index]
        data = base64.b64decode(source[len(_PNG):])
        old = box.replacement
        options = {"jpeg_quality": old._jpeg_quality, "dpi": old._dpi, "optimize_images": old.optimize}
        # The image's identifier as WeasyPrint makes it for a URL (weasyprint.images.get_image_from_uri).
        box.replacement = RasterImage(Image.open(io.BytesIO(data)), md5(source.encode(), usedforsecurity=False)
                                      .hexdigest(), data, None, {}, box.style["image_orientation"], options)
    for page, targets in zip(cls.document.pages, cls.links, strict=True):
        page.links = [(*((kind, target) if index is None else _link(split.links[index], directory)), rectangle, box)
                      for (kind, target, rectangle, box), index in zip(page.links, targets, strict=True)]


def _first_layout(html: str, split: Parts, directory: Path) -> _Skeleton | None:
    """Lay a skeleton's first learner out and find its slots; None when this layer cannot be refilled.

    A text is a slot when its block qualifies (:func:`_slot_block`) and
    laying its own text in again gives exactly WeasyPrint's lines.
    """
    slots: list[int] = []
    laid = _layout(html, split, directory, range(len(split.texts)))
    if laid is None:
        return None
    cls, candidates = laid
    for i, block in enumerate(candidates):
        if block is not None and _same(_signature(_lay(block, split.texts[i])), _signature(block.box.children)):
            cls.blocks.append(block)
            slots.append(i)
    if not slots:
        return None
    skeleton = _Skeleton(slots, cls)
    skeleton.classes[skeleton.key(split, skeleton.lines(split))] = cls
    return skeleton


def _layout(html: str, split: Parts, directory: Path, slots: Sequence[int]
            ) -> tuple[_Class, list[_Block | None]] | None:
    """WeasyPrint's layout of ``html`` (its ``blocks`` still empty), and the blocks of the texts ``slots``.

    A text whose element is not a refillable block gets None. None when
    WeasyPrint's parser read the body's texts, images or links differently.
    """
    from weasyprint.formatting_structure import boxes

    from unadocs.certificate.render import _check_pages, _render_html, overflowing_boxes

    document = _render_html(html, directory)
    _check_pages(len(document.pages), directory)
    body = next((box.element for page in document.pages for box, _ in _walk(page._page_box)
                 if box.element_tag == "body"), None)
    if body is None:
        return None
    texts, images, links = [], [], []
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if len(element) == 0 and element.text and element.text.strip():
            texts.append(element)
        if element.tag == "img" and (element.get("src") or "").startswith(_PNG):
            images.append(element)
        if element.tag == "a" and (element.get("href") or "").split(":", 1)[0].lower() in {"http", "https"}:
            links.append(element)
    if ([element.text for element in texts] != list(split.texts) or [e.get("src") for e in images] != list(split.images)
            or [e.get("href") for e in links] != list(split.links)):
        return None
    text_index = {id(element): i for i, element in enumerate(texts)}
    image_index = {id(element): i for i, element in enumerate(images)}
    link_index = {id(element): i for i, element in enumerate(links)}
    own: dict[int, list[tuple[Any, tuple[Any, ...], tuple[Any, ...]]]] = {}
    image_boxes = []
    floats: dict[int, list[Any]] = {}  # per formatting context, the floats met so far (in layout order)
    for page in document.pages:
        for box, parents in _walk(page._page_box):
            if box.style["string_set"] != "none":
                return None  # a running header would keep the first learner's text
            if isinstance(box, (boxes.LineBox, boxes.TextBox)):
                continue  # a block's lines and texts carry the block's element too
            context = floats.setdefault(id(_formatting_root(parents)), [])
            if id(box.element) in text_index:  # a block that is a formatting context of its own keeps floats out
                beside = () if box.establishes_formatting_context() else tuple(context)
                own.setdefault(text_index[id(box.element)], []).append((box, parents, beside))
            if box.is_floated():
                context.append(box)
            if isinstance(box, boxes.ReplacedBox) and id(box.element) in image_index:
                image_boxes.append((box, image_index[id(box.element)]))
    blocks: list[_Block | None] = []
    for i in slots:
        found = own.get(i, [])
        refillable = len(found) == 1 and _slot_block(*found[0][:2])
        blocks.append(_Block(found[0][0], found[0][0].children[0], found[0][2]) if refillable else None)
    page_links = []
    made = [_link(href, directory) for href in split.links]

    def learner_link(kind: str, target: str, box: Any) -> int | None:
        """The index of a link's target in ``Parts.links``: by its <a>, or by its target for a box inside one
        that WeasyPrint makes a link of too (a block image)."""
        index = link_index.get(id(getattr(box, "element", None)))
        return made.index((kind, target)) if index is None and (kind, target) in made else index

    for page in document.pages:
        targets = [learner_link(kind, target, box) for kind, target, _, box in page.links]
        for (kind, target, _, _), index in zip(page.links, targets, strict=True):
            if index is not None and (kind, target) != made[index]:
                return None  # WeasyPrint made another link of the target than we would
        page_links.append(targets)
    return _Class(document, [], image_boxes, page_links, overflowing_boxes(document.pages)), blocks


def _formatting_root(parents: tuple[Any, ...]) -> Any:
    """The box whose block formatting context a box with these ``parents`` is in (its floats affect the box)."""
    from weasyprint.formatting_structure import boxes

    return next((box for box in reversed(parents)
                 if isinstance(box, boxes.PageBox) or box.establishes_formatting_context()), None)


def _link(href: str, directory: Path) -> tuple[str, str]:
    """The link WeasyPrint makes of ``href`` in the template: its kind and its (percent-encoded) target."""
    from weasyprint.urls import get_link

    from unadocs.certificate.render import base_url

    kind: str
    target: str
    _, (kind, target) = get_link(href, base_url(directory))
    return kind, target


def _walk(box: Any, parents: tuple[Any, ...] = ()) -> Any:
    """Every box under ``box`` (absolutely positioned ones in their place), with its ancestors."""
    from weasyprint.layout.absolute import AbsolutePlaceholder

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    yield box, parents
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, (*parents, box))


def _slot_block(box: Any, parents: tuple[Any, ...]) -> bool:
    """Whether new text can be laid into ``box`` without laying anything else out again.

    It must be a block of plain lines (one text each, no ``::first-line`` or
    ``::first-letter`` style, no ellipsis or line clamp) whose width does not
    depend on its content, nor on any ancestor's content: not a grid item,
    nor a flex item that shares its line or may shrink to its content.
    (Floats beside it are fine: its lines are laid around them.)
    """
    from weasyprint.formatting_structure import boxes

    if not (isinstance(box, boxes.BlockContainerBox) and box.children
            and all(isinstance(line, boxes.LineBox) and len(line.children) == 1
                    and type(line.children[0]) is boxes.TextBox for line in box.children)):
        return False
    if box.first_letter_style is not None or box.first_line_style is not None:
        return False
    style = box.style
    if (style["text_overflow"], style["block_ellipsis"], style["max_lines"]) != ("clip", "none", "none"):
        return False
    chain = (box, *reversed(parents))
    for inner, outer in zip(chain, chain[1:]):
        width = inner.style["width"]
        if isinstance(outer, boxes.GridContainerBox):
            return False  # a grid item's place and size follow the tracks, which follow the content
        if isinstance(outer, boxes.FlexContainerBox) and (
                len(outer.children) != 1 or inner.style["min_width"] == "auto" or inner.style["flex_basis"] != "auto"):
            return False  # a flex item shares its line with others, or may shrink to its content
        if width != "auto":
            if width.unit != "%":
                return True  # a fixed width: what is around it no longer matters
            continue
        if inner.style["position"] in {"absolute", "fixed"}:
            if "auto" in (inner.style["left"], inner.style["right"]):
                return False  # shrinks to fit its content
            continue
        if not (type(inner) is boxes.BlockBox and inner.style["float"] == "none"
                and type(outer) in {boxes.BlockBox, boxes.PageBox}):
            return False  # an inline-block, float, table cell, flex or grid item: sized by its content
    return True


def _lay(block: _Block, text: str) -> list[Any]:
    """``text`` broken into lines in ``block`` as WeasyPrint's inline layout breaks them."""
    from weasyprint.layout.inline import iter_line_boxes

    if text in block.laid:
        return block.laid[text]
    line = block.line
    box = line.children[0].copy_with_text(text)
    box.justification_spacing = 0  # the model line may have been justified: that spacing is its own
    box.process_whitespace()
    box.process_text_transform()
    lines = [new for new, _ in iter_line_boxes(_context(block.floats), line.copy_with_children([box]),
                                               block.box.content_box_y(), -float("inf"), None, block.box, [], [],
                                               None, None)]
    block.laid[text] = lines
    if len(block.laid) > _LAID:
        del block.laid[next(iter(block.laid))]
    return lines


def _context(floats: Sequence[Any]) -> Any:
    """A WeasyPrint layout context for inline layout beside ``floats`` (and no page-based content)."""
    from weasyprint.layout import LayoutContext

    from unadocs.certificate.render import _font_config

    context = LayoutContext(None, lambda *args, **kwargs: None, _font_config(), None, None)
    context._excluded_shapes_root_boxes.append("root")
    context._excluded_shapes["root"] = list(floats)
    return context


#: Decimal places of a length (in CSS px) that count: WeasyPrint writes PDF coordinates with 6 (in pt).
_PLACES = 6


def _geometry(lines: Sequence[Any], block: Any) -> tuple[tuple[float, float, float], ...]:
    """What a slot's lines change in the layout around them: their number, places in the block, heights, baselines.

    (A line can sit lower than the one before ends when a float leaves it too little room.)
    """
    top = block.content_box_y()
    return tuple((round(line.position_y - top, _PLACES), round(line.height, _PLACES), round(line.baseline, _PLACES))
                 for line in lines)


def _signature(lines: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Everything drawn of ``lines``: their places and sizes, and their texts' places, sizes and texts."""
    return [(line.position_x, line.position_y, line.width, line.height, line.baseline,
             [(text.text, text.position_x, text.position_y, text.width, text.height, text.baseline)
              for text in line.children]) for line in lines]


def _same(a: Any, b: Any) -> bool:
    """Whether two signatures are equal, lengths within rounding.

    WeasyPrint places a block's lines and then moves them with the block,
    so its lengths can differ from ours in the last bit.
    """
    if isinstance(a, float) and isinstance(b, float):
        return bool(abs(a - b) < 10.0**-_PLACES)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _place(block: Any) -> tuple[float, ...]:
    return (block.position_x, block.position_y, block.content_box_x(), block.content_box_y(), block.width)


def _image_size(source: str) -> tuple[int, int]:
    """The pixel size of a PNG data URL (from its header): the layout may depend on it."""
    from PIL import Image

    size: tuple[int, int] = Image.open(io.BytesIO(base64.b64decode(source[len(_PNG):]))).size
    return size
