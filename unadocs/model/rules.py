"""Rules that span several parts of a spec: references between partners and
sections, and the framework's hard requirements.

Each rule yields :class:`~unadocs.errors.Problem` objects with the path of
the offending field, so that the loader can add its YAML line. Rules that
concern one field alone live beside that field in the model.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from unadocs.errors import Location, Problem
from unadocs.model.enums import DataProtectionMode, FinanceModel

if TYPE_CHECKING:
    from unadocs.model.consortium import Consortium

__all__ = ["problems", "MIN_MEMBERS"]

#: "Created by at least 3 Una Europa universities" (framework §2.2).
MIN_MEMBERS = 3


def problems(c: Consortium) -> Iterator[Problem]:
    """Every cross-field problem of a valid consortium (:func:`partial_problems` for a broken one)."""
    for _, rule in _RULES:
        yield from rule(c)


def partial_problems(c: Consortium) -> Iterator[Problem]:
    """The problems every rule finds in a consortium rebuilt from the valid parts of a broken spec.

    A rule that reaches a part that is missing (an attribute error) or only
    half there (a type error) is skipped; what it found before that stands.
    """
    for _, rule in _RULES:
        try:
            yield from list(_until_missing(rule(c)))
        except (AttributeError, TypeError, KeyError):
            continue


def _until_missing(found: Iterator[Problem]) -> Iterator[Problem]:
    try:
        yield from found
    except (AttributeError, TypeError, KeyError):
        return


def _data_protection(c: Consortium) -> Iterator[Problem]:
    if c.data_protection.mode is DataProtectionMode.REFERENCE and not c.data_protection.reference:
        yield Problem(("data_protection", "reference"),
                      "mode 'reference' needs the name of the agreement it refers to")


def _partner_ids(c: Consortium) -> Iterator[Problem]:
    counts = Counter(p.id for p in c.partners)
    seen: set[str] = set()
    for i, p in enumerate(c.partners):
        if counts[p.id] > 1 and p.id in seen:
            yield Problem(("partners", i, "id"), f"duplicate partner id {p.id!r}: ids must be unique")
        seen.add(p.id)
    leads = [p.id for p in c.partners if p.is_lead]
    if len(leads) != 1:
        found = ", ".join(leads) if leads else "none"
        yield Problem(("partners",), f"exactly one partner must have role: lead (found {found})")


def _member_count(c: Consortium) -> Iterator[Problem]:
    # Distinct registry codes: two partner entries for one university are still one university.
    members = {p.member for p in c.original_parties if p.is_member}
    if len(members) < MIN_MEMBERS:
        yield Problem(("partners",), f"a joint Una Europa micro-credential is created by at least {MIN_MEMBERS} "
                      f"Una Europa universities (framework §2.2); this spec has {len(members)} among its "
                      "original parties")


def _unknown_partner(c: Consortium, loc: Location, pid: str) -> Iterator[Problem]:
    ids = [p.id for p in c.partners]
    if pid not in ids:
        close = difflib.get_close_matches(pid, ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; the partners are {', '.join(ids) or 'none'}"
        yield Problem(loc, f"unknown partner {pid!r}" + hint)


def _course_providers(c: Consortium) -> Iterator[Problem]:
    for i, course in enumerate(c.credential.courses):
        yield from _unknown_partner(c, ("credential", "courses", i, "provider"), course.provider)


def _governance_references(c: Consortium) -> Iterator[Problem]:
    yield from _unknown_partner(c, ("governance", "chair"), c.governance.chair)
    for pid in c.governance.responsibilities:
        yield from _unknown_partner(c, ("governance", "responsibilities", pid), pid)


def _recognition_references(c: Consortium) -> Iterator[Problem]:
    for pid in c.recognition:
        yield from _unknown_partner(c, ("recognition", pid), pid)


def _finance_references(c: Consortium) -> Iterator[Problem]:
    if c.finance.collecting_partner is not None:
        yield from _unknown_partner(c, ("finance", "collecting_partner"), c.finance.collecting_partner)
    for pid in c.finance.revenue_shares or {}:
        yield from _unknown_partner(c, ("finance", "revenue_shares", pid), pid)


def _background_references(c: Consortium) -> Iterator[Problem]:
    for pid in c.intellectual_property.listed_background:
        yield from _unknown_partner(c, ("intellectual_property", "listed_background", pid), pid)


def _certificate_references(c: Consortium) -> Iterator[Problem]:
    yield from _unknown_partner(c, ("certificate", "issuer"), c.certificate.issuer)
    for i, pid in enumerate(c.certificate.signatories):
        yield from _unknown_partner(c, ("certificate", "signatories", i), pid)


def _accession_references(c: Consortium) -> Iterator[Problem]:
    for i, entry in enumerate(c.accession.accessions):
        yield from _unknown_partner(c, ("accession", "accessions", i, "partner"), entry.partner)


def _credential(c: Consortium) -> Iterator[Problem]:
    cred = c.credential
    if cred.cycle is not None and cred.cycle.eqf_level != cred.eqf_level:
        yield Problem(("credential", "cycle"),
                      f"the {cred.cycle.value} cycle is EQF level {cred.cycle.eqf_level}, but eqf_level is "
                      f"{cred.eqf_level}")
    if cred.mandatory_ects > cred.ects:
        yield Problem(("credential", "courses"),
                      f"the mandatory courses add up to {cred.mandatory_ects} ECTS, more than the "
                      f"{cred.ects} ECTS of the micro-credential")
    if cred.ects > cred.course_ects:
        yield Problem(("credential", "ects"),
                      f"{cred.ects} ECTS cannot be earned: all courses together give only {cred.course_ects} ECTS")


def _finance(c: Consortium) -> Iterator[Problem]:
    f = c.finance
    if f.model in (FinanceModel.CENTRALISED, FinanceModel.MIXED) and f.collecting_partner is None:
        yield Problem(("finance", "collecting_partner"),
                      f"the {f.model.value} model needs a collecting_partner who collects and distributes fees")
    if f.revenue_shares is not None:
        total = sum(f.revenue_shares.values(), Decimal(0))
        if total != 100:
            yield Problem(("finance", "revenue_shares"), f"revenue shares must sum to exactly 100 percent, not {total}")


def _mixed_finance(c: Consortium) -> Iterator[Problem]:
    """The mixed model's joint activities and the part of each fee for them; no other model has either."""
    f = c.finance
    mixed = f.model is FinanceModel.MIXED
    if mixed and not f.joint_activities:
        yield Problem(("finance", "joint_activities"),
                      "the mixed model needs the joint activities whose fees the collecting partner collects")
    if not mixed and f.joint_activities:
        yield Problem(("finance", "joint_activities"),
                      f"joint activities belong to the mixed model; the {f.model.value} model has none")
    if f.model is FinanceModel.DECENTRALISED and f.common_costs:
        yield Problem(("finance", "common_costs"),
                      "the decentralised model has no common costs: each partner bears its own costs "
                      "(describe them in finance.costs)")
    for i, fee in enumerate(f.fees):
        loc: Location = ("finance", "fees", i, "joint_part")
        if not mixed:
            if fee.joint_part is not None:
                yield Problem(loc, f"a joint part belongs to the mixed model, not the {f.model.value} model")
        elif fee.joint_part is None:
            if fee.amount.amount:
                yield Problem(loc, f"the mixed model needs the part of the fee of {fee.amount} that the collecting "
                                   "partner collects for the joint activities (0 EUR if none)")
        elif fee.joint_part.currency != fee.amount.currency:
            yield Problem(loc, f"the joint part ({fee.joint_part}) must be in the fee's currency, "
                               f"{fee.amount.currency}")
        elif fee.joint_part.amount > fee.amount.amount:
            yield Problem(loc, f"the joint part ({fee.joint_part}) is more than the fee ({fee.amount})")


