"""The XML of tracked changes, block by block: words, styles, fields, rows, and the pairing of blocks."""

from __future__ import annotations

from datetime import date

from lxml import etree

from tests.agreement import tracked
from unadocs.agreement import oxml
from unadocs.agreement.alignment import MAX_TOKENS, align, word_similarity
from unadocs.agreement.revisions import Revision, compare_blocks, compare_pair, finish

REVISION = Revision("Legal cluster", date(2026, 3, 2))
W = tracked.W


def p(text: str, style: str = "Clause2", defined: str | None = None, ref: tuple[str, str] | None = None,
      bookmark: str | None = None) -> etree._Element:
    runs = [oxml.text_run(text)]
    if defined:
        runs.append(oxml.text_run(defined, "DefinedTerm"))
    if ref:
        runs += oxml.field_runs(f"REF {ref[0]} \\w \\h", ref[1])
    return oxml.paragraph(style, runs, (1, bookmark) if bookmark else None)


def body(*blocks: etree._Element) -> etree._Element:
    root = etree.Element(f"{W}body", nsmap={"w": oxml.W})
    root.extend(finish(list(blocks), REVISION))
    return root


def both_ways(root: etree._Element) -> tuple[list[str], list[str]]:
    return tracked.paragraphs(tracked.resolve(root, True)), tracked.paragraphs(tracked.resolve(root, False))


def test_words_inside_a_paragraph() -> None:
    old, new = p("The fee is EUR 300.00 for each learner."), p("The fee is EUR 350.00 for each external learner.")
    root = body(compare_pair(old, new, REVISION))
    assert tracked.marked(root) == ["The fee is EUR [-300.00-]{+350.00+} for each {+external +}learner."]
    assert both_ways(root) == (["The fee is EUR 350.00 for each external learner."],
                               ["The fee is EUR 300.00 for each learner."])


def test_a_reference_that_only_shows_another_number_is_no_change() -> None:
    old, new = p("As set out in clause ", ref=("_Ref_law", "18")), p("As set out in clause ", ref=("_Ref_law", "19"))
    out = compare_pair(old, new, REVISION)
    assert tracked.revisions(body(out)) == {}
    assert "".join(t.text for t in out.iter(f"{W}t")) == "As set out in clause 19"


def test_a_reference_to_another_clause_is_a_change() -> None:
    old = p("As set out in clause ", ref=("_Ref_law", "18"))
    new = p("As set out in clause ", ref=("_Ref_term", "14"))
    root = body(compare_pair(old, new, REVISION))
    assert tracked.marked(root) == ["As set out in clause [-18-]{+14+}"]
    accepted, rejected = (tracked.paragraphs(tracked.resolve(root, accept), "codes") for accept in (True, False))
    assert accepted == ["As set out in clause {REF _Ref_term \\w \\h}"]
    assert rejected == ["As set out in clause {REF _Ref_law \\w \\h}"]


def test_a_changed_character_or_paragraph_style_is_recorded_and_rejecting_restores_it() -> None:
    old, new = p("the ", defined="Party", style="BodyText"), p("the ", style="Clause2")
    new.append(oxml.text_run("Party"))
    root = body(compare_pair(old, new, REVISION))
    assert tracked.marked(root) == ["<style>the <style>Party"]
    rejected = tracked.resolve(root, accept=False)
    assert rejected.find(f".//{W}pStyle").get(f"{W}val") == "BodyText"
    assert [r.get(f"{W}val") for r in rejected.iter(f"{W}rStyle")] == ["DefinedTerm"]
    accepted = tracked.resolve(root, accept=True)
    assert accepted.find(f".//{W}pStyle").get(f"{W}val") == "Clause2" and not list(accepted.iter(f"{W}rStyle"))


