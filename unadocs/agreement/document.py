"""Assemble the agreement and the Accession Form: clauses → paragraphs → the Word template.

docxtpl fills the template's own fields (cover, header, watermark switch);
the clauses replace the ``{{p toc }}`` and ``{{p body }}`` paragraphs after
docxtpl has run, so that docxtpl's text clean-ups never see user data.
Drafting notes become Word comments (python-docx's comments API) anchored on
the clause they discuss, or stay bracketed paragraphs (``notes="inline"``).
The table of contents carries page numbers that LibreOffice's layout gives
(:mod:`unadocs.agreement.pagination`), or Word computes on opening. The zip
is then rewritten with fixed entry times, and core properties and comment
dates taken from the agreement's date: the same spec gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from itertools import count
from typing import Any, Literal

from lxml import etree  # type: ignore[import-untyped]
from markupsafe import Markup, escape

import unadocs.agreement.oxml as oxml
from unadocs.agreement.formatting import long_date
from unadocs.agreement.library import ClauseFile, Library, load_library
from unadocs.agreement.markup import Block, BlockKind, Ref, Span, Text, parse_blocks
from unadocs.agreement.numbering import Numbers, Piece, Section, number_sections
from unadocs.agreement.selection import select
from unadocs.agreement.templating import reference, render_clause
from unadocs.errors import TemplateError, UnadocsError
from unadocs.model import Consortium, Partner

__all__ = ["Plan", "plan_agreement", "build_agreement", "build_accession_form", "clause_context", "Notes",
           "TocPages", "accession_form_blocks"]

#: Where drafting notes go in a draft: Word comments on the clause, or bracketed paragraphs in the text.
Notes = Literal["comments", "inline"]
#: Who computes the table of contents' page numbers: LibreOffice now, Word on opening, or LibreOffice when
#: it is installed and Word otherwise.
TocPages = Literal["auto", "libreoffice", "on-open"]

#: Paragraph style of each block kind: the template's style ids.
STYLES = {
    "clause2": "Clause2", "clause3": "Clause3", "body": "BodyText", "bullet": "ListBullet", "party": "Party",
    "recital": "Recital", "subheading": "Subheading", "sighead": "SignatureHeading", "sigline": "SignatureLine",
    "note": "DraftingNote",
}
#: Block kinds that continue the sentence before them: a reference starting one is not capitalised.
ITEMS = frozenset({"clause3", "bullet"})
#: Level-1 headings (\\o) and paragraphs with an outline level (\\u: the annex headings), as links (\\h).
TOC_INSTRUCTION = 'TOC \\o "1-1" \\h \\z \\u'
_MARKER = "\ue010unadocs:"
#: Who the comments are by, as Word shows it.
NOTE_AUTHOR, NOTE_INITIALS = "unadocs (drafting note)", "UD"


@dataclass
class Plan:
    """The agreement's content before it becomes XML: sections, numbers and cross-reference targets."""

    sections: list[Section]
    numbers: Numbers
    draft: bool


def clause_context(consortium: Consortium, draft: bool, joining: Partner | None = None,
                   joining_date: date | None = None) -> dict[str, Any]:
    """What clause bodies and conditions can name: the spec's sections and the model's derived facts."""
    context: dict[str, Any] = {name: getattr(consortium, name) for name in type(consortium).model_fields}
    collecting = consortium.finance.collecting_partner
    context.update(
        consortium=consortium, lead=consortium.lead, issuer=consortium.issuer,
        original_parties=consortium.original_parties, acceded_parties=consortium.acceded_parties,
        parties=consortium.parties_at_date, planned=consortium.planned_accessions,
        accession_planned=consortium.accession_planned, tasks_of=consortium.tasks_of,
        courses_of=consortium.courses_of, fee_split=consortium.fee_split,
        collecting=consortium.partner(collecting) if collecting else None,
        licence=consortium.intellectual_property.teaching_materials.creative_commons,
        end=consortium.term.end, issuing_end=consortium.term.issuing_end, partner=consortium.partner,
        accession_date=consortium.accession_date,
        names=lambda ids: [consortium.partner(i).name for i in ids],
        draft=draft, joining=joining, joining_date=joining_date,
        ref=partial(reference, "ref"), num=partial(reference, "num"),
    )
    return context


