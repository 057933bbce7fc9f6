"""Stamping a learner layer over the shared base: one certificate, still PDF/A-3 with its own record.

A certificate is the shared base's bytes, unchanged, followed by one
incremental update (ISO 32000-1, 7.5.6) that holds what is the learner's own:

* the learner layer of each page, a form XObject that the base's page
  already paints over its own drawing (:func:`prepare` leaves an empty one
  in its place), with its fonts (subset to the learner's glyphs), images and
  link annotations (the QR code's link);
* the embedded record, the document information and the XMP metadata,
  exactly as WeasyPrint writes them for a full render of the same template.

The base keeps the catalog's /Metadata, /OutputIntents and /AF, and is
never parsed or written again per learner: that, and WeasyPrint painting
the layer straight into the update, is what makes a certificate cheap.
Readers see only the newest version of each replaced object; PDF/A allows
incremental updates.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unadocs.filenames import safe_name

if TYPE_CHECKING:
    import pikepdf

    from unadocs.record import CertificateRecord

__all__ = ["Base", "prepare", "stamp"]

#: WeasyPrint's PDF/A-3b as the arguments of its DocumentMetadata.include_in_pdf: variant, version, conformance.
_XMP_VARIANT = ("a", 3, "B")
#: The learner layer's name in a page's resources.
_LAYER = "/UnadocsLearner"
#: CSS px to PDF points (72 points per inch, 96 px per inch).
_SCALE = 0.75


@dataclass(frozen=True)
class _Page:
    """Where one base page takes its learner layer."""

    #: The object number of the (empty) form XObject the page paints last.
    form: int
    #: The object number of the page's annotation array, and the base's own annotations in it.
    annotations: int
    fixed: tuple[bytes, ...]


@dataclass(frozen=True)
class Base:
    """A shared base ready for stamping: its bytes, and the numbers of the objects a learner replaces."""

    pdf: bytes
    #: The base's cross-reference section (the update's /Prev), its /Size, /Root and /Info.
    startxref: int
    size: int
    root: int
    info: int
    pages: tuple[_Page, ...]
    #: The base's colour spaces (the sRGB output intent's ICC profile): the layer uses them too.
    color_space: int
    metadata: int
    names: int
    filespec: int
    embedded: int
    #: Entries kept from the base (serialised values): document information, the record's file specification,
    #: its stream, and the XMP stream.
    info_entries: tuple[tuple[str, bytes], ...]
    filespec_entries: tuple[tuple[str, bytes], ...]
    embedded_entries: tuple[tuple[str, bytes], ...]
    metadata_entries: tuple[tuple[str, bytes], ...]


def prepare(pdf: bytes) -> Base:
    """The shared base ``pdf`` (one embedded file, the blank record), made ready for :func:`stamp`.

    Unused resources are dropped (WeasyPrint gives all pages one /Resources
    dictionary; left as it is, every page would carry every font). Each page
    paints an empty learner layer last, in a graphics state of its own, and
    holds its annotations in an array of their own; the record's name tree,
    file specification and stream are objects of their own. So a learner's
    update replaces objects, and never rewrites a page.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.remove_unreferenced_resources()
        for page in document.pages:
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject[_LAYER] = document.make_stream(
                b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=page.obj.MediaBox,
                Resources=pikepdf.Dictionary())
            # The base's drawing is wrapped in q/Q so that its graphics state cannot leak into the layer.
            page.contents_add(document.make_stream(b"q\n"), prepend=True)
            page.contents_add(document.make_stream(b"\nQ\nq " + _LAYER.encode() + b" Do Q\n"))
            page.obj.Annots = document.make_indirect(pikepdf.Array(list(page.obj.get("/Annots", []))))
        files = document.Root.Names
        files.EmbeddedFiles = document.make_indirect(files.EmbeddedFiles)
        if len(files.EmbeddedFiles.Names) != 2:
            raise ValueError(f"the shared base embeds {len(files.EmbeddedFiles.Names) // 2} files instead of one")
        saved = _save(document)
    with pikepdf.open(io.BytesIO(saved)) as document:
        names = document.Root.Names.EmbeddedFiles
        filespec = names.Names[1]
        embedded = filespec.EF.F
        pages = tuple(
            _Page(page.obj.Resources.XObject[_LAYER].objgen[0], page.obj.Annots.objgen[0],
                  tuple(b"%d 0 R" % annotation.objgen[0] for annotation in page.obj.Annots))
            for page in document.pages)
        spaces = {page.obj.Resources.get("/ColorSpace", pikepdf.Dictionary()).objgen for page in document.pages}
        if len(spaces) != 1 or next(iter(spaces)) == (0, 0):
            raise ValueError("the shared base's pages do not share one colour space dictionary")
        return Base(
            pdf=saved, startxref=int(saved[saved.rindex(b"startxref") + 9:].split()[0]),
            size=int(document.trailer.Size), root=document.Root.objgen[0], info=document.docinfo.objgen[0],
            pages=pages, color_space=next(iter(spaces))[0],
            metadata=document.Root.Metadata.objgen[0], names=names.objgen[0], filespec=filespec.objgen[0],
            embedded=embedded.objgen[0],
            info_entries=_entries(document.docinfo),
            filespec_entries=_entries(filespec, "/F", "/UF"),
            embedded_entries=_entries(embedded.stream_dict, "/Length", "/Filter", "/DecodeParms", "/Params"),
            metadata_entries=_entries(document.Root.Metadata.stream_dict, "/Length", "/Filter", "/DecodeParms"),
        )


