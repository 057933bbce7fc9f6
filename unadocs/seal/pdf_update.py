"""The incremental update that carries a PDF's seal: an invisible signature field and room for the signature.

A PAdES seal is appended to the certificate as it is, in one incremental
update (ISO 32000-1 §7.5.6, §12.8): the signature dictionary (SubFilter
``ETSI.CAdES.detached``, the signing time in ``/M``, ``/ByteRange`` and a
``/Contents`` placeholder), an invisible signature field on the first page
(a zero-size widget, printable and locked, with an empty appearance), the
form that lists it, the catalog with that form and the ESIC developer
extension that PAdES declares, and a cross-reference section of the kind
the file already uses. Nothing else changes: the pages, the embedded record,
the document information and the XMP metadata stay byte for byte, so the
file stays PDF/A-3 (its Info and XMP still agree) and the bytes before the
update are exactly the certificate that was rendered.

Why not pyHanko's incremental writer (:mod:`pyhanko.pdf_utils.incremental_writer`):
on every write it sets the Info ``/Producer`` to ``"<old>; pyHanko x.y"`` but
the XMP ``pdf:Producer`` to ``"pyHanko x.y"`` (Info and XMP then disagree,
which PDF/A forbids, ISO 19005-3 §6.6.2.3.1), stamps the wall clock into
``/ModDate`` and ``xmp:ModifyDate``, and draws the second file identifier at
random, so two seals of the same file at the same time never match. pyHanko
still makes the signature (:mod:`unadocs.seal.pades`) and validates it,
difference analysis included; the objects here are read and written with
pikepdf's object model, and the update is checked by pyHanko's validator
and poppler's ``pdfsig`` in the tests.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from unadocs.errors import SealError

__all__ = ["FIELD_NAME", "Prepared", "prepare_update"]

#: The seal's field name in the form (a suffix is added when the PDF already has a field of that name).
FIELD_NAME = "eSeal"
_BYTE_RANGE = b"/ByteRange [0 0000000000 0000000000 0000000000]"
_ESIC = b"<< /Type /DeveloperExtensions /BaseVersion /1.7 /ExtensionLevel 1 >>"


@dataclass(frozen=True)
class Prepared:
    """A PDF with its seal's update appended and the signature still to be written into ``/Contents``."""

    data: bytearray
    contents: int
    """Offset of the ``<`` that opens the ``/Contents`` hex string."""
    reserved: int
    """Bytes of room for the signature container (the hex string holds twice as many digits)."""
    original: int
    """Length of the PDF before the update: ``data[:original]`` is the certificate as it was rendered."""

    def digest(self) -> bytes:
        """SHA-256 of the bytes the signature covers: the whole file but the ``/Contents`` hex string."""
        end = self.contents + 2 * self.reserved + 2
        digest = hashlib.sha256()
        digest.update(memoryview(self.data)[: self.contents])
        digest.update(memoryview(self.data)[end:])
        return digest.digest()

    def filled(self, container: bytes) -> bytes:
        """The sealed PDF: the signature container (DER) written into ``/Contents``, padded with zeros."""
        if len(container) > self.reserved:
            raise SealError(f"the signature ({len(container)} bytes) is larger than the {self.reserved} bytes "
                            "reserved for it; a timestamp server whose tokens grew during the run?")
        sealed = bytearray(self.data)
        start = self.contents + 1
        sealed[start: start + 2 * len(container)] = container.hex().upper().encode("ascii")
        return bytes(sealed)


