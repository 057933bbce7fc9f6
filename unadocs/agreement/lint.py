"""The drafting lint: what a careful lawyer checks in a draft, checked on every agreement unadocs builds.

It reads the agreement as planned (clauses rendered and numbered, before
Word) and finds:

* ``undefined-term``: a term the clause library defines somewhere (``**"Net
  Revenue"**``) used where this agreement does not define it;
* ``unused-term``: a term defined but never used; ``term-defined-twice``;
* ``reference-target``: a reference to a clause the agreement does not have;
* ``reference-subject``: a reference whose cited clause, sub-clause or annex
  does not say what the reference cites (``ref("annex.3", "common costs")``
  needs "common costs" in Annex 3), and ``reference-unexplained`` for a
  reference that does not say what it cites;
* ``typed-reference``: a clause or annex number typed as text instead of a
  reference, which would not move when the numbering does;
* ``lower-case-party``: "partner" or "party" in lower case in clause text,
  where the defined term is "Party";
* ``sentence-case``: a sentence of clause text that starts in lower case.

Only the clause library's own words are checked; what the spec says
(names, free texts) is literal and is :mod:`unadocs.checks`' business.
:func:`lint_library` runs the lint over every variant listed in
``clauses/variants.yaml`` and also finds clause files that no variant
selects and variant wordings that are missing or leak into other variants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from unadocs.agreement.document import ITEMS, Plan, accession_form_blocks, plan_agreement
from unadocs.agreement.library import ClauseFile, Library, load_library
from unadocs.agreement.markup import Block, Ref, Span, Text
from unadocs.agreement.numbering import Numbers
from unadocs.agreement.variants import Variant, apply_changes, load_variants
from unadocs.checks import lower_case_party_words
from unadocs.errors import SpecError
from unadocs.model import Consortium

__all__ = ["LintFinding", "lint_plan", "lint_agreement", "lint_library", "plan_text"]

_TYPED = re.compile(r"\b(?:[Cc]lauses?|Annex(?:es)?)\s+\d")
_SENTENCE_END_THEN_LOWER = re.compile(r"[.?!]\s+([a-z])")
_POINTER = "has the meaning given"
#: Annexes that are documents of their own (the Accession Form is signed alone): their definitions are theirs.
_STANDALONE = frozenset({"annex.accession-form"})
#: How a paragraph ends when the next one continues its sentence ("..., represented by X," / "each a Party").
_CONTINUED = re.compile(r"(?:[,;:]|\band|\bor)\s*$")


@dataclass(frozen=True)
class LintFinding:
    """One drafting defect, with the clause file to fix and where it shows in the agreement."""

    code: str
    file: str
    message: str
    where: str = ""
    """Where in the agreement: "clause 13.2", "Annex 4"."""
    variant: str = ""
    """The variant of ``clauses/variants.yaml`` the agreement was built for, when linting the library."""

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        variant = f" [{self.variant}]" if self.variant else ""
        return f"{self.code} {self.file}{where}: {self.message}{variant}"


@dataclass(frozen=True)
class _Paragraph:
    """A block of the agreement as the lint reads it."""

    block: Block
    clause: ClauseFile
    where: str


def _term_pattern(term: str) -> re.Pattern[str]:
    plural = re.escape(term[:-1]) + "ies" if term.endswith("y") else re.escape(term) + "s"
    return re.compile(rf"(?<![\w-])(?:{re.escape(term)}|{plural})(?![\w-])")


def _paragraphs(plan: Plan) -> Iterator[_Paragraph]:
    for section in plan.sections:
        for piece in section.pieces:
            for block in piece.blocks:
                if block.kind == "note":
                    continue
                where = (f"clause {block.number}" if block.number else
                         f"Annex {section.clause.annex}" if section.clause.annex else
                         f"clause {section.number}" if section.number else section.clause.heading)
                yield _Paragraph(block, piece.clause, where)


def _block_text(block: Block, numbers: Numbers) -> str:
    if block.kind == "table":
        return " ".join(numbers.text(cell) for row in block.rows for cell in row)
    return numbers.text(block.spans, item=block.kind in ITEMS)


def _spans(block: Block) -> list[Span]:
    """A block's spans, a table's cell by cell."""
    return [s for row in block.rows for cell in row for s in cell] if block.kind == "table" else block.spans


def _authored(block: Block) -> list[str]:
    """The clause file's own words in a block (spec values left out), as separate stretches."""
    return [s.text for s in _spans(block) if isinstance(s, Text) and not s.literal]


def _refs(block: Block) -> list[Ref]:
    return [s for s in _spans(block) if isinstance(s, Ref)]


