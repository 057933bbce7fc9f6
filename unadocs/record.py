"""The certificate record: one learner and the consortium on the day of issue.

The record is the single source of every view of a certificate: the PDF
renders it, its canonical JSON is embedded in the PDF, written beside it and
hashed into the signed payload, and later exports (ELM, Open Badges) map it.
Every fact is computed here once, from the model's own derived facts.

The labels are worded as in Council Recommendation 2022/C 243/02, Annex I
("European standard elements to describe a micro-credential").
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, PrivateAttr, field_serializer

from unadocs.errors import LearnerError
from unadocs.model import Consortium, Learner, country_name
from unadocs.model.base import decimal_text, long_date

__all__ = [
    "CertificateRecord",
    "Element",
    "MANDATORY_LABELS",
    "OPTIONAL_LABELS",
    "RECORD_FORMAT",
    "build_record",
    "credential_id",
    "facts_digest",
    "format_date",
]

#: Names the shape of the canonical JSON, so that a reader can tell versions apart. Version 2 derives the
#: credential id from what the certificate says and records the certificate it supersedes.
RECORD_FORMAT = "unadocs-certificate/2"

#: Namespace of credential ids: uuid5(NAMESPACE, "<SHA-256 of the record without its id>").
CREDENTIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.una-europa.eu/unadocs/credential")

#: Annex I, mandatory elements, in the Recommendation's order.
MANDATORY_LABELS: dict[str, str] = {
    "learner": "Identification of the learner",
    "title": "Title of the micro-credential",
    "countries": "Country(ies)/Region(s) of the issuer",
    "awarding_bodies": "Awarding body(ies)",
    "issued": "Date of issuing",
    "learning_outcomes": "Learning outcomes",
    "workload": "Notional workload needed to achieve the learning outcomes (in ECTS)",
    "level": "Level (and cycle, if applicable) of the learning experience leading to the micro-credential "
             "(EQF, QF-EHEA)",
    "assessment": "Type of assessment",
    "participation": "Form of participation in the learning activity",
    "quality_assurance": "Type of quality assurance used to underpin the micro-credential",
}

#: Annex I, optional elements, shown when the spec or the learner gives them.
OPTIONAL_LABELS: dict[str, str] = {
    "prerequisites": "Prerequisites needed to enrol in the learning activity",
    "supervision": "Supervision and identity verification during assessment",
    "grade": "Grade achieved",
    "stackability": "Integration/stackability options",
    "further_information": "Further information",
}

_SUPERVISION = {
    "unsupervised-no-identity-check": "Unsupervised with no identity verification",
    "supervised-no-identity-check": "Supervised with no identity verification",
    "supervised-online-identity-check": "Supervised online with identity verification",
    "supervised-onsite-identity-check": "Supervised onsite with identity verification",
}
_PARTICIPATION = {"online": "Online", "on-site": "On-site", "hybrid": "Hybrid", "blended": "Blended"}
_CYCLE = {"short": "short cycle", "first": "first cycle", "second": "second cycle", "third": "third cycle"}
def format_date(day: date) -> str:
    """A date as printed on certificates (20 January 2026), whatever the machine's locale."""
    return long_date(day)


def _ects_json(value: Decimal) -> int | float:
    # A JSON number, as ELM and Open Badges expect; halves and quarters are exact floats.
    return int(value) if value == value.to_integral_value() else float(value)


def credential_id(content: bytes) -> str:
    """The id of one issuance: a UUID derived from the canonical JSON of everything the certificate says.

    The same facts always give the same id (so issuing again gives the same
    bytes); a corrected certificate says something else, so it has an id of
    its own, and the misprint can be revoked without revoking the correction.
    """
    return str(uuid.uuid5(CREDENTIAL_NAMESPACE, hashlib.sha256(content).hexdigest()))


#: What a record holds besides what the certificate says: left out of :func:`facts_digest`.
_BOOKKEEPING = ("format", "credential_id", "supersedes")


def facts_digest(record_json: dict[str, Any]) -> str:
    """SHA-256 of what a certificate says: its record without the id and the bookkeeping.

    Two issuances with the same digest certify the same facts (a re-run, a
    new template, an upgrade of unadocs); a different digest is a correction.
    Takes the record as parsed JSON, so that records of earlier versions,
    read from their files, compare too.
    """
    facts = {key: value for key, value in record_json.items() if key not in _BOOKKEEPING}
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LearnerPart(_Part):
    """Element 1: who the certificate is for (no e-mail: it is not printed or shared)."""

    learner_id: str
    given_names: str
    family_name: str
    full_name: str
    date_of_birth: date | None = None


