"""A first spec from a few answers: what ``unadocs init`` writes, so that a draft agreement is minutes away.

The answers are the choices only the consortium can make (the partners, the
credential's size and level, the finance model, the term, the law). Every
other field gets a sensible default or a bracketed placeholder
(``[to be completed: ...]``) that ``unadocs check`` lists as an advisory
until someone fills it in, so the file is valid from the start and says what
is left to do. Comments in the file explain each field, as in the reference
example.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_UP, Decimal

from unadocs.model.base import decimal_text

__all__ = ["PLACEHOLDER", "PLACEHOLDER_EMAIL", "StarterAnswers", "partner_id", "starter_spec", "unfinished"]

#: How a field the starter cannot know begins; ``check`` reports every field that still does.
PLACEHOLDER = "[to be completed"
#: The e-mail address a starter gives a person it cannot name.
PLACEHOLDER_EMAIL = "to-be-named@example.org"


def _next_september(today: date) -> date:
    this_year = date(today.year, 9, 1)
    return this_year if today < this_year else date(today.year + 1, 9, 1)


@dataclass(frozen=True)
class StarterAnswers:
    """The choices a new spec is made from; the defaults make a valid three-member credential."""

    title: str = "Micro-credential in Sustainability"
    members: Sequence[str] = ("helsinki", "bologna", "krakow")
    """Una Europa registry codes of the partners; the first is the lead unless ``lead`` says otherwise."""
    lead: str | None = None
    ects: Decimal = Decimal(5)
    eqf_level: int = 7
    languages: Sequence[str] = ("en",)
    participation: str = "online"
    finance_model: str = "centralised"
    external_fee: str = "0 EUR"
    """The fee for learners from outside the alliance (its students pay nothing)."""
    start: date = field(default_factory=lambda: _next_september(date.today()))
    duration_years: int = 3
    law: str = "BE"

    @property
    def lead_member(self) -> str:
        return self.lead or self.members[0]


def partner_id(member: str) -> str:
    """The id a starter spec gives a member (``helsinki`` -> ``HELSINKI``)."""
    return member.upper().replace("-", "_")


def _q(value: object) -> str:
    """A YAML scalar that reads back as exactly ``value`` (JSON is YAML): user text never becomes structure."""
    return json.dumps(value, ensure_ascii=False)


def _todo(what: str) -> str:
    return _q(f"{PLACEHOLDER}: {what}]")


_CYCLES = {5: "short", 6: "first", 7: "second", 8: "third"}


def starter_spec(answers: StarterAnswers) -> str:
    """The commented YAML of a new spec made from ``answers`` (check it with :func:`unadocs.load.parse_spec`)."""
    ids = [partner_id(m) for m in answers.members]
    lead = partner_id(answers.lead_member)
    ects = answers.ects
    share = (ects / len(ids)).quantize(Decimal("0.5"), rounding=ROUND_UP)  # the courses cover the workload
    shares = _shares(ids)
    slug = "".join(word[0] for word in answers.title.split() if word[:1].isalnum()).upper()[:8] or "MC"
    lines = [
        "# Consortium specification for a joint Una Europa micro-credential, started with `unadocs init`.",
        "# Fill in every value marked [to be completed ...]: `unadocs check` lists those that are left.",
        "# The reference example (`unadocs demo`, examples/sustainability.yaml) and docs/spec-format.md",
        "# explain every field. Dates are YYYY-MM-DD; money is an amount and a currency, like 300 EUR.",
        "",
        "agreement:",
        f"  reference: {_q(f'UNA-MC-{slug}-{answers.start.year}')}   # the agreement's own reference",
        '  version: "0.1"                       # draft version shown in the header',
        "  status: draft                        # draft | approved | signed",
        f"  date: {date.today().isoformat()}                     # date of this version",
        "",
        "credential:",
        f"  title: {_q(answers.title)}",
        f"  focus_area: {_todo('the Una Europa focus area, e.g. Sustainability')}",
        f"  summary: {_todo('what the micro-credential is about, in two or three sentences')}",
        f"  eqf_level: {answers.eqf_level}                         # European Qualifications Framework, 5 to 8",
        f"  cycle: {_CYCLES[answers.eqf_level]}                      # QF-EHEA cycle of that level",
        f"  ects: {decimal_text(ects)}                              # notional workload awarded, in ECTS",
        "  learning_outcomes:",
        f"    - {_todo('what a learner can do at the end, one line per outcome')}",
        f"  assessment: {_todo('how learners are assessed')}",
        f"  participation: {_q(answers.participation)}              # online | on-site | hybrid | blended",
        f"  quality_assurance: {_todo('the quality assurance behind the micro-credential')}",
        f"  languages: [{', '.join(_q(code) for code in answers.languages)}]",
        "  courses:                             # the courses; each partner's, to rename and size",
        *[line for pid in ids for line in (
            f"    - title: {_todo(f'a course of {pid}')}",
            f"      ects: {decimal_text(share)}",
            f"      provider: {pid}",
        )],
        "",
        "partners:",
        *[line for member, pid in zip(answers.members, ids, strict=True) for line in (
            f"  - id: {pid}",
            f"    member: {_q(member)}                 # name, country and city come from the Una Europa registry",
            *(["    role: lead"] if pid == lead else []),
            f"    coordinator: {{ name: {_todo(f'coordinator at {pid}')}, email: {PLACEHOLDER_EMAIL} }}",
            f"    signatory: {{ name: {_todo(f'who signs for {pid}')}, title: Rector }}",
        )],
        "",
        "governance:",
        "  management_committee: one representative per partner, appointed by its coordinator",
        f"  chair: {lead}",
        "  decisions: consensus                 # consensus | majority | two-thirds",
        "  meetings_per_year: 2",
        "  responsibilities:",
        *[f"    {pid}: [{'recruitment, admission, assessment, certificates, ' if pid == lead else ''}teaching]"
          for pid in ids],
        "",
        "recognition:                           # how each partner recognises the ECTS",
        *[f"  {pid}: {_todo(f'how {pid} recognises the credits')}" for pid in ids],
        "",
        "finance:",
        f"  model: {_q(answers.finance_model)}                 # centralised | decentralised | mixed",
        *([f"  collecting_partner: {lead}" ] if answers.finance_model != "decentralised" else []),
        "  fees:",
        "    - learners: students of Una Europa universities",
        "      amount: 0 EUR",
        *([f"      joint_part: 0 EUR"] if answers.finance_model == "mixed" else []),
        "    - learners: external learners",
        f"      amount: {_q(answers.external_fee)}",
        *([f"      joint_part: {_q(_zero(answers.external_fee))}"] if answers.finance_model == "mixed" else []),
        *(["  joint_activities:", f"    - {_todo('the joint activities whose fees the collecting Party collects')}"]
          if answers.finance_model == "mixed" else []),
        f"  revenue_shares: {{ {', '.join(f'{pid}: {shares[pid]}' for pid in ids)} }}   # percent, sums to 100",
        "  costs: Each Party bears the cost of developing and running its own courses.",
        "",
        "branding:",
        "  una_europa_reference: true",
        "  disclaimer: This micro-credential was created by the Una Europa alliance.",
        "  logo_licence:",
        "    scope: promotion of the micro-credential and issuance of its certificates",
        "    ends: with the agreement",
        "",
        "certificate:",
        "  form: digital                        # digital | paper | both",
        f"  issuer: {lead}                           # the partner issuing on behalf of all awarding bodies",
        f"  conditions: {_q(f'Successful assessment of courses totalling at least {decimal_text(ects)} ECTS.')}",
        "  verification_url: https://verify.una-europa.eu/c/",
        f"  signatories: [{lead}]",
        "",
        "intellectual_property:",
        "  background: retained",
        "  teaching_materials:",
        "    ownership: creator-institution     # creator-institution | joint",
        "    licence: CC-BY-4.0",
        "  third_party_content: each Party clears the rights in third-party material it contributes",
        "",
        "data_protection:",
        "  mode: reference                      # reference | full",
        "  reference: Una Europa Data Protection Agreement",
        "  roles: joint-controllers",
        "",
        "accession:",
        "  enabled: true",
        "  decision: unanimous",
        "  accessions: []",
        "",
        "term:",
        f"  start: {answers.start.isoformat()}",
        f"  duration_years: {answers.duration_years}                    # at most 4",
        "  review: annual",
        "  renewal: by-written-agreement",
        "  termination_notice_months: 6",
        "  learners_protected: true",
        "",
        "law:",
        f"  applicable: {_q(answers.law)}",
        "  disputes: amicable-then-courts       # amicable-then-courts | amicable-then-mediation-then-courts | arbitration",
        "  venue: Brussels",
        "",
    ]
    return "\n".join(lines)


def _shares(ids: Sequence[str]) -> dict[str, int]:
    """Equal revenue shares in whole percent, the remainder to the first (the lead's list order)."""
    base = 100 // len(ids)
    shares = {pid: base for pid in ids}
    shares[ids[0]] += 100 - base * len(ids)
    return shares


def _zero(fee: str) -> str:
    currency = fee.split()[-1] if fee.split() else "EUR"
    return f"0 {currency}"


def unfinished(data: object, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The paths of the values a starter left for someone to fill in (placeholders), in document order."""
    if isinstance(data, str):
        return [at] if data.startswith(PLACEHOLDER) or data == PLACEHOLDER_EMAIL else []
    if isinstance(data, dict):
        return [path for key, value in data.items() for path in unfinished(value, (*at, key))]
    if isinstance(data, list | tuple):
        return [path for i, value in enumerate(data) for path in unfinished(value, (*at, i))]
    return []