def _definitions(block: Block) -> list[str]:
    return [s.text[1:-1] for s in block.spans
            if isinstance(s, Text) and s.bold and not s.literal and re.fullmatch(r'"[^"]+"', s.text)]


def plan_text(plan: Plan) -> str:
    """The agreement's text as a reader sees it (notes left out), one paragraph a line."""
    return "\n".join(_block_text(p.block, plan.numbers) for p in _paragraphs(plan))


def _cited_texts(plan: Plan) -> dict[str, str]:
    """The text each citable target holds: a clause's every block, a sub-clause with its items, an annex."""
    cited: dict[str, list[str]] = {}
    for section in plan.sections:
        whole = [section.clause.heading]
        current: list[str] | None = None
        for piece in section.pieces:
            for block in piece.blocks:
                if block.kind == "note":
                    continue
                text = _block_text(block, plan.numbers)
                whole.append(text)
                if block.kind == "clause2":
                    current = cited.setdefault(block.label, []) if block.label else None
                    if current is not None:
                        current.append(text)
                elif block.label:  # a labelled item
                    cited.setdefault(block.label, []).append(text)
                    if current is not None:
                        current.append(text)
                elif current is not None:
                    current.append(text)
        if section.clause.kind == "clause":
            cited[section.clause.id] = whole
        elif section.clause.annex:
            cited[f"annex.{section.clause.annex}"] = whole
    return {target: _normal(" ".join(texts)) for target, texts in cited.items()}


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def lint_plan(plan: Plan, library: Library,
              extra: Iterable[tuple[ClauseFile, list[Block], str]] = ()) -> list[LintFinding]:
    """Every drafting defect of a planned agreement; ``extra`` adds rendered blocks read with it (the Accession
    Form filled in for a partner: clause file, blocks, where)."""
    paragraphs = list(_paragraphs(plan))
    findings = [*_terms(paragraphs, plan.numbers, library), *_references(paragraphs, plan),
                *_wording(paragraphs, plan.numbers)]
    defined = {term for p in paragraphs for term in _definitions(p.block)}
    for clause, blocks, where in extra:  # a document of its own that cites the agreement
        own = [_Paragraph(b, clause, where) for b in blocks if b.kind != "note"]
        findings += _undefined(own, defined | {t for p in own for t in _definitions(p.block)}, library)
        findings += [*_references(own, plan), *_wording(own, plan.numbers)]
    return findings


def _terms(paragraphs: list[_Paragraph], numbers: Numbers, library: Library) -> Iterator[LintFinding]:
    defined: dict[str, list[_Paragraph]] = {}
    for p in paragraphs:
        for term in _definitions(p.block):
            defined.setdefault(term, []).append(p)
    for term, places in defined.items():
        real = [p for p in places if _POINTER not in _block_text(p.block, numbers)]
        scopes = [p.clause.id in _STANDALONE for p in real]
        if len(real) > 1 and (scopes.count(True) > 1 or scopes.count(False) > 1):
            yield LintFinding("term-defined-twice", real[1].clause.path.name,
                          f'"{term}" is defined twice (also in {real[0].clause.path.name}, {real[0].where})',
                          real[1].where)
    texts = [(p, _block_text(p.block, numbers)) for p in paragraphs]
    for term, places in defined.items():
        pattern = _term_pattern(term)
        uses = sum(len(pattern.findall(text)) for _, text in texts) - len(places)
        if uses <= 0:
            first = places[0]
            yield LintFinding("unused-term", first.clause.path.name, f'"{term}" is defined but never used', first.where)
    yield from _undefined(paragraphs, set(defined), library)


def _undefined(paragraphs: list[_Paragraph], defined: set[str], library: Library) -> Iterator[LintFinding]:
    """Terms the library defines somewhere, used in clause text where ``defined`` lacks them."""
    for term in sorted(library.defined_terms - defined):
        pattern = _term_pattern(term)
        for p in paragraphs:
            if any(pattern.search(stretch) for stretch in _authored(p.block)):
                yield LintFinding("undefined-term", p.clause.path.name,
                              f'uses "{term}", which this agreement does not define', p.where)
                break