def _render(clause: ClauseFile, context: Mapping[str, Any]) -> list[Block]:
    text, literals = render_clause(clause, context)
    default: BlockKind = "clause2" if clause.kind in ("clause", "part") else "body"
    return parse_blocks(text, literals, default)


def plan_agreement(consortium: Consortium, draft: bool, library: Library | None = None) -> Plan:
    """Select, render and number the clauses of the agreement."""
    library = library or load_library()
    context = clause_context(consortium, draft)
    chosen = select(library, context)
    known = {s.clause.id for s in chosen} | {f"annex.{s.clause.annex}" for s in chosen if s.clause.annex}
    for s in chosen:
        known.update(s.clause.labels)
        for p in s.parts:
            known.update(p.clause.labels)
    context["has"] = known.__contains__
    sections = [
        Section(s.clause, s.reason, [Piece(s.clause, s.reason, _render(s.clause, context))]
                + [Piece(p.clause, p.reason, _render(p.clause, context)) for p in s.parts])
        for s in chosen
    ]
    return Plan(sections, number_sections(sections), draft)


@dataclass
class Content:
    """What replaces the template's markers, and the drafting notes to attach as comments."""

    parts: dict[str, list[oxml.Element]]
    comments: list[tuple[oxml.Element, str]] = field(default_factory=list)
    """(paragraph the comment is anchored on, its text); the paragraph is one of the parts' elements."""


@dataclass
class Group:
    """The elements one source puts in a section: its heading (``piece`` None) or one clause file's blocks."""

    piece: Piece | None
    items: list[tuple[oxml.Element, str | None]] = field(default_factory=list)
    """Each element with the number Word shows on it (13.2, 13.2(a)), if any."""

    @property
    def elements(self) -> list[oxml.Element]:
        return [element for element, _ in self.items]


