"""Certificates in several languages and names in any script, read back with real clients: pdftotext, pdffonts,
pdftoppm and zxing's QR decoder."""

from __future__ import annotations

import copy
import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import unadocs
from tests.certificate.conftest import Keys, consortium_from, flat, pdftotext
from unadocs.catalogs import message
from unadocs.model import Consortium, Learner

#: Poppler writes a right-to-left stretch of text in the order its glyphs stand on the page, between U+202B and
#: U+202C; read backwards it is the text in reading order.
_RTL_STRETCH = re.compile("\u202b(.*?)\u202c", re.S)


def unbroken(text: str) -> str:
    """Text with white space as single spaces and without hyphens: pdftotext joins a word broken after its hyphen
    at a line end without the hyphen."""
    return flat(text).replace("-", "")


def reading_order(text: str) -> str:
    """pdftotext's text with each right-to-left stretch put back in reading order."""
    return _RTL_STRETCH.sub(lambda m: m[1][::-1], text)


@pytest.fixture(scope="module")
def trilingual(approved_data: dict[str, Any]) -> Consortium:
    data = copy.deepcopy(approved_data)
    data["certificate"]["languages"] = ["en", "fi", "fr"]
    data["credential"]["title"] = {"en": "Micro-credential in Sustainability", "fi": "Kestävyyden mikrotutkinto",
                                   "fr": "Microcertification en durabilité"}
    data["certificate"]["conditions"] = {"en": data["certificate"]["conditions"],
                                         "fi": "Hyväksytysti suoritetut opintojaksot, yhteensä vähintään 10 op."}
    return consortium_from(data)


