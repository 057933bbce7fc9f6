"""The Open Badges 3.0 export: every term defined by the contexts, the spec's required fields, a verifiable VC-JWT."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest

from tests.export.conftest import example_learners
from tests.jsonld_offline import expand
from unadocs.record import CertificateRecord, build_record
from unadocs.errors import SealError
from unadocs.export.ob3 import ob3_credential
from unadocs.issuing import ob3_jwt
from unadocs.export.vocabularies import concept
from unadocs.model import Consortium
from unadocs.seal.keys import Signer
from unadocs.seal.trust import Revocation, TrustList
from unadocs.seal.verify import Reason, verify


def trust_of(signer: Signer) -> TrustList:
    return TrustList().with_key(signer.trusted_key())


# -- JSON-LD: every term is defined ---------------------------------------------------


def test_every_term_of_the_credential_is_defined_by_the_open_badges_context(joint_record: CertificateRecord) -> None:
    expanded, undefined = expand(ob3_credential(joint_record))
    assert undefined == []
    assert expanded[0]["@type"] == ["https://www.w3.org/2018/credentials#VerifiableCredential",
                                    "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]


def test_an_undefined_property_or_type_would_be_reported(joint_record: CertificateRecord) -> None:
    document = ob3_credential(joint_record)
    document["credentialSubject"]["achievement"]["badgeColour"] = "gold"
    document["credentialSubject"]["type"].append("LearnerSubject")
    assert sorted(expand(document)[1]) == ["LearnerSubject", "badgeColour"]


# -- the fields Open Badges 3.0 requires ------------------------------------------------


def test_the_required_fields_of_open_badges_3_are_present(joint_record: CertificateRecord) -> None:
    credential = ob3_credential(joint_record)
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"].startswith("urn:uuid:") and credential["name"] and credential["validFrom"]
    issuer = credential["issuer"]
    assert issuer["id"] and issuer["type"] == ["Profile"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    for identity in subject["identifier"]:  # no subject id: an identity object instead
        assert set(identity) == {"type", "identityType", "hashed", "identityHash"}
    achievement = subject["achievement"]
    for field in ("id", "type", "criteria", "description", "name"):
        assert achievement[field], field
    assert achievement["type"] == ["Achievement"]
    for alignment in achievement["alignment"]:
        assert alignment["type"] == ["Alignment"] and alignment["targetName"] and alignment["targetUrl"]
    for endorsement in achievement["endorsement"]:
        assert endorsement["type"] == ["VerifiableCredential", "EndorsementCredential"]
        assert endorsement["@context"] and endorsement["id"] and endorsement["validFrom"]
        assert endorsement["issuer"]["type"] == ["Profile"]
        assert endorsement["credentialSubject"]["type"] == ["EndorsementSubject"]


def test_the_achievement_is_a_micro_credential_with_its_ects_and_criteria(joint_record: CertificateRecord) -> None:
    achievement = ob3_credential(joint_record)["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == joint_record.title
    assert achievement["description"] == joint_record.summary
    assert achievement["criteria"] == {"narrative": joint_record.conditions}
    assert achievement["creditsAvailable"] == 10.0
    targets = {a["targetUrl"]: a for a in achievement["alignment"]}
    assert targets[concept("education-credit", "ects").uri]["targetName"] == "10 ECTS credits"
    assert targets[concept("eqf", 7).uri]["targetCode"] == "7"


def test_the_other_awarding_bodies_endorse_the_achievement(joint_record: CertificateRecord) -> None:
    credential = ob3_credential(joint_record)
    achievement = credential["credentialSubject"]["achievement"]
    endorsers = [e["issuer"]["name"] for e in achievement["endorsement"]]
    assert credential["issuer"]["name"] == "University of Helsinki"
    assert endorsers == [b.name for b in joint_record.awarding_bodies[1:]]
    assert len(endorsers) == 4
    assert {e["credentialSubject"]["id"] for e in achievement["endorsement"]} == {achievement["id"]}


def test_the_learner_is_the_subject_with_name_id_grade_and_credits(joint_record: CertificateRecord) -> None:
    subject = ob3_credential(joint_record)["credentialSubject"]
    identities = {i["identityType"]: i["identityHash"] for i in subject["identifier"]}
    assert identities == {"name": joint_record.learner.full_name, "studentId": joint_record.learner.learner_id}
    assert subject["result"][0]["value"] == joint_record.grade == "pass with distinction"
    assert subject["creditsEarned"] == 10.0


# -- the VC-JWT --------------------------------------------------------------------------


def claims_of(token: str) -> dict[str, Any]:
    body = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return claims


def with_claims(token: str, claims: dict[str, Any]) -> str:
    head, _, signature = token.split(".")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{body}.{signature}"


def test_the_jwt_verifies_with_the_issuers_key_from_the_trust_list(
    joint_record: CertificateRecord, signer: Signer,
) -> None:
    token = ob3_jwt(joint_record, signer)
    result = verify(token, trust_of(signer), record=joint_record.canonical_json())
    assert result.reason is Reason.VALID, result.message
    assert result.fields["name"] == joint_record.learner.full_name
    assert result.fields["credential_id"] == joint_record.credential_id
    assert result.fields["awarding"] == [b.id for b in joint_record.awarding_bodies]  # the seal payload's, as a PDF's
    assert claims_of(token)["unadocs"]["u"] == [b.id for b in joint_record.awarding_bodies].index("UH")
    assert (result.fields["ects"], result.fields["eqf"], result.fields["issuer"]) == ("10", 7, "UH")
    assert claims_of(token)["vc"] == ob3_credential(joint_record)


def test_a_tampered_jwt_does_not_verify(joint_record: CertificateRecord, signer: Signer) -> None:
    token = ob3_jwt(joint_record, signer)
    claims = claims_of(token)
    claims["vc"]["credentialSubject"]["achievement"]["creditsAvailable"] = 60.0
    assert verify(with_claims(token, claims), trust_of(signer)).reason is Reason.BAD_SIGNATURE


def test_a_jwt_of_a_key_outside_the_trust_list_is_from_an_unknown_key(
    joint_record: CertificateRecord, signer: Signer,
) -> None:
    other = Signer.from_seed(bytes(32), "UH", valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
    assert verify(ob3_jwt(joint_record, other), trust_of(signer)).reason is Reason.UNKNOWN_KEY


def test_a_revoked_credential_or_another_record_is_reported(
    joint: Consortium, joint_record: CertificateRecord, signer: Signer,
) -> None:
    token = ob3_jwt(joint_record, signer)
    revoked = trust_of(signer).with_revocation(Revocation(credential_id=joint_record.credential_id, reason="issued in error"))
    assert verify(token, revoked).reason is Reason.REVOKED
    other = build_record(joint, example_learners()[0])
    assert verify(token, trust_of(signer), record=other.canonical_json()).reason is Reason.RECORD_MISMATCH


def test_a_draft_agreement_gives_a_specimen_that_never_verifies_as_valid(example: Consortium, signer: Signer) -> None:
    record = build_record(example, example_learners()[0])
    result = verify(ob3_jwt(record, signer), trust_of(signer))
    assert result.reason is Reason.SPECIMEN
    assert ob3_credential(record)["credentialSubject"]["achievement"]["description"].startswith("SPECIMEN")


def test_the_jwt_is_deterministic_and_names_its_key(joint_record: CertificateRecord, signer: Signer) -> None:
    token = ob3_jwt(joint_record, signer)
    assert ob3_jwt(CertificateRecord.from_json(joint_record.canonical_json()), signer) == token
    head = token.split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    assert header == {"alg": "EdDSA", "kid": signer.key_id, "typ": "JWT"}
    claims = claims_of(token)
    assert claims["jti"] == f"urn:uuid:{joint_record.credential_id}" and "iat" not in claims
    assert claims["nbf"] == 1768867200  # 2026-01-20T00:00:00Z, the issue date


def test_a_key_of_another_issuer_is_refused(joint_record: CertificateRecord) -> None:
    stranger = Signer.from_seed(bytes(range(32)), "UNIBO")
    with pytest.raises(SealError, match="belongs to 'UNIBO'"):
        ob3_jwt(joint_record, stranger)


def test_a_jwt_of_another_algorithm_or_without_our_claims_is_malformed(
    joint_record: CertificateRecord, signer: Signer,
) -> None:
    token = ob3_jwt(joint_record, signer)
    _, body, signature = token.split(".")
    rs256 = base64.urlsafe_b64encode(b'{"alg":"RS256","kid":"x","typ":"JWT"}').rstrip(b"=").decode()
    result = verify(f"{rs256}.{body}.{signature}", trust_of(signer))
    assert result.reason is Reason.MALFORMED and "RS256" in result.detail
    claims = claims_of(token)
    del claims["unadocs"]
    assert verify(with_claims(token, claims), trust_of(signer)).reason is Reason.MALFORMED


def test_the_jwt_file_verifies_from_its_path_and_from_its_bytes(
    joint_record: CertificateRecord, signer: Signer, tmp_path: Any,
) -> None:
    path = tmp_path / "learner.ob3.jwt"
    path.write_text(ob3_jwt(joint_record, signer) + "\n", encoding="ascii")
    assert verify(path, trust_of(signer)).reason is Reason.VALID
    assert verify(str(path), trust_of(signer)).reason is Reason.VALID
    assert verify(path.read_bytes(), trust_of(signer)).reason is Reason.VALID


def test_the_other_languages_of_the_certificate_are_related_editions_of_the_achievement(
        example_data: dict[str, Any]) -> None:
    import copy

    from unadocs.load import load_spec
    from unadocs.export.identifiers import achievement_uri

    data = copy.deepcopy(example_data)
    data["certificate"]["languages"] = ["fi", "en", "sv"]
    record = build_record(load_spec(data), example_learners()[0])
    achievement = ob3_credential(record)["credentialSubject"]["achievement"]
    assert achievement["inLanguage"] == "fi"
    assert achievement["related"] == [
        {"id": f"{achievement_uri(record)}/{code}", "type": ["Related"], "inLanguage": code} for code in ("en", "sv")]
    assert expand(ob3_credential(record))[1] == []


def test_a_credential_speaks_the_certificates_primary_language(example_data: dict[str, Any]) -> None:
    """A Finnish certificate's badge is marked Finnish: its description, the grade's name and a correction's
    sentence are Finnish too, not English words around a Finnish title."""
    import copy

    from unadocs.load import load_spec

    data = copy.deepcopy(example_data)
    data["certificate"]["languages"] = ["fi", "en"]
    data["credential"]["title"] = {"fi": "Kestävyyden mikrotutkinto", "en": "Micro-credential in Sustainability"}
    learner = next(lr for lr in example_learners() if lr.grade)
    record = build_record(load_spec(data), learner, supersedes="0d6f-old")
    credential = ob3_credential(record)
    assert credential["description"].startswith(
        f"{learner.full_name} on suorittanut yhteisen mikrotutkinnon ”Kestävyyden mikrotutkinto”; myöntäjät: "
        "University of Helsinki")
    assert credential["description"].endswith(
        "Tämä todistus korjaa ja korvaa todistuksen urn:uuid:0d6f-old, jonka myöntäjä peruuttaa; "
        "vain tämä on voimassa.")
    achievement = credential["credentialSubject"]["achievement"]
    # the example's agreement is a draft, so this is a specimen
    assert achievement["description"].startswith("MALLI, myönnetty sopimusluonnoksen perusteella")
    assert achievement["resultDescription"][0]["name"] == "Saavutettu arvosana"
    assert expand(credential)[1] == []
