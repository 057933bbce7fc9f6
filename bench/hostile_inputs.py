"""Peak memory and time of reading hostile inputs: the workbooks and the spec an attacker would send.

    .venv/bin/python bench/hostile_inputs.py

Each input is read in a child process (``unadocs.load.read_learners`` or
``load_spec``), which must refuse it with a clear message; the script prints
the message, the child's peak RSS and the wall time. Before the bounded
readers, the first three workbooks took 12 GB, 4 GB and 3 GB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
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


_CHILD = """
import resource, sys, time
from unadocs.errors import UnadocsError
kind, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
try:
    if kind == "learners":
        from unadocs.load import read_learners
        for _ in read_learners(path):
            pass
        outcome = "read (not refused!)"
    else:
        from unadocs.load import load_spec
        load_spec(path)
        outcome = "loaded (not refused!)"
except UnadocsError as exc:
    outcome = str(exc).splitlines()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{time.perf_counter() - start:.2f}|{peak:.0f}|{outcome}")
"""


def measure(kind: str, path: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, outcome) of reading ``path`` in a fresh child process (its own peak)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, kind, str(path)], capture_output=True, text=True, check=True)
    seconds, peak, outcome = done.stdout.strip().split("|", 2)
    return float(seconds), float(peak), outcome


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        strings_sheet, strings = long_shared_string(1024 * 1024 * 1024)
        cases = [
            ("learners", "one row of 50 million blank cells",
             workbook(folder / "blank.xlsx", blank_cells(50_000_000))),
            ("learners", "4 MB of whitespace in a cell", workbook(folder / "space.xlsx", long_cell(4 * 1024 * 1024))),
            ("learners", "a 1 GiB shared string", workbook(folder / "gib.xlsx", strings_sheet, strings)),
            ("learners", "one CSV line of 100 MB",
             _write(folder / "line.csv", b"learner_id,given_names,family_name,issued\n", b"," * 1_000_000, 100)),
            ("spec", "a 50 MB spec", _write(folder / "big.yaml", b"# ", b"x" * 1_000_000, 50)),
            ("spec", "500 nested lists", _write(folder / "deep.yaml", b"a: " + b"[" * 500 + b"]" * 500 + b"\n")),
        ]
        print(f"{'input':38} {'file':>9} {'time':>7} {'peak RSS':>9}  outcome")
        for kind, label, path in cases:
            seconds, peak, outcome = measure(kind, path)
            size = path.stat().st_size
            print(f"{label:38} {size / 1024:>7.0f}kB {seconds:>6.2f}s {peak:>7.0f}MB  {outcome.split(': ', 1)[-1][:90]}")


def _write(path: Path, head: bytes, block: bytes = b"", times: int = 0) -> Path:
    """A file of ``head`` and ``times`` copies of ``block``, written without holding it whole
    (a child's peak RSS starts from its parent's: this process must stay small)."""
    with path.open("wb") as out:
        out.write(head)
        for _ in range(times):
            out.write(block)
    return path


if __name__ == "__main__":
    main()
