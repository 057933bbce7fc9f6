"""The print file: every certificate of a run in one PDF, written as the certificates come, in flat memory.

Merging with pikepdf keeps every source open until the final save, so memory
grows with the cohort. :class:`CombinedPdf` instead appends each
certificate's pages, and the objects they use, to the file as soon as it is
added and forgets them; only the byte offsets of the objects stay in memory.

The certificates of a variant open with the same objects, byte for byte (the
shared part, :mod:`~unadocs.certificate.assembly`): the objects numbered below
a file's page tree, when the bytes before that tree are the same as in a
file added before and none of those objects refers to a later one. They are
written once and shared by every page that uses them, which keeps the file
small and spares reading them again. Each certificate starts on an odd page
(a blank page pads one with an odd page count), so that duplex printing
never puts two learners on one sheet.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from array import array
from pathlib import Path
from types import TracebackType
from typing import Any

from unadocs.certificate.pdf import STRING_OR_REFERENCE as _STRING_OR_REFERENCE
from unadocs.certificate.pdf import copy_object, name, xref_and_trailer
from unadocs.files import new_temporary

__all__ = ["CombinedPdf"]

_A4 = b"[0 0 595.2756 841.8898]"
#: Inherited page attributes that may sit on the page tree rather than the page.
_INHERITED = ("/MediaBox", "/Resources", "/CropBox", "/Rotate")
#: The links back up the page tree, left out (the print file has its own tree).
_BACK_LINK = re.compile(rb"/(?:Parent|P) \d+ \d+ R")
_STREAM = re.compile(rb">>\s*stream\r?\n")


class CombinedPdf:
    """A PDF written incrementally: :meth:`add` certificates in order, then :meth:`close` (atomic rename)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._temporary, self._out = new_temporary(target)
        self._offsets = array("q", [-1])  # by object number: a few million objects in little memory
        self._digest = hashlib.sha256()
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._pages = self._reserve()
        self._kids: list[int] = []
        self._blank: int | None = None
        self.certificates = 0
        #: The print file's numbers of the objects of each shared opening seen, by its digest.
        self._shared: dict[bytes, dict[int, int]] = {}

    def __enter__(self) -> CombinedPdf:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def add(self, pdf: Path) -> None:
        """Append one certificate's pages (and a blank page if their number is odd)."""
        data = pdf.read_bytes()
        layout = _layout(data)
        opening = _opening(data, *layout) if layout else None
        kept = self._shared.get(opening[0]) if opening else None
        if kept and layout and not self._add_known(data, layout[0], opening[1], kept):  # type: ignore[index]
            kept = None
        if not kept:
            self._add_any(data, opening)
        self.certificates += 1

    def _add_any(self, data: bytes, opening: tuple[bytes, int] | None) -> None:
        """Append the pages of any PDF, read with pikepdf; note the objects it opens with, to be shared."""
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as source:
            numbers: dict[int, int] = {}  # by the source's object number
            todo: list[tuple[int, int]] = []

            def number_of(objgen: tuple[int, int]) -> int:
                found = numbers.get(objgen[0])
                if found is None:
                    found = numbers[objgen[0]] = self._reserve()
                    todo.append(objgen)
                return found

            def flush() -> None:
                while todo:
                    objgen = todo.pop()
                    self._object(numbers[objgen[0]], copy_object(source.get_object(objgen), number_of, inline=True))

            for page in source.pages:
                self._kids.append(self._page(page.obj, number_of))
                flush()
            if opening:  # the whole opening, also what this certificate does not show (a cohort's font it needs no
                for number in range(1, opening[1]):  # glyph of), so that the next of its variant finds it written
                    if source.get_object((number, 0)) is not None and number not in numbers:
                        number_of((number, 0))
                        flush()
            if len(source.pages) % 2:
                self._kids.append(self._blank_page())
            if opening and opening[0] not in self._shared:
                self._shared[opening[0]] = _kept(source, numbers, opening[1])

    def _add_known(self, data: bytes, offsets: dict[int, int], tree: int, kept: dict[int, int]) -> bool:
        """Append the pages of a PDF that opens as one added before: only the objects after the opening are read,
        from the file's bytes (False, and nothing written, if its page tree is not as unadocs writes it).
        """
        tree_body = _body(data, offsets, tree)
        kids = re.search(rb"/Kids \[([\d R]*)\]", tree_body or b"")
        if tree_body is None or kids is None or any(key.encode() in tree_body for key in _INHERITED):
            return False
        pages = [int(n) for n in re.findall(rb"(\d+) \d+ R", kids[1])]
        if not pages or any(_body(data, offsets, n) is None for n in pages):
            return False
        numbers = dict(kept)
        todo: list[int] = []

        def renumber(match: re.Match[bytes]) -> bytes:
            if match[1]:
                return match[1]  # a literal string
            number = int(match[2])
            if number not in numbers:
                numbers[number] = self._reserve()
                todo.append(number)
            return b"%d 0 R" % numbers[number]

        def copied(number: int) -> bytes:
            """The object's dictionary renumbered, without back links; a stream's data as it is."""
            found = _body(data, offsets, number)
            if found is None:
                raise ValueError(f"object {number} of a certificate is not where its cross-reference table says")
            head, stream, rest = found.partition(b"stream\n")
            return _STRING_OR_REFERENCE.sub(renumber, _BACK_LINK.sub(b"", head)) + stream + rest

        for page in pages:
            kid = self._reserve()
            entries = copied(page).replace(b"/Type /Page ", b"", 1).strip().removeprefix(b"<<")
            self._object(kid, b"<< /Type /Page /Parent %d 0 R " % self._pages + entries)
            self._kids.append(kid)
            while todo:
                number = todo.pop()
                self._object(numbers[number], copied(number))
        if len(pages) % 2:
            self._kids.append(self._blank_page())
        return True

    def close(self) -> None:
        """Write the page tree, catalog and cross-reference table, then move the file into place."""
        kids = b" ".join(b"%d 0 R" % kid for kid in self._kids)
        self._object(self._pages, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(self._kids))
        catalog = self._reserve()
        self._object(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % self._pages)
        identifier = self._digest.hexdigest()[:32].encode()
        start = self._out.tell()
        self._write(xref_and_trailer(self._offsets, start, b"/Root %d 0 R /ID [<%s> <%s>]" % (catalog, identifier,
                                                                                            identifier)))
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self._temporary, self.target)

    def abort(self) -> None:
        """Drop the partial file."""
        self._out.close()
        self._temporary.unlink(missing_ok=True)

    def _write(self, data: bytes) -> None:
        self._out.write(data)

    def _reserve(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._out.tell()
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        self._digest.update(body)

    def _blank_page(self) -> int:
        if self._blank is None:
            self._blank = self._reserve()
            self._object(self._blank, b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << >> >>"
                         % (self._pages, _A4))
        return self._blank

    def _page(self, page: Any, number_of: Any) -> int:
        keys = [k for k in page.keys() if k not in {"/Parent", "/Type"}]
        keys += [k for k in _INHERITED if k not in page and page.get(k) is not None]  # from the page tree
        entries = b" ".join(name(k[1:]) + b" " + copy_object(page.get(k), number_of) for k in sorted(keys))
        number = self._reserve()
        self._object(number, b"<< /Type /Page /Parent %d 0 R %s >>" % (self._pages, entries))
        return number


def _layout(data: bytes) -> tuple[dict[int, int], int] | None:
    """The objects' offsets and the catalog's number, from a file's one cross-reference table, as unadocs writes
    it (None for any other file)."""
    tail = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-64:])
    start = int(tail[1]) if tail else 0
    head = re.match(rb"xref\n0 (\d+)\n", data[start:start + 32])
    trailer = re.search(rb"trailer\s*<<.*?/Root (\d+) 0 R", data[start:], re.S)
    if head is None or trailer is None or b"/Prev" in data[start:]:
        return None
    rows = data[start + head.end(): start + head.end() + 20 * int(head[1])]
    offsets = {n: int(rows[20 * n: 20 * n + 10]) for n in range(1, int(head[1])) if rows[20 * n + 17: 20 * n + 18] == b"n"}
    return offsets, int(trailer[1])


