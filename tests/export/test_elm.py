"""The ELM v3 export: valid against the EDC SHACL shapes offline, and faithful to the certificate record."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from tests.export.conftest import ACCESSION_DAY, example_learners
from tests.jsonld_offline import STANDARDS, Violation, expand, shacl_violations, to_graph
from unadocs.record import CertificateRecord, build_record, format_date
from unadocs.export.elm import NOTE_LABELS, elm_credential
from unadocs.record import build_record
from unadocs.export.vocabularies import ExportError, concept, vocabulary
from unadocs.model import Consortium, country_name, language_name

CRED = "https://www.w3.org/2018/credentials#"
ELM = "http://data.europa.eu/snb/model/elm/"
DC = "http://purl.org/dc/terms/"


def sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (STANDARDS / "elm" / "Sample-MC-Annex1-unsigned.jsonld").read_text(encoding="utf-8"))
    return document


def paths(violations: set[Violation]) -> set[tuple[str, str]]:
    return {(v.path, v.component) for v in violations}


# -- calibration: the pipeline judges the Commission's own sample as published -----


def test_official_sample_fails_exactly_the_two_constraints_that_sealing_adds() -> None:
    graph = to_graph(sample())
    assert len(graph) == 292
    assert shacl_violations(graph) == {
        Violation("urn:credential:3ef0ac26-9a1f-41c6-871b-2b82e670907b", CRED + "issued",
                  "MinCountConstraintComponent"),
        Violation("urn:epass:org:1", ELM + "eidasLegalIdentifier", "MinCountConstraintComponent"),
    }


@pytest.mark.parametrize(("remove", "expected"), [
    (lambda d: d.pop("validFrom"), (CRED + "validFrom", "MinCountConstraintComponent")),
    (lambda d: d["credentialSubject"]["hasClaim"].pop("title"), (DC + "title", "MinCountConstraintComponent")),
    (lambda d: d["credentialSubject"]["hasClaim"]["specifiedBy"]["creditPoint"].pop("framework"),
     (ELM + "framework", "MinCountConstraintComponent")),
])
def test_sample_without_a_required_property_fails_on_that_property(remove: Any, expected: tuple[str, str]) -> None:
    document = sample()
    remove(document)
    assert expected in paths(shacl_violations(to_graph(document)))


# -- our documents -------------------------------------------------------------------


def test_example_credential_conforms_except_the_issuers_eidas_identifier(example: Consortium) -> None:
    document = elm_credential(build_record(example, example_learners()[0]))
    issuer = document["issuer"]["id"]
    assert shacl_violations(to_graph(document)) == {
        Violation(issuer, ELM + "eidasLegalIdentifier", "MinCountConstraintComponent")}


def test_joint_credential_conforms_except_the_issuers_eidas_identifier(joint_record: CertificateRecord) -> None:
    document = elm_credential(joint_record)
    assert paths(shacl_violations(to_graph(document))) == {
        (ELM + "eidasLegalIdentifier", "MinCountConstraintComponent")}


def test_credential_conforms_fully_when_the_spec_gives_the_issuers_eidas_identifier(joint_sealed: Consortium) -> None:
    learner = example_learners()[2]
    document = elm_credential(build_record(joint_sealed, learner))
    assert document["issuer"]["eIDASIdentifier"]["notation"] == "FI/VATFI-0313471-7"
    assert shacl_violations(to_graph(document)) == set()


def test_every_property_of_the_credential_is_defined_by_its_contexts(joint_record: CertificateRecord) -> None:
    _, dropped = expand(elm_credential(joint_record))
    assert dropped == []


def test_an_undefined_property_would_be_reported_as_dropped(joint_record: CertificateRecord) -> None:
    document = elm_credential(joint_record)
    document["credentialSubject"]["favouriteColour"] = "green"
    assert expand(document)[1] == ["favouriteColour"]


def test_same_record_gives_the_same_document(joint_record: CertificateRecord) -> None:
    first = json.dumps(elm_credential(joint_record), sort_keys=True)
    again = CertificateRecord.from_json(joint_record.canonical_json())
    assert json.dumps(elm_credential(again), sort_keys=True) == first


# -- the awarding bodies: all of them, and only those on the issue date ---------------


def awarding_bodies(document: dict[str, Any]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = document["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]
    return bodies


def test_awarded_by_lists_every_awarding_body_and_the_issuer_issues(joint_record: CertificateRecord) -> None:
    document = elm_credential(joint_record)
    names = [b["legalName"]["en"] for b in awarding_bodies(document)]
    assert names == [b.name for b in joint_record.awarding_bodies]
    assert len(names) == 5 and "Acme Institute of Sustainability" in names
    assert document["issuer"]["legalName"]["en"] == "University of Helsinki"
    assert document["issuer"]["id"] == awarding_bodies(document)[0]["id"]


def test_a_partner_is_an_awarding_body_only_from_its_accession(joint: Consortium) -> None:
    learner = example_learners()[0].model_copy(update={"issued": date(2025, 12, 15)})
    assert learner.issued < ACCESSION_DAY
    names = [b["legalName"]["en"] for b in awarding_bodies(elm_credential(build_record(joint, learner)))]
    assert "The University of Edinburgh" not in names and len(names) == 4


def test_members_belong_to_the_una_europa_group_and_other_partners_do_not(joint_record: CertificateRecord) -> None:
    groups = {b["legalName"]["en"]: b.get("groupMemberOf", {}).get("prefLabel") for b in
              awarding_bodies(elm_credential(joint_record))}
    assert groups["Acme Institute of Sustainability"] is None
    assert groups["University of Helsinki"] == {"en": "Una Europa"}


# -- round trip: every Annex I element of the PDF's record is in the document, equal -----


def _note(spec: dict[str, Any], key: str) -> str | None:
    prefix = NOTE_LABELS[key] + ": "
    texts = [n["noteLiteral"]["en"] for n in spec.get("additionalNote", [])]
    found = [t.removeprefix(prefix) for t in texts if t.startswith(prefix)]
    assert len(found) <= 1
    return found[0] if found else None


def _key_of(scheme: str, node: dict[str, Any]) -> str:
    keys = [key for key, c in vocabulary(scheme).items() if c.uri == node["id"]]
    assert len(keys) == 1, node["id"]
    return keys[0]


def _with_cycle(level: str, cycle_note: str | None) -> str:
    """The level as the certificate words it: the cycle note restates the EQF concept and adds the cycle."""
    if cycle_note is None:
        return level
    assert cycle_note.startswith(level + ", ")
    return cycle_note


def elements_in(document: dict[str, Any]) -> dict[str, str | list[str]]:
    """Read the Annex I elements back out of an ELM document, worded as the certificate words them."""
    subject = document["credentialSubject"]
    claim = subject["hasClaim"]
    spec = claim["specifiedBy"]
    assessment = claim["provenBy"]
    issued = date.fromisoformat(document["issued"][:10])
    assert document["validFrom"] == claim["awardedBy"]["awardingDate"] == document["issued"]
    born = subject.get("dateOfBirth")
    learner = f"{subject['fullName']['und']}, learner id {subject['identifier']['notation']}"
    if born:
        learner += f", born {format_date(date.fromisoformat(born[:10]))}"
    codes = [_key_of("country", b["location"]["address"]["countryCode"]) for b in awarding_bodies(document)]
    level = f"EQF level {_key_of('eqf', spec['eqfLevel'])}"
    assert spec["creditPoint"]["framework"]["id"] == concept("education-credit", "ects").uri
    assert claim["title"] == spec["title"]
    out: dict[str, str | list[str]] = {
        "learner": learner,
        "title": claim["title"]["en"],
        "countries": ", ".join(country_name(c) for c in dict.fromkeys(codes)),
        "awarding_bodies": [b["legalName"]["en"] for b in awarding_bodies(document)],
        "issued": format_date(issued),
        "learning_outcomes": [o["title"]["en"] for o in spec["learningOutcome"]],
        "workload": f"{spec['creditPoint']['point']} ECTS",
        "level": _with_cycle(level, _note(spec, "cycle")),
        "assessment": assessment["specifiedBy"]["description"]["en"],
        "participation": _key_of("learning-assessment", spec["mode"]),
        "quality_assurance": _note(spec, "quality_assurance") or "",
        "grade": next(iter(assessment["grade"]["noteLiteral"].values())),
    }
    if "language" in spec:  # the languages of instruction, as concepts; the certificate names them
        out["languages"] = ", ".join(language_name(_key_of("language", node)) for node in spec["language"])
    if "entryRequirement" in spec:
        out["prerequisites"] = spec["entryRequirement"]["noteLiteral"]["en"]
    if "idVerification" in assessment:
        out["supervision"] = _key_of("supervision-verification", assessment["idVerification"])
    for key in ("stackability", "further_information"):
        if (text := _note(spec, key)) is not None:
            out[key] = text
    return out


def test_every_annex_i_element_on_the_certificate_is_in_the_elm_document_and_equal(
    joint_record: CertificateRecord,
) -> None:
    record = joint_record
    found = elements_in(elm_credential(record))
    shown = {e.key: e.value for e in record.elements()}
    assert {"grade", "prerequisites", "supervision", "stackability", "further_information"} <= set(shown)
    coded = {"participation": record.participation, "supervision": record.supervision}  # concepts, not wording
    for key, value in shown.items():
        assert found[key] == coded.get(key, value), key


def test_a_learner_without_a_grade_is_shown_as_passed(example: Consortium) -> None:
    learner = example_learners()[0].model_copy(update={"grade": None})
    assessment = elm_credential(build_record(example, learner))["credentialSubject"]["hasClaim"]["provenBy"]
    assert assessment["grade"]["noteLiteral"] == {"en": "Passed"}


def test_supervision_without_a_cited_concept_is_stated_in_words(example_data: dict[str, Any]) -> None:
    from unadocs.load import load_spec

    data = copy.deepcopy(example_data)
    data["credential"]["supervision"] = "supervised-onsite-identity-check"
    assessment = elm_credential(build_record(load_spec(data), example_learners()[0]))["credentialSubject"]["hasClaim"]["provenBy"]
    assert "idVerification" not in assessment
    assert assessment["additionalNote"][0]["noteLiteral"]["en"].endswith("Supervised onsite with identity verification")


def test_a_draft_agreement_gives_a_credential_marked_as_a_specimen(example: Consortium) -> None:
    assert example.is_draft
    display = elm_credential(build_record(example, example_learners()[0]))["displayParameter"]
    assert display["description"]["en"].startswith("SPECIMEN")


def test_display_image_is_a_png_of_the_record(joint_record: CertificateRecord) -> None:
    import base64
    import io

    from PIL import Image

    image = elm_credential(joint_record)["displayParameter"]["individualDisplay"]["displayDetail"]["image"]
    data = base64.b64decode(image["content"])
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "PNG" and picture.size == (1200, 848)
    assert image["contentType"]["id"].endswith("/file-type/PNG")


# -- the vocabulary table ---------------------------------------------------------------


def test_every_vocabulary_entry_cites_its_source_and_lies_in_its_scheme() -> None:
    from importlib import resources

    import yaml

    table = yaml.safe_load(resources.files("unadocs").joinpath("data", "vocabularies.yaml").read_text("utf-8"))
    assert len(table) == 9
    for name in table:
        for key, entry in vocabulary(name).items():
            assert entry.source in {"sample", "eu-vocabularies"}, (name, key)
            if entry.uri is not None:
                assert entry.uri.startswith(entry.scheme.removesuffix("/25831c2") + "/"), (name, key)


def test_concepts_taken_from_the_sample_are_the_samples() -> None:
    text = (STANDARDS / "elm" / "Sample-MC-Annex1-unsigned.jsonld").read_text(encoding="utf-8")
    for name in ("eqf", "education-credit", "credential", "learning-assessment", "supervision-verification",
                 "encoding", "file-type", "country", "language"):
        for key, entry in vocabulary(name).items():
            if entry.source == "sample":
                assert f'"id":"{entry.uri}"' in text, (name, key)
                assert f'"id":"{entry.scheme}"' in text, (name, key)


def test_the_country_of_every_member_university_has_a_concept() -> None:
    from unadocs.model.registry import members

    for member in members().values():
        assert concept("country", member.country).uri


def test_a_language_without_a_concept_is_an_export_error(example_data: dict[str, Any]) -> None:
    from unadocs.load import load_spec

    data = copy.deepcopy(example_data)
    data["credential"]["languages"] = ["en", "ja"]
    record = build_record(load_spec(data), example_learners()[0])
    with pytest.raises(ExportError, match="'ja' has no concept in the EU vocabulary 'language'"):
        elm_credential(record)


# -- several languages ---------------------------------------------------------------------------------------


def _multilingual(example_data: dict[str, Any]) -> Consortium:
    from tests.export.conftest import joint_data
    from unadocs.load import load_spec

    data = joint_data(example_data)
    data["partners"][0]["eidas_identifier"] = "FI/VATFI-0313471-7"
    data["certificate"]["languages"] = ["en", "fi", "fr"]
    cred = data["credential"]
    cred["title"] = {"en": cred["title"], "fi": "Kestävyyden mikrotutkinto", "fr": "Microcertification en durabilité"}
    cred["learning_outcomes"][0] = {"en": cred["learning_outcomes"][0], "fi": "Selittää ilmastonmuutoksen perustan."}
    cred["assessment"] = {"en": cred["assessment"], "fr": "Évaluation en ligne de chaque module."}
    return load_spec(data)


def test_a_credential_in_several_languages_conforms_to_the_shapes_with_every_language_tagged(
        example_data: dict[str, Any]) -> None:
    record = build_record(_multilingual(example_data), example_learners()[2])
    document = elm_credential(record)
    assert shacl_violations(to_graph(document)) == set()
    spec = document["credentialSubject"]["hasClaim"]["specifiedBy"]
    assert spec["title"] == {"en": "Micro-credential in Sustainability", "fi": "Kestävyyden mikrotutkinto",
                             "fr": "Microcertification en durabilité"}
    assert set(spec["learningOutcome"][0]["title"]) == {"en", "fi"} and set(spec["learningOutcome"][1]["title"]) == {"en"}
    assessment = document["credentialSubject"]["hasClaim"]["provenBy"]["specifiedBy"]
    assert assessment["description"]["fr"] == "Évaluation en ligne de chaque module." and "fi" not in assessment["description"]
    assert assessment["title"] == {"en": "Type of assessment", "fi": "Arvioinnin tyyppi", "fr": "Type d’évaluation"}
    display = document["displayParameter"]
    assert display["primaryLanguage"]["id"].endswith("/ENG")
    assert [node["id"][-3:] for node in display["language"]] == ["ENG", "FIN", "FRA"]


def test_the_learners_name_is_in_no_language(example: Consortium) -> None:
    """A name is no English text: BCP 47's "und" (undetermined), as the shapes want a language-tagged string."""
    subject = elm_credential(build_record(example, example_learners()[0]))["credentialSubject"]
    assert set(subject["givenName"]) == set(subject["familyName"]) == set(subject["fullName"]) == {"und"}
    triples = to_graph(elm_credential(build_record(example, example_learners()[0])))
    names = [o for _, p, o in triples if str(p) == "http://xmlns.com/foaf/0.1/fullName"]
    assert names and all(getattr(o, "language", None) == "und" for o in names)


