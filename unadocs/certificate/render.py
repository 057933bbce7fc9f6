"""Rendering a certificate record: HTML from the Jinja2 template, then PDF/A-3 with WeasyPrint.

The template renders in three layers: ``all`` (everything, one WeasyPrint
render per certificate: :func:`direct_pdf`, the reference the tests compare
with), ``shared`` (what a whole cohort has in common) and ``learner`` (the
boxes of class ``learner``). Every certificate is made by
:func:`certificate_pdfs`: the shared layer is rendered once per variant and
cached (:func:`shared_base`, a PDF/A-3 file), each learner's layer is set
into a cached layout of its class (:mod:`~unadocs.certificate.layer`), and
the certificate is the base followed by an update that holds the layer and
the learner's record and metadata (:mod:`~unadocs.certificate.stamp`). One
learner alone goes through the same code, so the single-certificate API and
a batch give the same bytes.

Determinism: WeasyPrint's PDF identifier and font subset names derive from the
content, and the only dates it writes are the ones we give (the issue date),
so the same record, link and QR give the same bytes.
"""

from __future__ import annotations

import base64
import io
from datetime import date, datetime, timezone
from decimal import Decimal
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement

import jinja2

from unadocs.record import CertificateRecord, format_date
from unadocs.errors import LearnerError, TemplateError
from unadocs.resources import data_dir

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

    from unadocs.certificate.stamp import Base

__all__ = [
    "PDF_VARIANT",
    "TEMPLATE",
    "SharedBase",
    "certificate_html",
    "certificate_pdfs",
    "check_template",
    "direct_pdf",
    "shared_base",
    "template_dir",
    "template_fingerprint",
]

#: PDF/A-3 allows embedded files of any type (our JSON record); "b" is visual conformance.
PDF_VARIANT = "pdf/a-3b"
TEMPLATE = "certificate.html"


def template_dir() -> Path:
    """The directory of the certificate template, its stylesheets, fonts and artwork."""
    return data_dir("templates") / "certificate"


@lru_cache(maxsize=4)
def _environment(directory: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=True,  # always: the template is HTML, the values are user data
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )
    env.filters["longdate"] = format_date
    env.filters["ects"] = lambda value: format(Decimal(value).normalize(), "f")
    return env


def certificate_html(
    record: CertificateRecord, link: str, qr_png: bytes, *, density: int = 0, directory: Path | None = None,
    layer: str = "all",
) -> str:
    """The certificate as HTML: the template filled with the record, the verification link and its QR code.

    ``layer`` is ``all``, ``shared`` or ``learner`` (see the module's docstring).
    """
    directory = directory or template_dir()
    try:
        template = _environment(directory).get_template(TEMPLATE)
        return template.render(
            record=record,
            elements=record.elements(),
            link=link,
            qr="data:image/png;base64," + base64.b64encode(qr_png).decode("ascii"),
            host=urlsplit(link).hostname or link,
            density=density,
            layer=layer,
        )
    except jinja2.TemplateError as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(f"certificate template {directory / TEMPLATE}{where}: {exc}") from exc


@lru_cache(maxsize=1)
def _srgb_icc() -> bytes:
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


#: Our name for the PDF/A output intent colour space (a CSS dashed identifier).
OUTPUT_INTENT = "--srgb"


def _color_profiles() -> dict[str, Any]:
    """The sRGB output intent, passed in rather than left to WeasyPrint.

    WeasyPrint 70 opens its sRGB profile for every PDF/A document and never
    closes the file (a ResourceWarning per certificate); giving the profile
    ourselves, read once, avoids the leak and the repeated read. Its bytes are
    the file's own: Pillow's ``tobytes()`` re-serialises the profile, and
    differently from the second call on, so a document written twice (each
    learner layer of a batch) would not be the same twice.
    """
    from weasyprint.css import ColorProfile

    class FileColorProfile(ColorProfile):  # type: ignore[misc]
        @property
        def content(self) -> bytes:
            return _srgb_icc()

    return {OUTPUT_INTENT: FileColorProfile(io.BytesIO(_srgb_icc()), "sRGB2014.icc", "relative-colorimetric",
                                            (["r"], ["g"], ["b"]))}


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    # One configuration for the process: the template's @font-face fonts load once. It keeps them in
    # a temporary directory that it removes when it is freed, so free it at exit.
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


