"""Rendering a certificate record: variable-data printing over a template rendered once per variant.

A template is HTML and CSS (``certificate.html``, Jinja2) and its learner
fields (``fields.toml``, :mod:`~unadocs.certificate.fields`). Every
certificate is made by :func:`certificate_pdfs`, in three stages:

1. the shared part (:mod:`~unadocs.certificate.shared`): WeasyPrint renders
   the template without the learner fields, once per variant (a set of
   awarding bodies and texts), for a record whose learner is left blank;
2. the learner layer (:mod:`~unadocs.certificate.layer`): each field's text is
   set into its box by HarfBuzz, at the first declared size that fits;
3. assembly (:mod:`~unadocs.certificate.assembly`): the shared part's bytes,
   then the learner's pages, layer, fonts, QR code, link, record and metadata.

One learner alone goes through the same code, so the single-certificate API
and a batch give the same bytes. :func:`direct_pdf` renders the whole
certificate, fields included, with WeasyPrint: the reference the tests
compare the certificates with, pixel by pixel, and the naive baseline of
``bench/certificates.py``.

Determinism: nothing depends on the clock or the order of learners; the same
record, link and QR code give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from unadocs.certificate.assembly import ATTACHMENT_DESCRIPTION, Metadata, certificate_pdf
from unadocs.certificate.fields import FIELDS, Fields, field_html, font_files, fonts_css, load_fields
from unadocs.catalogs import country_name, message
from unadocs.filenames import safe_name
from unadocs.certificate.layer import LearnerLayer, fit_fields
from unadocs.record import CertificateRecord, LearnerPart, format_date
from unadocs.certificate.shared import OUTPUT_INTENT, PDF_VARIANT, SharedPart, must_fit, render_document, shared_part
from unadocs.errors import LearnerError, TemplateError
from unadocs.resources import data_dir

__all__ = [
    "TEMPLATE",
    "Sealed",
    "certificate_html",
    "certificate_pdfs",
    "check_template",
    "direct_pdf",
    "shared_part_of",
    "template_dir",
    "template_fingerprint",
]

TEMPLATE = "certificate.html"


@dataclass(frozen=True)
class Sealed:
    """One learner ready to render: the record, its verification link and the link's QR code (PNG)."""

    record: CertificateRecord
    link: str
    qr_png: bytes


def template_dir() -> Path:
    """The directory of the certificate template, its stylesheets, fields, fonts and artwork."""
    return data_dir("templates") / "certificate"


def check_template(directory: Path) -> None:
    """Refuse a template directory without the certificate template and its fields, before anything is written."""
    for needed in (TEMPLATE, FIELDS):
        if not (directory / needed).is_file():
            raise TemplateError(f"{directory}: not a certificate template directory (no {needed})")


def template_fingerprint(directory: Path | None = None) -> str:
    """SHA-256 over the template directory's files (names and bytes): changes whenever the template does."""
    directory = (directory or template_dir()).resolve()
    return _fingerprint(directory, tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in _files(directory)))


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


@lru_cache(maxsize=16)
def _fingerprint(directory: Path, stamp: tuple[tuple[int, int], ...]) -> str:
    digest = hashlib.sha256()
    for path in _files(directory):
        digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def certificate_pdfs(items: Sequence[Sealed], directory: Path | None = None) -> list[bytes | LearnerError]:
    """Each learner's certificate (PDF/A-3b, the record embedded), or the :class:`LearnerError` that stops it.

    Each certificate depends on its own learner only, never on its neighbours in ``items``.
    """
    directory = (directory or template_dir()).resolve()
    check_template(directory)
    fingerprint = template_fingerprint(directory)
    fields = load_fields(directory, fingerprint)
    results: list[bytes | LearnerError] = []
    for item in items:
        record = item.record
        try:
            shared, _ = _shared_part_of(record, directory, fingerprint)
            laid_out = fields.for_languages(len(record.certificate_languages))
            layer = _layer(item, laid_out)
        except LearnerError as exc:
            results.append(exc)
            continue
        results.append(certificate_pdf(shared, layer, laid_out, record.canonical_json(), _record_name(record),
                                       metadata_of(record)))
    return results


