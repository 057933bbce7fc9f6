"""The consortium: the whole spec, and the facts derived from it in one place."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Self

from pydantic import PrivateAttr, ValidationError, model_validator

from unadocs.errors import SpecError
from unadocs.model.problems import spec_problems

from unadocs.model.base import PartnerId, SpecModel, Text, _languages, country_name
from unadocs.model.credential import Course, Credential
from unadocs.model.enums import AgreementStatus, FinanceModel, Responsibility
from unadocs.model.fees import FeeSplit, split_fee
from unadocs.model.partner import Partner
from unadocs.model.translated import DEFAULT_LANGUAGE, validating_in
from unadocs.model.terms import (
    Accession,
    AgreementInfo,
    Branding,
    CertificateSettings,
    DataProtection,
    Fee,
    Finance,
    Governance,
    IntellectualProperty,
    Law,
    Liability,
    Term,
)

__all__ = ["Consortium", "LEAD_TASKS"]


def _primary_language_of(data: Any) -> str:
    """The first of ``certificate.languages`` in raw spec data, when it reads as a language code: a text given per
    language must give it (:mod:`unadocs.model.translated`)."""
    certificate = data.get("certificate") if isinstance(data, Mapping) else None
    languages = certificate.get("languages") if isinstance(certificate, Mapping) else None
    first = languages[0] if isinstance(languages, list) and languages else None
    if not isinstance(first, str) or not first.strip():
        return DEFAULT_LANGUAGE
    code = first.strip().lower()
    return code if code in _languages() else ""  # not a language: certificate.languages says so, once

#: The tasks clause 4.2 gives the lead university whatever the spec lists.
LEAD_TASKS = frozenset({
    Responsibility.RECRUITMENT, Responsibility.ADMISSION, Responsibility.REGISTRATION, Responsibility.COMPLAINTS,
    Responsibility.QUALITY_ASSURANCE, Responsibility.PLATFORM, Responsibility.MARKETING,
})


class Consortium(SpecModel):
    """One joint micro-credential and the agreement behind it.

    Constructing one checks the structure (pydantic) and then the
    cross-references and framework rules (:mod:`unadocs.model.rules`), which
    raise :class:`unadocs.SpecError` listing every problem. Everything
    downstream may assume a valid consortium.
    """

    agreement: AgreementInfo
    credential: Credential
    partners: list[Partner]
    governance: Governance
    recognition: dict[PartnerId, Text] = {}
    """How each partner recognises the ECTS, by partner id."""
    finance: Finance
    branding: Branding
    certificate: CertificateSettings
    intellectual_property: IntellectualProperty
    data_protection: DataProtection
    accession: Accession = Accession()
    term: Term
    law: Law
    liability: Liability = Liability()

    _source_lines: dict[tuple[str | int, ...], int] = PrivateAttr(default_factory=dict)

    def __init__(self, **data: Any) -> None:
        try:
            with validating_in(_primary_language_of(data)):
                super().__init__(**data)
        except ValidationError as exc:
            raise SpecError(spec_problems(type(self), data, exc)) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate a spec given as data; :class:`~unadocs.errors.SpecError` listing every problem, in the same
        words as ``unadocs check`` (pydantic's own ``ValidationError`` never reaches the caller)."""
        try:
            with validating_in(_primary_language_of(obj)):
                return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise SpecError(spec_problems(cls, obj if isinstance(obj, Mapping) else {}, exc)) from None

    def source_line(self, loc: tuple[str | int, ...]) -> int | None:
        """The line of the spec file that gave this path (or its nearest parent), when loaded from YAML."""
        while loc and loc not in self._source_lines:
            loc = loc[:-1]
        return self._source_lines.get(loc) if loc else None

    @model_validator(mode="after")
    def _check_rules(self) -> Consortium:
        from unadocs.model.rules import problems

        found = list(problems(self))
        if found:
            raise SpecError(found)
        return self

    # -- partners -----------------------------------------------------------

    def partner(self, partner_id: str) -> Partner:
        """The partner with this id; ``KeyError`` when there is none."""
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise KeyError(partner_id)

    @property
    def lead(self) -> Partner:
        """The lead university (exactly one, guaranteed by validation)."""
        return next(p for p in self.partners if p.is_lead)

    @property
    def issuer(self) -> Partner:
        """The partner that issues certificates on behalf of all awarding bodies."""
        return self.partner(self.certificate.issuer)

    def accession_date(self, partner_id: str) -> date | None:
        """The date a partner joined by accession, or None for an original party."""
        for entry in self.accession.accessions:
            if entry.partner == partner_id:
                return entry.date
        return None

    @property
    def original_parties(self) -> list[Partner]:
        """The partners that sign the agreement itself, in spec order."""
        return [p for p in self.partners if self.accession_date(p.id) is None]

    @property
    def acceded_parties(self) -> list[Partner]:
        """Partners that joined by accession, in order of accession date."""
        joined = sorted(self.accession.accessions, key=lambda e: (e.date, e.partner))
        return [self.partner(e.partner) for e in joined]

    def accession_planned(self, partner_id: str) -> bool:
        """Whether a partner's accession takes effect after the date of this version of the agreement:
        the agreement then describes it as planned, not as done."""
        joined = self.accession_date(partner_id)
        return joined is not None and joined > self.agreement.date

    @property
    def planned_accessions(self) -> list[Partner]:
        """Partners whose accession is planned after the date of this version, in order of accession date."""
        return [p for p in self.acceded_parties if self.accession_planned(p.id)]

    @property
    def parties_at_date(self) -> list[Partner]:
        """The Parties on the date of this version of the agreement, in spec order."""
        return self.parties_on(self.agreement.date)

    def parties_on(self, day: date) -> list[Partner]:
        """The parties on a day: the original parties plus those that had acceded by then."""
        return [p for p in self.partners if (joined := self.accession_date(p.id)) is None or joined <= day]

    def awarding_bodies_on(self, day: date) -> list[Partner]:
        """The awarding bodies of a certificate issued on this day: every party on that day."""
        return self.parties_on(day)

    def issuer_countries_on(self, day: date) -> list[str]:
        """ISO codes of the awarding bodies' countries on a day, in partner order, without repeats."""
        return list(dict.fromkeys(p.country for p in self.awarding_bodies_on(day)))

    def issuer_country_names_on(self, day: date) -> list[str]:
        """English names of :meth:`issuer_countries_on`."""
        return [country_name(c) for c in self.issuer_countries_on(day)]

    def may_issue_on(self, day: date) -> bool:
        """Whether a certificate may be issued on a day: within the term or its teach-out period."""
        return self.term.start <= day <= self.term.issuing_end

    # -- tasks, courses and fees ---------------------------------------------

    def courses_of(self, partner_id: str) -> list[Course]:
        """The courses a partner provides, in spec order."""
        return [c for c in self.credential.courses if c.provider == partner_id]

    def tasks_of(self, partner_id: str) -> list[Responsibility]:
        """A partner's tasks as they follow from the spec, in the order of :class:`Responsibility`.

        Teaching and assessment follow from the courses it provides (and only
        from them); the lead's tasks from clause 4.2; certificates from being
        the issuer; finance from collecting the fees; the rest from
        ``governance.responsibilities``.
        """
        tasks = set(self.governance.responsibilities.get(partner_id, ())) - {Responsibility.TEACHING}
        if self.courses_of(partner_id):
            tasks |= {Responsibility.TEACHING, Responsibility.ASSESSMENT}
        if self.partner(partner_id).is_lead:
            tasks |= LEAD_TASKS
        if partner_id == self.certificate.issuer:
            tasks.add(Responsibility.CERTIFICATES)
        if partner_id == self.finance.collecting_partner:
            tasks.add(Responsibility.FINANCE)
        return [r for r in Responsibility if r in tasks]

    def fee_split(self, fee: Fee) -> FeeSplit:
        """Who collects which part of a fee under the financial model (see :mod:`unadocs.model.fees`)."""
        model = self.finance.model
        collector = None if model is FinanceModel.DECENTRALISED else self.finance.collecting_partner
        joint = fee.joint_part if model is FinanceModel.MIXED else None
        return split_fee(fee.amount, collector, joint, self.credential.courses, self.credential.ects,
                         by_course=model is not FinanceModel.CENTRALISED)

    # -- status -------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        """Whether the agreement is still a draft: certificates are then specimens."""
        return self.agreement.status is AgreementStatus.DRAFT