def _attachment(record: CertificateRecord) -> Any:
    """The canonical record as the PDF's associated file ``<name>.json`` (PDF/A-3, AFRelationship Data)."""
    from weasyprint import Attachment

    from unadocs.filenames import safe_name

    issued = datetime(record.issued.year, record.issued.month, record.issued.day, tzinfo=timezone.utc)
    return Attachment(
        file_obj=io.BytesIO(record.canonical_json()),
        name=f"{safe_name(record.learner.learner_id)}.json",
        description=ATTACHMENT_DESCRIPTION,
        created=issued,
        modified=issued,
        relationship="Data",
    )


ATTACHMENT_DESCRIPTION = "Certificate record (unadocs-certificate/1, canonical JSON)"


def direct_pdf(record: CertificateRecord, link: str, qr_png: bytes, *, directory: Path | None = None) -> bytes:
    """The whole certificate in one WeasyPrint render (layer ``all``): PDF/A-3 with the record embedded.

    Not the issuing path (that is :func:`certificate_pdfs`); it is the
    reference the stamped certificates are compared with, pixel by pixel,
    and the naive baseline of ``bench/certificates.py``.
    """
    directory = directory or template_dir()
    document = _layout(record, link, qr_png, directory)
    pdf: Any = document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT,
                                  attachments=[_attachment(record)], finisher=_unique_associated_files)
    return bytes(pdf)


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """List each embedded file once in the catalog's /AF.

    WeasyPrint 70 adds every attachment to /AF twice (once from the
    EmbeddedFiles name tree, once from the file specification objects).
    """
    associated = pdf.catalog.get("AF")
    if associated is not None:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


#: Densities the template knows (body class density-N); each sets the back page in smaller type.
DENSITIES = (0, 1, 2)
_TOLERANCE_PX = 1.5  # rounding in line boxes; 1 CSS px is 0.26 mm


def _fetcher(directory: Path) -> Any:
    """A URL fetcher that reads data: URLs and files inside the template directory, and nothing else.

    No network access (a certificate must not depend on, or leak to, a
    server) and no files outside the template, whatever a template names.
    Every resource it could not give is kept in ``failures``: WeasyPrint
    would only log it and render without it, so :func:`_render_html`
    turns them into a :class:`TemplateError` instead.
    """
    from weasyprint.urls import URLFetcher

    root = directory.resolve()

    class TemplateFetcher(URLFetcher):  # type: ignore[misc]
        failures: list[str]

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                if url.startswith("file:"):
                    from urllib.parse import unquote, urlsplit

                    path = Path(unquote(urlsplit(url).path)).resolve()
                    if not path.is_relative_to(root):
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


def check_template(directory: Path) -> None:
    """Refuse a template directory without the certificate template, before anything is written."""
    if not (directory / TEMPLATE).is_file():
        raise TemplateError(f"{directory}: not a certificate template directory (no {TEMPLATE})")


def base_url(directory: Path) -> str:
    """The base URL of a template's HTML: its directory, where its stylesheets, fonts and artwork are."""
    return str(directory) + "/"


def _render_html(html: str, directory: Path) -> Any:
    from weasyprint import HTML

    fetcher = _fetcher(directory)
    document = HTML(string=html, base_url=base_url(directory), url_fetcher=fetcher).render(
        font_config=_font_config(), color_profiles=_color_profiles(), pdf_variant=PDF_VARIANT,
        output_intent=OUTPUT_INTENT,
    )
    if fetcher.failures:
        missing = "; ".join(dict.fromkeys(fetcher.failures))
        raise TemplateError(f"the certificate template {directory / TEMPLATE} names resources it cannot use: "
                            f"{missing}. A template may use only files inside its own directory.")
    return document


