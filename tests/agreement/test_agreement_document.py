"""The DOCX itself: numbering, cross-references, table of contents, header and footer, draft marking,
escaping, determinism, signature pages and annexes."""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

import unadocs
from tests.agreement.conftest import (
    ELEVEN,
    HOSTILE,
    W,
    build,
    docx_paragraphs,
    docx_text,
    hostile_spec,
    library_with,
    one_line,
    with_accession,
)
from tests.conftest import EXAMPLE_SPEC, ROOT


@pytest.fixture(scope="module")
def example() -> unadocs.Consortium:
    return unadocs.load_spec(EXAMPLE_SPEC)


@pytest.fixture(scope="module")
def example_docx(example: unadocs.Consortium) -> bytes:
    return build(example)


def _document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _style(p: etree._Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def _word_numbers(data: bytes) -> dict[str, str]:
    """The number Word shows for each bookmarked paragraph, computed here from the paragraph styles alone:
    Heading1 → n, Clause2 → n.m, Clause3 → n.m(x), the way the template's multilevel list counts."""
    numbers: dict[str, str] = {}
    clause = sub = item = 0
    for p in _document(data).iter(f"{W}p"):
        style = _style(p)
        if style == "Heading1":
            clause, sub, item = clause + 1, 0, 0
            number = str(clause)
        elif style == "Clause2":
            sub, item = sub + 1, 0
            number = f"{clause}.{sub}"
        elif style == "Clause3":
            item += 1
            number = f"{clause}.{sub}({'abcdefghijklmnopqrstuvwxyz'[item - 1]})"
        else:
            continue
        for mark in p.iter(f"{W}bookmarkStart"):
            numbers[mark.get(f"{W}name")] = number
    return numbers


def _ref_fields(data: bytes) -> list[tuple[str, str]]:
    """Every REF field as (bookmark, cached result)."""
    out = []
    runs = list(_document(data).iter(f"{W}r"))
    for i, r in enumerate(runs):
        instr = r.find(f"{W}instrText")
        if instr is not None and instr.text.strip().startswith("REF "):
            bookmark = instr.text.split()[1]
            assert runs[i + 1].find(f"{W}fldChar").get(f"{W}fldCharType") == "separate"
            out.append((bookmark, runs[i + 2].findtext(f"{W}t")))
    return out


def test_clause_numbers_are_word_list_numbering_not_typed_text(example_docx: bytes) -> None:
    headings = [p for p in _document(example_docx).iter(f"{W}p") if _style(p) == "Heading1"]
    assert len(headings) == 20
    for p in headings:
        text = "".join(t.text for t in p.iter(f"{W}t"))
        assert not re.match(r"\s*\d", text), text
    styles = zipfile.ZipFile(BytesIO(example_docx)).read("word/styles.xml").decode()
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles).group(0)
    assert '<w:numId w:val="1"/>' in heading
    numbering = zipfile.ZipFile(BytesIO(example_docx)).read("word/numbering.xml").decode()
    assert '<w:pStyle w:val="Heading1"/>' in numbering and '<w:pStyle w:val="Clause2"/>' in numbering


@pytest.mark.parametrize("changes", [
    {},
    {"accession.enabled": False},
    {"finance.model": "decentralised", "finance.collecting_partner": None, "finance.revenue_shares": None},
    {"term.learners_protected": False, "governance.responsibilities": {}},
    {"law.disputes": "amicable-then-mediation-then-courts", "data_protection.mode": "full"},
], ids=["example", "no accession", "decentralised", "no teach-out", "mediation, full data protection"])
def test_every_cross_reference_carries_the_number_word_will_show(
    changes: dict[str, Any], variant: Callable[..., unadocs.Consortium]
) -> None:
    data = build(variant(changes))
    numbers = _word_numbers(data)
    refs = _ref_fields(data)
    assert len(refs) > 20
    for bookmark, cached in refs:
        assert bookmark in numbers, f"REF to a missing bookmark {bookmark}"
        assert cached == numbers[bookmark], (bookmark, cached, numbers[bookmark])


