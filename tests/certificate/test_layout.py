"""Layout: two pages whatever the name, real glyphs for every European script, the template is data."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pikepdf
import pytest

import unadocs
from tests.certificate.conftest import Keys, flat, pdftotext
from unadocs.load.learners import read_learners
from unadocs.record import build_record
from unadocs.errors import LearnerError
from unadocs.model import Consortium, Learner

NAMES = [
    ("Ευαγγελία", "Χατζηγεωργίου"),                  # Greek
    ("Анастасия", "Ёлкина-Щербакова"),                # Cyrillic (Russian, with Ё and Щ)
    ("Їжачок", "Ґалаґан"),                             # Cyrillic (Ukrainian)
    ("Łukasz", "Żółć-Źdźbło"),                         # Polish
    ("Őrs", "Szűcs-Árvai"),                            # Hungarian
    ("Žaneta", "Ñúñez-Þórsdóttir"),                   # Czech, Spanish, Icelandic
]


@pytest.fixture(scope="module")
def scripts_pdf(approved: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One certificate whose learner carries every script at once (a 2-page PDF, rendered once)."""
    given = " ".join(g for g, _ in NAMES)
    family = " ".join(f for _, f in NAMES)
    learner = Learner(learner_id="SCRIPTS", given_names=given, family_name=family, issued=date(2026, 1, 20))
    path = tmp_path_factory.mktemp("scripts") / "scripts.pdf"
    path.write_bytes(unadocs.render_certificate(approved, learner, keys.signer))
    return path