def _layout(record: CertificateRecord, link: str, qr_png: bytes, directory: Path, layer: str = "all") -> Any:
    """Lay the certificate (or its ``layer``) out at the first density at which every box holds its content."""
    check_template(directory)
    for density in DENSITIES:
        html = certificate_html(record, link, qr_png, density=density, directory=directory, layer=layer)
        document = _render_html(html, directory)
        clipped = overflowing_boxes(document.pages)
        if not any("description" in classes for classes in clipped):
            break  # smaller type on the back page cannot help any other box
    _check_pages(len(document.pages), directory)
    if clipped:
        if any("learner" in classes for classes in clipped):
            raise _learner_does_not_fit(record, clipped)
        raise TemplateError(
            f"the certificate's text does not fit its boxes even in the smallest type "
            f"({', '.join(' '.join(c) for c in clipped)}); shorten the spec's texts or enlarge the boxes "
            f"in {directory / 'certificate.css'}"
        )
    document.density = density
    return document


def _check_pages(count: int, directory: Path, learners: int = 1) -> None:
    if count != 2 * learners:
        raise TemplateError(
            f"certificate template {directory / TEMPLATE} gave {count // learners if learners else count} pages "
            "instead of 2 (front and back); a block must not overflow its page"
        )


def _learner_does_not_fit(record: CertificateRecord, clipped: list[list[str]]) -> LearnerError:
    return LearnerError(f"the learner's details do not fit on the certificate "
                        f"({', '.join(' '.join(c) for c in clipped)})", learner_id=record.learner.learner_id)


def overflowing_boxes(pages: Any) -> list[list[str]]:
    """The class lists of the template's fixed boxes (class "box") whose content is cut off at the bottom.

    The boxes clip (overflow: hidden) so that nothing can push a third page;
    this check makes sure that clipping never silently hides an element.
    ``pages`` are WeasyPrint pages (``document.pages``).
    """
    clipped = []
    for page in pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            classes = (element.get("class") or "").split() if element is not None else []
            if "box" not in classes or box.element_tag not in {"div", "ul"}:
                continue
            bottom = box.content_box_y() + box.height
            inner = [d for d in box.descendants() if d is not box]
            reach = max((d.position_y + d.margin_height() for d in inner), default=bottom)
            if reach > bottom + _TOLERANCE_PX:
                clipped.append(classes)
    return clipped


# -- the issuing path: a shared base per variant, a learner layer per learner ----------------------------------


@dataclass(frozen=True)
class SharedBase:
    """The shared layer of one variant as a PDF/A-3 file ready for stamping, and the density its back page needed."""

    base: Base
    density: int


#: The learner the shared layer is rendered with: its boxes are left out of that layer, so any learner would do;
#: a fixed one makes the base depend on the variant only.
_NOBODY = {"learner_id": "", "given_names": "", "family_name": "", "full_name": "", "date_of_birth": None}


def shared_record(record: CertificateRecord) -> CertificateRecord:
    """The record with the learner's own facts blanked: everything the shared layer may show."""
    from unadocs.record import LearnerPart

    return record.model_copy(update={"learner": LearnerPart(**_NOBODY), "credential_id": "", "grade": None})


def shared_base(record: CertificateRecord, directory: Path | None = None) -> SharedBase:
    """The shared layer for this record's variant (awarding bodies, texts, specimen), rendered once and cached."""
    directory = (directory or template_dir()).resolve()
    return _shared_base_of(record, directory, template_fingerprint(directory))


def _shared_base_of(record: CertificateRecord, directory: Path, fingerprint: str) -> SharedBase:
    return _shared_base(_variant(shared_record(record).canonical_json(), directory, fingerprint), directory,
                        fingerprint)


#: The issue date the shared layer is rendered with when the template does not show the date in it.
_ANY_DAY = date(2000, 1, 1)