def _accessions(c: Consortium) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, entry in enumerate(c.accession.accessions):
        loc: Location = ("accession", "accessions", i)
        if not c.accession.enabled:
            yield Problem(loc, "accession is not enabled, so no partner can have acceded")
        if not c.term.covers(entry.date):
            yield Problem((*loc, "date"),
                          f"{entry.date} is outside the term ({c.term.start} to {c.term.end})")
        if entry.partner in seen:
            yield Problem((*loc, "partner"), f"{entry.partner} is listed as acceding twice")
        seen.add(entry.partner)
        if entry.partner == c.certificate.issuer or any(p.id == entry.partner and p.is_lead for p in c.partners):
            yield Problem((*loc, "partner"),
                          f"{entry.partner} is the lead or the certificate issuer, so it must be an original party")


#: Each rule with the top-level sections it reads, in reporting order.
_RULES: list[tuple[frozenset[str], Callable[[Consortium], Iterator[Problem]]]] = [
    (frozenset({"partners"}), _partner_ids),
    (frozenset({"partners", "accession"}), _member_count),
    (frozenset({"partners", "credential"}), _course_providers),
    (frozenset({"partners", "governance"}), _governance_references),
    (frozenset({"partners", "recognition"}), _recognition_references),
    (frozenset({"partners", "finance"}), _finance_references),
    (frozenset({"partners", "certificate"}), _certificate_references),
    (frozenset({"partners", "intellectual_property"}), _background_references),
    (frozenset({"partners", "accession"}), _accession_references),
    (frozenset({"credential"}), _credential),
    (frozenset({"finance"}), _finance),
    (frozenset({"finance"}), _mixed_finance),
    (frozenset({"partners", "accession", "term", "certificate"}), _accessions),
    (frozenset({"data_protection"}), _data_protection),
]
