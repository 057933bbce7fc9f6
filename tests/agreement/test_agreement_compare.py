"""Two versions of an agreement: the redline's tracked changes, read back as Word's model of them defines, and
the summary of what changed.

The main pair of versions changes several things at once, as a real
amendment does: the version and its date, a fee, the dispute resolution
(courts replaced by arbitration), an accession and a party's representative.
``tests/agreement/tracked.py`` accepts or rejects every change from the XML;
``test_agreement_compare_libreoffice.py`` has LibreOffice do it.
"""

from __future__ import annotations

import copy
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import unadocs
from tests.agreement import tracked
from tests.agreement.conftest import HOSTILE, VARIANTS, build, hostile_spec, library_with, with_accession
from unadocs.agreement.variants import apply_changes

AUTHOR = "Legal cluster <Una Europa> & co"
W = tracked.W


def versions(example_data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Version 1.0 of the example, and 1.1: a later date, a higher fee, arbitration instead of the courts, KU
    Leuven acceding, and another representative for the Jagiellonian University."""
    old = copy.deepcopy(example_data)
    old["agreement"]["version"] = "1.0"
    new = with_accession(example_data)
    new["agreement"].update(version="1.1", date="2026-03-02")
    new["finance"]["fees"][1]["amount"] = "350 EUR"
    new["law"]["disputes"] = "arbitration"
    new["partners"][2]["signatory"]["name"] = "Jan Kowalski"
    return old, new


@pytest.fixture(scope="module")
def consortia(example_data: dict[str, Any]) -> tuple[unadocs.Consortium, unadocs.Consortium]:
    old, new = versions(example_data)
    return unadocs.load_spec(old), unadocs.load_spec(new)


@pytest.fixture(scope="module")
def redline(consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> bytes:
    return unadocs.compare_agreements(*consortia, author=AUTHOR, toc_pages="on-open")


@pytest.fixture(scope="module")
def document(redline: bytes) -> etree._Element:
    return tracked.document(redline)


def test_the_redline_holds_insertions_and_deletions_by_the_author_on_the_new_versions_date(
        document: etree._Element) -> None:
    counts = tracked.revisions(document)
    assert counts["w:ins"] > 10 and counts["w:del"] > 5, counts
    for change in document.iter(*tracked.REVISIONS):
        assert change.get(f"{W}author") == AUTHOR
        assert change.get(f"{W}date") == "2026-03-02T00:00:00Z"
    ids = [int(el.get(f"{W}id")) for el in document.iter(*tracked.REVISIONS, f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids)), "every revision and bookmark has an id of its own"


def test_accepting_every_change_gives_the_new_agreement(
        document: etree._Element, consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    new = tracked.document(build(consortia[1]))
    accepted = tracked.resolve(document, accept=True)
    assert tracked.paragraphs(accepted) == tracked.paragraphs(new)
    assert tracked.paragraphs(accepted, "codes") == tracked.paragraphs(new, "codes")


def test_rejecting_every_change_gives_the_old_agreement(
        document: etree._Element, consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    """Word's fields keep the new version's results until they are updated, so the old agreement's text is
    compared with every field shown as its code, as Word shows it with Alt+F9."""
    old = tracked.document(build(consortia[0]))
    rejected = tracked.resolve(document, accept=False)
    assert tracked.paragraphs(rejected, "codes") == tracked.paragraphs(old, "codes")
    assert "Piotr Jedynak" in "\n".join(tracked.paragraphs(rejected))


def test_each_change_is_shown_where_a_lawyer_looks_for_it(document: etree._Element) -> None:
    changes = tracked.marked(document)
    # the cover: words replaced inside the paragraph
    assert "Version [-1.0-]{+1.1+} of [-15 May 2025-]{+2 March 2026+} \u2014 Draft" in changes
    # a fee: the amount, not the paragraph
    assert any("EUR [-300.00-]{+350.00+} from each of the external learners" in c for c in changes)
    # a representative, in the parties, the signature pages and Annex 2
    assert "Name: [-Piotr Jedynak-]{+Jan Kowalski+}" in changes
    assert "[-Piotr Jedynak-]{+Jan Kowalski+}, Rector" in changes
    # the dispute resolution: the forum, a sub-clause both variants have, reworded; the variant's note added
    forum = next(c for c in changes if "CEPANI Rules of Arbitration" in c and "Drafting" not in c)
    assert "[-the competent courts of Brussels have exclusive jurisdiction over it-]" in forum
    assert forum.startswith("If the dispute is not settled amicably within sixty (60) days")
    # the accession: a paragraph added whole, rows added to the tables, a sentence replaced by another
    assert "\u00b6+ {+The tasks of a Party whose accession is planned are set out in its Accession Form under " \
           "clause 13.4.+}" in changes
    rows = [tr for tr in document.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert any("Severine Vermeire, Rector" in "".join(tr.itertext()) for tr in rows)
    assert any(c.startswith("[-No Party has acceded to this Agreement at the date of this version.-]"
                            "{+The following accessions are planned.") for c in changes)


def test_a_variant_that_changed_is_removed_and_added_whole(
        consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    changes = unadocs.agreement_changes(*consortia)
    law = [(c.change, c.number, c.heading, c.file) for c in changes.clauses if c.file.startswith("17")]
    assert law == [("removed", "19.3", "Courts", "171-law-courts.md"),
                   ("added", "19.3", "Arbitration under the CEPANI rules", "174-law-arbitration-cepani.md")]


def test_the_summary_lists_the_fields_that_changed_with_their_lines(
        consortia: tuple[unadocs.Consortium, unadocs.Consortium], tmp_path: Path, write_spec: Any,
        example_data: dict[str, Any]) -> None:
    old, new = versions(example_data)
    changes = unadocs.agreement_changes(unadocs.load_spec(write_spec(old, "old.yaml")),
                                        unadocs.load_spec(write_spec(new, "new.yaml")))
    shown = [str(f) for f in changes.fields]
    assert [f.path for f in changes.fields] == [
        "agreement.version", "agreement.date", "partners[2].signatory.name", "partners[3]",
        "finance.fees[1].amount", "finance.revenue_shares.UH", "finance.revenue_shares.UNIBO",
        "finance.revenue_shares.UJ", "finance.revenue_shares.KUL", "accession.accessions[0]", "law.disputes"]
    new_lines = (tmp_path / "new.yaml").read_text(encoding="utf-8").splitlines()
    for field in changes.fields:  # a key's line names the key; a list item's line starts it
        assert field.line is not None
        line = new_lines[field.line - 1].strip()
        assert line.startswith("- ") if field.path.endswith("]") else line.startswith(field.path.rsplit(".")[-1])
    assert any(s.startswith("agreement.version (line ") and s.endswith("): 1.0 \u2192 1.1") for s in shown)
    assert any(s.endswith("added KUL (KU Leuven)") for s in shown)
    assert any(s.endswith("300 EUR \u2192 350 EUR") for s in shown)
    reworded = {c.heading: c.paragraphs for c in changes.clauses if c.change == "reworded"}
    assert reworded["Signature pages"] == ("\u201cName: Jan Kowalski\u201d",)
    assert "Parties, addresses, coordinators and signatories" in reworded
    assert changes.as_dict()["unchanged"] is False


def test_renumbering_is_not_a_change_and_references_show_the_new_numbers(
        tmp_path: Path, consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    """A clause early in the new version moves every later clause by one: the numbers are Word's list
    numbering and references are fields, so no word after it is marked, and every reference shows the new
    number. (The clause comes from a library of the tests, so the two versions differ in nothing else.)"""
    from unadocs.agreement.compare import _compare_plans
    from unadocs.agreement.document import plan_agreement
    from unadocs.agreement.library import load_library
    from unadocs.agreement.revisions import Revision, finish

    extended = load_library(library_with(tmp_path, "025-extra.md", (
        "---\nid: extra\norder: 25\nheading: Extra\n---\nThe Parties welcome new Parties under "
        "{{ ref('law', 'governed') }}.\n")))
    consortium = consortia[1]
    old, new = plan_agreement(consortium, True), plan_agreement(consortium, True, extended)
    moved = [target for target, number in new.numbers.number.items()
             if old.numbers.number.get(target) not in (None, number)]
    assert len(moved) > 50 and int(new.numbers.number["law"]) == int(old.numbers.number["law"]) + 1
    revision = Revision("unadocs", consortium.agreement.date)
    root = etree.Element(f"{W}body")
    root.extend(finish(_compare_plans(old, new, True, True, "comments", 9000, revision).blocks, revision))

    def words_changed(p: etree._Element) -> bool:
        return p.find(f"{W}ins") is not None or p.find(f"{W}del") is not None

    assert ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p") if words_changed(p)] == [
        "Extra", f"The Parties welcome new Parties under clause {new.numbers.number['law']}."]
    cites = [p for p in root.iter(f"{W}p") if any(f"REF {new.numbers.bookmark[target]} " in (t.text or "")
                                                   for t in p.iter(f"{W}instrText") for target in moved)]
    assert len(cites) > 10
    for p in cites:  # each field shows the number its target has in the new version
        for begin in p.iter(f"{W}instrText"):
            bookmark = (begin.text or "").split()[1]
            target = next((t for t, b in new.numbers.bookmark.items() if b == bookmark), None)
            result = begin.getparent().getnext().getnext()
            if target is not None:
                assert "".join(result.itertext()) == new.numbers.number[target]


def test_identical_specs_give_a_redline_without_changes(example_data: dict[str, Any]) -> None:
    consortium = unadocs.load_spec(example_data)
    same = unadocs.compare_agreements(consortium, unadocs.load_spec(copy.deepcopy(example_data)),
                                      toc_pages="on-open")
    root = tracked.document(same)
    assert tracked.revisions(root) == {}
    assert tracked.paragraphs(root) == tracked.paragraphs(tracked.document(build(consortium)))
    changes = unadocs.agreement_changes(consortium, consortium)
    assert changes.unchanged and changes.fields == () and changes.clauses == ()


def test_the_same_two_specs_give_the_same_bytes(
        redline: bytes, consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    assert unadocs.compare_agreements(*consortia, author=AUTHOR, toc_pages="on-open") == redline


def test_the_header_names_both_versions_and_the_cover_the_new_one(redline: bytes) -> None:
    with zipfile.ZipFile(BytesIO(redline)) as zf:
        header = etree.fromstring(zf.read("word/header1.xml"))
        core = zf.read("docProps/core.xml").decode()
    text = "".join(header.itertext())
    assert "Consortium Agreement \u2014 version 1.1, compared with 1.0 \u2014 2 March 2026" in text
    assert "version 1.1 compared with 1.0" in core


def test_drafting_notes_are_the_new_versions_comments_and_not_compared(
        redline: bytes, consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    def comments(data: bytes) -> list[str]:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            if "word/comments.xml" not in zf.namelist():
                return []
            root = etree.fromstring(zf.read("word/comments.xml"))
        return ["".join(c.itertext()) for c in root.iter(f"{W}comment")]

    new_notes = comments(build(consortia[1]))
    assert new_notes and comments(redline) == new_notes
    assert any("CEPANI" in note for note in new_notes)
    anchors = tracked.document(redline).iter(f"{W}commentRangeStart")
    assert len(list(anchors)) == len(new_notes)
    final = unadocs.compare_agreements(*consortia, final=True, toc_pages="on-open")
    assert comments(final) == []
    assert b"DRAFT" not in zipfile.ZipFile(BytesIO(final)).read("word/header1.xml")
    inline = tracked.marked(tracked.document(unadocs.compare_agreements(*consortia, notes="inline",
                                                                         toc_pages="on-open")))
    assert any("{+[Drafting note: Without arbitration_rules in the spec" in c for c in inline)


@pytest.mark.parametrize("hostile_side", ["old", "new"])
def test_hostile_texts_stay_literal_in_either_version(example_data: dict[str, Any], hostile_side: str) -> None:
    plain = unadocs.load_spec(example_data)
    hostile = unadocs.load_spec(hostile_spec(example_data))
    old, new = (hostile, plain) if hostile_side == "old" else (plain, hostile)
    redline = unadocs.compare_agreements(old, new, toc_pages="on-open")
    root = tracked.document(redline)
    accepted = "\n".join(tracked.paragraphs(tracked.resolve(root, accept=True)))
    rejected = "\n".join(tracked.paragraphs(tracked.resolve(root, accept=False)))
    shown, gone = (accepted, rejected) if hostile_side == "new" else (rejected, accepted)
    assert HOSTILE in shown and "Title & <b>{{ z }}</b>" in shown
    assert HOSTILE not in gone
    changes = unadocs.agreement_changes(old, new)
    assert any(HOSTILE in str(f) or HOSTILE[:60] in str(f) for f in changes.fields)
    with zipfile.ZipFile(BytesIO(redline)) as zf:
        header = "".join(etree.fromstring(zf.read("word/header1.xml")).itertext())
    assert "REF-<&>-{{ y }}" in header or hostile_side == "old"


def test_a_bad_author_is_refused_before_anything_is_built(
        consortia: tuple[unadocs.Consortium, unadocs.Consortium]) -> None:
    for author, reason in [("  ", "is empty"), ("Eve\u202eevil", r"U\+202E"), ("x" * 81, "81 characters")]:
        with pytest.raises(unadocs.UnadocsError, match=reason):
            unadocs.compare_agreements(*consortia, author=author, toc_pages="on-open")


@pytest.fixture(scope="module")
def example_texts(example_data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The example agreement's paragraphs (drafting notes inline), with fields as results and as codes."""
    root = tracked.document(build(unadocs.load_spec(example_data), notes="inline"))
    return tracked.paragraphs(root), tracked.paragraphs(root, "codes")


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_every_variant_of_the_library_compares_both_ways(
        example_data: dict[str, Any], example_texts: tuple[list[str], list[str]], variant: Any) -> None:
    """The example against each variant of clauses/variants.yaml: accepting gives the variant's agreement,
    rejecting the example's, and the other way round."""
    example = unadocs.load_spec(example_data)
    other = unadocs.load_spec(apply_changes(example_data, variant.changes))
    other_root = tracked.document(build(other, notes="inline"))
    texts = {"example": example_texts, "other": (tracked.paragraphs(other_root),
                                                 tracked.paragraphs(other_root, "codes"))}
    for (old, old_name), (new, new_name) in (((example, "example"), (other, "other")),
                                             ((other, "other"), (example, "example"))):
        root = tracked.document(unadocs.compare_agreements(old, new, notes="inline", toc_pages="on-open"))
        assert tracked.paragraphs(tracked.resolve(root, accept=True)) == texts[new_name][0]
        assert tracked.paragraphs(tracked.resolve(root, accept=False), "codes") == texts[old_name][1]
