"""The Consortium Agreement: clause library, model-driven selection, numbering and DOCX assembly.

* :func:`build_agreement` — the agreement as DOCX bytes;
* :func:`build_accession_form` — the Accession Form (Annex 4) for a planned accession, or blank;
* :func:`chosen_clauses` — the clauses a spec selects, with their numbers and why;
* :func:`lint_agreement`, :func:`lint_library` — the drafting lint (:mod:`unadocs.agreement.lint`);
* :func:`compare_agreements` — two versions as a redline in Word's tracked changes, and
  :func:`agreement_changes` — what changed between them (:mod:`unadocs.agreement.compare`).
"""

from __future__ import annotations

from dataclasses import dataclass

from unadocs.agreement.document import (
    Notes,
    TocPages,
    build_accession_form,
    build_agreement,
    is_draft_output,
    plan_agreement,
)
from unadocs.agreement.compare import (
    AgreementChanges,
    ClauseChange,
    FieldChange,
    agreement_changes,
    compare_agreements,
)
from unadocs.agreement.lint import LintFinding, lint_agreement, lint_library
from unadocs.model import Consortium

__all__ = ["AgreementChanges", "ChosenClause", "ClauseChange", "FieldChange", "LintFinding", "Notes", "TocPages",
           "agreement_changes", "build_agreement", "build_accession_form", "chosen_clauses", "compare_agreements",
           "lint_agreement", "lint_library"]


@dataclass(frozen=True)
class ChosenClause:
    """One clause file used in the agreement, where it landed and why it was chosen."""

    id: str
    kind: str
    heading: str
    number: str | None
    """"12" for a clause, "12.3–12.4" for a part, "Annex 4" for an annex, None for the preamble."""
    file: str
    reason: str
    """"always applies", or the condition that held with the values it tested."""
    part_of: str | None = None


def chosen_clauses(consortium: Consortium, final: bool = False) -> list[ChosenClause]:
    """The clause files the spec selects, in document order, with their numbers and reasons."""
    plan = plan_agreement(consortium, is_draft_output(consortium, final))
    out: list[ChosenClause] = []
    for section in plan.sections:
        head = section.clause
        number = section.number if head.kind == "clause" else (f"Annex {head.annex}" if head.kind == "annex" else None)
        out.append(ChosenClause(head.id, head.kind, head.heading, number, head.path.name, section.reason))
        for piece in section.pieces[1:]:
            span = None
            if piece.first:
                span = piece.first if piece.first == piece.last else f"{piece.first}\u2013{piece.last}"
            out.append(ChosenClause(piece.clause.id, "part", piece.clause.heading, span, piece.clause.path.name,
                                    piece.reason, head.id))
    return out
