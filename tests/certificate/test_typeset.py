"""Setting texts into boxes (HarfBuzz shaping, Unicode line breaks, sizes stepped down) and reading fields.toml."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unadocs.certificate.fields import FIELDS, PX_PER_MM, PX_PER_PT, load_fields
from tests.certificate.conftest import Keys
from unadocs.certificate.render import certificate_pdfs, check_template, template_dir, template_fingerprint
from unadocs.issuing import sealed_certificate as seal_record
from unadocs.model import Consortium, Learner
from unadocs.record import build_record
from unadocs.certificate.typeset import Face, break_opportunities, set_text
from unadocs.errors import TemplateError

REGULAR = template_dir() / "fonts" / "NotoSans-Regular.ttf"


@pytest.fixture(scope="module")
def face() -> Face:
    return Face.load(REGULAR)


# Letters of three scripts, digits, spaces, hyphens, quotes and the punctuation of ids and dates: what names are made
# of. Their break opportunities are found by a short path, which must agree with the full algorithm.
_NAME_CHARACTERS = "aZéŁ ΩαЖж09 -'’,.:·&\"\u0301"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_NAME_CHARACTERS, max_size=30))
def test_names_break_where_the_unicode_line_breaking_algorithm_allows(text: str) -> None:
    from uniseg.linebreak import line_break_boundaries

    assert break_opportunities(text) == [b for b in line_break_boundaries(text) if 0 < b < len(text)]


def _set(face: Face, text: str, sizes: list[float], width_mm: float, height_mm: float, lines: int = 100) -> object:
    return set_text(text, face, [s * PX_PER_PT for s in sizes], 1.2, width_mm * PX_PER_MM, height_mm * PX_PER_MM,
                    lines, "en")


def test_the_first_size_at_which_the_text_fits_is_taken(face: Face) -> None:
    fitted = _set(face, "Maximiliana Theodora Wilhelmina von Hohenzollern", [26, 20, 15], 100, 14)
    assert fitted is not None and fitted.size == 15 * PX_PER_PT  # type: ignore[attr-defined]
    assert " ".join(line.text for line in fitted.lines) == "Maximiliana Theodora Wilhelmina von Hohenzollern"  # type: ignore[attr-defined]
    assert len(fitted.lines) == 2  # type: ignore[attr-defined]


def test_a_text_that_fits_at_no_size_is_none(face: Face) -> None:
    assert _set(face, "A name far too long for a small box " * 4, [10, 8], 40, 8) is None
    assert _set(face, "Ann Smith and Bo Lund", [10], 30, 40, lines=1) is None  # two lines, one allowed


def test_a_word_longer_than_the_line_breaks_between_letters(face: Face) -> None:
    fitted = _set(face, "Ann " + "W" * 40, [10], 50, 40)
    assert fitted is not None
    texts = [line.text for line in fitted.lines]  # type: ignore[attr-defined]
    assert texts[0] == "Ann" and "".join(texts[1:]) == "W" * 40 and len(texts) > 2


def test_a_line_is_shaped_in_runs_of_one_script(face: Face) -> None:
    fitted = _set(face, "Ευαγγελία Nováková", [10], 100, 10)
    assert fitted is not None
    (line,) = fitted.lines  # type: ignore[attr-defined]
    assert [run.text[run.start:run.end] for run in line.runs] == ["Ευαγγελία ", "Nováková"]


def test_white_space_collapses_as_in_html(face: Face) -> None:
    fitted = _set(face, "  Ann \n\t Smith  ", [10], 100, 10)
    assert fitted is not None and [line.text for line in fitted.lines] == ["Ann Smith"]  # type: ignore[attr-defined]


# -- fields.toml -------------------------------------------------------------------------------------------------


@pytest.fixture
def template(tmp_path: Path) -> Path:
    copy = tmp_path / "template"
    shutil.copytree(template_dir(), copy)
    return copy


def _load(directory: Path) -> object:
    return load_fields(directory.resolve(), template_fingerprint(directory))


def _edit(directory: Path, old: str, new: str) -> None:
    path = directory / FIELDS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_fields_are_read(template: Path) -> None:
    fields = _load(template)
    names = [field.name for field in fields.fields]  # type: ignore[attr-defined]
    assert names[:2] == ["name", "learner-id"] and "identification" in names
    assert fields.qr.page == 1  # type: ignore[attr-defined]
    assert [face.path.name for face in fields.faces] == ["NotoSans-Bold.ttf", "NotoSans-Regular.ttf"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('[fields.name]\npage = 1', '[fields.name]\ncolour = "red"\npage = 1', r"\[fields.name\]: unknown key\(s\) colour"),
    ("size = [26, 20, 15, 11.5]", "size = [20, 26]", r"\[fields.name\]: 'size' must be a list of sizes in pt"),
    ("1 = [20, 71, 170, 30]", "1 = [20, 71, 170]", r"\[fields.name\]: 'box' must be \[left, top, width, height\]"),
    ("1 = [20, 71, 170, 30]", "one = [20, 71, 170, 30]", r"\[fields.name\]: 'box' per number of languages has keys"),
    ('fallback = ["fonts/NotoSansArabic-Bold.ttf"', 'fallback = ["fonts/Missing.ttf"',
     r"\[fields.name\]: 'font' must name a font file inside the template directory"),
    ('font = "fonts/NotoSans-Bold.ttf"', 'font = "../../outside.ttf"',
     r"\[fields.name\]: 'font' must name a font file inside the template directory"),
    ('align = "center"', 'align = "middle"', r"\[defaults\]|'align' is one of left, center, right"),
    ('text = "{{ r.learner.full_name }}', 'text = "{{ r.learner.full_name ', r"\[fields.name\]: 'text': "),
    ("[qr]\npage = 1", "[qr]\npage = 0", r"\[qr\]: 'page' must be a page number"),
    ("lang = \"en\"", "lang = [", r"fields.toml: "),  # TOML syntax, with its line
])
def test_a_broken_fields_file_is_refused_naming_the_field(template: Path, old: str, new: str, message: str) -> None:
    _edit(template, old, new)
    with pytest.raises(TemplateError, match=message):
        _load(template)


def test_a_template_without_fields_is_not_a_certificate_template(template: Path) -> None:
    (template / FIELDS).unlink()
    with pytest.raises(TemplateError, match="not a certificate template directory"):
        check_template(template)


def test_a_field_on_a_page_the_certificate_lacks_is_refused(template: Path, approved: Consortium, keys: Keys) -> None:
    _edit(template, "[fields.credential]\npage = 1", "[fields.credential]\npage = 3")
    sealed = seal_record(build_record(approved, Learner(learner_id="P-1", given_names="Ann", family_name="Smith",
                                                        issued=date(2026, 1, 20))),
                         keys.signer, approved.certificate.verification_url)
    with pytest.raises(TemplateError, match="credential is on page 3, but the certificate has 2 pages"):
        certificate_pdfs([sealed], template)


# -- right to left: the order of python-bidi's UAX #9 ----------------------------------------------------------


@pytest.mark.parametrize("text", ["محمد العلي", "محمد العلي (Mohammed Al-Ali)", "Ann דוד לוי Smith",
                                  "Grade: עובר 12", "ابن سينا 980–1037", "Aino (عائشة) Virtanen"])
def test_runs_stand_in_the_order_of_the_bidirectional_algorithm(text: str) -> None:
    """Laid out by levels (rule L2), the runs' characters read as python-bidi's own visual order of the text."""
    from bidi import get_display

    from unadocs.certificate.typeset import _Paragraph

    faces = tuple(Face.load(template_dir() / "fonts" / name) for name in (
        "NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf"))
    runs = _Paragraph.of(text, faces).shape(0, len(text), 10 * 1024, "en")
    mirrored = str.maketrans("()", ")(")  # HarfBuzz mirrors a bracket's glyph in a right-to-left run
    visual = "".join(run.text[run.start:run.end][::-1].translate(mirrored) if run.level % 2
                     else run.text[run.start:run.end] for run in runs)
    assert visual == get_display(text, base_dir="L")


def test_direction_controls_are_not_obeyed() -> None:
    from unadocs.certificate.typeset import bidi_levels

    assert bidi_levels("Ann\u202eevil") == (0,) * 8
    assert bidi_levels("abc \u05d0\u05d1") == (0, 0, 0, 0, 1, 1)
