"""Workbooks that an attacker would send: written as XLSX files from chunks, so that a huge one never sits in memory.

The tests of the bounded learner-list reader and ``bench/hostile_inputs.py``
build them alike.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
         'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
         'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Learners" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                  'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                  'Target="sharedStrings.xml"/></Relationships>')
_SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_TAIL = "</sheetData></worksheet>"


def workbook(path: Path, sheet: Iterator[bytes], strings: Iterator[bytes] | None = None) -> Path:
    """An XLSX file whose worksheet and shared strings are written from chunks (never held whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            for chunk in sheet:
                out.write(chunk)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><sst '
                      b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for chunk in strings or iter(()):
                out.write(chunk)
            out.write(b"</sst>")
    return path


def _header() -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>'
                    for name in ("learner_id", "given_names", "family_name", "issued"))
    return f'<row r="1">{cells}</row>'.encode()


def blank_cells(count: int) -> Iterator[bytes]:
    """A header, then one row of ``count`` blank cells."""
    yield _SHEET_HEAD.encode() + _header() + b'<row r="2">'
    block = b"<c/>" * 100_000
    for _ in range(count // 100_000):
        yield block
    yield b"</row>" + _SHEET_TAIL.encode()


def long_cell(size: int, character: bytes = b" ") -> Iterator[bytes]:
    """A header, then a row whose first cell holds ``size`` characters."""
    yield _SHEET_HEAD.encode() + _header() + b'<row r="2"><c t="inlineStr"><is><t xml:space="preserve">'
    block = character * (1024 * 1024)
    for _ in range(size // len(block)):
        yield block
    yield b"</t></is></c></row>" + _SHEET_TAIL.encode()


def long_shared_string(size: int) -> tuple[Iterator[bytes], Iterator[bytes]]:
    """A sheet that refers to shared string 0, which is ``size`` characters long."""
    sheet = iter([_SHEET_HEAD.encode() + _header() + b'<row r="2"><c t="s"><v>0</v></c></row>' + _SHEET_TAIL.encode()])

    def strings() -> Iterator[bytes]:
        yield b"<si><t>"
        block = b"x" * (1024 * 1024)
        for _ in range(size // len(block)):
            yield block
        yield b"</t></si>"

    return sheet, strings()
