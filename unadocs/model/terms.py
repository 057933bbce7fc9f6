"""The agreement's terms: governance, finance, branding, certificate, IP, data,
accession, term and law, one class per element of framework section 5."""

from __future__ import annotations

import calendar
import datetime
import difflib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from unadocs.model.base import Day, LanguageCode, Money, PartnerId, ShortText, SpecModel, Text, invalid
from unadocs.model.translated import CERTIFICATE_LANGUAGES, DEFAULT_LANGUAGE, TranslatedText
from unadocs.model.jurisdictions import Jurisdiction, jurisdiction_country, law_name
from unadocs.model.enums import (
    AccessionDecision,
    AgreementStatus,
    BackgroundIP,
    CertificateForm,
    DataProtectionMode,
    DataProtectionRoles,
    DecisionRule,
    DisputeResolution,
    FinanceModel,
    MaterialsOwnership,
    Renewal,
    Responsibility,
    Review,
)
from unadocs.model.licences import CREATIVE_COMMONS, NON_EXCLUSIVE_ROYALTY_FREE, Licence, creative_commons

__all__ = [
    "AgreementInfo",
    "Governance",
    "Fee",
    "Finance",
    "LogoLicence",
    "Branding",
    "CertificateSettings",
    "TeachingMaterials",
    "IntellectualProperty",
    "DataProtection",
    "AccessionEntry",
    "Accession",
    "Term",
    "Law",
    "Liability",
    "MAX_TERM_YEARS",
    "DEFAULT_LIABILITY_FLOOR",
]

#: Some partners cannot sign for longer (framework §5, element 12).
MAX_TERM_YEARS = 4


class AgreementInfo(SpecModel):
    """The agreement's own metadata, shown in every page header."""

    reference: ShortText
    """The agreement's reference, e.g. UNA-MC-SUST-2025."""
    version: ShortText
    """Version of this draft, e.g. "0.3"."""
    status: AgreementStatus
    """draft | approved | signed. Certificates issued under a draft are specimens."""
    date: Day
    """Date of this version."""
    board_approval: datetime.date | None = None
    """The day the Una Europa Board of Directors approved the agreement (framework §3.1), once it has."""

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # YAML reads an unquoted 0.3 as a number; the header shows it as written.
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class Governance(SpecModel):
    """The management committee and who does what (§5, elements 1 and 2)."""

    management_committee: Text
    """Its composition, in words."""
    chair: PartnerId
    decisions: DecisionRule
    meetings_per_year: int = Field(default=1, ge=1, le=52)
    responsibilities: dict[PartnerId, list[Responsibility]] = {}
    """Tasks per partner id."""


class Fee(SpecModel):
    """The fee one group of learners pays for the whole micro-credential."""

    learners: Text
    """Who pays this fee, e.g. "external learners"."""
    amount: Money
    joint_part: Money | None = None
    """Mixed model only: the part of the fee for the joint activities, which the collecting partner collects."""