@lru_cache(maxsize=256)
def _variant(shared_json: bytes, directory: Path, fingerprint: str) -> bytes:
    """The record the shared layer is rendered from: the issue date is left out when the layer does not show it.

    A cohort issued over many days then shares one base instead of one a
    day. A template that does print the date in a shared box keeps it (the
    layer's body differs with the date), and is still right, only slower.
    """
    from unadocs.record import LearnerPart

    shared = CertificateRecord.from_json(shared_json)
    undated = shared.model_copy(update={"issued": _ANY_DAY})

    def body(record: CertificateRecord) -> str:
        return certificate_html(record, "", b"", directory=directory, layer="shared").partition("<body")[2]

    someone = shared.model_copy(update={"learner": LearnerPart(learner_id="?", given_names="?", family_name="?",
                                                                full_name="?", date_of_birth=_ANY_DAY),
                                        "credential_id": "?", "grade": "?"})
    if body(someone) != body(shared):
        raise TemplateError(
            f"certificate template {directory / TEMPLATE} prints the learner's details outside the boxes of "
            "class 'learner'; put every per-learner value (name, id, dates, grade, credential id, QR code) in a "
            "box of class 'learner', so that the shared part of the certificate is the same for the whole cohort"
        )
    return undated.canonical_json() if body(shared) == body(undated) else shared_json


@lru_cache(maxsize=16)
def _shared_base(shared_json: bytes, directory: Path, fingerprint: str) -> SharedBase:
    """``fingerprint`` is part of the cache key only: an edited template gives a new base."""
    shared = CertificateRecord.from_json(shared_json)
    document = _layout(shared, "", b"", directory, layer="shared")
    pdf: Any = document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT,
                                  attachments=[_attachment(shared)], finisher=_unique_associated_files)
    from unadocs.certificate.stamp import prepare

    return SharedBase(prepare(bytes(pdf)), document.density)


def template_fingerprint(directory: Path | None = None) -> str:
    """SHA-256 over the template directory's files (names and bytes): changes whenever the template does."""
    import hashlib

    directory = (directory or template_dir()).resolve()
    return _fingerprint(directory, tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in _files(directory)))


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