def test_numbers_move_when_an_optional_sub_clause_drops_out(variant: Callable[..., unadocs.Consortium]) -> None:
    with_payment = one_line(build(variant({})))
    without = one_line(build(variant({
        "finance.model": "decentralised", "finance.collecting_partner": None, "finance.revenue_shares": None})))
    assert "The Collecting Party pays each Party its share" in with_payment
    assert "The Collecting Party pays each Party its share" not in without
    # the survival clause cites the payment only when it is there, and the later clauses by their own numbers
    assert "clause 1 (Definitions); clause 7.7 (payment of the shares" in with_payment
    assert "clause 1 (Definitions); clause 9.4 (names and logos on Certificates already issued)" in without


@pytest.mark.parametrize("spec", ["example", "eleven"])
def test_the_docx_holds_the_planned_text(spec: str) -> None:
    """Every paragraph and table cell of the plan, in order, is a paragraph of the DOCX (which adds the cover,
    the contents, the headings and the signature captions)."""
    from unadocs.agreement.document import ITEMS, plan_agreement

    consortium = unadocs.load_spec(EXAMPLE_SPEC if spec == "example" else ELEVEN)
    plan = plan_agreement(consortium, draft=False)
    planned = []
    for section in plan.sections:
        for piece in section.pieces:
            for block in piece.blocks:
                if block.kind == "table":
                    planned += [plan.numbers.text(cell) for row in block.rows for cell in row]
                elif block.kind != "note":
                    planned.append(plan.numbers.text(block.spans, block.kind in ITEMS))
    paragraphs = iter(docx_paragraphs(build(consortium, final=True)))
    for text in planned:
        assert any(p == text for p in paragraphs), text


def test_reference_to_a_clause_that_is_not_in_the_agreement_fails(tmp_path: Path, example: unadocs.Consortium) -> None:
    from unadocs.agreement import document
    from unadocs.agreement.document import plan_agreement
    from unadocs.agreement.library import load_library

    library = library_with(tmp_path, "999-bad.md", "---\nid: bad\norder: 999\nheading: Bad\n---\nSee {{ ref('nowhere') }}.\n")
    plan = plan_agreement(example, True, load_library(library))
    writer = document.BodyWriter(plan.numbers, True, 9000)
    with pytest.raises(unadocs.TemplateError, match=r"999-bad.md: refers to 'nowhere'"):
        writer.body(plan.sections)


def test_a_reference_starting_a_sentence_is_capitalised_and_one_continuing_it_is_not(
        tmp_path: Path, example: unadocs.Consortium) -> None:
    from unadocs.agreement import document
    from unadocs.agreement.document import plan_agreement
    from unadocs.agreement.library import load_library

    text = ("---\nid: echo\norder: 185\nheading: Echo\n---\n{{ ref('law', 'governed') }} applies. So does "
            "{{ ref('law', 'governed') }}. {{ ref('law', 'governed') }} too:\n\n(a) {{ ref('law', 'governed') }};\n\n"
            "- {{ ref('law', 'governed') }}\n")
    plan = plan_agreement(example, True, load_library(library_with(tmp_path, "185-echo.md", text)))
    echo = next(s for s in plan.sections if s.clause.id == "echo")
    groups = document.BodyWriter(plan.numbers, True, 9000).section(echo, False)
    elements = [el for group in groups for el in group.elements]
    paragraphs = ["".join(t.text or "" for t in el.iter(f"{W}t")) for el in elements]
    assert paragraphs[1:] == ["Clause 19 applies. So does clause 19. Clause 19 too:", "clause 19;", "clause 19"]
    assert [plan.numbers.text(b.spans, b.kind in document.ITEMS) for b in echo.pieces[0].blocks] == paragraphs[1:]