def _drawings(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every page and every form XObject they draw (the learner's layer is one): where text can be shown."""
    found: list[pikepdf.Object] = []
    todo = [page.obj for page in pdf.pages]
    while todo:
        drawing = todo.pop()
        found.append(drawing)
        xobjects = drawing.get("/Resources", {}).get("/XObject", {})
        todo += [x for x in xobjects.values() if x.get("/Subtype") == "/Form"]
    return found


def _shown_glyph_ids(pdf: pikepdf.Pdf) -> list[int]:
    """Glyph ids of every text-showing operator (the fonts are Identity-H: two bytes per glyph)."""
    glyphs: list[int] = []
    for drawing in _drawings(pdf):
        for operands, operator in pikepdf.parse_content_stream(drawing):
            strings: list[bytes] = []
            if str(operator) in ("Tj", "'", '"'):
                strings = [bytes(operands[-1])]
            elif str(operator) == "TJ":
                strings = [bytes(item) for item in operands[0] if isinstance(item, pikepdf.String)]
            for data in strings:
                glyphs += [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
    return glyphs


def test_no_glyph_falls_back_to_notdef(scripts_pdf: Path) -> None:
    with pikepdf.open(scripts_pdf) as pdf:
        glyphs = _shown_glyph_ids(pdf)
    assert len(glyphs) > 1000
    assert 0 not in glyphs  # glyph 0 is .notdef: a box instead of a letter


def test_only_the_shipped_font_is_used_and_embedded(scripts_pdf: Path) -> None:
    with pikepdf.open(scripts_pdf) as pdf:
        used = [font for drawing in _drawings(pdf) for font in drawing.Resources.get("/Font", {}).values()]
        fonts = {str(font.BaseFont) for font in used}
        for font in used:
            descendant = font.DescendantFonts[0]
            assert descendant.FontDescriptor.FontFile2.read_bytes()  # embedded, not a system reference
    assert len(used) >= 4  # the shared part's fonts and the learner layer's own subsets
    # The shared part's fonts are named after the template's family, the learner fields' after their files.
    shipped = {"Certificate-Sans", "Certificate-Sans-Bold", "NotoSans-Regular", "NotoSans-Bold"}
    assert fonts and {name.split("+", 1)[1] for name in fonts} <= shipped


@pytest.mark.parametrize(("given", "family"), NAMES, ids=["greek", "russian", "ukrainian", "polish", "hungarian",
                                                             "mixed-latin"])
def test_every_script_is_extracted_as_its_real_characters(scripts_pdf: Path, given: str, family: str) -> None:
    text = flat(pdftotext(scripts_pdf))
    assert given in text and family in text


def test_a_130_character_name_stays_on_two_pages(approved: Consortium, keys: Keys, tmp_path: Path) -> None:
    given = "Maximiliane Alexandra Konstantina Ευαγγελία Анастасия Wilhelmina"
    family = "von Hohenzollern-Sigmaringen-Żółkiewska-Papadopoulou-Őrsi-Szabó de la Vega"
    assert len(f"{given} {family}") >= 130
    learner = Learner(learner_id="LONG", given_names=given, family_name=family, issued=date(2026, 1, 20))
    path = tmp_path / "long.pdf"
    path.write_bytes(unadocs.render_certificate(approved, learner, keys.signer))
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
    front = flat(pdftotext(path, 1))
    # Wrapped and shrunk, but all of it, on the front page (pdftotext joins a word broken after its hyphen).
    assert "".join(f"{given} {family}".split()).replace("-", "") in "".join(front.split()).replace("-", "")
    assert "Micro-credential in Sustainability" in front


def test_the_longest_accepted_learner_details_fit_their_boxes(approved: Consortium, keys: Keys,
                                                             tmp_path: Path) -> None:
    # 120-character name parts without a break opportunity, a 60-character id, a birth date and a grade.
    learner = Learner(learner_id="I" * 60, given_names="W" * 120, family_name="M" * 120, issued=date(2026, 1, 20),
                      date_of_birth=date(1990, 1, 1), grade="pass with distinction")
    path = tmp_path / "longest.pdf"
    path.write_bytes(unadocs.render_certificate(approved, learner, keys.signer))  # the fit check raises if cut
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
    text = "".join(pdftotext(path).split())
    assert "W" * 120 + "M" * 120 in text


def test_a_name_part_longer_than_120_characters_is_refused(write_csv: Callable[..., Path]) -> None:
    path = write_csv("learner_id,given_names,family_name,issued\nA,Ann,Smith,2026-01-20\nB,Bo,"
                     + "x" * 121 + ",2026-01-20\n" + "C" * 61 + ",Cy,Berg,2026-01-20\n")
    first, second, third = read_learners(path)
    assert first.learner is not None
    assert second.error is not None and "is 121 characters long; a certificate prints at most 120" in second.error.reason
    assert third.error is not None and "is 61 characters long; a certificate prints at most 60" in third.error.reason


def test_more_text_than_fits_is_set_smaller_not_cut(approved_data: dict, keys: Keys, tmp_path: Path) -> None:  # type: ignore[type-arg]
    from copy import deepcopy

    from tests.certificate.conftest import consortium_from

    data = deepcopy(approved_data)
    outcomes = data["credential"]["learning_outcomes"]
    data["credential"]["learning_outcomes"] = outcomes * 3 + ["The last outcome is still printed."]
    consortium = consortium_from(data)
    learner = Learner(learner_id="D", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    path = tmp_path / "dense.pdf"
    path.write_bytes(unadocs.render_certificate(consortium, learner, keys.signer))
    back = flat(pdftotext(path, 2))
    assert "The last outcome is still printed." in back
    assert "Conditions of award:" in back  # the end of the back page is there too


# -- the record -----------------------------------------------------------------------


def test_credential_id_is_a_uuid5_of_what_the_certificate_says(approved: Consortium) -> None:
    learner = Learner(learner_id="UH-1", given_names="A", family_name="B", issued=date(2026, 1, 20))
    record = build_record(approved, learner)
    assert uuid.UUID(record.credential_id).version == 5
    assert build_record(approved, learner).credential_id == record.credential_id  # same facts, same id
    for change in ({"issued": date(2026, 5, 1)}, {"given_names": "Å"}, {"learner_id": "UH-2"}, {"grade": "pass"}):
        assert build_record(approved, learner.model_copy(update=change)).credential_id != record.credential_id
    corrected = build_record(approved, learner, supersedes=record.credential_id)
    assert corrected.supersedes == record.credential_id and corrected.credential_id != record.credential_id


def test_canonical_json_is_compact_sorted_utf8(approved: Consortium) -> None:
    learner = Learner(learner_id="UH-1", given_names="Zoë", family_name="Ωμέγα", issued=date(2026, 1, 20))
    data = build_record(approved, learner).canonical_json()
    assert data.startswith(b'{"agreement":{"reference":"UNA-MC-SUST-2025","status":"approved"')
    assert json.dumps(json.loads(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() == data
    assert "Zoë Ωμέγα".encode() in data
    assert type(build_record(approved, learner)).from_json(data).canonical_json() == data


def test_issue_date_outside_the_term_and_its_teach_out_is_a_learner_error(approved: Consortium) -> None:
    learner = Learner(learner_id="UH-1", given_names="A", family_name="B", issued=date(2030, 9, 1))
    with pytest.raises(LearnerError, match=r"outside the agreement's term and its teach-out period "
                                           r"\(2025-09-01 to 2030-08-31\)"):
        build_record(approved, learner)
    assert build_record(approved, learner.model_copy(update={"issued": date(2030, 8, 31)}))  # the teach-out
    assert build_record(approved, learner.model_copy(update={"issued": date(2029, 8, 31)}))


def test_email_is_never_put_on_the_certificate(approved: Consortium) -> None:
    learner = Learner(learner_id="UH-1", given_names="A", family_name="B", issued=date(2026, 1, 20),
                      email="a.b@example.org")
    assert b"example.org" not in build_record(approved, learner).canonical_json()


# -- the template is data ---------------------------------------------------------------


@pytest.fixture
def restyled(tmp_path: Path) -> Path:
    """A host institution's copy of the template: its own logo, colour and wording."""
    import shutil

    from PIL import Image

    from unadocs.certificate.render import template_dir

    copy = tmp_path / "my-template"
    shutil.copytree(template_dir(), copy)
    (copy / "artwork").mkdir()
    Image.new("RGB", (60, 20), (200, 0, 0)).save(copy / "artwork" / "logo.png")
    html = (copy / "certificate.html").read_text(encoding="utf-8")
    html = html.replace("{%- set issuer_logo = none -%}", '{%- set issuer_logo = "artwork/logo.png" -%}')
    html = html.replace('{{ say("front.kind") }}', "Certificat conjoint")
    (copy / "certificate.html").write_text(html, encoding="utf-8")
    theme = (copy / "theme.css").read_text(encoding="utf-8").replace("#3b2a87", "#00693e")
    (copy / "theme.css").write_text(theme, encoding="utf-8")
    return copy


def test_a_restyled_copy_of_the_template_is_used(approved: Consortium, keys: Keys, restyled: Path,
                                                 tmp_path: Path) -> None:
    learner = Learner(learner_id="T-1", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    path = tmp_path / "restyled.pdf"
    path.write_bytes(unadocs.render_certificate(approved, learner, keys.signer, template=restyled))
    front = flat(pdftotext(path, 1))
    assert "CERTIFICAT CONJOINT" in front
    assert front.count("Helsingin yliopisto") == 1  # in the awarding bodies only: the logo replaces the header
    with pikepdf.open(path) as pdf:
        sizes = sorted((int(obj.Width), int(obj.Height)) for obj in pdf.objects
                       if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image")
        assert len(pdf.pages) == 2
    assert (60, 20) in sizes  # the logo
    assert len(sizes) == 2  # logo and QR code
    assert unadocs.verify(path, keys.trust_path).valid


@pytest.mark.allow_log_warnings  # WeasyPrint also logs each image it could not load
@pytest.mark.parametrize("source", ["../outside.png", "https://example.org/x.png", "artwork/missing.png"])
def test_a_template_naming_a_resource_it_cannot_use_is_refused(source: str, approved: Consortium, keys: Keys,
                                                               restyled: Path, tmp_path: Path) -> None:
    """Outside its directory, on the network, or missing: an error, never a certificate without the image."""
    from PIL import Image

    Image.new("RGB", (10, 10)).save(tmp_path / "outside.png")
    html = (restyled / "certificate.html").read_text(encoding="utf-8")
    (restyled / "certificate.html").write_text(html.replace("</body>", f'<img src="{source}"></body>'),
                                               encoding="utf-8")
    learner = Learner(learner_id="T-1", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    with pytest.raises(unadocs.TemplateError, match="names resources it cannot use") as info:
        unadocs.render_certificate(approved, learner, keys.signer, template=restyled)
    assert source.rsplit("/", 1)[-1] in str(info.value)


def test_a_directory_without_the_template_is_refused_before_writing(approved: Consortium, keys: Keys,
                                                                    tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE_LEARNERS
    from unadocs.issuing import issue_certificates

    with pytest.raises(unadocs.TemplateError, match="not a certificate template directory"):
        issue_certificates(approved, EXAMPLE_LEARNERS, keys.signer, tmp_path / "out", template=tmp_path)
    assert not (tmp_path / "out").exists()


def test_all_eleven_members_as_awarding_bodies_and_six_signatories_fit(approved_data: dict, keys: Keys,  # type: ignore[type-arg]
                                                                       tmp_path: Path) -> None:
    from copy import deepcopy

    from tests.certificate.conftest import consortium_from

    data = deepcopy(approved_data)
    for number, code in enumerate(["berlin", "madrid", "leuven", "paris", "edinburgh", "dublin", "leiden", "zurich"]):
        data["partners"].append({"id": f"P{number}", "member": code,
                                 "coordinator": {"name": "Ann Smith", "email": "ann.smith@example.org"},
                                 "signatory": {"name": "Bo Lund", "title": "Rector"}})
    data["certificate"]["signatories"] = ["UH", "UNIBO", "UJ", "P0", "P1", "P2"]  # six sign
    consortium = consortium_from(data)
    learner = Learner(learner_id="ALL", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    path = tmp_path / "eleven.pdf"
    path.write_bytes(unadocs.render_certificate(consortium, learner, keys.signer))
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
    front = flat(pdftotext(path, 1))
    for body in consortium.awarding_bodies_on(date(2026, 1, 20)):
        assert body.name in front
    assert front.count("Rector") == 6
    back = flat(pdftotext(path, 2))
    assert "Conditions of award:" in back  # the longer description still fits, in smaller type
    assert unadocs.verify(path, keys.trust_path).fields["awarding"] == [p.id for p in consortium.partners]