@lru_cache(maxsize=16)
def _fingerprint(directory: Path, stamp: tuple[tuple[int, int], ...]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in _files(directory):
        digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class Sealed:
    """One learner ready to render: the record, its verification link and the link's QR code (PNG)."""

    record: CertificateRecord
    link: str
    qr_png: bytes


def certificate_pdfs(items: Sequence[Sealed], directory: Path | None = None) -> list[bytes | LearnerError]:
    """Each learner's certificate (PDF/A-3, the record embedded), or the :class:`LearnerError` that stops it.

    Each learner's layer is set into a cached layout of its class
    (:mod:`~unadocs.certificate.layer`) and stamped alone over the shared
    base of its own variant (:mod:`~unadocs.certificate.stamp`), so its fonts
    hold its own glyphs only and its bytes do not depend on its neighbours.
    """
    directory = (directory or template_dir()).resolve()
    check_template(directory)
    fingerprint = template_fingerprint(directory)
    bases = [_shared_base_of(item.record, directory, fingerprint) for item in items]
    results: dict[int, bytes | LearnerError] = {}
    for density in sorted({base.density for base in bases}):
        indexes = [i for i, base in enumerate(bases) if base.density == density]
        chosen = [(items[i], bases[i].base) for i in indexes]
        for index, pdf in zip(indexes, _certificates(chosen, density, directory, fingerprint), strict=True):
            results[index] = pdf
    return [results[i] for i in range(len(items))]


def _certificates(items: Sequence[tuple[Sealed, Base]], density: int, directory: Path, fingerprint: str
                  ) -> list[bytes | LearnerError]:
    """Each item's certificate: its learner layer, with the metadata of its own certificate, stamped over its base.

    Each layer is laid into a layout of its class (:mod:`~unadocs.certificate.layer`);
    the learners of a template whose layer cannot be refilled are laid out
    together in one WeasyPrint document instead.
    """
    from unadocs.certificate.layer import refilled

    done: dict[int, bytes | LearnerError] = {}
    alone: list[tuple[int, str, Any]] = []
    for index, (item, base) in enumerate(items):
        html = certificate_html(item.record, item.link, item.qr_png, density=density, directory=directory,
                                layer="learner")
        metadata = _head_metadata(html.partition("<body")[0])
        result = refilled(html, directory, fingerprint, partial(_certificate, item, base, metadata))
        if result is None:
            alone.append((index, html, metadata))
        else:
            done[index] = result
    if alone:
        document, per_learner = _weasyprint_layers([html for _, html, _ in alone], directory)
        for (index, _, metadata), (pages, clipped) in zip(alone, per_learner, strict=True):
            done[index] = _certificate(*items[index], metadata, document, pages, clipped)
    return [done[i] for i in range(len(items))]


def _certificate(item: Sealed, base: Base, metadata: Any, document: Any, pages: Sequence[Any],
                 clipped: list[list[str]]) -> bytes | LearnerError:
    """The learner's certificate from its layer's ``pages`` (of ``document``), or why they do not fit."""
    from unadocs.certificate.stamp import stamp

    if clipped:
        return _learner_does_not_fit(item.record, clipped)
    return stamp(base, document, pages, item.record, metadata)


def _weasyprint_layers(pages_html: Sequence[str], directory: Path) -> tuple[Any, list[tuple[Any, list[list[str]]]]]:
    """Learner layers laid out together in one WeasyPrint document: it, and each one's pages and overflowing boxes."""
    head = ""
    bodies = []
    for html in pages_html:
        before, body_tag, rest = html.partition("<body")
        body, _, _ = rest.partition("</body>")
        head = head or before + body_tag + body[: body.index(">") + 1]
        bodies.append(body[body.index(">") + 1:])
    document = _render_html(head + "".join(bodies) + "</body></html>", directory)
    _check_pages(len(document.pages), directory, len(bodies))
    per_learner = []
    for index in range(len(bodies)):
        pages = document.pages[2 * index: 2 * index + 2]
        per_learner.append((pages, overflowing_boxes(pages)))
    return document, per_learner


def _head_metadata(head: str) -> Any:
    """The document metadata WeasyPrint reads from this ``<head>`` (title, author, description, dates, lang).

    WeasyPrint's own reader (``get_html_metadata``) over a tree built with the
    standard library's HTML parser: parsing each learner's head with
    WeasyPrint's HTML5 parser costs more than laying out the learner layer.
    """
    from types import SimpleNamespace

    from weasyprint.document import DocumentMetadata
    from weasyprint.html import get_html_metadata

    parser = _HeadParser()
    parser.feed(head)
    parser.close()
    html = SimpleNamespace(etree_element=parser.root, wrapper_element=_HeadElements(parser.root), base_url=None,
                           url_fetcher=None)
    return DocumentMetadata(**get_html_metadata(html))


class _HeadParser(HTMLParser):
    """The ``<html>`` element's attributes, and its head's title, meta and link elements, as an element tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("html")
        self._title: Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.root.attrib.update(values)
        elif tag in {"title", "meta", "link"}:
            element = SubElement(self.root, tag, values)
            if tag == "title":
                self._title = element

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.text = (self._title.text or "") + data


class _HeadElements:
    """What ``get_html_metadata`` asks cssselect2 for: the elements of some tags, in document order.

    The tree holds the head's title, meta and link elements only; compiling
    cssselect2's selectors for them cost more than reading the head.
    """

    def __init__(self, root: Element) -> None:
        self._root = root

    def query_all(self, *tags: str) -> list[Any]:
        from types import SimpleNamespace

        return [SimpleNamespace(etree_element=element) for element in self._root if element.tag in tags]


def harfbuzz_subset_missing() -> str | None:
    """A note when WeasyPrint cannot subset fonts with HarfBuzz (it falls back to fontTools, about 2× slower)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    return ("note: HarfBuzz-Subset (Debian: libharfbuzz-subset0) is missing, so WeasyPrint subsets fonts with "
            "fontTools and every certificate renders about 2x slower ('Using fontTools instead of HarfBuzz-Subset')")


def warn_without_harfbuzz_subset() -> None:
    """Print :func:`harfbuzz_subset_missing`'s note, if any (``make demo`` calls this)."""
    import sys

    note = harfbuzz_subset_missing()
    if note:
        print(note, file=sys.stderr)
