"""PDF syntax for the certificate writers: values, numbered objects, a file's cross-reference table.

The shared part, the learner layer, the assembly and the print file write
their objects through :class:`Objects` and serialise pikepdf objects with
:func:`copy_object`, so there is one way to spell a PDF value in unadocs.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["Objects", "copy_object", "name", "number", "text_string", "xref_and_trailer"]

_NAME_ESCAPE = re.compile(rb"[^!-~]|[#%()/<>\[\]{}]")
_LITERAL_ESCAPE = re.compile(rb"[\\()]")


def name(value: str) -> bytes:
    """``/value`` as a PDF name, with the characters a name cannot hold as #xx."""
    return b"/" + _NAME_ESCAPE.sub(lambda m: b"#%02x" % m.group()[0], value.encode("utf-8"))


def number(value: float) -> bytes:
    """A number as WeasyPrint's pydyf writes it: an integer, or six decimals without trailing zeros."""
    if float(value).is_integer():
        return b"%d" % int(value)
    return f"{value:f}".rstrip("0").encode("ascii")


def text_string(value: str) -> bytes:
    """A PDF text string: a literal string for printable ASCII, UTF-16BE with its byte order mark otherwise."""
    if value.isascii() and value.isprintable():
        return b"(" + _LITERAL_ESCAPE.sub(lambda m: b"\\" + m.group(), value.encode("ascii")) + b")"
    return b"<feff" + value.encode("utf-16-be").hex().encode("ascii") + b">"


class Objects:
    """Numbered objects of a file being written, from ``first`` on; :attr:`bodies` maps numbers to their bytes."""

    def __init__(self, first: int) -> None:
        self.bodies: dict[int, bytes] = {}
        self._next = first

    def reserve(self) -> int:
        self._next += 1
        return self._next - 1

    def put(self, number_: int, body: bytes) -> int:
        self.bodies[number_] = body
        return number_

    def add(self, body: bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, entries: bytes, data: bytes, compress: bool = True, number_: int | None = None) -> int:
        """A stream object; ``entries`` are its dictionary's (without /Length and /Filter)."""
        if compress:
            data = zlib.compress(data, 1)  # twice as fast as the default level, 3 % larger
            entries += b" /Filter /FlateDecode"
        body = b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        return self.put(self.reserve() if number_ is None else number_, body)


#: In pikepdf's spelling of a value: a literal string (its parentheses escaped), or a reference.
STRING_OR_REFERENCE = re.compile(rb"(\((?:[^\\()]|\\.)*\))|(\d+) (\d+) R", re.S)
_LENGTH = re.compile(rb"/Length (?:\d+ \d+ R|\d+)")


def copy_object(value: Any, number_of: Callable[[tuple[int, int]], int], *, inline: bool = False,
                left_out: frozenset[str] = frozenset({"/Parent", "/P"})) -> bytes:
    """A pikepdf value as PDF bytes; an indirect object it refers to becomes ``number_of(its objgen)`` (its new number).

    ``value`` itself is spelled out when ``inline`` (the body of an object
    being copied), else referred to if it is indirect. Keys in ``left_out``
    (the links back up a page tree) are dropped from dictionaries.
    """
    import pikepdf

    def renumbered(raw: bytes) -> bytes | None:
        """pikepdf's own spelling with the references renumbered, unless it holds a key that is left out."""
        if any(key.encode() + b" " in raw for key in left_out):
            return None
        return STRING_OR_REFERENCE.sub(
            lambda m: m[1] or b"%d 0 R" % number_of((int(m[2]), int(m[3]))), raw)

    def spell(item: Any, top: bool = False) -> bytes:
        if isinstance(item, pikepdf.Object) and item.is_indirect and not top:
            return b"%d 0 R" % number_of(item.objgen)
        if isinstance(item, pikepdf.Stream):
            data = item.read_raw_bytes()
            entries = renumbered(_LENGTH.sub(b"/Length %d" % len(data), bytes(item.stream_dict.unparse(resolved=True))))
            if entries is None:
                entries = b"<< " + b" ".join(name(k[1:]) + b" " + spell(item.stream_dict[k])
                                             for k in sorted(item.stream_dict.keys())
                                             if k != "/Length" and k not in left_out) + b" /Length %d >>" % len(data)
            return entries + b"\nstream\n" + data + b"\nendstream"
        if isinstance(item, pikepdf.Dictionary | pikepdf.Array):
            fast = renumbered(bytes(item.unparse(resolved=True)))
            if fast is not None:
                return fast
            if isinstance(item, pikepdf.Array):
                return b"[" + b" ".join(spell(v) for v in item) + b"]"
            return b"<< " + b" ".join(name(k[1:]) + b" " + spell(item[k]) for k in sorted(item.keys())
                                      if k not in left_out) + b" >>"
        if isinstance(item, pikepdf.Object):
            return bytes(item.unparse())
        if isinstance(item, bool):
            return b"true" if item else b"false"
        if isinstance(item, Decimal):
            return format(item, "f").encode("ascii")
        if isinstance(item, int):
            return b"%d" % item
        raise TypeError(f"unexpected PDF value {item!r}")

    return spell(value, top=inline)


def xref_and_trailer(offsets: Sequence[int], start: int, trailer: bytes) -> bytes:
    """A classic cross-reference table for objects 1..len - 1 (``offsets[n]``, negative for a free one), the
    trailer and the file's end; ``start`` is where the table begins in the file."""
    rows = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
    rows += [b"%010d 00000 n \n" % offset if offset >= 0 else b"0000000000 00000 f \n" for offset in offsets[1:]]
    return b"".join(rows) + b"trailer\n<< /Size %d " % len(offsets) + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % start