class BodyWriter:
    """Turns a plan into body elements, with sequential (deterministic) bookmark ids."""

    def __init__(self, numbers: Numbers, draft: bool, width: int, live_references: bool = True,
                 notes: Notes = "comments") -> None:
        self.numbers, self.draft, self.width, self.notes = numbers, draft, width, notes
        self.live_references = live_references
        """False outside the agreement (the stand-alone Accession Form): its bookmarks are not in that file."""
        self._ids: Iterator[int] = count(1)
        self.comments: list[tuple[oxml.Element, str]] = []
        self._pending: list[str] = []
        """Notes waiting for the next paragraph to be anchored on."""

    def runs(self, spans: list[Span], clause: ClauseFile, item: bool = False) -> list[oxml.Element]:
        out: list[oxml.Element] = []
        before = ""
        for span in spans:
            if isinstance(span, Text):
                out.append(oxml.text_run(span.text, "DefinedTerm" if span.bold else None))
                before += span.text
                continue
            assert isinstance(span, Ref)
            if span.target not in self.numbers.number:
                raise TemplateError(
                    f"clause file {clause.path.name}: refers to {span.target!r}, which is neither a clause id "
                    "nor a sub-clause label of this agreement (guard it with has('...') if it is optional)"
                )
            word, number = self.numbers.word(span, before, item), self.numbers.number[span.target]
            before += word + number
            if word:
                out.append(oxml.text_run(word))
            if not self.live_references or span.target.startswith("annex."):
                # an annex's number is fixed by its clause file, and its heading is not list-numbered,
                # so a REF field could not show it: the number is plain text
                out.append(oxml.text_run(number))
                continue
            out.extend(oxml.field_runs(f"REF {self.numbers.bookmark[span.target]} \\w \\h", number))
        return out

    def note(self, text: str, group: Group) -> None:
        """A drafting note: a bracketed paragraph now, or a comment on the next paragraph."""
        if self.notes == "inline":
            group.items.append((oxml.paragraph(STYLES["note"], [oxml.text_run(f"[Drafting note: {text}]")]), None))
        else:
            self._pending.append(text)

    def add(self, element: oxml.Element, group: Group, number: str | None = None) -> None:
        """Append an element (with the number Word shows on it); a paragraph takes the notes waiting for an
        anchor."""
        group.items.append((element, number))
        if self._pending and element.tag == oxml.qn("w:p"):
            self.comments.extend((element, text) for text in self._pending)
            self._pending = []

    def bookmark(self, name: str | None) -> tuple[int, str] | None:
        return (next(self._ids), name) if name else None

    def block(self, block: Block, clause: ClauseFile) -> oxml.Element:
        if block.kind == "table":
            rows = [[self.runs(cell, clause) for cell in row] for row in block.rows]
            return oxml.table(rows, self.width, "AgreementTable", "TableText")
        bookmark = self.bookmark(self.numbers.bookmark[block.label]) if block.label else None
        return oxml.paragraph(STYLES[block.kind], self.runs(block.spans, clause, block.kind in ITEMS), bookmark)

    def section(self, section: Section, first_front: bool) -> list[Group]:
        """A section's elements by where they come from: its heading, then each clause file's blocks."""
        clause = section.clause
        groups: list[Group] = []
        heading: oxml.Element | None = None
        target = section_target(section)
        mark = self.bookmark(self.numbers.bookmark.get(target)) if target else None
        if clause.kind == "clause":
            heading = oxml.paragraph("Heading1", [oxml.text_run(clause.heading)], mark)
        elif clause.kind == "annex":
            heading = oxml.paragraph("AnnexHeading", [oxml.text_run(annex_title(clause))], mark)
        elif clause.kind == "front":
            heading = oxml.paragraph("PreambleHeading" if first_front else "Subheading",
                                     [oxml.text_run(clause.heading)])
        on_heading = heading is not None and self.notes == "comments"
        if heading is not None:
            groups.append(Group(None))
            self.add(heading, groups[-1], section.number)
            if on_heading and self.draft and clause.note:
                self.comments.append((heading, clause.note))
        for piece in section.pieces:
            group = Group(piece)
            groups.append(group)
            if self.draft and piece.clause.note and not (on_heading and piece.clause is clause):
                self.note(piece.clause.note, group)
            for block in piece.blocks:
                if block.kind == "note":
                    if self.draft:
                        self.note(self.numbers.text(block.spans), group)
                    continue
                self.add(self.block(block, piece.clause), group, block.number)
        if self._pending:  # notes after the section's last paragraph discuss it
            anchor = next((el for g in reversed(groups) for el in reversed(g.elements) if el.tag == oxml.qn("w:p")),
                          heading)
            if anchor is not None:
                self.comments.extend((anchor, text) for text in self._pending)
            self._pending = []
        return groups

    def sections(self, sections: list[Section]) -> list[list[Group]]:
        """Every section's groups, in order."""
        out: list[list[Group]] = []
        first_front = True
        for section in sections:
            out.append(self.section(section, first_front and section.clause.kind == "front"))
            if section.clause.kind == "front":
                first_front = False
        return out

    def body(self, sections: list[Section]) -> list[oxml.Element]:
        return [el for groups in self.sections(sections) for group in groups for el in group.elements]


def section_target(section: Section) -> str | None:
    """What references to a section cite: its clause id, ``annex.N`` for an annex, None for the rest."""
    if section.clause.kind == "clause":
        return section.clause.id
    if section.clause.kind == "annex":
        return f"annex.{section.clause.annex}"
    return None


def annex_title(clause: ClauseFile) -> str:
    return f"Annex {clause.annex} \u2014 {clause.heading}"


