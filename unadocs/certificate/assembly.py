"""Assembly: one certificate file, the shared part's objects followed by the learner's own, PDF/A-3b.

A certificate is one PDF revision: the shared part's bytes, unchanged
(:class:`~unadocs.certificate.shared.SharedPart`), then the learner's
objects: the pages, which paint the learner layer over the shared drawing;
the layer's forms, fonts, QR code and link (:mod:`~unadocs.certificate.layer`);
the embedded record (PDF/A-3 associated file, relationship Data); the
document information and its XMP metadata; the catalog; the cross-reference
table. Nothing depends on the clock: the dates are the issue date, the file
identifier is a digest of the content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from unadocs.certificate.fields import Fields
from unadocs.certificate.layer import LearnerLayer, write_layer
from unadocs.certificate.pdf import Objects, name, text_string, xref_and_trailer
from unadocs.certificate.shared import LAYER, SharedPart

__all__ = ["ATTACHMENT_DESCRIPTION", "Metadata", "certificate_pdf"]

ATTACHMENT_DESCRIPTION = "Certificate record (unadocs-certificate/1, canonical JSON)"


@dataclass(frozen=True)
class Metadata:
    """The document information of a certificate (and of its full render): title, author, subject, creator, date."""

    title: str
    author: str
    subject: str
    creator: str
    producer: str
    day: date

    @property
    def date(self) -> str:
        """The W3C date the template's head gives WeasyPrint (``dcterms.created``)."""
        return f"{self.day.isoformat()}T00:00:00Z"


def certificate_pdf(shared: SharedPart, layer: LearnerLayer, fields: Fields, record_json: bytes, record_name: str,
                    metadata: Metadata) -> bytes:
    """The certificate: ``shared`` with ``layer`` painted over its pages, the record embedded as ``record_name``."""
    objects = Objects(shared.size)
    tree = objects.reserve()  # the first of the learner's objects: the print file knows the shared ones by it
    drawn = write_layer(layer, fields, [page.size for page in shared.pages], shared.fonts, objects)
    kids = []
    for page, (form, links) in zip(shared.pages, drawn, strict=True):
        resources = dict(page.resources)
        xobjects = resources.get("/XObject", b"<< >>")
        resources["/XObject"] = xobjects[:-2].rstrip() + b" %s %d 0 R >>" % (name(LAYER), form)
        annotations = b" ".join(b"%d 0 R" % n for n in (*page.annotations, *links))
        kids.append(objects.add(
            b"<< /Type /Page /Parent %d 0 R %s /Contents [%s] /Resources << %s >> /Annots [%s] >>"
            % (tree, page.entries, b" ".join(b"%d 0 R" % n for n in page.contents),
               b" ".join(name(k[1:]) + b" " + v for k, v in sorted(resources.items())), annotations)))
    objects.put(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    filespec = _attachment(record_json, record_name, metadata.day, objects)
    xmp = _xmp(metadata).encode("utf-8")
    packet = objects.stream(b"/Type /Metadata /Subtype /XML", xmp, compress=False)
    lang = b" /Lang " + shared.lang if shared.lang is not None else b""
    root = objects.add(
        b"<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /OutputIntents %d 0 R /AF [%d 0 R] "
        b"/Names << /EmbeddedFiles << /Names [%s %d 0 R] >> >>%s >>"
        % (tree, packet, shared.output_intents, filespec, text_string(record_name), filespec, lang))
    info = objects.add(_info(metadata))
    return _file(shared, objects, root, info)


def _attachment(data: bytes, file_name: str, day: date, objects: Objects) -> int:
    """The record as an embedded file and its file specification (PDF/A-3: an associated file of the document)."""
    stamp = text_string(f"D:{day.strftime('%Y%m%d')}000000Z")
    checksum = hashlib.md5(data, usedforsecurity=False).hexdigest().encode("ascii")
    embedded = objects.stream(b"/Type /EmbeddedFile /Subtype %s /Params << /Size %d /CheckSum <%s> /CreationDate %s "
                              b"/ModDate %s >>" % (name("application/json"), len(data), checksum, stamp, stamp), data)
    spelled = text_string(file_name)
    return objects.add(b"<< /Type /Filespec /F %s /UF %s /Desc %s /AFRelationship /Data /EF << /F %d 0 R /UF %d 0 R >> >>"
                       % (spelled, spelled, text_string(ATTACHMENT_DESCRIPTION), embedded, embedded))


def _info(metadata: Metadata) -> bytes:
    stamp = text_string(f"D:{metadata.day.strftime('%Y%m%d')}000000Z")
    entries = {"Title": metadata.title, "Author": metadata.author, "Subject": metadata.subject,
               "Creator": metadata.creator, "Producer": metadata.producer}
    return (b"<< " + b" ".join(name(k) + b" " + text_string(v) for k, v in entries.items())
            + b" /CreationDate %s /ModDate %s >>" % (stamp, stamp))


def _xmp(metadata: Metadata) -> str:
    """The XMP packet: PDF/A-3b identification and the same facts as the document information (ISO 19005-3, 6.6)."""
    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="3" '
        'pdfaid:conformance="B"/>\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:title>{alt(metadata.title)}</dc:title>\n'
        f'<dc:creator><rdf:Seq><rdf:li>{escape(metadata.author)}</rdf:li></rdf:Seq></dc:creator>\n'
        f'<dc:description>{alt(metadata.subject)}</dc:description>\n'
        '</rdf:Description>\n'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f'<xmp:CreatorTool>{escape(metadata.creator)}</xmp:CreatorTool>\n'
        f'<xmp:CreateDate>{metadata.date}</xmp:CreateDate>\n'
        f'<xmp:ModifyDate>{metadata.date}</xmp:ModifyDate>\n'
        '</rdf:Description>\n'
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        f'<pdf:Producer>{escape(metadata.producer)}</pdf:Producer>\n'
        '</rdf:Description>\n'
        '</rdf:RDF>\n'
        '</x:xmpmeta>\n'
        '<?xpacket end="r"?>')


def _file(shared: SharedPart, objects: Objects, root: int, info: int) -> bytes:
    """The whole file: the shared bytes, the learner's objects, the cross-reference table and the trailer."""
    out = bytearray(shared.prefix)
    offsets = dict(shared.offsets)
    for number_, body in sorted(objects.bodies.items()):
        offsets[number_] = len(out)
        out += b"%d 0 obj\n" % number_ + body + b"\nendobj\n"
    identifier = hashlib.md5(out, usedforsecurity=False).hexdigest().encode("ascii")
    trailer = b"/Root %d 0 R /Info %d 0 R /ID [<%s> <%s>]" % (root, info, identifier, identifier)
    table = [offsets.get(n, -1) for n in range(max(offsets) + 1)]
    return bytes(out + xref_and_trailer(table, len(out), trailer))