def prepare_update(pdf: bytes, signing_time: datetime, reserved: int, salt: bytes) -> Prepared:
    """Append the seal's update to ``pdf``, with ``reserved`` bytes for the signature container.

    ``signing_time`` goes into ``/M``; ``salt`` (the seal certificate's
    fingerprint) and the signing time make the second file identifier, so the
    same PDF, seal and time give the same bytes (the first identifier is the
    file's own, as an update keeps it, ISO 32000-1 §14.4). :class:`SealError` for a PDF
    that cannot be sealed (encrypted, damaged, no page).
    """
    import pikepdf

    start_of_xref = _start_of_xref(pdf)
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            if document.is_encrypted:
                raise SealError("an encrypted PDF cannot be sealed")
            objects, size, trailer = _updated_objects(document, signing_time, reserved)
            identifier = document.trailer.get("/ID")
            first_id = bytes(identifier[0]) if identifier is not None and len(identifier) == 2 else None
    except SealError:
        raise
    except Exception as exc:  # noqa: BLE001 - qpdf reads a file a renderer wrote; any failure is "cannot seal"
        raise SealError(f"the PDF cannot be sealed ({type(exc).__name__})") from None

    data = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[tuple[int, int], int] = {}
    for (number, generation), body in sorted(objects.items()):
        offsets[number, generation] = len(data)
        data += b"%d %d obj\n" % (number, generation) + body + b"\nendobj\n"
    second_id = hashlib.sha256(hashlib.sha256(pdf).digest() + salt + _pdf_date(signing_time)).digest()[:16]
    trailer += b" /ID [<%s> <%s>]" % ((first_id or second_id).hex().encode(), second_id.hex().encode())
    if pdf[start_of_xref: start_of_xref + 4] == b"xref":
        data += _xref_table(offsets, size, start_of_xref, trailer, len(data))
    else:
        data += _xref_stream(offsets, size, start_of_xref, trailer, len(data))

    signature_at = offsets[size, 0]
    contents = data.index(b"/Contents <", signature_at) + len(b"/Contents ")
    end = contents + 2 * reserved + 2
    byte_range = b"/ByteRange [0 %010d %010d %010d]" % (contents, end, len(data) - end)
    at = data.index(_BYTE_RANGE, signature_at)
    data[at: at + len(_BYTE_RANGE)] = byte_range
    return Prepared(data, contents, reserved, len(pdf))


def _start_of_xref(pdf: bytes) -> int:
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*\Z", pdf[-1024:])
    if found is None or int(found.group(1)) >= len(pdf):
        raise SealError("the PDF does not end with a cross-reference offset; it cannot be sealed in an update")
    return int(found.group(1))


def _updated_objects(document: Any, signing_time: datetime, reserved: int
                     ) -> tuple[dict[tuple[int, int], bytes], int, bytes]:
    """The objects the update writes (new and changed, by number and generation), the first new object
    number, and the trailer entries other than ``/Size``, ``/Prev`` and ``/ID``."""
    import pikepdf

    size = int(document.trailer.Size)
    signature, widget, appearance, form = size, size + 1, size + 2, size + 3
    root = document.Root
    if not len(document.pages):
        raise SealError("a PDF without pages cannot be sealed")
    page = document.pages[0].obj
    objects: dict[tuple[int, int], bytes] = {}

    old_form = root.get("/AcroForm")
    fields = list(old_form.get("/Fields", [])) if old_form is not None else []
    names = {str(f.get("/T", "")) for f in fields if isinstance(f, pikepdf.Dictionary)}
    name = FIELD_NAME if FIELD_NAME not in names else next(
        f"{FIELD_NAME} {i}" for i in range(2, len(names) + 3) if f"{FIELD_NAME} {i}" not in names)

    objects[signature, 0] = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M "
                             + _pdf_date(signing_time) + b" " + _BYTE_RANGE
                             + b" /Contents <" + b"0" * (2 * reserved) + b"> >>")
    objects[widget, 0] = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T " + _unparse(pikepdf.String(name))
                          + b" /F 132 /Rect [0 0 0 0] /P %d %d R /V %d 0 R /AP << /N %d 0 R >> >>"
                          % (*page.objgen, signature, appearance))
    objects[appearance, 0] = b"<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Resources << >> /Length 0 >>\n" \
                             b"stream\n\nendstream"
    form_entries = {k: old_form[k] for k in old_form.keys() if k not in ("/Fields", "/SigFlags")} if old_form else {}
    objects[form, 0] = _with(form_entries, b"/Fields [" + b" ".join([*(_unparse(f) for f in fields),
                                                                      b"%d 0 R" % widget]) + b"] /SigFlags 3")
    catalog = {k: root[k] for k in root.keys() if k not in ("/AcroForm", "/Extensions")}
    extensions = root.get("/Extensions")
    extension_entries = {k: extensions[k] for k in extensions.keys() if k != "/ESIC"} if extensions else {}
    esic = _unparse(extensions["/ESIC"]) if extensions is not None and "/ESIC" in extensions else _ESIC
    objects[root.objgen] = _with(catalog, b"/AcroForm %d 0 R /Extensions %s" % (form, _with(extension_entries,
                                                                                             b"/ESIC " + esic)))
    annotations = page.get("/Annots")
    listed = b"[" + b" ".join([*(_unparse(a) for a in (annotations or [])), b"%d 0 R" % widget]) + b"]"
    if annotations is not None and annotations.is_indirect:
        objects[annotations.objgen] = listed
    else:
        objects[page.objgen] = _with({k: page[k] for k in page.keys() if k != "/Annots"}, b"/Annots " + listed)

    trailer = b"/Root %d %d R" % root.objgen
    info = document.trailer.get("/Info")
    if info is not None and info.is_indirect:
        trailer += b" /Info %d %d R" % info.objgen
    return objects, size, trailer