def _toc_entries(plan: Plan) -> list[tuple[str | None, str, str]]:
    """(number, heading, bookmark) of every clause and annex, in document order."""
    entries: list[tuple[str | None, str, str]] = []
    for s in plan.sections:
        if s.clause.kind == "clause" and s.bookmark:
            entries.append((s.number, s.clause.heading, s.bookmark))
        elif s.clause.kind == "annex" and s.bookmark:
            entries.append((None, annex_title(s.clause), s.bookmark))
    return entries


def table_of_contents(plan: Plan, pages: list[str]) -> list[oxml.Element]:
    entries = [(number, heading, mark, page) for (number, heading, mark), page in zip(_toc_entries(plan), pages)]
    return oxml.toc(entries, "TOC1", TOC_INSTRUCTION)


# -- the Word template ---------------------------------------------------------------------------------------------

def _literal(value: Any) -> Markup:
    """A value for a docxtpl field: XML-escaped, braces as character references (docxtpl rewrites ``{_{``),
    and no tabs or line breaks (docxtpl turns them into runs)."""
    text = oxml.xml_text(" ".join(str(value).split())).replace(_MARKER[0], "")  # never mistaken for a marker
    return Markup(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


def _marker(name: str) -> Markup:
    return Markup(f'<w:p><w:r><w:t>{_MARKER}{name}</w:t></w:r></w:p>')


def template_fields(consortium: Consortium, draft: bool, compared_with: str | None = None) -> dict[str, Any]:
    """The docxtpl fields of the template: cover, header, watermark switch, and the markers of the table of
    contents and the body; ``compared_with`` names the older version in a redline's header."""
    info = consortium.agreement
    status = "Draft" if draft else ("Final" if consortium.is_draft else info.status.value.capitalize())
    return {
        "reference": _literal(info.reference), "version": _literal(info.version),
        "date": _literal(long_date(info.date)), "draft": draft, "status": _literal(status),
        "credential_title": _literal(consortium.credential.title),
        "parties": [_literal(p.name) for p in consortium.original_parties],
        "toc": _marker("toc"), "body": _marker("body"),
        "compared_with": _literal(compared_with) if compared_with is not None else "",
    }


#: What a redline or an agreement puts in the template's body: given the body's elements as docxtpl filled them
#: (the markers among them) and the text width, the final elements and the comments to anchor on them.
Compose = Callable[[list[oxml.Element], int], tuple[list[oxml.Element], list[tuple[oxml.Element, str]]]]


def render_template(template: str, fields: dict[str, Any]) -> Any:
    """The Word template filled by docxtpl with ``fields`` (a ``DocxTemplate``); the markers are still there."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from jinja2 import Environment

    from unadocs.resources import data_dir

    path = data_dir("templates") / "agreement" / template
    try:
        tpl = DocxTemplate(str(path))
        tpl.render(fields, jinja_env=Environment(autoescape=True), autoescape=True)
    except Exception as exc:  # a lawyer's edit of the template broke a field
        raise TemplateError(f"Word template {path.name}: {exc}") from None
    return tpl


def body_elements(tpl: Any) -> tuple[list[oxml.Element], int]:
    """A filled template's body elements (its section properties aside) and the width of its text column."""
    body = tpl.docx.element.body
    sect = body.find(oxml.qn("w:sectPr"))
    return [el for el in body if el is not sect], _text_width(sect)


def marker_name(element: oxml.Element) -> str | None:
    """``toc`` or ``body`` for the paragraphs that stand for the table of contents and the clauses."""
    if element.tag != oxml.qn("w:p"):
        return None
    text = "".join(t.text or "" for t in element.iter(oxml.qn("w:t")))
    return text[len(_MARKER):] if text.startswith(_MARKER) else None


def _fill(template: str, fields: dict[str, Any], consortium: Consortium, title: str,
          build_content: Callable[[int], Content], update_fields: bool = False) -> bytes:
    def compose(elements: list[oxml.Element], width: int) -> tuple[list[oxml.Element],
                                                                     list[tuple[oxml.Element, str]]]:
        content = build_content(width)
        out: list[oxml.Element] = []
        for el in elements:
            name = marker_name(el)
            out.extend([el] if name is None else content.parts.get(name, []))
        return out, content.comments

    return fill_template(template, fields, consortium, title, compose, update_fields)


def fill_template(template: str, fields: dict[str, Any], consortium: Consortium, title: str, compose: Compose,
                  update_fields: bool = False) -> bytes:
    """The Word template filled with ``fields`` and its body composed by ``compose``, as deterministic DOCX bytes
    (entry times, core properties and comment dates from the agreement's date)."""
    from docx.oxml import parse_xml

    tpl = render_template(template, fields)
    document = tpl.docx
    body = document.element.body
    elements, width = body_elements(tpl)
    composed, comments = compose(elements, width)
    kept = {id(el) for el in elements}
    for el in elements:
        body.remove(el)
    # python-docx works on its own element classes: the content joins the document re-parsed by its parser
    native: dict[int, Any] = {}
    sect = body.find(oxml.qn("w:sectPr"))
    for el in composed:
        native[id(el)] = el if id(el) in kept else parse_xml(etree.tostring(el))
        if sect is not None:
            sect.addprevious(native[id(el)])
        else:
            body.append(native[id(el)])
    _comment(document, [(native[id(anchor)], text) for anchor, text in comments])
    if update_fields:
        _update_fields_on_open(document)
    _core_properties(document, consortium, title)
    out = io.BytesIO()
    tpl.save(out)
    return _deterministic_zip(out.getvalue(), consortium.agreement.date)


def _comment(document: Any, notes: list[tuple[Any, str]]) -> None:
    """Anchor each note as a Word comment on its paragraph, through python-docx's comments API."""
    if not notes:
        return
    from docx.text.run import Run

    elements = list(document.element.body.iterchildren(oxml.qn("w:p")))
    paragraphs = document.paragraphs  # the same body paragraphs, as python-docx objects
    for anchor, text in notes:
        paragraph = paragraphs[elements.index(anchor)]
        # in a redline, the anchor's words may be inserted ones (inside w:ins); deleted words are not its text
        runs = [Run(r, paragraph) for r in anchor.xpath("./w:r | ./w:ins/w:r")]
        if runs:
            document.add_comment(runs, text=oxml.xml_text(text), author=NOTE_AUTHOR, initials=NOTE_INITIALS)


def _update_fields_on_open(document: Any) -> None:
    """Ask Word to update every field (the TOC's page numbers) when the file is opened."""
    settings = document.settings.element
    setting = etree.SubElement(settings, oxml.qn("w:updateFields"))
    setting.set(oxml.qn("w:val"), "true")
    compat = settings.find(oxml.qn("w:compat"))
    if compat is not None:  # the schema puts updateFields before compat
        compat.addprevious(setting)


def _text_width(sect: Any) -> int:
    """The width of the text column (twips), from the template's page size and margins."""
    if sect is None:
        return 9000
    size, margins = sect.find(oxml.qn("w:pgSz")), sect.find(oxml.qn("w:pgMar"))
    try:
        return int(size.get(oxml.qn("w:w"))) - int(margins.get(oxml.qn("w:left"))) - int(
            margins.get(oxml.qn("w:right")))
    except (AttributeError, TypeError, ValueError):
        return 9000


def _core_properties(document: Any, consortium: Consortium, title: str) -> None:
    props = document.core_properties
    moment = datetime.combine(consortium.agreement.date, datetime.min.time())
    props.title = oxml.xml_text(title)
    props.subject = oxml.xml_text(consortium.credential.title)
    props.author = "Una Europa"
    props.last_modified_by = "unadocs"
    props.identifier = oxml.xml_text(consortium.agreement.reference)
    props.version = oxml.xml_text(consortium.agreement.version)
    props.language = "en-GB"
    props.revision = 1
    props.created = moment
    props.modified = moment


def _comment_dates(xml: bytes, day: date) -> bytes:
    """The comments part with every comment dated the agreement's date (python-docx dates them now)."""
    root = etree.fromstring(xml)
    for comment in root.iter(oxml.qn("w:comment")):
        if comment.get(oxml.qn("w:date")) is not None:
            comment.set(oxml.qn("w:date"), f"{day.isoformat()}T00:00:00Z")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _deterministic_zip(data: bytes, day: date) -> bytes:
    """The same parts in the same order, with entry times (and comment dates) fixed to the agreement's date."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    position = {name: i for i, name in enumerate(src.namelist())}
    names = sorted(position, key=lambda n: (n != "[Content_Types].xml", position[n]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            part = src.read(name)
            dst.writestr(info, _comment_dates(part, day) if name == "word/comments.xml" else part)
    return out.getvalue()


# -- public builders -----------------------------------------------------------------------------------------------

def is_draft_output(consortium: Consortium, final: bool) -> bool:
    """Drafts carry the watermark and the drafting notes; ``final`` or an approved/signed status removes both."""
    return consortium.is_draft and not final


def _pages_by(toc_pages: TocPages) -> Literal["libreoffice", "on-open"]:
    from unadocs.agreement.pagination import require_soffice, soffice

    if toc_pages not in ("auto", "libreoffice", "on-open"):
        raise UnadocsError(f"toc_pages must be auto, libreoffice or on-open, not {toc_pages!r}")
    if toc_pages == "auto":
        return "libreoffice" if soffice() is not None else "on-open"
    if toc_pages == "libreoffice":
        require_soffice()
    return toc_pages


def build_agreement(consortium: Consortium, final: bool = False, *, notes: Notes = "comments",
                    toc_pages: TocPages = "auto") -> bytes:
    """The Consortium Agreement as DOCX bytes.

    ``notes``: in a draft, drafting notes are Word comments on the clause they
    discuss (``"comments"``) or bracketed paragraphs (``"inline"``).
    ``toc_pages``: the table of contents' page numbers come from LibreOffice's
    layout (``"libreoffice"``), or Word computes them when the file is opened
    (``"on-open"``); ``"auto"`` uses LibreOffice when it is installed.
    """
    check_notes(notes)
    draft = is_draft_output(consortium, final)
    plan = plan_agreement(consortium, draft)
    assemble = agreement_assembler(consortium, plan, draft, notes)
    pages, on_open = contents_pages(plan, assemble, toc_pages)
    return assemble(pages, on_open)


def check_notes(notes: str) -> None:
    if notes not in ("comments", "inline"):
        raise UnadocsError(f"notes must be comments or inline, not {notes!r}")


def agreement_assembler(consortium: Consortium, plan: Plan, draft: bool,
                        notes: Notes) -> Callable[[list[str], bool], bytes]:
    """A function of the table of contents' page numbers (and whether Word is to update them on opening) that
    assembles the agreement."""
    title = f"{consortium.agreement.reference} Consortium Agreement"
    fields = template_fields(consortium, draft)

    def assemble(pages: list[str], update_fields: bool) -> bytes:
        def content(width: int) -> Content:
            writer = BodyWriter(plan.numbers, draft, width, notes=notes)
            body = writer.body(plan.sections)
            return Content({"toc": table_of_contents(plan, pages), "body": body}, writer.comments)

        return _fill("agreement.docx", fields, consortium, title, content, update_fields)

    return assemble


def contents_pages(plan: Plan, assemble: Callable[[list[str], bool], bytes],
                   toc_pages: TocPages) -> tuple[list[str], bool]:
    """The page numbers the table of contents shows (LibreOffice's layout of what ``assemble`` builds), or
    empty ones and True when Word is to compute them on opening."""
    entries = _toc_entries(plan)
    if _pages_by(toc_pages) == "on-open":
        return [""] * len(entries), True
    return _laid_out_pages(lambda pages: assemble(pages, False), [h for _, h, _ in entries]), False


def _laid_out_pages(assemble: Callable[[list[str]], bytes], headings: list[str]) -> list[str]:
    """The TOC's page numbers as LibreOffice lays the agreement out.

    The layout is measured with numbers of the right width already in the
    TOC (digits are equally wide), so writing the real ones changes no line
    break: two rounds at most, three if a page count crosses a power of ten.
    """
    from unadocs.agreement.pagination import heading_pages

    pages = ["00"] * len(headings)
    for _ in range(3):
        measured = [str(n) for n in heading_pages(assemble(pages), headings)]
        if [len(p) for p in measured] == [len(p) for p in pages]:
            return measured
        pages = measured
    raise UnadocsError("LibreOffice's page numbers for the table of contents did not settle")


def accession_form_blocks(consortium: Consortium, plan: Plan, library: Library, joining: Partner | None,
                          draft: bool) -> tuple[ClauseFile, list[Block]]:
    """The Accession Form (Annex 4) rendered for a joining partner, or blank (``joining=None``)."""
    form = next((f for f in library.files if f.kind == "annex" and f.id == "annex.accession-form"), None)
    if form is None:
        raise TemplateError("the clause library has no file with id 'annex.accession-form'")
    context = clause_context(consortium, draft, joining,
                             consortium.accession_date(joining.id) if joining is not None else None)
    context["has"] = plan.numbers.number.__contains__
    return form, _render(form, context)


def build_accession_form(consortium: Consortium, partner_id: str | None = None, final: bool = False) -> bytes:
    """The Accession Form (Annex 4) pre-filled for a partner listed under ``accession.accessions``, or blank.

    A partner that signs the agreement itself (an original party, the lead
    among them) or that has already acceded by the date of this version is
    refused: the form is for a planned accession.
    """
    if not consortium.accession.enabled:
        raise UnadocsError("accession is disabled in this spec (accession.enabled: false): "
                           "new partners join only by an amendment signed by all parties")
    joining = None if partner_id is None else _joining(consortium, partner_id)
    draft = is_draft_output(consortium, final)
    library = load_library()
    plan = plan_agreement(consortium, draft, library)
    form, blocks = accession_form_blocks(consortium, plan, library, joining, draft)

    def content(width: int) -> Content:
        writer = BodyWriter(plan.numbers, draft, width, live_references=False, notes="inline")
        body = [oxml.paragraph("Title", [oxml.text_run("Accession Form")])]
        for block in blocks:
            if block.kind != "note":
                body.append(writer.block(block, form))
        return Content({"body": body})

    name = joining.name if joining is not None else "blank"
    title = f"{consortium.agreement.reference} Accession Form \u2014 {name}"
    return _fill("accession.docx", template_fields(consortium, draft), consortium, title, content)


def _joining(consortium: Consortium, partner_id: str) -> Partner:
    """The partner an Accession Form is for; an error for one that signs, or has signed, already."""
    try:
        joining = consortium.partner(partner_id)
    except KeyError:
        known = ", ".join(p.id for p in consortium.partners)
        raise UnadocsError(f"no partner {partner_id!r} in the spec; the partners are {known}") from None
    joined = consortium.accession_date(partner_id)
    if joined is None:
        role = "the lead university" if joining.is_lead else "an original party"
        raise UnadocsError(f"{partner_id} is {role}: it signs the agreement itself, so it has no Accession Form "
                           "(list it under accession.accessions to prepare its accession)")
    if not consortium.accession_planned(partner_id):
        raise UnadocsError(f"{partner_id} acceded on {joined.isoformat()}, on or before the date of this version of "
                           f"the agreement ({consortium.agreement.date.isoformat()}): its Accession Form is signed")
    return joining