def direct_pdf(record: CertificateRecord, link: str, qr_png: bytes, *, directory: Path | None = None) -> bytes:
    """The whole certificate, learner fields included, in one WeasyPrint render: PDF/A-3b with the record embedded.

    Not the issuing path (that is :func:`certificate_pdfs`); it is the
    reference the certificates are compared with, and the naive baseline of
    ``bench/certificates.py``. The fields are set in HTML at the sizes the
    issuing path chose, so a text that fits neither way is refused alike.
    """
    from weasyprint import Attachment

    directory = (directory or template_dir()).resolve()
    check_template(directory)
    fingerprint = template_fingerprint(directory)
    fields = load_fields(directory, fingerprint).for_languages(len(record.certificate_languages))
    _, density = _shared_part_of(record, directory, fingerprint)
    layer = _layer(Sealed(record, link, qr_png), fields)
    html = certificate_html(record, density=density, directory=directory,
                            learner_fields=_fields_html(layer, fields, link, qr_png))
    document = render_document(html, directory, fingerprint, fonts_css(fields))
    issued = datetime(record.issued.year, record.issued.month, record.issued.day, tzinfo=timezone.utc)
    attachment = Attachment(file_obj=io.BytesIO(record.canonical_json()), name=_record_name(record),
                            description=ATTACHMENT_DESCRIPTION, created=issued, modified=issued, relationship="Data")
    pdf: Any = document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT,
                                  attachments=[attachment], finisher=_unique_associated_files)
    return bytes(pdf)


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """List each embedded file once in the catalog's /AF (WeasyPrint 70 lists an attachment twice)."""
    associated = pdf.catalog.get("AF")
    if associated is not None:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


def _layer(item: Sealed, fields: Fields) -> LearnerLayer:
    context = {"record": item.record, "r": item.record, "link": item.link,
               "host": urlsplit(item.link).hostname or item.link}
    return fit_fields(fields, item.record, context, item.link, item.qr_png)


def _fields_html(layer: LearnerLayer, fields: Fields, link: str, qr_png: bytes) -> Callable[[int], Markup]:
    """The learner fields of each page as HTML, for :func:`direct_pdf`: texts, and the QR code as a link."""
    qr = fields.qr
    files = font_files(fields)
    image = (f'<a href="{escape(link)}" style="position:absolute;display:block;left:{qr.left!r}px;'
             f'top:{qr.top!r}px;width:{qr.width!r}px;height:{qr.height!r}px"><img src="data:image/png;base64,'
             f'{base64.b64encode(qr_png).decode("ascii")}" alt="Verification QR code" style="display:block;'
             f'width:{qr.width!r}px;height:{qr.height!r}px;image-rendering:crisp-edges"></a>')

    def on_page(page: int) -> Markup:
        html = [field_html(field, text, placed.fitted.size, placed.fitted.height,
                           [files.index(face.path) for face in (field.face, *field.fallbacks)], fields.lang)
                for field, text, placed in layer.fields if placed.fitted.lines and field.box.page == page]
        return Markup("".join(html) + (image if qr.page == page else ""))

    return on_page


def _record_name(record: CertificateRecord) -> str:
    return f"{safe_name(record.learner.learner_id)}.json"


def metadata_of(record: CertificateRecord) -> Metadata:
    """The document information of a certificate: the same in the issuing path and in a full render."""
    from unadocs._version import __version__

    return Metadata(title=f"{record.title}: {record.learner.full_name}", author=record.issuer.name,
                    subject=f"Joint certificate {record.credential_id} under agreement {record.agreement.reference}",
                    creator="unadocs", producer=f"unadocs {__version__}", day=record.issued)


# -- the template's HTML -----------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _environment(directory: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=True,  # always: the template is HTML, the values are user data
        undefined=jinja2.StrictUndefined,
    )
    env.filters["longdate"] = format_date
    env.filters["ects"] = lambda value: format(Decimal(value).normalize(), "f")
    return env


def _words(record: CertificateRecord) -> dict[str, Any]:
    """What the template says in the certificate's languages: ``languages``, ``t``, ``say``, ``joined``,
    ``texts``, ``course_titles``, ``course_pillar``, ``signatory_title`` and ``country`` (a country's name in each language, joined)."""
    languages = record.certificate_languages

    def say(key: str, **values: object) -> Markup:
        return Markup("").join(Markup('<span class="l" lang="{}">{}</span>').format(language, text)
                               for language, text in _once((l, message(l, key, **values)) for l in languages))

    def joined(key: str, separator: str = " / ", **values: object) -> str:
        return separator.join(text for _, text in _once((l, message(l, key, **values)) for l in languages))

    def texts(field: str) -> list[tuple[str, str]]:
        return _once((l, record.text_in(field, l) or "") for l in languages)

    def course_titles(number: int) -> list[tuple[str, str]]:
        return _once((l, record.course_titles_in(l)[number]) for l in languages)

    def course_pillar(number: int) -> str:
        return " / ".join(dict.fromkeys(record.course_pillars_in(l)[number] or "" for l in languages))

    def signatory_title(number: int) -> str:
        return " / ".join(dict.fromkeys(record.signatory_titles_in(l)[number] for l in languages))

    def country(code: str) -> str:
        return " / ".join(dict.fromkeys(country_name(code, l) for l in languages))

    return {"languages": languages, "t": message, "say": say, "joined": joined, "texts": texts,
            "course_titles": course_titles, "course_pillar": course_pillar,
            "signatory_title": signatory_title, "country": country}


