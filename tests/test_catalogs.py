"""The certificate's catalogs (locale/<lang>/LC_MESSAGES/unadocs.po): every language says every key, and the words
a spec gives per language."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from unadocs.catalogs import catalog_languages, catalog_path, format_day, keys, message
from unadocs.model.translated import CERTIFICATE_LANGUAGES

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _catalog(language: str) -> dict[str, Any]:
    with catalog_path(language).open("rb") as handle:
        return {str(m.id): m for m in read_po(handle, abort_invalid=True) if m.id}


def test_the_member_universities_languages_have_catalogs() -> None:
    assert set(catalog_languages()) >= {"en", "fr", "de", "it", "es", "pl", "fi", "sv", "nl"}
    assert set(catalog_languages()) == set(CERTIFICATE_LANGUAGES)  # the spec accepts exactly these


@pytest.mark.parametrize("language", CERTIFICATE_LANGUAGES)
def test_every_catalog_gives_every_key_with_the_same_placeholders(language: str) -> None:
    """The test that fails when a translator's catalog lacks a key (or has one too many, or a fuzzy entry)."""
    english, catalog = _catalog("en"), _catalog(language)
    assert sorted(set(english) - set(catalog)) == [], "keys missing"
    assert sorted(set(catalog) - set(english)) == [], "keys that English does not have"
    for key, entry in catalog.items():
        assert entry.string and entry.string.strip() and not entry.fuzzy, key
        assert sorted(_PLACEHOLDER.findall(entry.string)) == sorted(_PLACEHOLDER.findall(english[key].string)), key


def test_the_template_of_the_catalogs_lists_the_keys_of_the_english_one() -> None:
    with (ROOT / "locale" / "unadocs.pot").open("rb") as handle:
        assert [str(m.id) for m in read_po(handle) if m.id] == list(keys())


def test_the_labels_are_the_recommendations_in_the_languages_it_uses() -> None:
    assert message("en", "annex.countries") == "Country(ies)/Region(s) of the issuer"
    # The official wording, without the brackets that guide the issuer ("in ... ECTS, wherever possible"):
    assert message("en", "annex.workload") == "Notional workload needed to achieve the learning outcomes"
    assert message("en", "annex.level") == ("Level (and cycle, if applicable) of the learning experience "
                                            "leading to the micro-credential")
    assert "microcertification" in message("fr", "annex.title")
    assert "Microcredentials" in message("de", "annex.title")
    assert "microcredenziale" in message("it", "annex.title")
    assert "microcredencial" in message("es", "annex.title")
    assert "mikropoświadczenia" in message("pl", "annex.title")
    assert "Mikromerit" in message("sv", "annex.title")


@pytest.mark.parametrize(("language", "expected"), [("en", "20 January 2026"), ("fi", "20. tammikuuta 2026"),
                                                    ("fr", "20 janvier 2026"), ("de", "20. Januar 2026"),
                                                    ("pl", "20 stycznia 2026")])
def test_dates_are_written_as_each_language_writes_them(language: str, expected: str) -> None:
    assert format_day(date(2026, 1, 20), language) == expected


# -- texts per language in the spec ----------------------------------------------------------------------------


def _spec(example_data: dict[str, Any], **changes: Any) -> Any:
    from unadocs.load import parse_spec

    data = copy.deepcopy(example_data)
    for path, value in changes.items():
        section, name = path.split("__")
        data[section][name] = value
    return parse_spec(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), source="spec.yaml")


def test_a_text_per_language_gives_the_primary_text_and_keeps_the_others(example_data: dict[str, Any]) -> None:
    consortium = _spec(example_data, certificate__languages=["fi", "en"],
                       credential__title={"en": "Sustainability", "fi": "Kestävyys"})
    assert consortium.credential.title == "Kestävyys"  # what the agreement and the seal print
    assert consortium.credential.title.texts == {"en": "Sustainability", "fi": "Kestävyys"}
    assert consortium.credential.assessment.texts == {}  # a plain string: the primary language


@pytest.mark.parametrize(("changes", "message_"), [
    ({"credential__title": {"fi": "Kestävyys"}}, r"credential\.title.*gives no text in en, the certificate's primary"),
    ({"credential__title": {"en": "A", "xx": "B"}}, r"credential\.title.*'xx' is not an ISO 639-1 language code"),
    ({"credential__title": {"en": "A", "fi": ""}}, r"credential\.title.*the text in fi must not be empty"),
    ({"credential__title": {"en": "A", "fi": "x" * 201}}, r"the text in fi is 201 characters long; at most 200"),
    ({"certificate__languages": ["en", "pt"]}, r"certificate\.languages.*no certificate wording in pt yet"),
    ({"certificate__languages": ["en", "fi", "en"]}, r"certificate\.languages.*lists en twice"),
])
def test_a_wrong_text_per_language_or_certificate_language_is_refused_naming_the_field(
        example_data: dict[str, Any], changes: dict[str, Any], message_: str) -> None:
    from unadocs.errors import SpecError

    with pytest.raises(SpecError, match=message_):
        _spec(example_data, **changes)


