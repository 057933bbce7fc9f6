"""The shared part of a certificate: the template without its learner fields, rendered once per variant.

WeasyPrint renders the template (its public API only: ``HTML``, ``CSS``,
``FontConfiguration``, ``Document.pages`` and their ``anchors``) for a record
whose learner is left blank. The pages' drawing, resources and annotations
are then copied once into the opening objects of every certificate of the
variant (:class:`SharedPart`, through pikepdf), so that a certificate is
those bytes followed by its learner's own objects (:mod:`~unadocs.certificate.assembly`).

Each template has its own font configuration, kept while the template is
unchanged: two templates whose fonts share a family name keep their own
files, and a template edited while a process runs is read again.
"""

from __future__ import annotations

import atexit
import base64
import io
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from unadocs.certificate.layer import cohort_fonts
from unadocs.certificate.pdf import Objects, copy_object, name
from unadocs.certificate.typeset import Face
from unadocs.errors import TemplateError

__all__ = ["DENSITIES", "OUTPUT_INTENT", "PDF_VARIANT", "SharedPage", "SharedPart", "must_fit", "render_document", "shared_part"]

#: PDF/A-3 allows embedded files of any type (our JSON record); "b" is visual conformance.
PDF_VARIANT = "pdf/a-3b"
#: Densities the template knows (body class density-N): each sets the back page in smaller type.
DENSITIES = (0, 1, 2)
#: Our name for the output intent's colour profile (a CSS dashed identifier).
OUTPUT_INTENT = "--unadocs-srgb"
_TOLERANCE_PX = 1.5  # rounding in line boxes; 1 CSS px is 0.26 mm
_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
#: The learner layer's name in a page's /XObject resources, and how the page draws it, last.
LAYER = "unadocs-learner"
LAYER_DRAWN = b"Q\nq /unadocs-learner Do Q\n"


@dataclass(frozen=True)
class SharedPage:
    """A page of the shared part, as its objects and entries in a certificate."""

    entries: bytes
    """The page dictionary's own entries (boxes), without /Contents, /Resources, /Annots and /Parent."""
    contents: tuple[int, ...]
    """The page's content streams: its drawing wrapped in q ... Q, then the learner layer (:data:`LAYER`)."""
    resources: dict[str, bytes]
    """The page's resources by kind (/Font, /XObject, ...), as PDF values."""
    annotations: tuple[int, ...]
    size: tuple[float, float]
    """Width and height in PDF points."""


@dataclass(frozen=True)
class SharedPart:
    """The objects every certificate of a variant opens with (a file's first bytes, objects 1 to ``size - 1``)."""

    prefix: bytes
    offsets: dict[int, int]
    size: int
    pages: tuple[SharedPage, ...]
    output_intents: int
    lang: bytes | None
    fonts: tuple[int, ...]
    """The cohort's font of each face of the learner fields (:func:`~unadocs.certificate.layer.cohort_fonts`)."""


def must_fit(name: str) -> Markup:
    """Markers put last in a template box whose content must not be cut off: where its content ends, and its own end.

    Their anchors (``page.anchors``) tell after the render whether the box's
    content reaches below the box.
    """
    return Markup(f'<div id="unadocs-end-{name}" style="height:0;margin:0;padding:0;border:0"></div>'
                  f'<div id="unadocs-limit-{name}" style="position:absolute;left:0;top:100%;height:0"></div>')


def cut_off(html: str, pages: Any) -> list[str]:
    """The names of the :func:`must_fit` boxes of ``html`` whose content reaches below the box.

    A box whose markers were not laid out at all (its content ran off the page) is cut off too.
    """
    anchors = {name: point for page in pages for name, point in page.anchors.items()}
    cut = []
    for box in re.findall(r'id="unadocs-end-([^"]+)"', html):
        end, limit = anchors.get(f"unadocs-end-{box}"), anchors.get(f"unadocs-limit-{box}")
        # A point is (x, y), or (x, y, x2, y2) in WeasyPrint 70.
        if end is None or limit is None or end[1] > limit[1] + _TOLERANCE_PX:
            cut.append(box)
    return cut


