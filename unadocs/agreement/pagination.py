"""Page numbers for the table of contents, from LibreOffice's layout.

unadocs does not lay out pages, so it asks LibreOffice, a tool the legal
cluster already uses: the agreement is converted to PDF headless and the page
of each heading is read from the PDF's outline (LibreOffice exports every
heading with an outline level as a bookmark). unadocs then writes those
numbers into its own TOC field, so the DOCX stays unadocs' output: the same
spec gives the same bytes for as long as LibreOffice and the fonts on the
machine stay the same.

Each process uses its own LibreOffice profile in a private temporary
directory (a user's running LibreOffice is never touched), one conversion at
a time, each bounded in time.
"""

from __future__ import annotations

import atexit
import io
import shutil
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from unadocs.errors import UnadocsError

__all__ = ["soffice", "require_soffice", "heading_pages", "TIMEOUT_SECONDS"]

#: What the user can do when LibreOffice cannot give the page numbers.
_INSTEAD = "; to let Word number the pages on opening instead, use --toc-pages on-open (toc_pages='on-open')"

#: How long one conversion may take before unadocs gives up.
TIMEOUT_SECONDS = 180

_MAC = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
_lock = threading.Lock()
_profile: Path | None = None


def soffice() -> str | None:
    """The LibreOffice program, or None when LibreOffice is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return str(_MAC) if _MAC.is_file() else None


def _profile_dir() -> Path:
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="unadocs-libreoffice-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def require_soffice() -> str:
    """The LibreOffice program; :class:`UnadocsError` when it is not installed."""
    program = soffice()
    if program is None:
        raise UnadocsError("LibreOffice (soffice) is not installed, so unadocs cannot compute the page numbers "
                           "of the table of contents" + _INSTEAD)
    return program


def heading_pages(docx: bytes, headings: list[str]) -> list[int]:
    """The page (1 = first page of the file) on which each heading starts in LibreOffice's layout.

    ``headings`` are the texts of the outline-level headings in document
    order; a PDF bookmark matches a heading when its title ends with the
    heading's text (LibreOffice puts the clause number in front).
    """
    return list(_heading_pages(docx, tuple(headings)))


@lru_cache(maxsize=32)
def _heading_pages(docx: bytes, headings: tuple[str, ...]) -> tuple[int, ...]:
    program = require_soffice()
    with _lock, tempfile.TemporaryDirectory(prefix="unadocs-layout-") as work:
        source = Path(work) / "agreement.docx"
        source.write_bytes(docx)
        command = [program, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", work, str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise UnadocsError(f"LibreOffice took more than {TIMEOUT_SECONDS} s to lay out the agreement"
                               + _INSTEAD) from None
        except (OSError, subprocess.CalledProcessError) as exc:
            raise UnadocsError(f"LibreOffice could not lay out the agreement ({exc})" + _INSTEAD) from None
        pdf = Path(work) / "agreement.pdf"
        if not pdf.is_file():
            raise UnadocsError("LibreOffice could not lay out the agreement (it wrote no PDF)" + _INSTEAD)
        return _match(_outline(pdf.read_bytes()), headings)


def _outline(pdf: bytes) -> list[tuple[str, int]]:
    """The top-level bookmarks of a PDF as (title, page number)."""
    import pikepdf

    out: list[tuple[str, int]] = []
    with pikepdf.open(io.BytesIO(pdf)) as document, document.open_outline() as outline:
        pages: dict[tuple[int, int], int] = {
            page.obj.objgen: number for number, page in enumerate(document.pages, start=1)}
        for item in outline.root:
            destination = item.destination
            if isinstance(destination, pikepdf.Array) and len(destination):
                target: tuple[int, int] = destination[0].objgen
                out.append((" ".join(str(item.title).split()), pages.get(target, 0)))
    return out


def _match(outline: list[tuple[str, int]], headings: tuple[str, ...]) -> tuple[int, ...]:
    """The page of each heading, taking bookmarks in order and skipping those of other headings."""
    pages: list[int] = []
    remaining = iter(outline)
    for heading in headings:
        wanted = " ".join(heading.split()).casefold()
        for title, page in remaining:
            if title.casefold().endswith(wanted) and page:
                pages.append(page)
                break
        else:
            raise UnadocsError(f"LibreOffice's layout has no bookmark for the heading {heading!r}: the Word "
                               "template must give clause and annex headings an outline level" + _INSTEAD)
    return tuple(pages)