def _with(entries: dict[str, Any], extra: bytes) -> bytes:
    """A dictionary of existing ``entries`` (indirect values stay references) with ``extra`` entries added."""
    import pikepdf

    body = _unparse(pikepdf.Dictionary(entries)) if entries else b"<< >>"
    return body[:-2].rstrip() + b" " + extra + b" >>"


def _unparse(value: Any) -> bytes:
    """PDF syntax of a value; an indirect object as its reference (``12 0 R``)."""
    if getattr(value, "is_indirect", False):
        return b"%d %d R" % value.objgen
    return bytes(value.unparse())


def _pdf_date(moment: datetime) -> bytes:
    return moment.astimezone(timezone.utc).strftime("(D:%Y%m%d%H%M%SZ)").encode("ascii")


def _xref_table(offsets: dict[tuple[int, int], int], size: int, previous: int, trailer: bytes, at: int) -> bytes:
    """A classic cross-reference section and trailer, for a file that has them."""
    rows = [b"xref\n"]
    for first, entries in _subsections(offsets):
        rows.append(b"%d %d\n" % (first, len(entries)))
        rows += [b"%010d %05d n \n" % (offset, generation) for generation, offset in entries]
    rows.append(b"trailer\n<< /Size %d /Prev %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (size + 4, previous, trailer, at))
    return b"".join(rows)


def _xref_stream(offsets: dict[tuple[int, int], int], size: int, previous: int, trailer: bytes, at: int) -> bytes:
    """A cross-reference stream (ISO 32000-1 §7.5.8), for a file that uses them; it lists itself too."""
    number = size + 4
    entries = {**offsets, (number, 0): at}
    index: list[bytes] = []
    rows = bytearray()
    for first, listed in _subsections(entries):
        index += [b"%d" % first, b"%d" % len(listed)]
        for generation, offset in listed:
            rows += b"\x01" + offset.to_bytes(5, "big") + generation.to_bytes(2, "big")
    head = (b"<< /Type /XRef /Size %d /Index [%s] /W [1 5 2] /Prev %d %s /Length %d >>"
            % (number + 1, b" ".join(index), previous, trailer, len(rows)))
    return (b"%d 0 obj\n" % number + head + b"\nstream\n" + bytes(rows) + b"\nendstream\nendobj\n"
            + b"startxref\n%d\n%%%%EOF\n" % at)


def _subsections(offsets: dict[tuple[int, int], int]) -> list[tuple[int, list[tuple[int, int]]]]:
    """Consecutive object numbers grouped: ``[(first number, [(generation, offset), ...]), ...]``."""
    groups: list[tuple[int, list[tuple[int, int]]]] = []
    for (number, generation), offset in sorted(offsets.items()):
        if groups and groups[-1][0] + len(groups[-1][1]) == number:
            groups[-1][1].append((generation, offset))
        else:
            groups.append((number, [(generation, offset)]))
    return groups