def test_paragraphs_pair_by_likeness_and_by_label_and_the_rest_come_and_go_whole() -> None:
    olds = [p("Unchanged first."), p("The Parties meet twice a year in Brussels."), p("Gone entirely now."),
            p("Cited one way.", bookmark="_Ref_x")]
    news = [p("Unchanged first."), p("The Parties meet three times a year in Brussels."),
            p("Cited quite another way, reworded from top to bottom.", bookmark="_Ref_x"), p("A new sub-clause.")]
    out = compare_blocks(olds, news, REVISION)
    assert [(i, j) for _, i, j in out] == [(0, 0), (1, 1), (2, None), (3, 2), (None, 3)]
    root = body(*(block for block, _, _ in out))
    accepted, rejected = both_ways(root)
    assert accepted == ["Unchanged first.", "The Parties meet three times a year in Brussels.",
                        "Cited quite another way, reworded from top to bottom.", "A new sub-clause."]
    assert rejected == ["Unchanged first.", "The Parties meet twice a year in Brussels.", "Gone entirely now.",
                        "Cited one way."]
    assert len(list(root.iter(f"{W}bookmarkStart"))) == 1


def test_a_variant_replaced_by_another_pairs_only_its_labels() -> None:
    olds = [p("The courts of Brussels decide.", bookmark="_Ref_forum"), p("Same words in both.")]
    news = [p("An arbitrator decides in Brussels.", bookmark="_Ref_forum"), p("Same words in both.")]
    out = compare_blocks(olds, news, REVISION, labels_only=True)
    assert [(i, j) for _, i, j in out] == [(0, 0), (1, None), (None, 1)]


