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

from unadocs.catalogs import country_name as country_name_in
from unadocs.catalogs import format_day, format_number, language_name, message
from unadocs.errors import LearnerError
from unadocs.model import Consortium, Learner, country_name
from unadocs.model.base import decimal_text
from unadocs.model.translated import Translated

__all__ = [
    "CertificateRecord",
    "Element",
    "MANDATORY_KEYS",
    "MANDATORY_LABELS",
    "OPTIONAL_KEYS",
    "OPTIONAL_LABELS",
    "Translation",
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

#: Annex I, mandatory elements, in the Recommendation's order (their labels are ``annex.<key>`` in the catalogs).
MANDATORY_KEYS = ("learner", "title", "countries", "awarding_bodies", "issued", "learning_outcomes", "workload",
                  "level", "assessment", "participation", "quality_assurance")
#: Annex I, optional elements, shown when the spec or the learner gives them.
OPTIONAL_KEYS = ("prerequisites", "supervision", "grade", "stackability", "further_information")
#: Elements a certificate shows besides Annex I's (their labels are ``element.<key>``).
ADDITIONAL_KEYS = ("languages",)

#: The English labels, as worded in the Recommendation (the English catalog's, ``locale/en``).
MANDATORY_LABELS: dict[str, str] = {key: message("en", f"annex.{key}") for key in MANDATORY_KEYS}
OPTIONAL_LABELS: dict[str, str] = {key: message("en", f"annex.{key}") for key in OPTIONAL_KEYS}

#: The spec's texts that may be given per language, and where the record keeps each.
TRANSLATABLE = ("title", "summary", "learning_outcomes", "assessment", "quality_assurance", "prerequisites",
                "further_information", "conditions", "towards", "courses")


def format_date(day: date, language: str = "en") -> str:
    """A date as printed on certificates (20 January 2026; 20. tammikuuta 2026), whatever the machine's locale."""
    return format_day(day, language)


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
    name_latin: str | None = None
    """The passport spelling in Latin letters, for a name written in another script."""


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


class Translation(_Part):
    """The spec's texts in one language other than the primary, as far as the spec gives them (None: not given)."""

    title: str | None = None
    summary: str | None = None
    learning_outcomes: list[str | None] | None = None
    assessment: str | None = None
    quality_assurance: str | None = None
    prerequisites: str | None = None
    further_information: str | None = None
    conditions: str | None = None
    towards: list[str | None] | None = None
    """The credentials it stacks towards."""
    courses: list[str | None] | None = None
    """The courses' titles."""
    pillars: list[str | None] | None = None
    """The courses' pillars (None for a course of none, or not given in this language)."""
    signatory_titles: list[str | None] | None = None
    """The signatories' functions, in the order of the record's signatories."""


class Element(NamedTuple):
    """One element as a view shows it in one language: its label and its value as text or lines."""

    key: str
    label: str
    value: str | list[str]
    mandatory: bool


class ParallelElement(NamedTuple):
    """One element in every language of the certificate: a label per language, and each language's value that
    differs from the languages before it (a text given once is printed once)."""

    key: str
    labels: list[tuple[str, str]]
    values: list[tuple[str, str | list[str]]]
    mandatory: bool

    @property
    def short(self) -> bool:
        """Whether the values are short texts that read well on one line (``Online / Verkossa / En ligne``)."""
        texts = [value for _, value in self.values]
        return len(texts) > 1 and all(isinstance(t, str) for t in texts) and sum(map(len, texts)) <= 80


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
    certificate_languages: list[str] = ["en"]
    """The languages the certificate is printed in, the first primary: the texts above are in it."""
    translations: dict[str, Translation] = {}
    """The spec's texts in the other languages it gives them in, by ISO 639-1 code."""
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

    # -- views ---------------------------------------------------------------------------------------------------
    # Each view comes in any language of the catalogs (``*_in``); the plain properties give the primary language.

    @property
    def primary_language(self) -> str:
        return self.certificate_languages[0] if self.certificate_languages else "en"

    def text_in(self, field: str, language: str) -> str | None:
        """A free text of the spec (``title``, ``assessment``, ...) in ``language``, the primary text where the
        spec gives none in it."""
        given = self.translations.get(language)
        value = getattr(given, field, None) if given is not None else None
        chosen: str | None = value if value is not None else getattr(self, field)
        return chosen

    def given_in(self, field: str, language: str) -> bool:
        """Whether the spec gives ``field`` in ``language`` (the primary language gives every text)."""
        if language == self.primary_language:
            return True
        given = self.translations.get(language)
        return given is not None and getattr(given, field, None) is not None

    def _items_in(self, field: str, primary: list[str], language: str) -> list[str]:
        given = self.translations.get(language)
        items = getattr(given, field, None) if given is not None else None
        return [item if item is not None else base for item, base in zip(items or [None] * len(primary), primary,
                                                                         strict=True)]

    def learning_outcomes_in(self, language: str) -> list[str]:
        return self._items_in("learning_outcomes", self.learning_outcomes, language)

    def course_titles_in(self, language: str) -> list[str]:
        return self._items_in("courses", [c.title for c in self.courses], language)

    def signatory_titles_in(self, language: str) -> list[str]:
        return self._items_in("signatory_titles", [s.title for s in self.signatories], language)

    def course_pillars_in(self, language: str) -> list[str | None]:
        given = self.translations.get(language)
        items = given.pillars if given is not None and given.pillars is not None else [None] * len(self.courses)
        return [item if item is not None else course.pillar for item, course in zip(items, self.courses, strict=True)]

    def issued_text_in(self, language: str) -> str:
        return format_date(self.issued, language)

    def ects_text_in(self, language: str) -> str:
        return format_number(self.ects, language)

    def level_text_in(self, language: str) -> str:
        if self.cycle:
            return message(language, "value.level_cycle", level=self.eqf_level,
                           cycle=message(language, f"value.cycle.{self.cycle}"))
        return message(language, "value.level", level=self.eqf_level)

    def learner_text_in(self, language: str) -> str:
        learner = self.learner
        name = f"{learner.full_name} ({learner.name_latin})" if learner.name_latin else learner.full_name
        if learner.date_of_birth:
            return message(language, "value.learner_born", name=name, id=learner.learner_id,
                           date=format_date(learner.date_of_birth, language))
        return message(language, "value.learner", name=name, id=learner.learner_id)

    def supervision_text_in(self, language: str) -> str | None:
        return message(language, f"value.supervision.{self.supervision}") if self.supervision else None

    def participation_text_in(self, language: str) -> str:
        return message(language, f"value.participation.{self.participation}")

    def stackability_text_in(self, language: str) -> str | None:
        if self.stackability is None:
            return None
        if self.stackability.mode == "standalone":
            return message(language, "value.standalone")
        if not self.stackability.towards:
            return message(language, "value.stackable")
        return message(language, "value.stackable_towards",
                       towards="; ".join(self._items_in("towards", self.stackability.towards, language)))

    def countries_text_in(self, language: str) -> str:
        return ", ".join(country_name_in(c.code, language) for c in self.countries)

    def languages_text_in(self, language: str) -> str:
        return ", ".join(language_name(code, language) for code in self.languages)

    def words_in(self, key: str, language: str, **values: object) -> str:
        """One of unadocs' own texts (a catalog key such as ``export.description``) in ``language``, its
        ``{placeholders}`` filled with ``values``: the exports speak the certificate's languages through this."""
        return message(language, key, **values)

    def label_in(self, key: str, language: str) -> str:
        """The label of an element (``countries``, ``grade``, ``languages``) in ``language``."""
        return message(language, f"element.{key}" if key in ADDITIONAL_KEYS else f"annex.{key}")

    @property
    def issued_text(self) -> str:
        return self.issued_text_in(self.primary_language)

    @property
    def ects_text(self) -> str:
        """The ECTS as a plain number (``7.5``), as the seal and the exports carry it."""
        return decimal_text(self.ects)

    @property
    def level_text(self) -> str:
        return self.level_text_in(self.primary_language)

    @property
    def learner_text(self) -> str:
        return self.learner_text_in(self.primary_language)

    @property
    def supervision_text(self) -> str | None:
        return self.supervision_text_in(self.primary_language)

    @property
    def stackability_text(self) -> str | None:
        return self.stackability_text_in(self.primary_language)

    def elements(self, language: str | None = None) -> list[Element]:
        """The elements in ``language`` (the primary by default), in order: the 11 mandatory ones, the languages
        of instruction, then the optional ones that are given."""
        language = language or self.primary_language
        mandatory: dict[str, str | list[str]] = {
            "learner": self.learner_text_in(language),
            "title": self.text_in("title", language) or "",
            "countries": self.countries_text_in(language),
            "awarding_bodies": [b.name for b in self.awarding_bodies],
            "issued": self.issued_text_in(language),
            "learning_outcomes": self.learning_outcomes_in(language),
            "workload": message(language, "value.ects", ects=self.ects_text_in(language)),
            "level": self.level_text_in(language),
            "assessment": self.text_in("assessment", language) or "",
            "participation": self.participation_text_in(language),
            "quality_assurance": self.text_in("quality_assurance", language) or "",
        }
        if self.languages:
            mandatory["languages"] = self.languages_text_in(language)
        optional: dict[str, str | None] = {
            "prerequisites": self.text_in("prerequisites", language),
            "supervision": self.supervision_text_in(language),
            "grade": self.grade,
            "stackability": self.stackability_text_in(language),
            "further_information": self.text_in("further_information", language),
        }
        out = [Element(k, self.label_in(k, language), v, True) for k, v in mandatory.items()]
        out += [Element(k, self.label_in(k, language), v, False) for k, v in optional.items() if v]
        return out

    def parallel_elements(self) -> list[ParallelElement]:
        """Every element in each language of the certificate: a label per language, and each value once."""
        per_language = [(language, self.elements(language)) for language in self.certificate_languages]
        out = []
        for index, first in enumerate(per_language[0][1]):
            labels: list[tuple[str, str]] = []
            values: list[tuple[str, str | list[str]]] = []
            for language, elements in per_language:
                element = elements[index]
                labels.append((language, element.label))
                if all(element.value != earlier for _, earlier in values):
                    values.append((language, element.value))
            if first.key == "stackability" and len(values) > 1 and self._stacks_towards_alike():
                values = [(self.primary_language, self._stackability_once())]
            out.append(ParallelElement(first.key, labels, values, first.mandatory))
        return out

    def _stacks_towards_alike(self) -> bool:
        return (self.stackability is not None and self.stackability.mode != "standalone"
                and bool(self.stackability.towards)
                and all(self._items_in("towards", self.stackability.towards, language) == self.stackability.towards
                        for language in self.certificate_languages))

    def _stackability_once(self) -> str:
        """``Stackable towards / Yhdistettävissä: <the credentials, once>``, when they are named in one language."""
        assert self.stackability is not None
        prefixes = dict.fromkeys(message(language, "value.stackable_towards", towards="").rstrip(" :\u00a0\u202f")
                                 for language in self.certificate_languages)
        return " / ".join(prefixes) + ": " + "; ".join(self.stackability.towards)


def _translations(consortium: Consortium) -> dict[str, Translation]:
    """The spec's texts in each language other than the primary that the spec gives any text in."""
    cred = consortium.credential
    texts: dict[str, str | None | list[str] | list[Translated] | list[Translated | None]] = {
        "title": cred.title, "summary": cred.summary, "learning_outcomes": list(cred.learning_outcomes),
        "assessment": cred.assessment, "quality_assurance": cred.quality_assurance,
        "prerequisites": cred.prerequisites, "further_information": cred.further_information,
        "conditions": consortium.certificate.conditions, "towards": list(cred.stackability.towards),
        "courses": [course.title for course in cred.courses],
        "pillars": [course.pillar for course in cred.courses],
        "signatory_titles": [consortium.partner(pid).signatory.title for pid in consortium.certificate.signatories]}
    primary = consortium.certificate.languages[0]

    def given(value: object) -> set[str]:
        if isinstance(value, list):
            return set().union(*(given(item) for item in value)) if value else set()
        return set(value.texts) if isinstance(value, Translated) else set()

    def in_language(value: object, language: str) -> object:
        if isinstance(value, list):
            items = [in_language(item, language) for item in value]
            return items if any(item is not None for item in items) else None
        return value.in_language(language) if isinstance(value, Translated) else None

    languages = sorted(set().union(*(given(value) for value in texts.values())) - {primary})
    return {language: Translation(**{field: in_language(value, language) for field, value in texts.items()})
            for language in languages}


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
                            date_of_birth=learner.date_of_birth, name_latin=learner.name_latin),
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
        certificate_languages=list(consortium.certificate.languages),
        translations=_translations(consortium),
        supersedes=supersedes if supersedes else None,
    )
    return record.model_copy(update={"credential_id": credential_id(record.canonical_json())})
