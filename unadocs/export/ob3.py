"""The certificate as an Open Badges 3.0 ``OpenBadgeCredential``, for badge platforms and wallets.

One record gives one credential: the issuer is the certificate issuer, the
learner is the ``credentialSubject``, the micro-credential is an
``Achievement`` of type ``MicroCredential`` (name, description, criteria,
``creditsAvailable`` in ECTS with an alignment to the ECTS framework and one
to the EQF level). The other awarding bodies appear as endorsements of the
achievement: Open Badges has one issuer, and the agreement makes the issuer
issue on behalf of all of them. These endorsements are not signed by the
bodies themselves; the issuer's signature over the whole credential covers
them.

The issuing run signs it as a VC-JWT carrying the certificate's seal payload
(:func:`unadocs.seal.vcjwt.sign_vc_jwt`); ``unadocs verify`` checks it against
the trust list like a certificate.
"""

from __future__ import annotations

from typing import Any

from unadocs.record import Body, CertificateRecord
from unadocs.export.contexts import OB3_CONTEXT, VC2_CONTEXT
from unadocs.export.identifiers import achievement_uri, day_time, organisation_uri
from unadocs.export.vocabularies import concept

__all__ = ["OB3_CONTEXTS", "ob3_credential"]

OB3_CONTEXTS = [VC2_CONTEXT, OB3_CONTEXT]


def _profile(record: CertificateRecord, body: Body) -> dict[str, Any]:
    return {"id": organisation_uri(record, body), "type": ["Profile"], "name": body.name}


def _endorsement(record: CertificateRecord, body: Body) -> dict[str, Any]:
    import uuid

    from unadocs.record import CREDENTIAL_NAMESPACE

    endorsement_id = uuid.uuid5(CREDENTIAL_NAMESPACE, f"{record.credential_id}/endorsement/{body.id}")
    return {
        "@context": list(OB3_CONTEXTS),
        "id": f"urn:uuid:{endorsement_id}",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{body.name} co-awards {record.title}",
        "issuer": _profile(record, body),
        "validFrom": day_time(record.issued),
        "credentialSubject": {
            "id": achievement_uri(record),
            "type": ["EndorsementSubject"],
            "endorsementComment": f"{body.name} is an awarding body of this joint micro-credential "
                                  f"under agreement {record.agreement.reference}.",
        },
    }


def _achievement(record: CertificateRecord) -> dict[str, Any]:
    ects = concept("education-credit", "ects")
    eqf = concept("eqf", record.eqf_level)
    description = record.summary or record.title
    if record.specimen:
        description = f"{record.words_in('export.specimen', record.primary_language)} {description}"
    achievement: dict[str, Any] = {
        "id": achievement_uri(record),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": record.title,
        "description": description,
        "criteria": {"narrative": record.conditions},
        "creditsAvailable": float(record.ects),
        "alignment": [
            {"type": ["Alignment"], "targetName": f"{record.ects_text} ECTS credits", "targetType": "ext:CreditSystem",
             "targetFramework": ects.label, "targetUrl": ects.uri},
            {"type": ["Alignment"], "targetName": f"EQF {eqf.label}", "targetType": "ext:QualificationsFramework",
             "targetFramework": "European Qualifications Framework", "targetCode": str(record.eqf_level),
             "targetUrl": eqf.uri},
        ],
        "creator": _profile(record, record.issuer),
    }
    achievement["inLanguage"] = record.primary_language
    editions = record.certificate_languages[1:]
    if editions:  # Open Badges names other language editions of an achievement as related achievements
        achievement["related"] = [{"id": f"{achievement_uri(record)}/{language}", "type": ["Related"],
                                   "inLanguage": language} for language in editions]  # OB 3.0's Related has no name
    others = [b for b in record.awarding_bodies if b.id != record.issuer.id]
    if others:
        achievement["endorsement"] = [_endorsement(record, body) for body in others]
    if record.grade:
        achievement["resultDescription"] = [{
            "id": f"{achievement_uri(record)}#grade", "type": ["ResultDescription"],
            "name": record.label_in("grade", record.primary_language), "resultType": "LetterGrade",
        }]
    return achievement


def _description(record: CertificateRecord) -> str:
    """What the credential says, in the certificate's primary language: who earned what, from whom, and which
    credential a correction replaces."""
    language = record.primary_language
    text = record.words_in("export.earned", language, name=record.learner.full_name, title=record.title,
                           bodies=", ".join(b.name for b in record.awarding_bodies))
    if record.supersedes:
        text += " " + record.words_in("export.supersedes", language, credential=f"urn:uuid:{record.supersedes}")
    return text


def ob3_credential(record: CertificateRecord) -> dict[str, Any]:
    """The record as an Open Badges 3.0 OpenBadgeCredential (unsigned, a JSON-ready dict)."""
    achievement = _achievement(record)
    learner = record.learner
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": learner.full_name},
            {"type": "IdentityObject", "identityType": "studentId", "hashed": False,
             "identityHash": learner.learner_id},
        ],
        "achievement": achievement,
        "creditsEarned": float(record.ects),
    }
    if record.grade:
        subject["result"] = [{"type": ["Result"], "resultDescription": achievement["resultDescription"][0]["id"],
                              "value": record.grade}]
    return {
        "@context": list(OB3_CONTEXTS),
        "id": f"urn:uuid:{record.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": record.title,
        "description": _description(record),
        "issuer": _profile(record, record.issuer),
        "validFrom": day_time(record.issued),
        "credentialSubject": subject,
    }

