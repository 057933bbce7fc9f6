"""The renderer: certificates look like a full WeasyPrint render for every template, each template keeps its own
fonts, WeasyPrint is used through its documented API and left as it was, learner texts that cannot be printed
fail their row."""

from __future__ import annotations

import ast
import copy
import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops

from tests.certificate.conftest import Keys, consortium_from, flat, pdftotext
from unadocs.certificate.render import certificate_pdfs, direct_pdf, template_dir
from unadocs.issuing import issue_certificates
from unadocs.issuing import sealed_certificate as seal_record
from unadocs.record import build_record
from unadocs.model import Consortium, Learner

ROOT = Path(__file__).resolve().parents[2]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-core: .ci/run installs it

#: Learners whose names take the cohort's fonts, fonts of their own (Greek, Cyrillic), two lines, or the smallest size.
LEARNERS = [
    Learner(learner_id="R-1", given_names="Siobhán", family_name="Ní Bhriain", issued=date(2026, 1, 20)),
    Learner(learner_id="R-2", given_names="Αικατερίνη", family_name="Παπαδοπούλου-Χατζηγεωργίου",
            issued=date(2026, 1, 21), date_of_birth=date(1990, 5, 17), grade="merit"),
    Learner(learner_id="R-3", given_names="Анастасия", family_name="Ёлкина-Щербакова", issued=date(2026, 1, 22)),
    Learner(learner_id="R-4" * 20, given_names="Maximiliana Theodora Wilhelmina",
            family_name="von " + "Hohenzollern-Sigmaringen " * 3 + "und Lothringen-Habsburg-Este",
            issued=date(2026, 1, 20), date_of_birth=date(1990, 1, 1), grade="pass with distinction"),
    # A right-to-left name in a fallback font, shaped and ordered by bidi levels, with its Latin spelling beside it.
    Learner(learner_id="R-5", given_names="محمد", family_name="العلي", name_latin="Mohammed Al-Ali",
            issued=date(2026, 1, 20)),
    # Combining marks the font places above or below their letter (Yoruba, Lithuanian; no precomposed letters),
    # and Arabic vowel marks: raised and lowered as WeasyPrint raises and lowers them.
    Learner(learner_id="R-6", given_names="Ọ̀ṣọ́ọ̀sì Į̃eva", family_name="Adéọ̀lá", issued=date(2026, 1, 20)),
    Learner(learner_id="R-7", given_names="مُحَمَّد", family_name="العَلِيّ", issued=date(2026, 1, 20)),
    # A space between left-to-right and right-to-left words, set in the font of the word before it, as Pango sets a
    # space at the same bidi level as the text before it (the fonts' spaces differ in width in the other template).
    Learner(learner_id="R-8", given_names="José", family_name="Adéla محمد", issued=date(2026, 1, 20)),
]


@pytest.fixture(scope="module")
def other_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template with other fonts (DejaVu, 2048 units per em) under the shipped template's family name, and its
    learner fields elsewhere, aligned otherwise, in other colours and fonts."""
    directory = tmp_path_factory.mktemp("other") / "template"
    shutil.copytree(template_dir(), directory)
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"):
        (directory / "fonts" / name).unlink()
    for source, name in (("DejaVuSerif.ttf", "Serif.ttf"), ("DejaVuSerif-Bold.ttf", "Serif-Bold.ttf"),
                         ("DejaVuSans.ttf", "Sans.ttf")):
        shutil.copy(DEJAVU / source, directory / "fonts" / name)
    theme = (directory / "theme.css").read_text(encoding="utf-8")
    theme = theme.replace("NotoSans-Regular.ttf", "Serif.ttf").replace("NotoSans-Bold.ttf", "Serif-Bold.ttf")
    (directory / "theme.css").write_text(theme.replace("NotoSans-Italic.ttf", "Serif.ttf"), encoding="utf-8")
    fields = (directory / "fields.toml").read_text(encoding="utf-8")
    fields = fields.replace("fonts/NotoSans-Regular.ttf", "fonts/Sans.ttf").replace("fonts/NotoSans-Bold.ttf",
                                                                                    "fonts/Serif-Bold.ttf")
    replacements = {
        "[fields.name]\npage = 1\nbox = { 1 = [20, 71, 170, 30]": "[fields.name]\npage = 1\nalign = \"left\"\n"
                                                                "box = { 1 = [15, 72, 150, 29]",
        'valign = "middle"\ncolor = "#1d1d2c"': 'valign = "bottom"\ncolor = "#00693e"',
        "box = { 1 = [20, 102, 170, 8.5]": 'align = "right"\nbox = { 1 = [40, 102, 150, 8.5]',
        "[qr]\npage = 1\nbox = [154, 218, 34, 34]": "[qr]\npage = 1\nbox = [158, 221, 30, 30]",
        "box = { 1 = [77, 30.7, 118, 15.99]": 'valign = "middle"\nbox = { 1 = [80, 31, 115, 15.6]',
    }
    for old, new in replacements.items():
        assert old in fields
        fields = fields.replace(old, new)
    (directory / "fields.toml").write_text(fields, encoding="utf-8")
    return directory


def _pages(pdf: bytes, directory: Path, stem: str) -> list[Image.Image]:
    path = directory / f"{stem}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(directory / stem)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(directory.glob(f"{stem}-*.png"))]


@pytest.mark.parametrize("template", ["shipped", "other"])
def test_every_template_gives_the_look_of_a_full_render(template: str, other_template: Path, approved: Consortium,
                                                        keys: Keys, tmp_path: Path) -> None:
    directory = template_dir() if template == "shipped" else other_template
    url = approved.certificate.verification_url
    sealed = [seal_record(build_record(approved, learner), keys.signer, url) for learner in LEARNERS]
    certificates = certificate_pdfs(sealed, directory)
    for number, (item, certificate) in enumerate(zip(sealed, certificates, strict=True)):
        assert isinstance(certificate, bytes), certificate
        full = direct_pdf(item.record, item.link, item.qr_png, directory=directory)
        ours, theirs = _pages(certificate, tmp_path, f"ours-{number}"), _pages(full, tmp_path, f"full-{number}")
        assert len(ours) == len(theirs) == 2
        for page, (one, other) in enumerate(zip(ours, theirs, strict=True), start=1):
            assert ImageChops.difference(one, other).getbbox() is None, f"{item.record.learner.learner_id} p. {page}"
    text = flat(pdftotext(tmp_path / "ours-1.pdf", 1))
    assert "Αικατερίνη Παπαδοπούλου" in text and "Learner id R-2 · born 17 May 1990" in text


def _units_per_em(pdf: bytes) -> set[int]:
    """The units per em of every font program embedded in ``pdf``."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return {TTFont(io.BytesIO(o.FontFile2.read_bytes()))["head"].unitsPerEm for o in document.objects
                if isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o}


