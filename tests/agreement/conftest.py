"""Fixtures for the agreement tests: spec variants, DOCX text, and batched LibreOffice runs."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import unadocs
from tests.conftest import ROOT
from unadocs.agreement.variants import Variant, apply_changes, load_variants

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ELEVEN = ROOT / "tests" / "fixtures" / "agreement" / "eleven-members.yaml"
HOSTILE = "A & B <C> {{ x }} **bold** [[ref:law]] | pipe {% if %} =SUM(A1) @cmd +1 -1"

#: Every variant and situation of clauses/variants.yaml: the single list the lint, these tests and the
#: legal cluster share.
VARIANTS: list[Variant] = load_variants(ROOT / "clauses")
OPTIONS: dict[str, list[Variant]] = {}
for _v in VARIANTS:
    OPTIONS.setdefault(_v.option, []).append(_v)


def build(consortium: unadocs.Consortium, final: bool = False, **options: Any) -> bytes:
    """The agreement with the TOC's page numbers left to Word: for tests of the text, which would otherwise
    wait for LibreOffice's layout at every build (the tests of the page numbers build the default way)."""
    return unadocs.build_agreement(consortium, final, **{"toc_pages": "on-open", **options})


@pytest.fixture
def variant(example_data: dict[str, Any]) -> Callable[..., unadocs.Consortium]:
    """The example consortium with dotted-path changes: ``variant({"finance.model": "mixed"})``."""

    def make(changes: dict[str, Any]) -> unadocs.Consortium:
        return unadocs.load_spec(apply_changes(example_data, changes))

    return make


def docx_paragraphs(data: bytes, part: str = "word/document.xml") -> list[str]:
    """The text of every paragraph of a part (tables included), in order."""
    with zipfile.ZipFile(BytesIO(data)) as zf:
        root = etree.fromstring(zf.read(part))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def docx_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(data))


def one_line(data: bytes) -> str:
    """The document's text with runs of white space (and paragraph breaks) as one space."""
    return " ".join(docx_text(data).split())


def numbered_text(consortium: unadocs.Consortium, final: bool = True) -> str:
    """The agreement as a reader of the printed document sees it, on one line: clause headings as "5 THE
    MICRO-CREDENTIAL", sub-clauses with their numbers (Word's list numbering, which the DOCX text lacks),
    annexes with their titles, tables cell by cell. Drafting notes are left out."""
    from unadocs.agreement.document import ITEMS, annex_title, plan_agreement

    plan = plan_agreement(consortium, draft=consortium.is_draft and not final)
    out: list[str] = []
    for section in plan.sections:
        clause = section.clause
        if clause.kind == "clause":
            out.append(f"{section.number} {clause.heading.upper()}")
        elif clause.kind == "annex":
            out.append(annex_title(clause))
        for piece in section.pieces:
            for block in piece.blocks:
                if block.kind == "note":
                    continue
                if block.kind == "table":
                    out += [plan.numbers.text(cell) for row in block.rows for cell in row]
                    continue
                text = plan.numbers.text(block.spans, block.kind in ITEMS)
                out.append(f"{block.number} {text}" if block.number and block.kind == "clause2" else
                           f"({block.number.rsplit('(', 1)[1]} {text}" if block.number else text)
    return " ".join(" ".join(out).split())