def shared_part(html: Callable[[int], str], directory: Path, fingerprint: str, faces: Sequence[Face]
                ) -> tuple[SharedPart, int]:
    """The shared part rendered from ``html(density)`` at the first density at which its boxes hold their content,
    with the cohort's fonts of the learner fields' ``faces``.

    Returns the part and that density.
    """
    for density in DENSITIES:
        source = html(density)
        document = render_document(source, directory, fingerprint)
        cut = cut_off(source, document.pages)
        if not cut:
            break
    if len(document.pages) != 2:
        raise TemplateError(f"certificate template {directory / 'certificate.html'} gave {len(document.pages)} pages "
                            "instead of 2 (front and back); a block must not overflow its page")
    if cut:
        raise TemplateError(
            f"the certificate's text does not fit its boxes even in the smallest type ({', '.join(cut)}); "
            f"shorten the spec's texts or enlarge the boxes in {directory / 'certificate.css'}")
    return _prepare(bytes(document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT)), faces), density


def render_document(html: str, directory: Path, fingerprint: str, css: str = "") -> Any:
    """The WeasyPrint document of ``html`` (a template's), with the output intent's profile and ``css`` added."""
    from weasyprint import HTML

    fonts = template_fonts(directory, fingerprint)
    stylesheet, profiles = fonts.stylesheet(css)
    fetcher = _fetcher(directory)
    document = HTML(string=html, base_url=str(directory) + "/", url_fetcher=fetcher).render(
        font_config=fonts.config, stylesheets=[stylesheet], color_profiles=profiles, pdf_variant=PDF_VARIANT,
        output_intent=OUTPUT_INTENT)
    _refuse_failures(fetcher, directory)
    return document


class TemplateFonts:
    """A template's own font configuration, and our stylesheets parsed into it (their @font-face rules are its)."""

    def __init__(self, directory: Path) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.directory = directory
        #: It keeps the template's @font-face fonts in a temporary directory, which it removes when it is freed.
        self.config = FontConfiguration()
        self._stylesheets: dict[str, tuple[Any, dict[str, Any]]] = {}

    def stylesheet(self, css: str) -> tuple[Any, dict[str, Any]]:
        """Our stylesheet for the template's renders: the output intent's profile, and ``css``; parsed once."""
        if css not in self._stylesheets:
            from weasyprint import CSS

            fetcher = _fetcher(self.directory)
            profiles: dict[str, Any] = {}  # filled by the @color-profile rule
            profile = base64.b64encode(_srgb_profile()).decode("ascii")
            stylesheet = CSS(string=f'@color-profile {OUTPUT_INTENT} {{ src: url("data:application/vnd.iccprofile;'
                                    f'base64,{profile}"); components: r, g, b }}\n{css}',
                             base_url=str(self.directory) + "/", url_fetcher=fetcher, font_config=self.config,
                             color_profiles=profiles)
            _refuse_failures(fetcher, self.directory)
            self._stylesheets[css] = stylesheet, profiles
        return self._stylesheets[css]


@lru_cache(maxsize=4)
def template_fonts(directory: Path, fingerprint: str) -> TemplateFonts:
    """The fonts of the template in ``directory``; ``fingerprint`` (the template's) is part of the key only, so an
    edited template gets a configuration of its own."""
    return TemplateFonts(directory)


def _refuse_failures(fetcher: Any, directory: Path) -> None:
    if fetcher.failures:
        missing = "; ".join(dict.fromkeys(fetcher.failures))
        raise TemplateError(f"the certificate template {directory / 'certificate.html'} names resources it cannot "
                            f"use: {missing}. A template may use only files inside its own directory.")


atexit.register(template_fonts.cache_clear)  # while WeasyPrint can still remove the configurations' files


@lru_cache(maxsize=1)
def _srgb_profile() -> bytes:
    """The sRGB profile of the International Color Consortium, shipped with unadocs (``unadocs/data``)."""
    return (Path(__file__).resolve().parent.parent / "data" / "sRGB2014.icc").read_bytes()