def test_two_templates_with_one_font_family_name_keep_their_own_font_files(other_template: Path,
                                                                         approved: Consortium, keys: Keys,
                                                                         tmp_path: Path) -> None:
    """Both templates name their fonts "Certificate Sans"; the shipped ones are Noto (1000 units per em), the other's
    DejaVu (2048). Rendered in one process, in turn, each certificate embeds its own template's files only."""
    sealed = seal_record(build_record(approved, LEARNERS[1]), keys.signer, approved.certificate.verification_url)
    copies = []  # more templates than a process keeps the fonts of: the shipped one's are read again, all of them
    for number in range(4):
        copies.append(tmp_path / f"copy-{number}")
        shutil.copytree(other_template, copies[-1])
    for directory, units in ((template_dir(), 1000), (other_template, 2048), (template_dir(), 1000),
                             *((copy, 2048) for copy in copies), (template_dir(), 1000)):
        (certificate,) = certificate_pdfs([sealed], directory)
        assert isinstance(certificate, bytes)
        assert _units_per_em(certificate) == {units}
        assert _units_per_em(direct_pdf(sealed.record, sealed.link, sealed.qr_png, directory=directory)) == {units}


_GLOBALS_SCRIPT = """
import importlib, pkgutil, sys
from pathlib import Path
import weasyprint
for module in pkgutil.walk_packages(weasyprint.__path__, "weasyprint."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
weasyprint.HTML(string="<p>WeasyPrint used alone</p>").write_pdf()

def snapshot():
    return {name: dict(vars(module)) for name, module in sys.modules.items()
            if name == "weasyprint" or name.startswith("weasyprint.")}

def changed(before):
    after = snapshot()
    return sorted(f"{name}.{key}" for name, values in before.items()
                  for key in values.keys() | after[name].keys()
                  if key not in values or key not in after[name] or after[name][key] is not values[key])

before = snapshot()
import unadocs
from unadocs.certificate.render import direct_pdf
from unadocs.issuing import sealed_certificate as seal_record
from unadocs.load.learners import read_learners
from unadocs.record import build_record
from unadocs.load import load_spec
from unadocs.seal.keys import load_signer
consortium, signer = load_spec(sys.argv[1]), load_signer(sys.argv[2])
results = list(unadocs.issue_certificates(consortium, sys.argv[3], signer, Path(sys.argv[4]),
                                          combined=Path(sys.argv[4]) / "print.pdf"))
assert all(result.ok for result in results), results
learner = next(row.learner for row in read_learners(sys.argv[3]) if row.learner is not None)
sealed = seal_record(build_record(consortium, learner), signer, consortium.certificate.verification_url)
direct_pdf(sealed.record, sealed.link, sealed.qr_png)
print("changed:", changed(before))
weasyprint.draw.text.draw_text = len  # what patching looks like: the check sees it
print("patched:", changed(before))
"""