def test_the_words_unadocs_writes_are_in_every_language_of_the_certificate(example_data: dict[str, Any]) -> None:
    """Not an English sentence among Finnish and French ones: the display's description, the assessment's title,
    "Passed" and a correction's note come from each language's catalog."""
    learner = example_learners()[0].model_copy(update={"grade": None})
    record = build_record(_multilingual(example_data), learner, supersedes="0d6f-old")
    document = elm_credential(record)
    assert shacl_violations(to_graph(document)) == set()
    description = document["displayParameter"]["description"]
    assert set(description) == {"en", "fi", "fr"}
    assert description["en"].startswith("Joint micro-credential of University of Helsinki")
    assert description["fi"].startswith("Yhteinen mikrotutkinto; myöntäjät: University of Helsinki")
    assert description["fr"].startswith("Microcertification conjointe de University of Helsinki")
    assessment = document["credentialSubject"]["hasClaim"]["provenBy"]
    assert assessment["title"] == {"en": "Assessment", "fi": "Arviointi", "fr": "Évaluation"}
    assert assessment["grade"]["noteLiteral"] == {"en": "Passed", "fi": "Hyväksytty", "fr": "Réussi"}
    note = document["credentialSubject"]["hasClaim"]["additionalNote"][0]["noteLiteral"]
    assert set(note) == {"en", "fi", "fr"} and all("0d6f-old" in text for text in note.values())
    assert note["fi"].startswith("Tämä todistus korjaa ja korvaa")
    # A university's name in its own language is not tagged as English
    bologna = next(node for node in _nodes(document) if node.get("legalName") == {"en": "University of Bologna"})
    assert bologna["altLabel"] == {"und": "Alma Mater Studiorum – Università di Bologna"}


def _nodes(document: Any) -> list[dict[str, Any]]:
    """Every JSON object of a document, depth first."""
    found: list[dict[str, Any]] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