@pytest.fixture(scope="module")
def trilingual_pdf(trilingual: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    learner = Learner(learner_id="L-1", given_names="Aino", family_name="Virtanen", issued=date(2026, 1, 20),
                      date_of_birth=date(1993, 11, 2), grade="pass")
    path = tmp_path_factory.mktemp("trilingual") / "L-1.pdf"
    path.write_bytes(unadocs.render_certificate(trilingual, learner, keys.signer))
    return path


@pytest.mark.parametrize(("language", "date_text"), [("en", "20 January 2026"), ("fi", "20. tammikuuta 2026"),
                                                     ("fr", "20 janvier 2026")])
def test_a_certificate_in_three_languages_says_each_label_and_date_in_each(
        trilingual_pdf: Path, language: str, date_text: str) -> None:
    front, back = unbroken(pdftotext(trilingual_pdf, 1)), unbroken(pdftotext(trilingual_pdf, 2))
    def said(key: str, **values: object) -> str:
        return message(language, key, **values).replace("-", "")

    for key in ("front.certify", "front.completed", "front.awarded_by"):
        assert said(key) in front, key
    assert said("front.kind").upper() in front  # the heading is set in capitals
    assert date_text in front and date_text in back
    for key in ("annex.learner", "annex.title", "annex.countries", "annex.awarding_bodies", "annex.issued",
                "annex.assessment", "annex.participation", "annex.quality_assurance", "element.languages"):
        assert said(key) in back, key
    assert said("value.participation.online") in back
    assert said("value.level_cycle", level=7, cycle=message(language, "value.cycle.second")) in back


def test_a_text_given_per_language_is_printed_in_each_and_falls_back_to_the_primary(trilingual_pdf: Path) -> None:
    front, back = flat(pdftotext(trilingual_pdf, 1)), flat(pdftotext(trilingual_pdf, 2))
    for title in ("Micro-credential in Sustainability", "Kestävyyden mikrotutkinto", "Microcertification en durabilité"):
        assert title in front and title in back
    assert "Hyväksytysti suoritetut opintojaksot, yhteensä vähintään 10 op." in back
    # Not translated: printed once, in the primary language.
    assert back.count("Online assessment for each module") == 1


def test_numbers_and_country_and_language_names_are_written_the_languages_way(
        trilingual: Consortium, keys: Keys, tmp_path: Path) -> None:
    data = trilingual.model_dump(mode="json", exclude_none=True)
    data["credential"]["ects"] = "7.5"
    data["credential"]["languages"] = ["en", "fi"]
    for course in data["credential"]["courses"]:
        course["ects"] = "1.5"
    consortium = consortium_from(data)
    learner = Learner(learner_id="L-2", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    path = tmp_path / "numbers.pdf"
    path.write_bytes(unadocs.render_certificate(consortium, learner, keys.signer))
    back = flat(pdftotext(path, 2))
    assert "7.5 ECTS" in back and "7,5 opintopistettä (ECTS)" in back and "7,5 crédits ECTS" in back
    assert "Finland, Italy, Poland / Suomi, Italia, Puola / Finlande, Italie, Pologne" in back
    assert "English, Finnish / englanti, suomi / anglais, finnois" in back


# -- names in any script ---------------------------------------------------------------------------------------

SCRIPTS = [
    ("chinese", "王", "小明", "Wang Xiaoming"),
    ("arabic", "محمد", "العلي", "Mohammed Al-Ali"),
    ("hebrew", "דוד", "לוי", None),
    ("japanese", "さくら", "山田", "Sakura Yamada"),
    ("korean", "민준", "김", "Kim Minjun"),
    ("georgian", "ნინო", "ბერიძე", None),
    ("armenian", "Արամ", "Սարգսյան", None),
]


@pytest.fixture(scope="module")
def script_pdfs(approved: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("scripts")
    learners = [Learner(learner_id=f"S-{name}", given_names=given, family_name=family, name_latin=latin,
                        issued=date(2026, 1, 20), date_of_birth=date(1990, 5, 17))
                for name, given, family, latin in SCRIPTS]
    results = list(unadocs.issue_certificates(approved, learners, keys.signer, directory))
    assert all(result.ok for result in results), [result.reason for result in results]
    return {name: directory / f"S-{name}.pdf" for name, *_ in SCRIPTS}


@pytest.mark.parametrize(("name", "given", "family", "latin"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_a_name_in_any_script_is_extracted_as_written_with_its_latin_spelling_beside_it(
        script_pdfs: dict[str, Path], name: str, given: str, family: str, latin: str | None) -> None:
    front = reading_order(pdftotext(script_pdfs[name], 1))
    expected = f"{given} {family}" + (f" ({latin})" if latin else "")
    assert expected in front.splitlines()
    back = reading_order(pdftotext(script_pdfs[name], 2))
    assert f"{given} {family}" in back


def _fonts(path: Path) -> list[list[str]]:
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in listing.splitlines()[2:]]


@pytest.mark.parametrize("name", [s[0] for s in SCRIPTS])
def test_every_font_is_embedded_with_its_text_and_no_glyph_is_a_box(script_pdfs: dict[str, Path], name: str) -> None:
    from tests.certificate.test_layout import _shown_glyph_ids

    fonts = _fonts(script_pdfs[name])
    assert fonts and all(row[-5:-2] == ["yes", "yes", "yes"] for row in fonts), fonts  # emb, sub, uni
    script_font = {"chinese": "NotoSansCJKsc", "japanese": "NotoSansCJKsc", "korean": "NotoSansCJKsc",
                   "arabic": "NotoSansArabic", "hebrew": "NotoSansHebrew", "georgian": "NotoSansGeorgian",
                   "armenian": "NotoSansArmenian"}[name]
    assert any(script_font in row[0] for row in fonts)
    with pikepdf.open(script_pdfs[name]) as pdf:
        assert 0 not in _shown_glyph_ids(pdf)  # glyph 0 is .notdef: a box instead of a letter


@pytest.mark.parametrize("name", ["chinese", "arabic"])
def test_the_qr_code_of_a_page_with_a_name_in_another_script_still_decodes(script_pdfs: dict[str, Path],
                                                                           name: str, keys: Keys,
                                                                           tmp_path: Path) -> None:
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(script_pdfs[name]),
                    str(tmp_path / "page")], check=True)
    (page,) = tmp_path.glob("page-*.png")
    (found,) = zxingcpp.read_barcodes(Image.open(page))
    assert found.text.startswith("https://verify.una-europa.eu/c/#")
    verdict = unadocs.verify(found.text, keys.trust_path)
    assert verdict.valid and verdict.fields["name"] == dict((n, f"{g} {f}") for n, g, f, _ in SCRIPTS)[name]


@pytest.mark.parametrize("name", ["arabic", "hebrew"])
def test_a_right_to_left_name_is_drawn_right_to_left_and_copies_in_reading_order(script_pdfs: dict[str, Path],
                                                                                name: str) -> None:
    """Poppler finds the glyphs standing right to left (its U+202B stretch) and, from the line's ActualText, gives
    the words in reading order where it keeps a line whole (-bbox)."""
    given, family, latin = next((g, f, lat) for n, g, f, lat in SCRIPTS if n == name)
    plain = pdftotext(script_pdfs[name], 1)
    assert "\u202b" in plain and f"{given} {family}" not in plain  # on the page: right to left
    boxes = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(script_pdfs[name]), "-"],
                           check=True, capture_output=True, text=True).stdout
    assert f">{given} {family}" + (f" ({latin})" if latin else "") + "</word>" in boxes


def test_a_name_with_an_invisible_direction_control_is_refused() -> None:
    with pytest.raises(unadocs.LearnerError, match=r"U\+202E"):
        Learner(learner_id="X", given_names="Ann\u202e", family_name="Smith", issued=date(2026, 1, 20))