def _fetcher(directory: Path) -> Any:
    """A URL fetcher that reads data: URLs and files inside the template directory, and nothing else.

    No network access (a certificate must not depend on, or leak to, a
    server) and no files outside the template, whatever a template names.
    Every resource it could not give is kept in ``failures``: WeasyPrint
    would only log it and render without it, so :func:`render_document`
    turns them into a :class:`TemplateError` instead.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint import URLFetcher

    root = directory.resolve()

    class TemplateFetcher(URLFetcher):  # type: ignore[misc]
        failures: list[str]

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                if url.startswith("file:"):
                    if not Path(unquote(urlsplit(url).path)).resolve().is_relative_to(root):
                        raise ValueError("outside the template directory")
                elif not url.startswith("data:"):
                    raise ValueError("a template reads no network resource")
                return super().fetch(url, headers)
            except Exception as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.failures.append(f"{url} ({reason})")
                raise

    fetcher = TemplateFetcher(allowed_protocols={"file", "data"})
    fetcher.failures = []
    return fetcher


def _prepare(pdf: bytes, faces: Sequence[Face]) -> SharedPart:
    """The objects of WeasyPrint's ``pdf`` that a certificate keeps, and the cohort's fonts, numbered from 1 on."""
    import pikepdf

    out = bytearray(_HEADER)
    offsets: dict[int, int] = {}
    numbers: dict[tuple[int, int], int] = {}
    todo: list[Any] = []

    def number_of(objgen: tuple[int, int]) -> int:
        if objgen not in numbers:
            numbers[objgen] = len(numbers) + 1
            todo.append(objgen)
        return numbers[objgen]

    def write(body: bytes) -> int:
        number = len(numbers) + 1
        numbers[(-number, 0)] = number
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        return number

    def flush() -> None:
        while todo:
            objgen = todo.pop(0)
            offsets[numbers[objgen]] = len(out)
            if objgen == profile:  # our profile's own bytes: WeasyPrint writes Pillow's copy, not always alike
                data = zlib.compress(_srgb_profile())
                body = b"<< /N 3 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(data), data)
            else:
                body = copy_object(document.get_object(objgen), number_of, inline=True)
            out.extend(b"%d 0 obj\n" % numbers[objgen] + body + b"\nendobj\n")

    with pikepdf.open(io.BytesIO(pdf)) as document:
        profile = document.Root.OutputIntents[0].DestOutputProfile.objgen
        opening = write(b"<< /Length 2 >>\nstream\nq\n\nendstream")
        closing = write(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(LAYER_DRAWN), LAYER_DRAWN))
        pages = []
        for page in document.pages:
            contents = page.obj.Contents
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            resources = page.obj.get("/Resources", pikepdf.Dictionary())
            pages.append(SharedPage(
                entries=b" ".join(name(k[1:]) + b" " + copy_object(page.obj[k], number_of)
                                  for k in sorted(page.obj.keys())
                                  if k not in {"/Contents", "/Resources", "/Annots", "/Parent", "/Type"}),
                contents=(opening, *(number_of(s.objgen) for s in streams), closing),
                resources={k: copy_object(resources[k], number_of, inline=True) for k in sorted(resources.keys())},
                annotations=tuple(number_of(a.objgen) for a in page.obj.get("/Annots", [])),
                size=(float(page.mediabox[2]), float(page.mediabox[3]))))
            flush()
        output_intents = write(copy_object(document.Root.OutputIntents, number_of, inline=True))
        flush()
        lang = document.Root.get("/Lang")
        fonts = Objects(len(numbers) + 1)
        references = cohort_fonts(faces, fonts)
        for number, body in sorted(fonts.bodies.items()):
            offsets[number] = len(out)
            out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        return SharedPart(bytes(out), offsets, max(offsets) + 1, tuple(pages), output_intents,
                          copy_object(lang, number_of) if lang is not None else None, tuple(references))