def _references(paragraphs: list[_Paragraph], plan: Plan) -> Iterator[LintFinding]:
    cited = _cited_texts(plan)
    for p in paragraphs:
        for ref in _refs(p.block):
            if ref.target not in plan.numbers.number:
                yield LintFinding("reference-target", p.clause.path.name,
                              f"refers to {ref.target!r}, which this agreement does not have", p.where)
            elif ref.about is None:
                yield LintFinding("reference-unexplained", p.clause.path.name,
                              f"the reference to {ref.target!r} does not say what it cites: write "
                              f"ref({ref.target!r}, \"words the cited text contains\")", p.where)
            elif _normal(ref.about) not in cited.get(ref.target, ""):
                shown = ("Annex " if ref.target.startswith("annex.") else "clause ") + plan.numbers.number[ref.target]
                yield LintFinding("reference-subject", p.clause.path.name,
                              f"cites {shown} ({ref.target}) for {ref.about!r}, which {shown} does not say", p.where)
        for stretch in _authored(p.block):
            for typed in _TYPED.finditer(stretch):
                yield LintFinding("typed-reference", p.clause.path.name,
                              f"types {typed.group(0)!r}: cite it with ref() so that its number follows the "
                              "numbering", p.where)


def _wording(paragraphs: list[_Paragraph], numbers: Numbers) -> Iterator[LintFinding]:
    previous = ""
    for p in paragraphs:
        for stretch in _authored(p.block):
            words = lower_case_party_words(stretch)
            if words:
                yield LintFinding("lower-case-party", p.clause.path.name,
                              f"writes {words[0]!r} where the defined term is 'Party' ('Parties')", p.where)
            lower = _SENTENCE_END_THEN_LOWER.search(stretch)
            if lower:
                yield LintFinding("sentence-case", p.clause.path.name,
                              f"a sentence starts in lower case: {stretch[lower.start():lower.start() + 30]!r}",
                              p.where)
        if p.block.kind in ("clause2", "body", "recital") and p.block.spans and not _CONTINUED.search(previous):
            first = p.block.spans[0]
            if isinstance(first, Text) and not first.literal and first.text[:1].islower():
                yield LintFinding("sentence-case", p.clause.path.name,
                              f"the paragraph starts in lower case: {first.text[:30]!r}", p.where)
        previous = _block_text(p.block, numbers)


def lint_agreement(consortium: Consortium, library: Library | None = None) -> list[LintFinding]:
    """The drafting defects of the agreement a spec gives (as a draft) and of the Accession Forms it plans."""
    library = library or load_library()
    plan = plan_agreement(consortium, True, library)
    forms = []
    if consortium.accession.enabled:
        for partner in consortium.planned_accessions:
            form, blocks = accession_form_blocks(consortium, plan, library, partner, True)
            forms.append((form, blocks, f"Accession Form of {partner.id}"))
    return lint_plan(plan, library, forms)


def lint_library(base: Mapping[str, Any], library: Library | None = None,
                 variants: list[Variant] | None = None) -> list[LintFinding]:
    """Lint the agreement of every variant in ``clauses/variants.yaml``, applied to the spec data ``base``.

    Also reports a clause file that no variant selects, a variant whose
    spec is invalid, and a variant whose wording is missing from its
    agreement or printed in another variant's of the same option.
    """
    from unadocs.load import load_spec

    library = library or load_library()
    variants = variants if variants is not None else load_variants(library.directory)
    findings: list[LintFinding] = []
    selected: set[str] = set()
    texts: dict[tuple[str, str], str] = {}
    for variant in variants:
        try:
            consortium = load_spec(apply_changes(base, variant.changes))
        except SpecError as exc:
            findings.append(LintFinding("variant-invalid", "variants.yaml", str(exc), variant=variant.name))
            continue
        plan = plan_agreement(consortium, True, library)
        selected.update(s.clause.id for s in plan.sections)
        selected.update(p.clause.id for s in plan.sections for p in s.pieces)
        findings += [replace(f, variant=variant.name) for f in lint_agreement(consortium, library)]
        texts[(variant.option, variant.choice)] = _normal(plan_text(plan))
    for variant in variants:
        text = texts.get((variant.option, variant.choice))
        if text is None or not variant.wording:
            continue
        if _normal(variant.wording) not in text:
            findings.append(LintFinding("variant-wording", "variants.yaml",
                                    f"the agreement does not say {variant.wording!r}", variant=variant.name))
        for other in variants if variant.exclusive else ():
            other_text = texts.get((other.option, other.choice))
            if (other.option == variant.option and other.choice != variant.choice and other_text is not None
                    and _normal(variant.wording) not in _normal(other.wording or "")
                    and _normal(variant.wording) in other_text):
                findings.append(LintFinding("variant-wording", "variants.yaml",
                                        f"{variant.wording!r} is printed for {other.name} too", variant=variant.name))
    for clause in library.files:
        if clause.id not in selected:
            findings.append(LintFinding("not-selected", clause.path.name,
                                    "no variant in variants.yaml selects this clause file, so it is never checked"))
    return findings