def hostile_spec(example_data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(example_data)
    data["partners"][1]["name"] = HOSTILE
    data["partners"][1]["signatory"]["name"] = HOSTILE
    data["partners"][1]["address"] = HOSTILE
    data["partners"][1]["identifier"] = {"scheme": "VAT & <number>", "value": "{{ 1 }}"}
    data["agreement"]["reference"] = "REF-<&>-{{ y }}"
    data["credential"]["title"] = "Title & <b>{{ z }}</b>"
    data["finance"]["costs"] = HOSTILE
    data["finance"]["common_costs"] = [HOSTILE]
    return data


#: The leaf of the changes that add KU Leuven to the example, joining by accession on 1 September 2026.
KUL = {"id": "KUL", "member": "leuven", "coordinator": {"name": "Lies Peeters", "email": "lies.peeters@kuleuven.be"},
       "signatory": {"name": "Severine Vermeire", "title": "Rector"}}


def with_accession(example_data: dict[str, Any], day: str = "2026-09-01") -> dict[str, Any]:
    """The example with KU Leuven joining by accession on ``day`` (after the version's date: planned)."""
    data = copy.deepcopy(example_data)
    data["partners"].append(copy.deepcopy(KUL))
    data["finance"]["revenue_shares"] = {"UH": 40, "UNIBO": 20, "UJ": 20, "KUL": 20}
    data["accession"]["accessions"] = [{"partner": "KUL", "date": day}]
    return data


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:  # a hard failure, not a skip: CI installs LibreOffice (.ci/run)
        raise RuntimeError("LibreOffice (soffice) is required for the agreement tests; .ci/run installs it")
    return path


def convert_to_pdf(docs: dict[str, bytes], out: Path, profile: Path, processes: int = 2) -> dict[str, Path]:
    """Convert DOCX files with LibreOffice, headless, in ``processes`` runs side by side (each with its own
    profile); the PDF of each by name."""
    for name, data in docs.items():
        (out / f"{name}.docx").write_bytes(data)
    files = sorted(str(out / f"{name}.docx") for name in docs)
    runs = [subprocess.Popen(
        [soffice(), f"-env:UserInstallation={(profile / str(i)).as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *files[i::processes]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for i in range(min(processes, len(files)))]
    for run in runs:
        assert run.wait(timeout=900) == 0, "LibreOffice failed"
    pdfs = {name: out / f"{name}.pdf" for name in docs}
    missing = [name for name, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return pdfs


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> dict[str, Path]:
    """A representative set of documents built the default way (LibreOffice's page numbers in the TOC),
    converted by LibreOffice in one batch: the PDF of each by name."""
    example = unadocs.load_spec(ROOT / "examples" / "sustainability.yaml")
    accession = unadocs.load_spec(with_accession(example_data))
    docs: dict[str, bytes] = {
        "example": unadocs.build_agreement(example),
        "example-inline": unadocs.build_agreement(example, notes="inline"),
        "example-final": unadocs.build_agreement(example, final=True),
        "hostile": unadocs.build_agreement(unadocs.load_spec(hostile_spec(example_data))),
        "eleven": unadocs.build_agreement(unadocs.load_spec(ELEVEN)),
        "accession": unadocs.build_agreement(accession),
        "accession-form": unadocs.build_accession_form(accession, "KUL"),
        "accession-blank": unadocs.build_accession_form(example),
    }
    return convert_to_pdf(docs, tmp_path_factory.mktemp("libreoffice"), tmp_path_factory.mktemp("lo-profile"))


@pytest.fixture(scope="session")
def pdf_texts(pdfs: dict[str, Path]) -> dict[str, str]:
    """pdftotext's output of :func:`pdfs`, by name."""
    return {name: pdf_text(pdf) for name, pdf in pdfs.items()}


@pytest.fixture(scope="session")
def variant_pdfs(tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> dict[str, str]:
    """The agreement of every variant of clauses/variants.yaml (drafting notes inline), converted by LibreOffice
    in one batch: pdftotext's output by variant name."""
    docs = {}
    names = {}
    for i, v in enumerate(VARIANTS):
        consortium = unadocs.load_spec(apply_changes(example_data, v.changes))
        docs[f"variant-{i:02d}"] = build(consortium, notes="inline")
        names[f"variant-{i:02d}"] = v.name
    out = convert_to_pdf(docs, tmp_path_factory.mktemp("variants"), tmp_path_factory.mktemp("lo-profile"))
    return {names[key]: pdf_text(pdf) for key, pdf in out.items()}


def flat(text: str) -> str:
    """pdftotext output as running text: page headers and footers dropped, lines joined, spaces collapsed."""
    lines = [line for line in text.splitlines()
             if not re.fullmatch(r"\s*Page \d+ of \d+\s*", line) and "Consortium Agreement \u2014 version" not in line]
    text = re.sub(r"(?<=\w)-\s*\n\s*(?=\w)", "-", "\n".join(lines))
    return re.sub(r"\s+", " ", text)


def library_with(tmp_path: Path, name: str, text: str, replace: dict[str, tuple[str, str]] | None = None) -> Path:
    """A copy of the clause library with one more file, and ``replace``: file name -> (old, new) text."""
    library = tmp_path / "clauses"
    library.mkdir()
    for f in (ROOT / "clauses").iterdir():
        if f.is_file():
            content = f.read_text(encoding="utf-8")
            if replace and f.name in replace:
                old, new = replace[f.name]
                assert old in content, (f.name, old)
                content = content.replace(old, new)
            (library / f.name).write_text(content, encoding="utf-8")
    if name:
        (library / name).write_text(text, encoding="utf-8")
    return library