class Body(_Part):
    """An awarding body or the issuer."""

    id: str
    name: str
    native_name: str | None = None
    country: str
    """ISO 3166 code."""
    country_name: str
    member: str | None = None
    """Una Europa registry code, for a member university."""
    eidas_identifier: str | None = None
    """eIDAS legal identifier, when the spec gives one (European Digital Credentials)."""


class Country(_Part):
    code: str
    name: str


class Signature(_Part):
    partner: str
    institution: str
    name: str
    title: str


class CourseLine(_Part):
    title: str
    ects: Decimal
    provider: str
    platform: str | None = None
    mandatory: bool
    pillar: str | None = None

    @field_serializer("ects")
    def _ects(self, value: Decimal) -> int | float:
        return _ects_json(value)


class Stacking(_Part):
    mode: str
    towards: list[str]


class Agreement(_Part):
    reference: str
    version: str
    status: str


class UnaEuropa(_Part):
    """The Una Europa reference (framework §3.3.3): the wordmark, a disclaimer, a logo if configured."""

    wordmark: str
    disclaimer: str | None = None


class Element(NamedTuple):
    """One Annex I element as a view shows it: its label and its value as text or lines."""

    key: str
    label: str
    value: str | list[str]
    mandatory: bool


class CertificateRecord(_Part):
    """Everything one certificate says, built once by :func:`build_record`."""

    format: str = RECORD_FORMAT
    credential_id: str
    specimen: bool
    """True while the agreement is a draft: the certificate is a specimen and never valid."""
    agreement: Agreement
    learner: LearnerPart
    title: str
    countries: list[Country]
    awarding_bodies: list[Body]
    issued: date
    learning_outcomes: list[str]
    ects: Decimal
    eqf_level: int
    cycle: str | None = None
    assessment: str
    participation: str
    quality_assurance: str
    prerequisites: str | None = None
    supervision: str | None = None
    grade: str | None = None
    stackability: Stacking | None = None
    further_information: str | None = None
    courses: list[CourseLine]
    conditions: str
    issuer: Body
    signatories: list[Signature]
    una_europa: UnaEuropa | None = None
    summary: str | None = None
    """What the micro-credential is about (the spec's summary); the exports' description."""
    languages: list[str] = []
    """Languages of instruction, ISO 639-1."""
    supersedes: str | None = None
    """The credential id of the earlier certificate of this learner that this one corrects, if any."""

    _canonical: bytes | None = PrivateAttr(default=None)

    @field_serializer("ects")
    def _ects(self, value: Decimal) -> int | float:
        return _ects_json(value)

    def canonical_json(self) -> bytes:
        """The record as compact UTF-8 JSON with sorted keys: the exact bytes that are hashed and embedded.

        Computed once per record (the record is immutable; a copy computes its own).
        """
        if self._canonical is None:
            data = self.model_dump(mode="json")
            self._canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        return self._canonical

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied; it computes its own canonical JSON."""
        copy = super().model_copy(update=update, deep=deep)
        copy._canonical = None
        return copy

    @classmethod
    def from_json(cls, data: bytes) -> CertificateRecord:
        """Read a record back from its canonical JSON."""
        return cls.model_validate_json(data)

    # -- views --------------------------------------------------------------

    @property
    def issued_text(self) -> str:
        return format_date(self.issued)

    @property
    def ects_text(self) -> str:
        return decimal_text(self.ects)

    @property
    def level_text(self) -> str:
        text = f"EQF level {self.eqf_level}"
        return f"{text}, {_CYCLE[self.cycle]} (QF-EHEA)" if self.cycle else text

    @property
    def learner_text(self) -> str:
        text = f"{self.learner.full_name}, learner id {self.learner.learner_id}"
        if self.learner.date_of_birth:
            text += f", born {format_date(self.learner.date_of_birth)}"
        return text

    @property
    def supervision_text(self) -> str | None:
        return _SUPERVISION[self.supervision] if self.supervision else None

    @property
    def stackability_text(self) -> str | None:
        if self.stackability is None:
            return None
        if self.stackability.mode == "standalone" or not self.stackability.towards:
            return "Stand-alone micro-credential" if self.stackability.mode == "standalone" else "Stackable"
        return "Stackable towards: " + "; ".join(self.stackability.towards)

    def elements(self) -> list[Element]:
        """The Annex I elements in order: the 11 mandatory ones, then the optional ones that are given."""
        mandatory: dict[str, str | list[str]] = {
            "learner": self.learner_text,
            "title": self.title,
            "countries": ", ".join(c.name for c in self.countries),
            "awarding_bodies": [b.name for b in self.awarding_bodies],
            "issued": self.issued_text,
            "learning_outcomes": self.learning_outcomes,
            "workload": f"{self.ects_text} ECTS",
            "level": self.level_text,
            "assessment": self.assessment,
            "participation": _PARTICIPATION.get(self.participation, self.participation),
            "quality_assurance": self.quality_assurance,
        }
        optional: dict[str, str | None] = {
            "prerequisites": self.prerequisites,
            "supervision": self.supervision_text,
            "grade": self.grade,
            "stackability": self.stackability_text,
            "further_information": self.further_information,
        }
        out = [Element(k, MANDATORY_LABELS[k], v, True) for k, v in mandatory.items()]
        out += [Element(k, OPTIONAL_LABELS[k], v, False) for k, v in optional.items() if v]
        return out


def _body(partner: Any) -> Body:
    return Body(id=partner.id, name=partner.name, native_name=partner.native_name, country=partner.country,
                country_name=country_name(partner.country), member=partner.member,
                eidas_identifier=partner.eidas_identifier)


def build_record(
    consortium: Consortium, learner: Learner, *, row: int | None = None, supersedes: str | None = None
) -> CertificateRecord:
    """Combine one learner with the consortium on the learner's issue date.

    ``supersedes`` is the credential id of an earlier certificate of this
    learner that this one corrects. The credential id is derived from the
    whole record (:func:`credential_id`). Raises :class:`LearnerError` when
    the issue date falls outside the agreement's term and its teach-out
    period: no one can award the credential on that day.
    """
    day = learner.issued
    term = consortium.term
    if not consortium.may_issue_on(day):
        raise LearnerError(
            f"issue date {day.isoformat()} is outside the agreement's term and its teach-out period "
            f"({term.start.isoformat()} to {term.issuing_end.isoformat()})", row, learner.learner_id,
        )
    cred = consortium.credential
    bodies = consortium.awarding_bodies_on(day)
    names: Callable[[str], str] = lambda pid: consortium.partner(pid).name  # noqa: E731
    branding = consortium.branding
    record = CertificateRecord(
        credential_id="",
        specimen=consortium.is_draft,
        agreement=Agreement(reference=consortium.agreement.reference, version=consortium.agreement.version,
                            status=consortium.agreement.status.value),
        learner=LearnerPart(learner_id=learner.learner_id, given_names=learner.given_names,
                            family_name=learner.family_name, full_name=learner.full_name,
                            date_of_birth=learner.date_of_birth),
        title=cred.title,
        countries=[Country(code=code, name=name) for code, name in
                   zip(consortium.issuer_countries_on(day), consortium.issuer_country_names_on(day), strict=True)],
        awarding_bodies=[_body(p) for p in bodies],
        issued=day,
        learning_outcomes=list(cred.learning_outcomes),
        ects=cred.ects,
        eqf_level=cred.eqf_level,
        cycle=cred.cycle.value if cred.cycle else None,
        assessment=cred.assessment,
        participation=cred.participation.value,
        quality_assurance=cred.quality_assurance,
        prerequisites=cred.prerequisites or None,
        supervision=cred.supervision.value if cred.supervision else None,
        grade=learner.grade or None,
        stackability=Stacking(mode=cred.stackability.mode.value, towards=list(cred.stackability.towards)),
        further_information=cred.further_information or None,
        courses=[CourseLine(title=c.title, ects=c.ects, provider=names(c.provider), platform=c.platform,
                            mandatory=c.mandatory, pillar=c.pillar) for c in cred.courses],
        conditions=consortium.certificate.conditions,
        issuer=_body(consortium.issuer),
        signatories=[Signature(partner=pid, institution=names(pid), name=consortium.partner(pid).signatory.name,
                               title=consortium.partner(pid).signatory.title)
                     for pid in consortium.certificate.signatories],
        una_europa=UnaEuropa(wordmark="Una Europa", disclaimer=branding.disclaimer)
        if branding.una_europa_reference else None,
        summary=cred.summary,
        languages=list(cred.languages),
        supersedes=supersedes if supersedes else None,
    )
    return record.model_copy(update={"credential_id": credential_id(record.canonical_json())})