def _entries(dictionary: pikepdf.Object, *left_out: str) -> tuple[tuple[str, bytes], ...]:
    return tuple((key[1:], value.unparse()) for key, value in dictionary.items() if key not in left_out)


def _save(document: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # deterministic_id: the file identifier is a hash of the content, never of the clock;
    # fix_metadata_version=False: pikepdf would otherwise re-serialise WeasyPrint's XMP packet.
    document.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def stamp(base: Base, document: Any, pages: Sequence[Any], record: CertificateRecord, metadata: Any) -> bytes:
    """The certificate: the WeasyPrint ``pages`` (of ``document``, laid out) over ``base``'s, with ``record`` embedded.

    ``metadata`` is the WeasyPrint ``DocumentMetadata`` of the learner's own
    certificate (title, author, description, dates from the template's head).
    """
    update = _Update(base)
    _paint_layer(update, base, document, pages)
    _embed_record(update, base, record)
    _set_metadata(update, base, metadata)
    return update.finish()


class _Update:
    """The objects of an incremental update: new ones numbered after the base's, and replacements of base objects.

    It stands in for the ``pydyf.PDF`` that WeasyPrint's PDF helpers add
    their objects to (``add_object``).
    """

    def __init__(self, base: Base) -> None:
        self.base = base
        self.objects: list[Any] = []
        self._next = base.size

    def add_object(self, pdf_object: Any) -> None:
        pdf_object.number = self._next
        self._next += 1
        self.objects.append(pdf_object)

    def replace(self, number: int, pdf_object: Any) -> None:
        pdf_object.number = number
        self.objects.append(pdf_object)

    def finish(self) -> bytes:
        """The base followed by the update: its objects, then a cross-reference stream that points back."""
        import pydyf  # type: ignore[import-untyped]

        start = len(self.base.pdf)
        out = bytearray(b"\n")
        offsets = {}
        for pdf_object in sorted(self.objects, key=lambda o: o.number):
            offsets[pdf_object.number] = start + len(out)
            out += pdf_object.indirect + b"\n"
        number = self._next
        offsets[number] = start + len(out)
        numbers = sorted(offsets)
        index: list[int] = []
        for n in numbers:
            if index and index[-2] + index[-1] == n:
                index[-1] += 1
            else:
                index += [n, 1]
        rows = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00" for n in numbers)
        # The file identifier, both parts: a hash of the update, which holds the learner's record. A certificate is
        # a document of its own, not a version of its base (never handed out), whose identifier it would keep.
        identifier = b"<" + hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().encode() + b">"
        xref = pydyf.Stream([rows], pydyf.Dictionary({
            "Type": "/XRef", "Size": number + 1, "Index": pydyf.Array(index), "W": pydyf.Array([1, 4, 1]),
            "Prev": self.base.startxref, "Root": b"%d 0 R" % self.base.root, "Info": b"%d 0 R" % self.base.info,
            "ID": pydyf.Array([identifier, identifier]),
        }), compress=True)
        xref.number = number
        out += xref.indirect + b"\nstartxref\n%d\n%%%%EOF\n" % offsets[number]
        return self.base.pdf + bytes(out)


def _paint_layer(update: _Update, base: Base, document: Any, pages: Sequence[Any]) -> None:
    """The learner layer's ``pages`` as the base pages' form XObjects, with their fonts, images and links.

    WeasyPrint paints them, subsets their fonts and writes their images as it
    does for a document of its own (``weasyprint.pdf.generate_pdf``); only
    its link annotations are kept of what a page may hold besides drawing
    (the layer has no bookmarks, forms or attachments).
    """
    import pydyf
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.matrix import Matrix
    from weasyprint.pdf import _use_references
    from weasyprint.pdf.anchors import add_links, resolve_links
    from weasyprint.pdf.fonts import build_fonts_dictionary

    from unadocs.certificate.paint import layer_stream

    if len(pages) != len(base.pages):
        raise ValueError(f"the learner layer has {len(pages)} pages, the shared base {len(base.pages)}")
    resources = pydyf.Dictionary({
        "ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(),
        "Shading": pydyf.Dictionary(), "ColorSpace": b"%d 0 R" % base.color_space,
    })
    update.add_object(resources)
    fonts: dict[Any, Any] = {}
    images: dict[str, Any] = {}
    for page, slots, (links, _) in zip(pages, base.pages, resolve_links(pages), strict=True):
        # The page's box as generate_pdf places it: the base's page has the same.
        bleed = page.bleed
        left, top = -bleed["left"], -bleed["top"]
        width, height = page.width + bleed["left"] + bleed["right"], page.height + bleed["top"] + bleed["bottom"]
        stream = layer_stream()(fonts, (left, top, width, height), resources, images, None, document.color_profiles,
                                 document.output_intent, compress=True)
        stream.transform(d=-1, f=page.height * _SCALE)
        page.paint(stream, _SCALE)
        box = [left * _SCALE, top * _SCALE, (left + width) * _SCALE, (top + height) * _SCALE]
        stream.extra = pydyf.Dictionary({"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array(box),
                                          "Resources": resources.reference})
        update.replace(slots.form, stream)
        holder = pydyf.Dictionary()
        before = len(update.objects)
        add_links((links, []), Matrix(_SCALE, 0, 0, -_SCALE, 0, page.height * _SCALE), update, holder, [], None)
        for annotation in update.objects[before:]:
            annotation["F"] = 4  # printable, as PDF/A requires (and as WeasyPrint marks them in a PDF/A)
        update.replace(slots.annotations, pydyf.Array([*slots.fixed, *holder.get("Annots", [])]))
    font_dictionary = build_fonts_dictionary(update, fonts, True, True, DEFAULT_OPTIONS)
    update.add_object(font_dictionary)
    resources["Font"] = font_dictionary.reference
    _use_references(update, resources, images, document.color_profiles)


def _embed_record(update: _Update, base: Base, record: CertificateRecord) -> None:
    """The learner's record in place of the base's (name, bytes, size, checksum, dates)."""
    import pydyf

    data = record.canonical_json()
    name = f"{safe_name(record.learner.learner_id)}.json"
    day = pydyf.String(record.issued.strftime("D:%Y%m%d000000Z"))
    embedded = pydyf.Stream([data], pydyf.Dictionary({
        **dict(base.embedded_entries),
        "Params": pydyf.Dictionary({
            "CheckSum": b"<" + hashlib.md5(data, usedforsecurity=False).hexdigest().encode() + b">",
            "Size": len(data), "CreationDate": day, "ModDate": day,
        }),
    }), compress=True)
    update.replace(base.embedded, embedded)
    filespec = pydyf.Dictionary(dict(base.filespec_entries))
    filespec["F"] = pydyf.String(name.encode("utf-8", errors="ignore"))
    filespec["UF"] = pydyf.String(name)
    update.replace(base.filespec, filespec)
    update.replace(base.names, pydyf.Dictionary({"Names": pydyf.Array([pydyf.String(name), b"%d 0 R" % base.filespec])}))


def _set_metadata(update: _Update, base: Base, metadata: Any) -> None:
    """Document information and XMP metadata as WeasyPrint writes them for this learner's certificate."""
    import pydyf
    from weasyprint.pdf import _w3c_date_to_pdf  # the date format WeasyPrint writes to /Info

    info = pydyf.Dictionary(dict(base.info_entries))
    values = {
        "Title": metadata.title,
        "Author": ", ".join(metadata.authors) if metadata.authors else None,
        "Subject": metadata.description,
        "Creator": metadata.generator,
        "CreationDate": _w3c_date_to_pdf(metadata.created, "created"),
        "ModDate": _w3c_date_to_pdf(metadata.modified, "modified"),
    }
    for key, value in values.items():
        if value is None:
            info.pop(key, None)
        else:
            info[key] = pydyf.String(value)
    update.replace(base.info, info)
    # The XMP packet from WeasyPrint's own code, so that it always agrees with /Info as in a direct render.
    scratch = pydyf.PDF()
    metadata.include_in_pdf(scratch, *_XMP_VARIANT, compress=False)
    packet = b"".join(bytes(part) if not isinstance(part, str) else part.encode() for part in scratch.objects[-1].stream)
    update.replace(base.metadata, pydyf.Stream([packet], pydyf.Dictionary(dict(base.metadata_entries))))