def test_a_line_separator_in_a_name_is_refused() -> None:
    with pytest.raises(unadocs.LearnerError, match=r"U\+2028"):
        Learner(learner_id="X", given_names="Ann\u2028Bo", family_name="Smith", issued=date(2026, 1, 20))


def test_a_latin_spelling_in_another_script_is_refused() -> None:
    with pytest.raises(unadocs.LearnerError, match="name_latin.*Cyrl"):
        Learner(learner_id="X", given_names="王", family_name="小明", name_latin="Ван", issued=date(2026, 1, 20))


@pytest.mark.parametrize(("given", "family"), [("Ọ̀ṣọ́ọ̀sì", "Adéọ̀lá"), ("Į̃eva", "Ą̃žuolė"), ("Zoë", "Ňe\u0301\u0301")],
                         ids=["yoruba", "lithuanian", "stacked"])
def test_a_name_with_combining_marks_copies_as_written(approved: Consortium, keys: Keys, tmp_path: Path,
                                                       given: str, family: str) -> None:
    """A letter with marks that have no precomposed form is several glyphs, and a mark's glyph stands after many
    letters: the line's text comes from its ActualText, not from each glyph's one text in the font."""
    learner = Learner(learner_id="M-1", given_names=given, family_name=family, issued=date(2026, 1, 20))
    path = tmp_path / "M-1.pdf"
    path.write_bytes(unadocs.render_certificate(approved, learner, keys.signer))
    written = unicodedata.normalize("NFC", f"{given} {family}")  # as the learner model keeps a name
    assert written in pdftotext(path, 1).splitlines()
    assert f"{written}, learner id M-1" in flat(pdftotext(path, 2))


def test_a_latin_spelling_that_says_the_name_again_is_not_printed_beside_it() -> None:
    """An export may fill the column for every learner: 'Anna Smith (Anna Smith)' would be a wrong-looking name."""
    for latin in ("Anna Smith", " anna  SMITH "):
        learner = Learner(learner_id="X", given_names="Anna", family_name="Smith", name_latin=latin,
                          issued=date(2026, 1, 20))
        assert learner.name_latin is None
    assert Learner(learner_id="X", given_names="Anna", family_name="Müller", name_latin="Anna Mueller",
                   issued=date(2026, 1, 20)).name_latin == "Anna Mueller"


def test_a_pillar_is_printed_in_each_language_it_is_given_in(approved_data: dict[str, Any], keys: Keys,
                                                             tmp_path: Path) -> None:
    """A course's pillar is a text the certificate prints beside the course: given per language, it is printed in
    each; given once, check says it is untranslated."""
    from unadocs.checks import advisories

    data = copy.deepcopy(approved_data)
    data["certificate"]["languages"] = ["en", "fi"]
    courses = data["credential"]["courses"]
    elective = next(n for n, course in enumerate(courses) if not course.get("mandatory"))
    courses[elective]["pillar"] = {"en": "environment", "fi": "ympäristö"}
    consortium = consortium_from(data)
    learner = Learner(learner_id="P-1", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    path = tmp_path / "P-1.pdf"
    path.write_bytes(unadocs.render_certificate(consortium, learner, keys.signer))
    assert "(environment / ympäristö)" in flat(pdftotext(path, 2))
    untranslated = {a.path for a in advisories(consortium) if a.code == "untranslated"}
    assert f"credential.courses[{elective}].pillar" not in untranslated
    assert any(path_.endswith(".pillar") for path_ in untranslated) == any(
        course.get("pillar") and n != elective for n, course in enumerate(courses))


def test_a_signatory_title_is_printed_in_each_language_it_is_given_in(approved_data: dict[str, Any], keys: Keys,
                                                                      tmp_path: Path) -> None:
    """The signatory's function is printed under their name: given per language, it is printed in each, and the
    agreement keeps the primary one."""
    from unadocs.checks import advisories

    data = copy.deepcopy(approved_data)
    data["certificate"]["languages"] = ["en", "fi"]
    issuer = data["certificate"]["issuer"]
    partner = next(p for p in data["partners"] if p["id"] == issuer)
    partner["signatory"]["title"] = {"en": "Rector", "fi": "Rehtori"}
    consortium = consortium_from(data)
    assert consortium.partner(issuer).signatory.title == "Rector"
    learner = Learner(learner_id="S-1", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    path = tmp_path / "S-1.pdf"
    path.write_bytes(unadocs.render_certificate(consortium, learner, keys.signer))
    assert "Rector / Rehtori, " in flat(pdftotext(path, 1))
    untranslated = {a.path for a in advisories(consortium) if a.code == "untranslated"}
    index = next(n for n, p in enumerate(data["partners"]) if p["id"] == issuer)
    assert f"partners[{index}].signatory.title" not in untranslated