def _opening(data: bytes, offsets: dict[int, int], root: int) -> tuple[bytes, int] | None:
    """A file's opening: the digest of its bytes before its page tree, and the tree's object number."""
    catalog = _body(data, offsets, root)
    tree = re.search(rb"/Pages (\d+) 0 R", catalog or b"")
    if tree is None or int(tree[1]) not in offsets:
        return None
    number = int(tree[1])
    return hashlib.sha256(data[:offsets[number]]).digest() + b"%d" % number, number


def _body(data: bytes, offsets: dict[int, int], number: int) -> bytes | None:
    """The bytes of object ``number`` between ``obj`` and ``endobj``; None if it is not where the table says."""
    offset = offsets.get(number)
    head = re.compile(rb"%d 0 obj\s" % number).match(data, offset) if offset is not None else None
    if head is None:
        return None
    closing = data.find(b"endobj", head.end())
    stream = _STREAM.search(data, head.end(), closing)  # the keyword comes before the data, which may hold anything
    if stream is not None:
        length = re.search(rb"/Length (\d+)(?! \d+ R)", data[head.end(): stream.start() + 2])
        if length is None:
            return None
        closing = data.find(b"endobj", stream.end() + int(length[1]))
    return data[head.end(): closing].rstrip() if closing >= 0 else None


def _kept(source: Any, numbers: dict[int, int], below: int) -> dict[int, int]:
    """Of the objects written for a file, those numbered ``below`` its page tree, if none refers to a later one."""
    import pikepdf

    for number in numbers:
        if number < below:
            item = source.get_object((number, 0))
            body = bytes((item.stream_dict if isinstance(item, pikepdf.Stream) else item).unparse(resolved=True))
            if any(int(n) >= below for n in re.findall(rb"(\d+) 0 R", body)):
                return {}
    return {n: printed for n, printed in numbers.items() if n < below}