def test_check_says_which_texts_lack_which_language(example_data: dict[str, Any]) -> None:
    from unadocs.checks import advisories

    consortium = _spec(example_data, certificate__languages=["en", "fi", "fr"],
                       credential__title={"en": "Sustainability", "fi": "Kestävyys"})
    found = {a.path: a.message for a in advisories(consortium) if a.code == "untranslated"}
    assert found["credential.title"].startswith("given in en only, not in fr")
    assert found["credential.assessment"].startswith("given in en only, not in fi, fr")
    assert "certificate.conditions" in found and "credential.learning_outcomes[0]" in found
    assert not any(a.code == "untranslated" for a in advisories(_spec(example_data)))  # one language: nothing to say


def _check(data: dict[str, Any], spec: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``unadocs check`` run as a user runs it, on ``data`` written to ``spec``."""
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "unadocs.cli", "check", *options, str(spec)], capture_output=True,
                          text=True, cwd=ROOT, check=False)


def test_check_says_when_a_combination_of_languages_does_not_fit(example_data: dict[str, Any],
                                                                 tmp_path: Path) -> None:
    data = copy.deepcopy(example_data)
    data["certificate"]["languages"] = ["en", "fi", "fr"]
    data["credential"]["quality_assurance"] = {"en": "Quality. " * 120, "fi": "Laatu. " * 120, "fr": "Qualité. " * 120}
    run = _check(data, tmp_path / "three.yaml")
    assert run.returncode == 1, run.stdout
    assert re.search(r"error: .*three\.yaml: certificate\.languages \(line \d+\): a certificate in en, fi, fr does "
                     r"not fit the template: .*\(description\)", run.stderr)
    data["credential"]["quality_assurance"] = "Internal quality assurance."
    run = _check(data, tmp_path / "three.yaml")
    assert run.returncode == 0 and "valid:" in run.stdout, run.stderr


def test_check_says_when_a_certificate_in_one_language_does_not_fit_and_json_agrees(
        example_data: dict[str, Any], tmp_path: Path) -> None:
    """Issuing would fail every learner of such a spec: ``check`` says so first, and ``check --json`` too."""
    data = copy.deepcopy(example_data)
    data["credential"]["assessment"] = ("An online assessment in many parts, each explained at length. " * 31)[:1990]
    data["credential"]["learning_outcomes"] = [("Explain the many facets of sustainability and their links. " * 5)
                                               [:300]] * 10
    run = _check(data, tmp_path / "long.yaml")
    assert run.returncode == 1, run.stdout
    assert re.search(r"error: .*long\.yaml: credential \(line \d+\): the certificate does not fit the template: "
                     r".*\(description\)", run.stderr)
    run = _check(data, tmp_path / "long.yaml", "--json")
    result = json.loads(run.stdout)
    assert run.returncode == 1 and result["valid"] is False
    assert [error["path"] for error in result["errors"]] == ["credential"]


def test_a_primary_language_that_is_no_language_code_is_one_error_not_one_per_translated_text(
        example_data: dict[str, Any]) -> None:
    from unadocs.errors import SpecError

    with pytest.raises(SpecError) as caught:
        _spec(example_data, certificate__languages=["english", "fi"],
              credential__title={"en": "Sustainability", "fi": "Kestävyys"})
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("certificate.languages[0]", "'english' is not an ISO 639-1 language code (for example en, fr, de); "
                                     "did you mean en (English)?")]


def test_french_keeps_its_space_before_high_punctuation_unbreakable() -> None:
    """French sets a space before ``:``, ``;``, ``!``, ``?`` and inside guillemets; a plain one lets a line break
    there, leaving the colon alone at the start of a line."""
    for key, entry in _catalog("fr").items():
        assert not re.search(r" [:;!?»]|« ", entry.string), key


def test_a_stackability_named_in_one_language_prints_each_prefix_without_its_colon(
        example_data: dict[str, Any]) -> None:
    """French writes "Empilable en vue de\u00a0:"; joined with the English prefix, no space or colon is left over."""
    from tests.export.conftest import example_learners
    from unadocs.record import build_record

    record = build_record(_spec(example_data, certificate__languages=["fr", "en"]), example_learners()[0])
    [element] = [e for e in record.parallel_elements() if e.key == "stackability"]
    assert element.values == [("fr", "Empilable en vue de / Stackable towards: Master's programme in Environmental "
                                     "Change and Global Sustainability (University of Helsinki), as optional studies")]
