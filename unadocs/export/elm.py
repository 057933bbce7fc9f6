"""The certificate as a European Digital Credential: ELM v3 JSON-LD for the Europass wallet.

The document has the shape of the Commission's sample micro-credential
(``Sample-MC-Annex1-unsigned.jsonld``): a ``VerifiableCredential`` and
``EuropeanDigitalCredential`` whose subject, the learner, holds one
``LearningAchievement``. The Annex I elements map as follows:

==========================  ==========================================================
learner                     ``credentialSubject`` (names, date of birth, learner id)
title                       the achievement's and the ``Qualification``'s ``title``
countries                   each awarding body's address ``countryCode``
awarding bodies             ``awardedBy.awardingBody``: every one (co-awarding)
date of issuing             ``issued``, ``validFrom`` and ``awardedBy.awardingDate``
learning outcomes           ``specifiedBy.learningOutcome``
workload                    ``specifiedBy.creditPoint`` in the ECTS framework
level                       ``specifiedBy.eqfLevel``; the QF-EHEA cycle as a note
type of assessment          ``provenBy.specifiedBy.description``
form of participation       ``specifiedBy.mode``
quality assurance           a note on the ``Qualification``
prerequisites               ``specifiedBy.entryRequirement``
supervision                 ``provenBy.idVerification`` (a note when no concept is cited)
grade                       ``provenBy.grade``
stackability, further info  notes on the ``Qualification``
==========================  ==========================================================

The document is unsigned: the Europass issuing tools seal it with the
issuer's qualified electronic seal, which also adds the issuer's eIDAS
identifier when the spec does not give it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from unadocs.record import MANDATORY_LABELS, OPTIONAL_LABELS, Body, CertificateRecord
from unadocs.export.contexts import EDC_CONTEXT, VC1_CONTEXT
from unadocs.export.identifiers import day_time, organisation_uri
from unadocs.export.vocabularies import concept

__all__ = ["ELM_CONTEXT", "NOTE_LABELS", "elm_credential", "elm_for"]

#: The two contexts of an ELM v3 credential, in the sample's order.
ELM_CONTEXT = [VC1_CONTEXT, EDC_CONTEXT]

#: The notes on the ``Qualification``, keyed by record field: each note's text starts with its Annex I label.
NOTE_LABELS = {
    "cycle": "Cycle (QF-EHEA)",
    "quality_assurance": MANDATORY_LABELS["quality_assurance"],
    "stackability": OPTIONAL_LABELS["stackability"],
    "further_information": OPTIONAL_LABELS["further_information"],
}

_SHACL_PROFILE = "http://data.europa.eu/snb/model/ap/edc-generic-full"
#: The language of the names unadocs gives in English only (an organisation's legal name, Una Europa).
_ENGLISH = "en"
#: BCP 47 "undetermined": a person's name is in no language, but ELM's shapes want a language-tagged string.
_NO_LANGUAGE = "und"
_UNA_EUROPA = {"id": "urn:unadocs:group:una-europa", "type": "Group", "prefLabel": {_ENGLISH: "Una Europa"}}


def _english(value: str) -> dict[str, str]:
    return {_ENGLISH: value}


def _given(record: CertificateRecord, field: str, value: str | None = None) -> dict[str, str]:
    """A text of the spec as a language map: every language the spec gives it in (a plain text: the primary)."""
    languages = [record.primary_language, *(language for language in sorted(record.translations)
                                            if record.given_in(field, language))]
    return {language: value if language == record.primary_language and value is not None
            else record.text_in(field, language) or "" for language in languages}


def _said(record: CertificateRecord, words: Callable[[str], str]) -> dict[str, str]:
    """Words unadocs writes (a label, a level) in every language of the certificate."""
    return {language: words(language) for language in record.certificate_languages}


def _note(node_id: str, text: dict[str, str]) -> dict[str, Any]:
    return {"id": node_id, "type": "Note", "noteLiteral": text}


def _item(record: CertificateRecord, field: str, index: int, items: Callable[[str], list[str]]) -> dict[str, str]:
    """The ``index``-th item of a list of the spec (a learning outcome, a course) in each language it is given in."""
    primary = items(record.primary_language)[index]
    texts = {record.primary_language: primary}
    for language in sorted(record.translations):
        text = items(language)[index]
        if text != primary or language == record.primary_language:
            texts[language] = text
    return texts


def _organisation(record: CertificateRecord, body: Body) -> dict[str, Any]:
    country = concept("country", body.country).node()
    node: dict[str, Any] = {
        "id": organisation_uri(record, body),
        "type": "Organisation",
        "legalName": _english(body.name),
        "location": {
            "id": f"urn:epass:location:{body.id}",
            "type": "Location",
            "address": {"id": f"urn:epass:address:{body.id}", "type": "Address", "countryCode": country},
        },
    }
    if body.native_name and body.native_name != body.name:
        node["altLabel"] = {_NO_LANGUAGE: body.native_name}  # in the university's language, which the registry omits
    if body.eidas_identifier:
        node["eIDASIdentifier"] = {
            "id": f"urn:epass:legalIdentifier:eidas:{body.id}",
            "type": "LegalIdentifier",
            "notation": body.eidas_identifier,
            "spatial": country,
        }
    if body.member:
        node["groupMemberOf"] = _UNA_EUROPA
    return node


def _learner(record: CertificateRecord) -> dict[str, Any]:
    learner = record.learner
    person: dict[str, Any] = {
        "id": "urn:epass:person:1",
        "type": "Person",
        "identifier": {
            "id": "urn:epass:identifier:learner",
            "type": "Identifier",
            "schemeName": f"Learner id at {record.issuer.name}",
            "notation": learner.learner_id,
        },
        "givenName": {_NO_LANGUAGE: learner.given_names},
        "familyName": {_NO_LANGUAGE: learner.family_name},
        "fullName": {_NO_LANGUAGE: learner.full_name},
    }
    if learner.name_latin:
        person["altLabel"] = {_NO_LANGUAGE: learner.name_latin}
    if learner.date_of_birth:
        person["dateOfBirth"] = day_time(learner.date_of_birth)
    return person


def _qualification(record: CertificateRecord) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "id": "urn:epass:qualification:1",
        "type": "Qualification",
        "title": _given(record, "title"),
    }
    if record.summary:
        spec["description"] = _given(record, "summary")
    spec["eqfLevel"] = concept("eqf", record.eqf_level).node()
    spec["creditPoint"] = {
        "id": "urn:epass:creditPoint:1",
        "type": "CreditPoint",
        "framework": concept("education-credit", "ects").node(),
        "point": record.ects_text,
    }
    spec["learningOutcome"] = [
        {"id": f"urn:epass:learningOutcome:{n}", "type": "LearningOutcome",
         "title": _item(record, "learning_outcomes", n - 1, record.learning_outcomes_in)}
        for n in range(1, len(record.learning_outcomes) + 1)
    ]
    spec["mode"] = concept("learning-assessment", record.participation).node()
    if record.languages:
        spec["language"] = [concept("language", code).node() for code in record.languages]
    if record.prerequisites:
        spec["entryRequirement"] = _note("urn:epass:note:entryRequirement", _given(record, "prerequisites"))
    notes: dict[str, dict[str, str]] = {}
    if record.cycle:
        notes["cycle"] = _said(record, lambda l: f"{NOTE_LABELS['cycle'] if l == 'en' else record.label_in('level', l)}"
                                                 f": {record.level_text_in(l)}")
    notes["quality_assurance"] = {l: f"{record.label_in('quality_assurance', l)}: {text}"
                                  for l, text in _given(record, "quality_assurance").items()}
    if record.stackability is not None:
        notes["stackability"] = _said(record, lambda l: f"{record.label_in('stackability', l)}: "
                                                        f"{record.stackability_text_in(l)}")
    if record.further_information:
        notes["further_information"] = {l: f"{record.label_in('further_information', l)}: {text}"
                                        for l, text in _given(record, "further_information").items()}
    spec["additionalNote"] = [_note(f"urn:epass:note:{key}", text) for key, text in notes.items()]
    return spec


def _assessment(record: CertificateRecord, awarding: dict[str, Any]) -> dict[str, Any]:
    # A learner is listed only once they have passed, so a missing grade means "Passed".
    assessment: dict[str, Any] = {
        "id": "urn:epass:learningAssessment:1",
        "type": "LearningAssessment",
        "title": _said(record, lambda l: record.words_in("export.assessment", l)),
        "grade": _note("urn:epass:note:grade", {_NO_LANGUAGE: record.grade} if record.grade
                       else _said(record, lambda l: record.words_in("value.passed", l))),
        "awardedBy": {"id": awarding["id"]},
        "specifiedBy": {
            "id": "urn:epass:learningAssessmentSpec:1",
            "type": "LearningAssessmentSpecification",
            "title": _said(record, lambda l: record.label_in("assessment", l)),
            "description": _given(record, "assessment"),
        },
    }
    if record.supervision:
        supervision = concept("supervision-verification", record.supervision)
        if supervision.uri is not None:
            assessment["idVerification"] = supervision.node()
        else:
            text = _said(record, lambda l: f"{record.label_in('supervision', l)}: {record.supervision_text_in(l)}")
            assessment["additionalNote"] = [_note("urn:epass:note:supervision", text)]
    return assessment


def _display(record: CertificateRecord) -> dict[str, Any]:
    from unadocs.export.display import display_png

    primary = concept("language", record.primary_language).node()
    bodies = ", ".join(b.name for b in record.awarding_bodies)

    def description(language: str) -> str:
        text = record.words_in("export.description", language, bodies=bodies)
        return f"{record.words_in('export.specimen', language)} {text}" if record.specimen else text

    languages = [concept("language", code).node() for code in record.certificate_languages]
    return {
        "id": "urn:epass:displayParameter:1",
        "type": "DisplayParameter",
        "title": _given(record, "title"),
        "description": _said(record, description),
        "primaryLanguage": primary,
        "language": languages if len(languages) > 1 else languages[0],
        "individualDisplay": {
            "id": "urn:epass:individualDisplay:1",
            "type": "IndividualDisplay",
            "language": primary,
            "displayDetail": {
                "id": "urn:epass:displayDetail:1",
                "type": "DisplayDetail",
                "page": 1,
                "image": {
                    "id": "urn:epass:mediaObject:display",
                    "type": "MediaObject",
                    "content": base64.b64encode(display_png(record)).decode("ascii"),
                    "contentEncoding": concept("encoding", "base64").node(),
                    "contentType": concept("file-type", "PNG").node(),
                },
            },
        },
    }


def elm_credential(record: CertificateRecord) -> dict[str, Any]:
    """The record as an ELM v3 European Digital Credential (a JSON-ready dict).

    Raises :class:`~unadocs.errors.ExportError` when a value
    (a country, a language) has no concept in the vocabulary table.
    """
    issued = day_time(record.issued)
    awarding = {
        "id": "urn:epass:awardingProcess:1",
        "type": "AwardingProcess",
        "awardingBody": [_organisation(record, body) for body in record.awarding_bodies],
        "awardingDate": issued,
    }
    subject = _learner(record)
    subject["hasClaim"] = {
        "id": "urn:epass:learningAchievement:1",
        "type": "LearningAchievement",
        "title": _given(record, "title"),
        "awardedBy": awarding,
        "provenBy": _assessment(record, awarding),
        "specifiedBy": _qualification(record),
    }
    if record.supersedes is not None:
        subject["hasClaim"]["additionalNote"] = [_note("urn:epass:note:supersedes", _said(
            record, lambda l: record.words_in("export.supersedes", l, credential=record.supersedes)))]
    return {
        "@context": list(ELM_CONTEXT),
        "id": f"urn:credential:{record.credential_id}",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": concept("credential", "generic").node(),
        "credentialSchema": {"id": _SHACL_PROFILE, "type": "ShaclValidator2017"},
        "identifier": {
            "id": "urn:epass:identifier:credential",
            "type": "Identifier",
            "schemeName": f"Credential id of agreement {record.agreement.reference}",
            "notation": record.credential_id,
        },
        "displayParameter": _display(record),
        "issuer": _organisation(record, record.issuer),
        "issued": issued,
        "validFrom": issued,
        "credentialSubject": subject,
    }