def test_table_of_contents_is_a_field_with_a_page_reference_for_every_heading(example_docx: bytes) -> None:
    paragraphs = [p for p in _document(example_docx).iter(f"{W}p")]
    toc = [p for p in paragraphs if _style(p) == "TOC1"]
    headings = [(str(i + 1), "".join(t.text for t in p.iter(f"{W}t")))
                for i, p in enumerate(p for p in paragraphs if _style(p) == "Heading1")]
    annexes = ["".join(t.text for t in p.iter(f"{W}t")) for p in paragraphs if _style(p) == "AnnexHeading"]
    assert ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in toc] == [n + h for n, h in headings] + annexes
    assert len(annexes) == 6
    instructions = [" ".join(t.text.split()) for t in _document(example_docx).iter(f"{W}instrText")]
    assert instructions[0] == 'TOC \\o "1-1" \\h \\z \\u'  # \\u: the annexes; \\n (no page numbers) is gone
    marks = {m.get(f"{W}name") for m in _document(example_docx).iter(f"{W}bookmarkStart")}
    for p in toc:
        [link] = p.iter(f"{W}hyperlink")
        pageref = [" ".join(t.text.split()) for t in link.iter(f"{W}instrText")]
        assert pageref == [f"PAGEREF {link.get(f'{W}anchor')} \\h"] and link.get(f"{W}anchor") in marks


def test_without_libreoffice_word_updates_the_page_numbers_on_opening(example: unadocs.Consortium,
                                                                      example_docx: bytes) -> None:
    settings = zipfile.ZipFile(BytesIO(example_docx)).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/><w:compat>' in settings  # before compat, where the schema puts it
    laid_out = zipfile.ZipFile(BytesIO(unadocs.build_agreement(example, toc_pages="libreoffice")))
    assert "updateFields" not in laid_out.read("word/settings.xml").decode()


def test_an_unknown_notes_or_pages_option_is_a_clear_error(example: unadocs.Consortium) -> None:
    with pytest.raises(unadocs.UnadocsError, match="notes must be comments or inline"):
        unadocs.build_agreement(example, notes="margin")  # type: ignore[arg-type]
    with pytest.raises(unadocs.UnadocsError, match="toc_pages must be auto, libreoffice or on-open"):
        unadocs.build_agreement(example, toc_pages="word")  # type: ignore[arg-type]


def test_header_names_reference_version_and_date_and_footer_counts_pages(example_docx: bytes) -> None:
    zf = zipfile.ZipFile(BytesIO(example_docx))
    header = " ".join(docx_paragraphs(example_docx, "word/header1.xml"))
    assert "UNA-MC-SUST-2025 Consortium Agreement \u2014 version 0.3 \u2014 15 May 2025" in header
    footer = zf.read("word/footer1.xml").decode()
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert "Page " in " ".join(docx_paragraphs(example_docx, "word/footer1.xml"))


def _comments(data: bytes) -> list[tuple[str, str]]:
    """Each comment's text and the text of the paragraph it is anchored on (python-docx reads them)."""
    document = docx.Document(BytesIO(data))
    texts = {c.comment_id: c.text for c in document.comments}
    out = []
    for p in _document(data).iter(f"{W}p"):
        for start in p.iter(f"{W}commentRangeStart"):
            out.append((texts[int(start.get(f"{W}id"))], "".join(t.text for t in p.iter(f"{W}t"))))
    assert len(out) == len(texts)
    return out


def test_drafting_notes_are_word_comments_anchored_on_their_clause(example: unadocs.Consortium,
                                                                   example_docx: bytes) -> None:
    from unadocs.agreement.library import load_library

    notes = {f.note: f for f in load_library(ROOT / "clauses").files if f.note}
    comments = _comments(example_docx)
    assert "[Drafting note:" not in docx_text(example_docx)
    anchored = dict(comments)
    liability = notes[next(n for n in notes if n.startswith("A micro-credential has no grant budget"))]
    assert anchored[liability.note] == "Liability"  # a clause's note: on its heading
    consensus = next(n for n in notes if n.startswith("Consensus protects every Party"))
    assert anchored[consensus].startswith("The Management Committee takes its decisions by consensus")  # a part's
    assert all(text for text, _ in comments) and len(comments) >= 25
    document = docx.Document(BytesIO(example_docx))
    assert {c.author for c in document.comments} == {"unadocs (drafting note)"}
    assert {c.timestamp.date().isoformat() for c in document.comments if c.timestamp} == {"2025-05-15"}


