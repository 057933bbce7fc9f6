"""Rules that span several parts of a spec: references between partners and
sections, and the framework's hard requirements.

Each rule yields :class:`~unadocs.errors.Problem` objects with the path of
the offending field, so that the loader can add its YAML line. Rules that
concern one field alone live beside that field in the model.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
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
    """Every cross-field problem of a structurally valid consortium."""
    yield from _partners(c)
    yield from _references(c)
    yield from _credential(c)
    yield from _finance(c)
    yield from _accessions(c)
    if c.data_protection.mode is DataProtectionMode.REFERENCE and not c.data_protection.reference:
        yield Problem(("data_protection", "reference"),
                      "mode 'reference' needs the name of the agreement it refers to")


def _partners(c: Consortium) -> Iterator[Problem]:
    counts = Counter(p.id for p in c.partners)
    seen: set[str] = set()
    for i, p in enumerate(c.partners):
        if counts[p.id] > 1 and p.id in seen:
            yield Problem(("partners", i, "id"), f"duplicate partner id {p.id!r}: ids must be unique")
        seen.add(p.id)
    # Distinct registry codes: two partner entries for one university are still one university.
    members = {p.member for p in c.original_parties if p.is_member}
    if len(members) < MIN_MEMBERS:
        yield Problem(("partners",), f"a joint Una Europa micro-credential is created by at least {MIN_MEMBERS} "
                      f"Una Europa universities (framework §2.2); this spec has {len(members)} among its "
                      "original parties")
    leads = [p.id for p in c.partners if p.is_lead]
    if len(leads) != 1:
        found = ", ".join(leads) if leads else "none"
        yield Problem(("partners",), f"exactly one partner must have role: lead (found {found})")


def _references(c: Consortium) -> Iterator[Problem]:
    ids = [p.id for p in c.partners]

    def check(loc: Location, pid: str) -> Iterator[Problem]:
        if pid not in ids:
            close = difflib.get_close_matches(pid, ids, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; the partners are {', '.join(ids) or 'none'}"
            yield Problem(loc, f"unknown partner {pid!r}" + hint)

    for i, course in enumerate(c.credential.courses):
        yield from check(("credential", "courses", i, "provider"), course.provider)
    yield from check(("governance", "chair"), c.governance.chair)
    for pid in c.governance.responsibilities:
        yield from check(("governance", "responsibilities", pid), pid)
    for pid in c.recognition:
        yield from check(("recognition", pid), pid)
    if c.finance.collecting_partner is not None:
        yield from check(("finance", "collecting_partner"), c.finance.collecting_partner)
    for pid in c.finance.revenue_shares or {}:
        yield from check(("finance", "revenue_shares", pid), pid)
    yield from check(("certificate", "issuer"), c.certificate.issuer)
    for i, pid in enumerate(c.certificate.signatories):
        yield from check(("certificate", "signatories", i), pid)
    for i, entry in enumerate(c.accession.accessions):
        yield from check(("accession", "accessions", i, "partner"), entry.partner)


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