def test_issuing_leaves_every_weasyprint_module_global_as_it_was(approved_data: dict, keys: Keys,  # type: ignore[type-arg]
                                                                write_spec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import EXAMPLE_LEARNERS

    spec = write_spec(approved_data)
    run = subprocess.run([sys.executable, "-c", _GLOBALS_SCRIPT, str(spec), str(keys.key_path), str(EXAMPLE_LEARNERS),
                          str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    assert "changed: []" in run.stdout.splitlines()
    assert "patched: ['weasyprint.draw.text.draw_text']" in run.stdout.splitlines()


def test_unadocs_uses_weasyprint_through_its_documented_api_only() -> None:
    """``weasyprint`` itself and ``weasyprint.text.fonts.FontConfiguration``, nothing else."""
    imported = set()
    for path in sorted((ROOT / "unadocs").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("weasyprint"):
                imported |= {(node.module, alias.name) for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {(alias.name, "") for alias in node.names if alias.name.startswith("weasyprint")}
    assert imported
    assert {module for module, _ in imported} <= {"weasyprint", "weasyprint.text.fonts"}
    assert {name for module, name in imported if module == "weasyprint.text.fonts"} == {"FontConfiguration"}
    assert {name for module, name in imported if module == "weasyprint"} <= {"HTML", "CSS", "Attachment",
                                                                              "URLFetcher"}


def test_pyproject_takes_any_weasyprint_from_70_on() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"weasyprint>=70",' in pyproject


# -- learner texts that cannot be printed -------------------------------------------------------------------------


def _issue(consortium: Consortium, keys: Keys, learners: list[Learner], out: Path) -> list[tuple[bool, str]]:
    return [(r.ok, r.reason or "") for r in issue_certificates(consortium, learners, keys.signer, out)]


def test_a_text_that_does_not_fit_at_the_smallest_size_fails_its_row(approved: Consortium, keys: Keys,
                                                                    tmp_path: Path) -> None:
    long_grade = "passed with distinction in every module of the programme, " * 6
    learners = [LEARNERS[0].model_copy(update={"grade": long_grade.strip()}), LEARNERS[2]]
    (failed, reason), (issued, _) = _issue(approved, keys, learners, tmp_path / "out")
    assert not failed and issued
    assert reason.startswith("the grade field does not fit its box even at 7 pt: 'Grade achieved: passed with")
    assert [p.name for p in sorted((tmp_path / "out").glob("*.pdf"))] == ["R-3.pdf"]


def test_a_field_that_does_not_fit_is_quoted_as_printed_and_cut_short(approved_data: dict, keys: Keys,  # type: ignore[type-arg]
                                                                      tmp_path: Path) -> None:
    """A name too long for a certificate in two languages fails its row with a message of one line: the field's
    lines joined as on the page, cut short."""
    data = copy.deepcopy(approved_data)
    data["certificate"]["languages"] = ["en", "fi"]
    learner = LEARNERS[4].model_copy(update={"name_latin": "Mohammed-" + "W" * 200})
    [(failed, reason)] = _issue(consortium_from(data), keys, [learner], tmp_path / "out")
    assert not failed
    assert reason.startswith("the identification field does not fit its box even at 6 pt: 'محمد العلي (Mohammed-WWW")
    assert "\\u2028" not in reason  # the line separator, as repr writes it
    assert reason.endswith(" characters)") and len(reason) < 260


def test_a_letter_no_font_of_the_field_has_fails_its_row_naming_the_letter(approved: Consortium, keys: Keys,
                                                                          tmp_path: Path) -> None:
    """Ethiopic is in none of the shipped fonts: the row fails naming the letter, and no box is ever printed."""
    learners = [LEARNERS[0].model_copy(update={"given_names": "አበበ"}), LEARNERS[1]]
    (failed, reason), (issued, _) = _issue(approved, keys, learners, tmp_path / "out")
    assert not failed and issued
    assert reason == ("the name field cannot be printed: no font of it (NotoSans-Bold.ttf and its 5 fallback fonts) "
                      "has a letter for 'አ' (U+12A0 ETHIOPIC SYLLABLE GLOTTAL A), 'በ' (U+1260 ETHIOPIC SYLLABLE BA)")
    assert [p.name for p in sorted((tmp_path / "out").glob("*.pdf"))] == ["R-2.pdf"]


def test_bidi_controls_in_a_name_rearrange_nothing(approved: Consortium, keys: Keys, tmp_path: Path) -> None:
    """A right-to-left override cannot make a name read otherwise on the certificate than in the record."""
    learner = LEARNERS[0].model_copy(update={"given_names": "Ann\u202eevil", "family_name": "Smith\u202c"})
    ((ok, _),) = _issue(approved, keys, [learner], tmp_path / "out")
    assert ok
    front = flat(pdftotext(tmp_path / "out" / "R-1.pdf", 1))
    assert "Annevil Smith" in front and "live" not in front