class Finance(SpecModel):
    """The financial arrangement (§3.4.3 and §5, element 5)."""

    model: FinanceModel
    collecting_partner: PartnerId | None = None
    """The partner that collects fees; required for centralised and mixed."""
    fees: list[Fee] = []
    revenue_shares: dict[PartnerId, Decimal] | None = None
    """Percent of net revenue per partner id; must sum to exactly 100."""
    costs: str | None = None
    """Who bears which costs, in words."""
    common_costs: list[Text] = []
    """Centralised and mixed models: the costs deducted from the collected fees before the revenue is shared
    or reinvested, listed in Annex 3."""
    joint_activities: list[Text] = []
    """Mixed model only: the joint activities whose fees the collecting partner collects, listed in Annex 3."""
    payment_days: int = Field(default=60, ge=1, le=365)
    """Days after the end of each edition within which the collecting partner pays the shares."""

    @field_validator("revenue_shares")
    @classmethod
    def _shares_not_negative(cls, value: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        for pid, share in (value or {}).items():
            if share < 0:
                raise invalid("negative", "the share of {pid} is negative ({share})", pid=pid, share=str(share))
        return value


#: How a spec says that the logo licence ends with the agreement, as ``logo_licence.ends``.
_WITH_THE_AGREEMENT = frozenset({
    "with the agreement", "with this agreement", "when the agreement ends", "when this agreement ends",
    "at the end of the agreement", "at the end of this agreement",
})


class LogoLicence(SpecModel):
    """The licence partners grant each other to use their names and logos (§5, element 7)."""

    scope: Text
    ends: Text = "with the agreement"
    """When the licence ends, in words; it ends in any case with the agreement."""

    @property
    def ends_with_agreement(self) -> bool:
        """Whether ``ends`` says no more than that the licence ends with the agreement (the default)."""
        words = " ".join(self.ends.lower().rstrip(".").split())
        return words in _WITH_THE_AGREEMENT


class Branding(SpecModel):
    """Marketing, publicity and branding (§5, element 6)."""

    una_europa_reference: bool = True
    """Whether certificates and materials carry the Una Europa reference."""
    disclaimer: str | None = None
    logo_licence: LogoLicence


def _https(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise invalid(
            "https", "the verification URL must start with https:// so that verifiers reach the real page, "
            "not {value!r}", value=value,
        )
    if parts.fragment:
        raise invalid("fragment", "the verification URL must not have a #fragment: "
                                  "the signed payload goes there")
    return value


class CertificateSettings(SpecModel):
    """The joint certificate: its form, issuer and verification (§3.3.3; §5, element 8)."""

    form: CertificateForm
    issuer: PartnerId
    """The partner that issues certificates on behalf of all awarding bodies."""
    conditions: TranslatedText
    """Conditions of award: a text, or one per language."""
    verification_url: str
    """https:// address of the verification page; the signed payload is added as its #fragment."""
    signatories: list[PartnerId] = Field(min_length=1)
    """Partners whose representatives sign the certificate."""
    languages: list[LanguageCode] = Field(default=[DEFAULT_LANGUAGE], min_length=1)
    """The languages the certificate speaks, ISO 639-1, the first one primary: every label and fixed sentence is
    printed in each, side by side; texts of the spec given per language are printed in each that they give."""

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        twice = sorted({code for code in value if value.count(code) > 1})
        if twice:
            raise invalid("languages", "lists {codes} twice", codes=", ".join(twice))
        missing = [code for code in value if code not in CERTIFICATE_LANGUAGES]
        if missing:
            raise invalid("languages", "unadocs has no certificate wording in {codes} yet; it has "
                          "{known} (locale/<code>/LC_MESSAGES/unadocs.po: a translator can add one)",
                          codes=", ".join(missing), known=", ".join(CERTIFICATE_LANGUAGES))
        return value

    @field_validator("verification_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return _https(value)


class TeachingMaterials(SpecModel):
    """Ownership of teaching materials and the licence the partners grant each other."""

    ownership: MaterialsOwnership
    licence: str
    """A Creative Commons SPDX id (e.g. CC-BY-NC-SA-4.0) or "non-exclusive-royalty-free"."""

    @field_validator("licence")
    @classmethod
    def _known_licence(cls, value: str) -> str:
        if value == NON_EXCLUSIVE_ROYALTY_FREE or value in CREATIVE_COMMONS:
            return value
        close = difflib.get_close_matches(value, [*CREATIVE_COMMONS, NON_EXCLUSIVE_ROYALTY_FREE], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise invalid(
            "licence",
            "{value!r} is neither a Creative Commons SPDX id (such as CC-BY-4.0) nor "
            "'non-exclusive-royalty-free'" + hint, value=value,
        )

    @property
    def creative_commons(self) -> Licence | None:
        """The Creative Commons licence, or None for the royalty-free licence."""
        return creative_commons(self.licence)


class IntellectualProperty(SpecModel):
    """Intellectual property (§5, element 9)."""

    background: BackgroundIP = BackgroundIP.RETAINED
    listed_background: dict[PartnerId, list[Text]] = {}
    """The Background each partner makes available, listed in the Background annex, by partner id."""
    teaching_materials: TeachingMaterials
    third_party_content: Text


class DataProtection(SpecModel):
    """Personal data (§5, element 10)."""

    mode: DataProtectionMode
    reference: str | None = None
    """The agreement incorporated by reference; required when mode is reference."""
    roles: DataProtectionRoles


class AccessionEntry(SpecModel):
    """A partner that joined after the agreement was signed."""

    partner: PartnerId
    date: Day
    """The date from which it is a party (and an awarding body)."""


class Accession(SpecModel):
    """Admission of new partners without amending the agreement (§5, element 11)."""

    enabled: bool = True
    decision: AccessionDecision = AccessionDecision.UNANIMOUS
    accessions: list[AccessionEntry] = []


def _months_after(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 August + 6 → 28 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class Term(SpecModel):
    """Term, review and termination (§5, element 12)."""

    start: Day
    duration_years: int
    """At most 4: some partners cannot sign for longer."""
    review: Review = Review.ANNUAL
    renewal: Renewal = Renewal.BY_WRITTEN_AGREEMENT
    termination_notice_months: int = Field(default=6, ge=1, le=24)
    learners_protected: bool = True
    """Whether enrolled learners may complete after termination or withdrawal."""
    teach_out_months: int = Field(default=12, ge=0, le=36)
    """Months after the end of the term during which certificates may still be issued (the teach-out period)."""

    @field_validator("duration_years")
    @classmethod
    def _at_most_four(cls, value: int) -> int:
        if value < 1:
            raise invalid("term", "the term must be at least 1 year, not {value}", value=value)
        if value > MAX_TERM_YEARS:
            raise invalid(
                "term", "the term is at most 4 years, because some partners cannot sign for longer "
                "(framework §5), not {value}", value=value,
            )
        return value

    @field_validator("renewal", mode="before")
    @classmethod
    def _no_tacit_renewal(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in {r.value for r in Renewal}:
            raise invalid(
                "renewal", "renewal must be 'by-written-agreement' or 'none', not {value!r}: tacit or automatic "
                "renewal would make the term indefinite, which some partners cannot sign (framework §5)", value=value,
            )
        return value

    @model_validator(mode="after")
    def _end_is_a_date(self) -> Term:
        try:
            self.end
        except ValueError:  # the anniversary is after 9999-12-31
            raise invalid("term", "the term must end by {last}; {start} is too late a start",
                          last=date.max.isoformat(), start=self.start.isoformat()) from None
        return self

    @property
    def end(self) -> date:
        """The last day of the term: the day before the anniversary (2025-09-01 + 4 years → 2029-08-31)."""
        year = self.start.year + self.duration_years
        try:
            anniversary = self.start.replace(year=year)
        except ValueError:  # started on 29 February; the anniversary is 1 March
            anniversary = date(year, 3, 1)
        return anniversary - timedelta(days=1)

    def covers(self, day: date) -> bool:
        """Whether the day falls within the term."""
        return self.start <= day <= self.end

    @property
    def issuing_end(self) -> date:
        """The last day on which certificates may be issued: the End Date plus the teach-out period."""
        return _months_after(self.end, self.teach_out_months)


class Law(SpecModel):
    """Applicable law and dispute resolution (§5, element 13)."""

    applicable: Jurisdiction
    """ISO 3166 code of the country whose law governs the agreement, or the ISO 3166-2 code of a jurisdiction
    with its own contract law (GB-ENG, GB-SCT, GB-NIR)."""
    disputes: DisputeResolution
    venue: Text
    """The courts' seat, or the seat of arbitration."""
    arbitration_rules: str | None = None
    """The arbitration institution's rules; by default CEPANI for a Belgian seat."""

    @property
    def country(self) -> str:
        """The country of the governing law (``GB`` for Scots law)."""
        return jurisdiction_country(self.applicable)

    @property
    def governing_law(self) -> str:
        """The governing law as the agreement names it: "the law of Belgium", "Scots law"."""
        return law_name(self.applicable)


#: The default floor of each Party's liability cap: a Party that receives no fees still answers for its acts.
DEFAULT_LIABILITY_FLOOR = Money(50000, "EUR")


class Liability(SpecModel):
    """Limits of the Parties' liability towards each other."""

    floor: Money = DEFAULT_LIABILITY_FLOOR
    """The least amount to which a Party's liability is capped, whatever it received under the agreement."""
