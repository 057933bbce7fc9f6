"""Rendering a certificate record: HTML from the Jinja2 template, then PDF/A-3 with WeasyPrint.

Determinism: WeasyPrint's PDF identifier and font subset names derive from the
content, and the only dates it writes are the ones we give (the issue date),
so the same record, link and QR give the same bytes.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2

from unadocs.certificate.record import CertificateRecord, format_date
from unadocs.errors import LearnerError, TemplateError
from unadocs.resources import data_dir

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

__all__ = ["PDF_VARIANT", "TEMPLATE", "certificate_html", "certificate_pdf", "check_template", "template_dir"]

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
    record: CertificateRecord, link: str, qr_png: bytes, *, density: int = 0, directory: Path | None = None
) -> str:
    """The certificate as HTML: the template filled with the record, the verification link and its QR code."""
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
    ourselves, read once, avoids the leak and the repeated read.
    """
    from weasyprint.css import ColorProfile

    return {OUTPUT_INTENT: ColorProfile(io.BytesIO(_srgb_icc()), "sRGB2014.icc", "relative-colorimetric",
                                        (["r"], ["g"], ["b"]))}


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    # One configuration for the process: the template's @font-face fonts load once. It keeps them in
    # a temporary directory that it removes when it is freed, so free it at exit.
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


def certificate_pdf(record: CertificateRecord, link: str, qr_png: bytes, *, directory: Path | None = None) -> bytes:
    """The certificate as PDF/A-3 with the canonical record embedded as ``<name>.json``.

    The embedded bytes are exactly :meth:`CertificateRecord.canonical_json`,
    whose SHA-256 the signed payload carries.
    """
    from weasyprint import Attachment

    from unadocs.certificate.files import safe_name

    directory = directory or template_dir()
    document = _layout(record, link, qr_png, directory)
    issued = datetime(record.issued.year, record.issued.month, record.issued.day, tzinfo=timezone.utc)
    attachment = Attachment(
        file_obj=io.BytesIO(record.canonical_json()),
        name=f"{safe_name(record.learner.learner_id)}.json",
        description="Certificate record (unadocs-certificate/1, canonical JSON)",
        created=issued,
        modified=issued,
        relationship="Data",
    )
    pdf: Any = document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT, attachments=[attachment],
                                  finisher=_unique_associated_files)
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
    """
    from weasyprint.urls import URLFetcher

    root = directory.resolve()

    class TemplateFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(f"{url}: outside the certificate template directory {root}")
            return super().fetch(url, headers)

    return TemplateFetcher(allowed_protocols={"file", "data"})


def check_template(directory: Path) -> None:
    """Refuse a template directory without the certificate template, before anything is written."""
    if not (directory / TEMPLATE).is_file():
        raise TemplateError(f"{directory}: not a certificate template directory (no {TEMPLATE})")


def _layout(record: CertificateRecord, link: str, qr_png: bytes, directory: Path) -> Any:
    """Lay the certificate out at the first density at which every box holds its content."""
    from weasyprint import HTML

    check_template(directory)
    for density in DENSITIES:
        html = certificate_html(record, link, qr_png, density=density, directory=directory)
        document = HTML(string=html, base_url=str(directory) + "/", url_fetcher=_fetcher(directory)).render(
            font_config=_font_config(), color_profiles=_color_profiles(), pdf_variant=PDF_VARIANT,
            output_intent=OUTPUT_INTENT,
        )
        clipped = overflowing_boxes(document)
        if not any("description" in classes for classes in clipped):
            break  # smaller type on the back page cannot help any other box
    if len(document.pages) != 2:
        raise TemplateError(
            f"certificate template {directory / TEMPLATE} gave {len(document.pages)} pages instead of 2 "
            "(front and back); a block must not overflow its page"
        )
    if clipped:
        if any("learner" in classes for classes in clipped):
            raise LearnerError(f"the learner's details do not fit on the certificate "
                               f"({', '.join(' '.join(c) for c in clipped)})",
                               learner_id=record.learner.learner_id)
        raise TemplateError(
            f"the certificate's text does not fit its boxes even in the smallest type "
            f"({', '.join(' '.join(c) for c in clipped)}); shorten the spec's texts or enlarge the boxes "
            f"in {directory / 'certificate.css'}"
        )
    return document


def overflowing_boxes(document: Any) -> list[list[str]]:
    """The class lists of the template's fixed boxes (class "box") whose content is cut off at the bottom.

    The boxes clip (overflow: hidden) so that nothing can push a third page;
    this check makes sure that clipping never silently hides an element.
    """
    clipped = []
    for page in document.pages:
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