def _once(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each (language, text) whose text no earlier language said alike."""
    seen: set[str] = set()
    out = []
    for language, text in pairs:
        if text not in seen:
            seen.add(text)
            out.append((language, text))
    return out


def _no_fields(page: int) -> Markup:
    return Markup("")


def certificate_html(record: CertificateRecord, *, density: int = 0, directory: Path | None = None,
                     learner_fields: Callable[[int], Markup] = _no_fields) -> str:
    """The template as HTML for ``record``: the shared part, or with ``learner_fields`` the whole certificate."""
    directory = directory or template_dir()
    try:
        template = _environment(directory).get_template(TEMPLATE)
        return template.render(record=record, elements=record.parallel_elements(), metadata=metadata_of(record),
                               density=density, learner_fields=learner_fields, must_fit=must_fit,
                               **_words(record))
    except jinja2.TemplateError as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(f"certificate template {directory / TEMPLATE}{where}: {exc}") from exc


# -- variants: the shared part of each ------------------------------------------------------------------------


#: The learner the shared part is rendered for: the learner fields print the learner, so any would do.
_NOBODY = {"learner_id": "", "given_names": "", "family_name": "", "full_name": "", "date_of_birth": None}
#: The issue date the shared part is rendered with when the template does not print it outside the fields.
_ANY_DAY = date(2000, 1, 1)


def shared_record(record: CertificateRecord) -> CertificateRecord:
    """The record with the learner's own facts blanked; whether there is a grade stays (its label is shared)."""
    return record.model_copy(update={"learner": LearnerPart(**_NOBODY), "credential_id": "",
                                     "grade": "*" if record.grade else None})


def shared_part_of(record: CertificateRecord, directory: Path | None = None) -> SharedPart:
    """The shared part of this record's variant (awarding bodies, texts, specimen), rendered once and cached."""
    directory = (directory or template_dir()).resolve()
    return _shared_part_of(record, directory, template_fingerprint(directory))[0]


def _shared_part_of(record: CertificateRecord, directory: Path, fingerprint: str) -> tuple[SharedPart, int]:
    return _shared(_variant(shared_record(record).canonical_json(), directory, fingerprint), directory, fingerprint)


@lru_cache(maxsize=256)
def _variant(shared_json: bytes, directory: Path, fingerprint: str) -> bytes:
    """The record the shared part is rendered from: without the issue date when the template prints it in fields only.

    A cohort issued over many days then shares one shared part. A template
    that prints the learner's details outside the fields is refused.
    """
    shared = CertificateRecord.from_json(shared_json)
    undated = shared.model_copy(update={"issued": _ANY_DAY})

    def body(record: CertificateRecord) -> str:
        return certificate_html(record, directory=directory).partition("<body")[2]

    someone = shared.model_copy(update={"learner": LearnerPart(learner_id="?", given_names="?", family_name="?",
                                                                full_name="?", date_of_birth=_ANY_DAY),
                                        "credential_id": "?", "grade": "?" if shared.grade else None})
    if body(someone) != body(shared):
        raise TemplateError(
            f"certificate template {directory / TEMPLATE} prints the learner's details outside the learner fields; "
            f"print every per-learner value (name, id, dates, grade, credential id) in a field of {FIELDS}, so "
            "that the shared part of the certificate is the same for the whole cohort")
    return undated.canonical_json() if body(shared) == body(undated) else shared_json


@lru_cache(maxsize=16)
def _shared(shared_json: bytes, directory: Path, fingerprint: str) -> tuple[SharedPart, int]:
    """``fingerprint`` is part of the cache key only: an edited template gives a new shared part."""
    shared = CertificateRecord.from_json(shared_json)
    fields = load_fields(directory, fingerprint).for_languages(len(shared.certificate_languages))
    part, density = shared_part(lambda density: certificate_html(shared, density=density, directory=directory),
                                directory, fingerprint, fields.faces)
    for name, box in [*((field.name, field.box) for field in fields.fields), ("qr", fields.qr)]:
        if box.page > len(part.pages):
            raise TemplateError(f"{directory / FIELDS}: {name} is on page {box.page}, but the certificate has "
                                f"{len(part.pages)} pages")
    return part, density
