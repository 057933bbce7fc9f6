"""Assemble the agreement and the Accession Form: clauses → paragraphs → the Word template.

docxtpl fills the template's own fields (cover, header, watermark switch);
the clauses replace the ``{{p toc }}`` and ``{{p body }}`` paragraphs after
docxtpl has run, so that docxtpl's text clean-ups never see user data. The
zip is then rewritten with fixed entry times and core properties taken from
the agreement's date: the same spec gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import count
from typing import Any

from markupsafe import Markup, escape

from unadocs.agreement import oxml
from unadocs.agreement.formatting import long_date
from unadocs.agreement.library import ClauseFile, Library, load_library
from unadocs.agreement.markup import Block, BlockKind, Ref, Span, Text, parse_blocks
from unadocs.agreement.numbering import Numbers, Piece, Section, number_sections
from unadocs.agreement.selection import select
from unadocs.agreement.templating import Inline, render_clause
from unadocs.errors import TemplateError, UnadocsError
from unadocs.model import Consortium, Partner

__all__ = ["Plan", "plan_agreement", "build_agreement", "build_accession_form", "clause_context"]

#: Paragraph style of each block kind: the template's style ids.
STYLES = {
    "clause2": "Clause2", "clause3": "Clause3", "body": "BodyText", "bullet": "ListBullet", "party": "Party",
    "recital": "Recital", "subheading": "Subheading", "sighead": "SignatureHeading", "sigline": "SignatureLine",
    "note": "DraftingNote",
}
TOC_INSTRUCTION = 'TOC \\o "1-1" \\h \\z \\n'
_MARKER = "\ue010unadocs:"


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
        collecting=consortium.partner(collecting) if collecting else None,
        licence=consortium.intellectual_property.teaching_materials.creative_commons,
        end=consortium.term.end, partner=consortium.partner, accession_date=consortium.accession_date,
        names=lambda ids: [consortium.partner(i).name for i in ids],
        draft=draft, joining=joining, joining_date=joining_date,
        ref=lambda target: Inline(f"[[ref:{target}]]"), num=lambda target: Inline(f"[[num:{target}]]"),
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


class _Writer:
    """Turns a plan into body elements, with sequential (deterministic) bookmark ids."""

    def __init__(self, numbers: Numbers, draft: bool, width: int, live_references: bool = True) -> None:
        self.numbers, self.draft, self.width = numbers, draft, width
        self.live_references = live_references
        """False outside the agreement (the stand-alone Accession Form): its bookmarks are not in that file."""
        self._ids: Iterator[int] = count(1)

    def runs(self, spans: list[Span], clause: ClauseFile) -> list[oxml.Element]:
        out: list[oxml.Element] = []
        for span in spans:
            if isinstance(span, Text):
                out.append(oxml.text_run(span.text, "DefinedTerm" if span.bold else None))
                continue
            assert isinstance(span, Ref)
            if span.target not in self.numbers.number:
                raise TemplateError(
                    f"clause file {clause.path.name}: refers to {span.target!r}, which is neither a clause id "
                    "nor a sub-clause label of this agreement (guard it with has('...') if it is optional)"
                )
            if span.word:
                out.append(oxml.text_run("Annex " if span.target.startswith("annex.") else "clause "))
            if not self.live_references:
                out.append(oxml.text_run(self.numbers.number[span.target]))
                continue
            bookmark = self.numbers.bookmark[span.target]
            out.extend(oxml.field_runs(f"REF {bookmark} \\w \\h", self.numbers.number[span.target]))
        return out

    def note(self, text: str) -> oxml.Element:
        return oxml.paragraph(STYLES["note"], [oxml.text_run(f"[Drafting note: {text}]")])

    def bookmark(self, name: str | None) -> tuple[int, str] | None:
        return (next(self._ids), name) if name else None

    def block(self, block: Block, clause: ClauseFile) -> oxml.Element | None:
        if block.kind == "note":
            return self.note_spans(block, clause) if self.draft else None
        if block.kind == "table":
            rows = [[self.runs(cell, clause) for cell in row] for row in block.rows]
            return oxml.table(rows, self.width, "AgreementTable", "TableText")
        bookmark = self.bookmark(self.numbers.bookmark[block.label]) if block.label else None
        return oxml.paragraph(STYLES[block.kind], self.runs(block.spans, clause), bookmark)

    def note_spans(self, block: Block, clause: ClauseFile) -> oxml.Element:
        runs = [oxml.text_run("[Drafting note: "), *self.runs(block.spans, clause), oxml.text_run("]")]
        return oxml.paragraph(STYLES["note"], runs)

    def section(self, section: Section, first_front: bool) -> list[oxml.Element]:
        clause = section.clause
        out: list[oxml.Element] = []
        if clause.kind == "clause":
            out.append(oxml.paragraph("Heading1", [oxml.text_run(clause.heading)], self.bookmark(section.bookmark)))
        elif clause.kind == "annex":
            out.append(oxml.paragraph("AnnexHeading", [oxml.text_run(annex_title(clause))],
                                      self.bookmark(section.bookmark)))
        elif clause.kind == "front":
            out.append(oxml.paragraph("PreambleHeading" if first_front else "Subheading",
                                      [oxml.text_run(clause.heading)]))
        for piece in section.pieces:
            if self.draft and piece.clause.note:
                out.append(self.note(piece.clause.note))
            for block in piece.blocks:
                el = self.block(block, piece.clause)
                if el is not None:
                    out.append(el)
        return out

    def body(self, sections: list[Section]) -> list[oxml.Element]:
        out: list[oxml.Element] = []
        first_front = True
        for section in sections:
            out.extend(self.section(section, first_front and section.clause.kind == "front"))
            if section.clause.kind == "front":
                first_front = False
        return out


def annex_title(clause: ClauseFile) -> str:
    return f"Annex {clause.annex} \u2014 {clause.heading}"


def _table_of_contents(plan: Plan) -> list[oxml.Element]:
    entries: list[tuple[str | None, str, str]] = []
    for s in plan.sections:
        if s.clause.kind == "clause" and s.bookmark:
            entries.append((s.number, s.clause.heading, s.bookmark))
        elif s.clause.kind == "annex" and s.bookmark:
            entries.append((None, annex_title(s.clause), s.bookmark))
    return oxml.toc(entries, "TOC1", TOC_INSTRUCTION)


# -- the Word template ---------------------------------------------------------------------------------------------

def _literal(value: Any) -> Markup:
    """A value for a docxtpl field: XML-escaped, braces as character references (docxtpl rewrites ``{_{``),
    and no tabs or line breaks (docxtpl turns them into runs)."""
    text = oxml.xml_text(" ".join(str(value).split())).replace(_MARKER[0], "")  # never mistaken for a marker
    return Markup(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


def _marker(name: str) -> Markup:
    return Markup(f'<w:p><w:r><w:t>{_MARKER}{name}</w:t></w:r></w:p>')


def _template_fields(consortium: Consortium, draft: bool) -> dict[str, Any]:
    info = consortium.agreement
    status = "Draft" if draft else ("Final" if consortium.is_draft else info.status.value.capitalize())
    return {
        "reference": _literal(info.reference), "version": _literal(info.version),
        "date": _literal(long_date(info.date)), "draft": draft, "status": _literal(status),
        "credential_title": _literal(consortium.credential.title),
        "parties": [_literal(p.name) for p in consortium.original_parties],
        "toc": _marker("toc"), "body": _marker("body"),
    }


def _fill(template: str, fields: dict[str, Any], consortium: Consortium, title: str,
          build_content: Callable[[int], dict[str, list[oxml.Element]]]) -> bytes:
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from jinja2 import Environment

    from unadocs.resources import data_dir

    path = data_dir("templates") / "agreement" / template
    try:
        tpl = DocxTemplate(str(path))
        tpl.render(fields, jinja_env=Environment(autoescape=True), autoescape=True)
    except Exception as exc:  # a lawyer's edit of the template broke a field
        raise TemplateError(f"Word template {path.name}: {exc}") from None
    body = tpl.docx.element.body
    sect = body.find(oxml.qn("w:sectPr"))
    width = _text_width(sect)
    content = build_content(width)
    for p in list(body.iterchildren(oxml.qn("w:p"))):
        text = "".join(t.text or "" for t in p.iter(oxml.qn("w:t")))
        if text.startswith(_MARKER):
            name = text[len(_MARKER):]
            parent, index = p.getparent(), p.getparent().index(p)
            for k, el in enumerate(content.get(name, [])):
                parent.insert(index + k, el)
            parent.remove(p)
    _core_properties(tpl.docx, consortium, title)
    out = io.BytesIO()
    tpl.save(out)
    return _deterministic_zip(out.getvalue(), consortium.agreement.date)


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


def _deterministic_zip(data: bytes, day: date) -> bytes:
    """The same parts in the same order, with entry times fixed to the agreement's date."""
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
            dst.writestr(info, src.read(name))
    return out.getvalue()


# -- public builders -----------------------------------------------------------------------------------------------

def is_draft_output(consortium: Consortium, final: bool) -> bool:
    """Drafts carry the watermark and the drafting notes; ``final`` or an approved/signed status removes both."""
    return consortium.is_draft and not final


def build_agreement(consortium: Consortium, final: bool = False) -> bytes:
    """The Consortium Agreement as DOCX bytes."""
    draft = is_draft_output(consortium, final)
    plan = plan_agreement(consortium, draft)

    def content(width: int) -> dict[str, list[oxml.Element]]:
        writer = _Writer(plan.numbers, draft, width)
        return {"toc": _table_of_contents(plan), "body": writer.body(plan.sections)}

    title = f"{consortium.agreement.reference} Consortium Agreement"
    return _fill("agreement.docx", _template_fields(consortium, draft), consortium, title, content)


def build_accession_form(consortium: Consortium, partner_id: str, final: bool = False) -> bytes:
    """The Accession Form (Annex 4) pre-filled for a partner, with its accession date when the spec gives one.

    The lead university cannot accede: it signs the Accession Form on behalf of all parties.
    """
    try:
        joining = consortium.partner(partner_id)
    except KeyError:
        known = ", ".join(p.id for p in consortium.partners)
        raise UnadocsError(f"no partner {partner_id!r} in the spec; the partners are {known}") from None
    if not consortium.accession.enabled:
        raise UnadocsError("accession is disabled in this spec (accession.enabled: false): "
                           "new partners join only by an amendment signed by all parties")
    if joining.is_lead:
        raise UnadocsError(f"{partner_id} is the lead university; it signs the agreement itself")
    draft = is_draft_output(consortium, final)
    library = load_library()
    form = next((f for f in library.files if f.kind == "annex" and f.id == "annex.accession-form"), None)
    if form is None:
        raise TemplateError("the clause library has no file with id 'annex.accession-form'")
    plan = plan_agreement(consortium, draft, library)
    context = clause_context(consortium, draft, joining, consortium.accession_date(partner_id))
    context["has"] = plan.numbers.number.__contains__
    blocks = _render(form, context)

    def content(width: int) -> dict[str, list[oxml.Element]]:
        writer = _Writer(plan.numbers, draft, width, live_references=False)
        # the form's drafting note speaks of the agreement's Annex 4, not of this stand-alone copy
        section = Section(form, "", [Piece(replace(form, note=None), "", blocks)])
        heading = oxml.paragraph("Title", [oxml.text_run("Accession Form")])
        return {"body": [heading] + writer.section(section, False)[1:]}

    title = f"{consortium.agreement.reference} Accession Form \u2014 {joining.name}"
    return _fill("accession.docx", _template_fields(consortium, draft), consortium, title, content)