def test_inline_notes_keep_the_bracketed_paragraphs(example: unadocs.Consortium) -> None:
    data = build(example, notes="inline")
    assert "[Drafting note: A micro-credential has no grant budget" in docx_text(data)
    assert "word/comments.xml" not in zipfile.ZipFile(BytesIO(data)).namelist()


def test_draft_has_watermark_and_notes_and_final_has_neither(example: unadocs.Consortium, example_docx: bytes,
                                                             example_data: dict[str, Any]) -> None:
    def header(data: bytes) -> str:
        return zipfile.ZipFile(BytesIO(data)).read("word/header1.xml").decode()

    assert 'string="DRAFT"' in header(example_docx)
    assert _comments(example_docx)
    approved = copy.deepcopy(example_data)
    approved["agreement"]["status"] = "approved"
    for data in (build(example, final=True), build(example, final=True, notes="inline"),
                 build(unadocs.load_spec(approved))):
        assert "DRAFT" not in header(data)
        assert "Drafting note" not in docx_text(data)
        assert "word/comments.xml" not in zipfile.ZipFile(BytesIO(data)).namelist()
        assert "UNA-MC-SUST-2025 Consortium Agreement" in " ".join(docx_paragraphs(data, "word/header1.xml"))


def test_end_date_and_every_partner_appear(example_docx: bytes, example: unadocs.Consortium) -> None:
    text = one_line(example_docx)
    assert '"End Date" means 31 August 2029' in text
    assert "ends on the End Date, 31 August 2029" in text
    for p in example.partners:
        assert p.name in text


def test_one_signature_page_per_original_party_and_acceding_partners_in_annex_5(
        example_data: dict[str, Any]) -> None:
    c = unadocs.load_spec(with_accession(example_data))
    data = build(c)
    paragraphs = list(_document(data).iter(f"{W}p"))
    signatures = ["".join(t.text for t in p.iter(f"{W}t")) for p in paragraphs if _style(p) == "SignatureHeading"]
    assert signatures == [f"Signed for and on behalf of {p.name}" for p in c.original_parties]
    assert all("Leuven" not in s for s in signatures)
    parties = ["".join(t.text for t in p.iter(f"{W}t")) for p in paragraphs if _style(p) == "Party"]
    assert len(parties) == 3 and not any("Leuven" in p for p in parties)
    text = docx_text(data)
    annex5 = text[text.index("Annex 5 \u2014 Acceded and acceding Parties\n", text.index("Annex 4 \u2014")):]
    assert "KU Leuven" in annex5 and "1 September 2026" in annex5


def test_eleven_members_each_get_a_signature_page() -> None:
    c = unadocs.load_spec(ELEVEN)
    data = build(c)
    paragraphs = list(_document(data).iter(f"{W}p"))
    assert sum(1 for p in paragraphs if _style(p) == "SignatureHeading") == 11
    text = docx_text(data)
    for p in c.partners:
        assert p.name in text


def test_annexes_and_signature_pages_start_on_a_new_page(example_docx: bytes) -> None:
    styles = etree.fromstring(zipfile.ZipFile(BytesIO(example_docx)).read("word/styles.xml"))
    for style_id in ("AnnexHeading", "SignatureHeading", "PreambleHeading", "TOCHeading"):
        style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        assert style.find(f"{W}pPr/{W}pageBreakBefore") is not None, style_id


