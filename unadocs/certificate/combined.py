"""The print file: every certificate of a run in one PDF, written as the certificates come, in flat memory.

Merging with pikepdf keeps every source open until the final save, so memory
grows with the cohort. :class:`CombinedPdf` instead appends each certificate's
objects to the file as soon as it is added and forgets them; only the byte
offsets of the objects stay in memory. Objects with the same content (the
shared base's fonts, artwork and page content, the same for a whole cohort)
are written once and shared by every page that uses them, so the file stays
small too; and as a certificate is its shared base followed by an update
(:mod:`~unadocs.certificate.stamp`), the base's objects are read once per
base, not once per certificate. Each certificate starts on an odd page (a blank page pads one with
an odd page count), so that duplex printing never puts two learners on one
sheet.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from unadocs.files import new_temporary

__all__ = ["CombinedPdf"]

#: Keys that point back up the tree (a page's parent, an annotation's page): rewritten or left out.
_BACK_LINKS = {"/Parent", "/P"}
_A4 = b"[0 0 595.2756 841.8898]"


class CombinedPdf:
    """A PDF written incrementally: :meth:`add` certificates in order, then :meth:`close` (atomic rename)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._temporary, self._out = new_temporary(target)
        self._offsets: list[int] = [0]  # by object number; 0 is the free-list head
        self._kids: list[int] = []
        self._known: dict[bytes, int] = {}  # content digest -> object number
        self._digest = hashlib.sha256()
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._pages = self._reserve()
        self._blank: int | None = None
        self.certificates = 0
        # A certificate is a shared base and one update (stamp.py): the objects of the base that reach no object of
        # the update are the same in every certificate of that base, so they are read once per base, not per page.
        self._base: tuple[bytes, frozenset[int]] | None = None
        self._updated: frozenset[int] = frozenset()
        self._from_base: dict[tuple[tuple[bytes, frozenset[int]], tuple[int, int]], int] = {}
        # Of the certificate being added: its objects that reach an object of the update, and how often one was met.
        self._tainted: set[tuple[int, int]] = set()
        self._reached = 0

    def __enter__(self) -> CombinedPdf:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def add(self, pdf: Path) -> None:
        """Append one certificate's pages (and a blank page if their number is odd)."""
        import pikepdf

        data = pdf.read_bytes()
        with pikepdf.open(io.BytesIO(data)) as source:
            self._base, self._updated = _base_and_update(data, source) or (None, frozenset())
            self._tainted.clear()
            numbers: dict[tuple[int, int], int] = {}
            for page in source.pages:
                self._kids.append(self._page(page.obj, numbers))
            if len(source.pages) % 2:
                self._kids.append(self._blank_page())
        self.certificates += 1

    def close(self) -> None:
        """Write the page tree, catalog and cross-reference table, then move the file into place."""
        kids = b" ".join(b"%d 0 R" % kid for kid in self._kids)
        self._object(self._pages, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(self._kids))
        catalog = self._new_object(b"<< /Type /Catalog /Pages %d 0 R >>" % self._pages)
        start = self._out.tell()
        rows = [b"xref\n0 %d\n" % len(self._offsets), b"0000000000 65535 f \n"]
        rows += [b"%010d 00000 n \n" % offset for offset in self._offsets[1:]]
        identifier = self._digest.hexdigest()[:32].encode()
        rows.append(b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                    % (len(self._offsets), catalog, identifier, identifier, start))
        self._write(b"".join(rows))
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self._temporary, self.target)

    def abort(self) -> None:
        """Drop the partial file."""
        self._out.close()
        self._temporary.unlink(missing_ok=True)

    # -- objects --------------------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self._out.write(data)

    def _reserve(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._out.tell()
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        self._digest.update(body)

    def _new_object(self, body: bytes) -> int:
        number = self._reserve()
        self._object(number, body)
        return number

    def _shared_object(self, body: bytes) -> int:
        """The number of an object with this content: written the first time, reused after."""
        key = hashlib.sha256(body).digest()
        number = self._known.get(key)
        if number is None:
            number = self._known[key] = self._new_object(body)
        return number

    def _blank_page(self) -> int:
        if self._blank is None:
            self._blank = self._new_object(b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << >> >>"
                                           % (self._pages, _A4))
        return self._blank

    def _page(self, page: Any, numbers: dict[tuple[int, int], int]) -> int:
        entries = {key: page[key] for key in page.keys() if key not in _BACK_LINKS}
        for inherited in ("/MediaBox", "/Resources", "/CropBox", "/Rotate"):  # may sit on the page tree
            if inherited not in entries and page.get(inherited) is not None:
                entries[inherited] = page.get(inherited)
        body = b"<< /Parent %d 0 R " % self._pages
        body += b" ".join(_name(key) + b" " + self._value(value, numbers) for key, value in sorted(entries.items()))
        return self._new_object(body + b" >>")

    def _value(self, value: Any, numbers: dict[tuple[int, int], int]) -> bytes:
        import pikepdf

        if isinstance(value, pikepdf.Object) and value.is_indirect:
            objgen = value.objgen
            if objgen not in numbers:
                known = self._from_base.get((self._base, objgen)) if self._base is not None else None
                if known is not None:
                    numbers[objgen] = known
                    return b"%d 0 R" % known
                numbers[objgen] = -1  # in progress: a cycle other than the back links is not expected
                reached = self._reached
                numbers[objgen] = self._shared_object(self._direct(value, numbers))
                if objgen[0] in self._updated or self._reached > reached:
                    self._tainted.add(objgen)
                    self._reached += 1
                elif self._base is not None:
                    self._from_base[self._base, objgen] = numbers[objgen]
            elif numbers[objgen] == -1:
                raise ValueError(f"reference cycle through object {objgen} in a certificate")
            elif objgen in self._tainted:
                self._reached += 1  # what refers to it reaches the update too
            return b"%d 0 R" % numbers[objgen]
        return self._direct(value, numbers)

    def _direct(self, value: Any, numbers: dict[tuple[int, int], int]) -> bytes:
        import pikepdf

        if isinstance(value, pikepdf.Stream):
            data = value.read_raw_bytes()
            entries = {k: value.stream_dict[k] for k in value.stream_dict.keys() if k != "/Length"}
            head = self._dictionary(entries, numbers)[:-2] + b" /Length %d >>" % len(data)
            return head + b"\nstream\n" + data + b"\nendstream"
        if isinstance(value, (pikepdf.Dictionary, pikepdf.Array)):
            if not (isinstance(value, pikepdf.Dictionary) and any(key in value for key in _BACK_LINKS)):
                # Without a reference inside ("n g R"), pikepdf's own serialisation is the object: a font's
                # glyph widths are thousands of numbers, too many to write one by one for every certificate.
                raw = bytes(value.unparse(resolved=True))
                if b" R" not in raw:
                    return raw
            if isinstance(value, pikepdf.Array):
                return b"[" + b" ".join(self._value(item, numbers) for item in value) + b"]"
            return self._dictionary({k: value[k] for k in value.keys() if k not in _BACK_LINKS}, numbers)
        if isinstance(value, pikepdf.Object):
            return bytes(value.unparse())
        if isinstance(value, bool):
            return b"true" if value else b"false"
        if isinstance(value, int):
            return b"%d" % value
        if isinstance(value, Decimal):
            return format(value, "f").encode("ascii")
        if value is None:
            return b"null"
        raise TypeError(f"unexpected PDF value {value!r}")

    def _dictionary(self, entries: dict[str, Any], numbers: dict[tuple[int, int], int]) -> bytes:
        parts = (_name(key) + b" " + self._value(value, numbers) for key, value in sorted(entries.items()))
        return b"<< " + b" ".join(parts) + b" >>"


def _base_and_update(data: bytes, source: Any) -> tuple[tuple[bytes, frozenset[int]], frozenset[int]] | None:
    """For a PDF that is an original and one incremental update with a cross-reference stream (a certificate):
    what identifies the original and the objects the update replaces in it, and the numbers of all the objects
    the update writes. None for any other PDF.
    """
    import pikepdf

    tail = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-64:])
    head = re.match(rb"(\d+) 0 obj", data[int(tail.group(1)):int(tail.group(1)) + 24]) if tail else None
    if head is None:
        return None
    xref = source.get_object((int(head.group(1)), 0))
    if not isinstance(xref, pikepdf.Stream) or xref.get("/Type") != "/XRef" or "/Prev" not in xref:
        return None
    index, widths = [int(n) for n in xref.get("/Index", [])], [int(n) for n in xref.W]
    rows, width = xref.read_bytes(), sum(widths)
    if not index or len(rows) != width * sum(index[1::2]) or widths[0] != 1:
        return None
    numbers = [n for first, count in zip(index[::2], index[1::2], strict=True) for n in range(first, first + count)]
    offsets = [int.from_bytes(rows[i * width + 1: i * width + 1 + widths[1]], "big")
               for i in range(len(numbers)) if rows[i * width] == 1]
    size = re.search(rb"/Size\s+(\d+)", data[int(xref.Prev):])  # the original's, in its trailer or xref stream
    if len(offsets) != len(numbers) or size is None or int(xref.Prev) > min(offsets):
        return None  # an update that frees objects or writes them into object streams, or an unexpected layout
    original = hashlib.sha256(data[:min(offsets)]).digest()
    return (original, frozenset(n for n in numbers if n < int(size.group(1)))), frozenset(numbers)


@lru_cache(maxsize=1024)  # a few dozen keys recur in every certificate
def _name(key: str) -> bytes:
    import pikepdf

    return bytes(pikepdf.Name(key).unparse())