def test_a_table_changes_row_by_row() -> None:
    def table(*rows: tuple[str, str]) -> etree._Element:
        return oxml.table([[[oxml.text_run(c)] for c in row] for row in rows], 9000, "AgreementTable", "TableText")

    old = table(("Party", "Share"), ("University of Helsinki", "50%"), ("Jagiellonian University", "25%"))
    new = table(("Party", "Share"), ("University of Helsinki", "40%"), ("Jagiellonian University", "20%"),
                ("KU Leuven", "20%"))
    root = body(p("Before."), compare_pair(old, new, REVISION), p("After."))
    inserted = [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert ["".join(tr.itertext()) for tr in inserted] == ["KU Leuven20%"]
    assert "[-50-]{+40+}%" in tracked.marked(root)
    accepted, rejected = both_ways(root)
    assert accepted == ["Before.", "Party", "Share", "University of Helsinki", "40%", "Jagiellonian University",
                        "20%", "KU Leuven", "20%", "After."]
    assert rejected == ["Before.", "Party", "Share", "University of Helsinki", "50%", "Jagiellonian University",
                        "25%", "After."]


def test_tables_whose_headings_differ_are_other_tables_not_edits_of_one() -> None:
    """Annex 3's table of what each Party collects is another table under another financial model: compared row
    by row, "EUR 75.00" (kept of each fee) would show as changed to "EUR 90.00" (at most per Learner) under new
    headings, a change of meaning no lawyer should read. Tables pair only when their heading rows are alike."""
    def table(*rows: tuple[str, ...]) -> etree._Element:
        return oxml.table([[[oxml.text_run(c)] for c in row] for row in rows], 9000, "AgreementTable", "TableText")

    old = table(("Party", "Collects", "Keeps of each fee of EUR 300.00"), ("University of Bologna", "nothing",
                                                                             "EUR 75.00"))
    new = table(("Party", "Collects and keeps, per Learner", "At most, per Learner"),
                ("University of Bologna", "EUR 90.00 for Sustainability and the Arts", "EUR 90.00"))
    out = compare_blocks([old], [new], REVISION)
    assert [(i, j) for _, i, j in out] == [(0, None), (None, 0)]
    root = body(*(block for block, _, _ in out))
    assert both_ways(root) == (["Party", "Collects and keeps, per Learner", "At most, per Learner",
                                "University of Bologna", "EUR 90.00 for Sustainability and the Arts", "EUR 90.00"],
                               ["Party", "Collects", "Keeps of each fee of EUR 300.00", "University of Bologna",
                                "nothing", "EUR 75.00"])
    reworded = compare_blocks([table(("Party", "Share of the Net Revenue"), ("University of Helsinki", "50%"))],
                              [table(("Party", "Share of all fees collected"), ("University of Helsinki", "50%"))],
                              REVISION)
    assert [(i, j) for _, i, j in reworded] == [(0, 0)]


def test_paragraphs_added_before_a_table_leave_no_empty_paragraph_behind() -> None:
    """Rejecting joins an added paragraph to the next; before a table there is none, so the change is recorded
    on the mark of the paragraph before, as Word records text typed at its end."""
    table = oxml.table([[[oxml.text_run("Candidate")]], [[oxml.text_run("KU Leuven")]]], 9000, "AgreementTable",
                       "TableText")
    blocks = [p("Annex 5", style="AnnexHeading")] + [b for b, _, _ in compare_blocks(
        [p("No Party has acceded.", style="BodyText")],
        [p("The following accessions are planned:", style="BodyText"), table], REVISION)]
    root = body(*blocks)
    assert both_ways(root) == (["Annex 5", "The following accessions are planned:", "Candidate", "KU Leuven"],
                               ["Annex 5", "No Party has acceded."])
    blocks = [p("Annex 5", style="AnnexHeading")] + [b for b, _, _ in compare_blocks(
        [], [p("The following accessions are planned:", style="BodyText"), table], REVISION)]
    root = body(*blocks)
    assert both_ways(root) == (["Annex 5", "The following accessions are planned:", "Candidate", "KU Leuven"],
                               ["Annex 5"])
    assert tracked.paragraphs(tracked.resolve(root, False)) == ["Annex 5"]
    heading = next(root.iter(f"{W}p"))
    assert heading.find(f"{W}pPr/{W}rPr/{W}ins") is not None  # the heading's mark carries the insertion


def test_a_text_too_long_to_compare_word_by_word_is_replaced_whole() -> None:
    """difflib's time grows faster than the square of a text's length (4,000 words: two minutes), and a spec
    may hold a text of a hundred thousand words: beyond MAX_TOKENS a changed paragraph is shown replaced whole,
    still one paragraph, and accepting or rejecting still gives each version."""
    words = [f"w{k % 50}" for k in range(MAX_TOKENS)]
    old_text = " ".join(words) + "."
    new_text = " ".join(["changed", *words[1:]]) + "."
    root = body(compare_pair(p(old_text), p(new_text), REVISION))
    assert tracked.marked(root) == [f"[-{old_text}-]{{+{new_text}+}}"]
    assert both_ways(root) == ([new_text], [old_text])
    longer = [*words, "w0"]
    assert word_similarity(longer, longer[::-1]) == 1.0  # the quick upper bound: no ordered comparison
    short = words[:MAX_TOKENS // 4]
    root = body(compare_pair(p(" ".join(short)), p(" ".join(["changed", *short[1:]])), REVISION))
    assert tracked.marked(root)[0].startswith("[-w0-]{+changed+} w1 w2")


def test_hostile_text_is_text() -> None:
    hostile = "A & B <C> {{ x }} =SUM(A1) ]]>"
    root = body(compare_pair(p("Name: Plain"), p(f"Name: {hostile}"), REVISION))
    assert tracked.paragraphs(tracked.resolve(root, True)) == [f"Name: {hostile}"]
    assert b"<C>" not in etree.tostring(root) and b"&lt;C&gt;" in etree.tostring(root)


def test_alignment_never_crosses_and_keeps_both_orders() -> None:
    old, new = ["a", "b", "c", "d"], ["x", "c", "b", "y"]
    pairs = align(old, new, lambda i, j: 0.0, 0.5)
    kept = [(i, j) for i, j in pairs if i is not None and j is not None]
    assert kept in ([(1, 2)], [(2, 1)])
    assert [i for i, _ in pairs if i is not None] == [0, 1, 2, 3]
    assert [j for _, j in pairs if j is not None] == [0, 1, 2, 3]