def test_hostile_texts_stay_literal_and_the_file_stays_valid(example_data: dict[str, Any]) -> None:
    data = unadocs.build_agreement(unadocs.load_spec(hostile_spec(example_data)))  # the default way, laid out
    text = docx_text(data)
    assert f"{HOSTILE} (Alma Mater" in text  # the parties clause
    assert f"with its registered address at {HOSTILE}, Italy, registered under VAT & <number> {{{{ 1 }}}}" in text
    assert f"Signed for and on behalf of {HOSTILE}" in text
    assert f"Name: {HOSTILE}" in text
    assert f"Costs are borne as follows: {HOSTILE}" in text
    assert HOSTILE in docx_paragraphs(data)  # a common cost, listed in Annex 3
    assert "Title & <b>{{ z }}</b>" in text  # cover page (a docxtpl field)
    header = " ".join(docx_paragraphs(data, "word/header1.xml"))
    assert "REF-<&>-{{ y }} Consortium Agreement" in header
    document = docx.Document(BytesIO(data))  # python-docx parses every part
    assert document.core_properties.identifier == "REF-<&>-{{ y }}"
    assert "=SUM(A1)" not in "".join(t.text or "" for t in _document(data).iter(f"{W}instrText"))  # no field


def test_control_characters_in_user_data_are_refused_and_a_tab_is_text(example_data: dict[str, Any]) -> None:
    """The file could not hold a BEL, and dropping it would make the agreement say other than its spec."""
    data = copy.deepcopy(example_data)
    data["finance"]["costs"] = "bell\x07 and tab\t and nul-free text"
    with pytest.raises(unadocs.SpecError, match=r"finance\.costs: contains a control character \(U\+0007\)"):
        unadocs.load_spec(data)
    data["finance"]["costs"] = "bell and tab\t and nul-free text"
    assert "bell and tab" in one_line(build(unadocs.load_spec(data)))


def test_two_builds_give_the_same_bytes(example: unadocs.Consortium, example_docx: bytes) -> None:
    assert build(example) == example_docx
    eleven = unadocs.load_spec(ELEVEN)
    assert build(eleven) == build(eleven)
    assert build(eleven, notes="inline") == build(eleven, notes="inline")


def test_zip_times_and_core_properties_come_from_the_agreement_date(example_docx: bytes) -> None:
    zf = zipfile.ZipFile(BytesIO(example_docx))
    assert zf.namelist()[0] == "[Content_Types].xml"
    assert {i.date_time for i in zf.infolist()} == {(2025, 5, 15, 0, 0, 0)}
    props = docx.Document(BytesIO(example_docx)).core_properties
    assert props.created.date().isoformat() == "2025-05-15" == props.modified.date().isoformat()
    assert props.title == "UNA-MC-SUST-2025 Consortium Agreement"


def test_code_sets_no_fonts_or_sizes() -> None:
    for path in (ROOT / "unadocs" / "agreement").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for token in ("rFonts", "w:sz", "Pt(", "w:color", "w:b/"):
            assert token not in source, f"{path.name} hard-codes {token}"


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    """LibreOffice lays the agreement out afresh in another process: its page numbers give the same bytes."""
    import os
    import subprocess
    import sys

    code = ("import sys, unadocs; sys.stdout.buffer.write(unadocs.build_agreement("
            f"unadocs.load_spec({str(EXAMPLE_SPEC)!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345", "TMPDIR": str(tmp_path)}).stdout
    assert out == unadocs.build_agreement(unadocs.load_spec(EXAMPLE_SPEC))


def test_libreoffice_asked_for_but_missing_is_a_clear_error(example: unadocs.Consortium,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice on the PATH: as on a machine without LibreOffice
    with pytest.raises(unadocs.UnadocsError, match=r"LibreOffice \(soffice\) is not installed.*--toc-pages on-open"):
        unadocs.build_agreement(example, toc_pages="libreoffice")
    assert "updateFields" in zipfile.ZipFile(BytesIO(unadocs.build_agreement(example))).read(
        "word/settings.xml").decode()  # auto: Word numbers the pages on opening
