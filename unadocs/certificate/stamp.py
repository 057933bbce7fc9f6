"""Stamping a learner layer over the shared base: one certificate, still PDF/A-3 with its own record.

The base is a complete PDF/A-3 file of the cohort's shared layer (opening it
keeps the catalog's /Metadata, /OutputIntents and /AF, which a new PDF would
drop). For each learner we copy it, lay the learner's pages over its pages as
form XObjects, carry over the learner layer's link annotations (the QR code's
link), and make the document facts the learner's own: the embedded record,
the document information and the XMP metadata, exactly as WeasyPrint writes
them for a full render of the same template.
"""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Any

from unadocs.certificate.files import safe_name

if TYPE_CHECKING:
    import pikepdf

    from unadocs.certificate.record import CertificateRecord

__all__ = ["compact", "stamp"]

#: WeasyPrint's PDF/A-3b as the arguments of its DocumentMetadata.include_in_pdf: variant, version, conformance.
_XMP_VARIANT = ("a", 3, "B")


def compact(pdf: bytes) -> bytes:
    """The PDF without unused resources.

    WeasyPrint gives all pages of a document one /Resources dictionary; left
    as it is, every page (and so every stamped copy) would carry every font.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.remove_unreferenced_resources()
        return _save(document)


def _save(document: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # deterministic_id: the file identifier is a hash of the content, never of the clock;
    # fix_metadata_version=False: pikepdf would otherwise re-serialise WeasyPrint's XMP packet.
    document.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def stamp(base: bytes, layer: bytes, record: CertificateRecord, metadata: Any) -> bytes:
    """The certificate: ``layer``'s pages over ``base``'s, with ``record`` embedded and ``metadata`` set.

    ``metadata`` is the WeasyPrint ``DocumentMetadata`` of the learner's own
    certificate (title, author, description, dates from the template's head).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(base)) as document, pikepdf.open(io.BytesIO(layer)) as own:
        own.remove_unreferenced_resources()
        for page, own_page in zip(document.pages, own.pages, strict=True):
            _overlay(document, page, own_page)
            annotations = own_page.obj.get("/Annots")
            if annotations is not None:
                copied = [_copy_annotation(document, annotation) for annotation in annotations]
                existing = list(page.obj.get("/Annots", pikepdf.Array()))
                page.obj.Annots = document.make_indirect(pikepdf.Array(existing + copied))
        _embed_record(document, record)
        _set_metadata(document, metadata)
        return _save(document)


#: The learner layer's name in a page's resources (a fixed name: pikepdf's add_overlay picks a random one).
_LAYER = "/UnadocsLearner"


def _overlay(document: pikepdf.Pdf, page: pikepdf.Page, own_page: pikepdf.Page) -> None:
    """Paint ``own_page`` over ``page``, as a form XObject, at the same place (the pages are the same size)."""
    import pikepdf

    form = document.copy_foreign(own_page.as_form_xobject())
    resources = page.obj.Resources
    if "/XObject" not in resources:
        resources.XObject = pikepdf.Dictionary()
    resources.XObject[_LAYER] = form
    # The base's drawing is wrapped in q/Q so that its graphics state cannot leak into the layer.
    page.contents_add(document.make_stream(b"q\n"), prepend=True)
    page.contents_add(document.make_stream(b"\nQ\nq " + _LAYER.encode() + b" Do Q\n"))


def _copy_annotation(document: pikepdf.Pdf, annotation: pikepdf.Object) -> pikepdf.Object:
    if "/P" in annotation:  # a link back to the layer's page, which is not copied
        del annotation["/P"]
    annotation.F = 4  # printable, as PDF/A requires (and as WeasyPrint marks every annotation of a PDF/A)
    return document.copy_foreign(annotation)


def _embed_record(document: pikepdf.Pdf, record: CertificateRecord) -> None:
    """Replace the base's embedded record by the learner's (name, bytes, size, checksum, dates)."""
    import pikepdf

    data = record.canonical_json()
    name = f"{safe_name(record.learner.learner_id)}.json"
    names = document.Root.Names.EmbeddedFiles.Names
    if len(names) != 2:
        raise ValueError(f"the shared base embeds {len(names) // 2} files instead of the one record")
    names[0] = pikepdf.String(name)
    filespec = names[1]
    filespec.F = pikepdf.String(name.encode("utf-8", errors="ignore"))
    filespec.UF = pikepdf.String(name)
    embedded = filespec.EF.F
    embedded.write(data)
    day = record.issued.strftime("D:%Y%m%d000000Z")
    embedded.Params = pikepdf.Dictionary(
        CheckSum=pikepdf.String(hashlib.md5(data, usedforsecurity=False).digest()),
        Size=len(data),
        CreationDate=pikepdf.String(day),
        ModDate=pikepdf.String(day),
    )


def _set_metadata(document: pikepdf.Pdf, metadata: Any) -> None:
    """Document information and XMP metadata as WeasyPrint writes them for this learner's certificate."""
    import pikepdf
    import pydyf  # type: ignore[import-untyped]
    from weasyprint.pdf import _w3c_date_to_pdf  # the date format WeasyPrint writes to /Info

    info = document.docinfo
    values = {
        "/Title": metadata.title,
        "/Author": ", ".join(metadata.authors) if metadata.authors else None,
        "/Subject": metadata.description,
        "/Creator": metadata.generator,
        "/CreationDate": _w3c_date_to_pdf(metadata.created, "created"),
        "/ModDate": _w3c_date_to_pdf(metadata.modified, "modified"),
    }
    for key, value in values.items():
        if value is None:
            if key in info:
                del info[key]
        else:
            info[key] = pikepdf.String(value)
    # The XMP packet from WeasyPrint's own code, so that it always agrees with /Info as in a direct render.
    scratch = pydyf.PDF()
    metadata.include_in_pdf(scratch, *_XMP_VARIANT, compress=False)
    packet = b"".join(bytes(part) if not isinstance(part, str) else part.encode() for part in scratch.objects[-1].stream)
    document.Root.Metadata.write(packet)
