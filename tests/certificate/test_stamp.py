"""A certificate is the shared base, unchanged, and one incremental update that other readers (poppler) read too;
the painting shortcuts of paint.py give WeasyPrint's own bytes."""

from __future__ import annotations

import io
import os
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from tests.certificate.conftest import Keys
from unadocs.certificate import paint, render
from unadocs.issuing import sealed_certificate as seal_record
from unadocs.record import build_record
from unadocs.certificate.render import Sealed, certificate_pdfs
from unadocs.model import Consortium, Learner

PEOPLE = [("Ευαγγελία", "Nováková"), ("Siobhán", "Ní Bhriain"), ("Дмитрий", "Кузнецов"), ("Zoë", "O'Brien")]


def sealed(consortium: Consortium, keys: Keys, given: str, family: str, number: int) -> Sealed:
    learner = Learner(learner_id=f"S-{number}", given_names=given, family_name=family, issued=date(2026, 2, 3),
                      grade="merit")
    return seal_record(build_record(consortium, learner), keys.signer, consortium.certificate.verification_url)


@pytest.fixture(scope="module")
def people(approved: Consortium, keys: Keys) -> list[Sealed]:
    return [sealed(approved, keys, given, family, n) for n, (given, family) in enumerate(PEOPLE)]


def test_a_certificate_is_the_base_unchanged_and_one_update_after_it(people: list[Sealed]) -> None:
    (pdf,) = certificate_pdfs(people[:1])
    assert isinstance(pdf, bytes)
    base = render.shared_base(people[0].record).base
    assert pdf.startswith(base.pdf)
    update = pdf[len(base.pdf):]
    assert update.count(b"%%EOF") == 1 and update.endswith(b"%%EOF\n")
    start = int(re.findall(rb"startxref\s+(\d+)", update)[-1])
    head = pdf[start:start + 600]
    assert b"/Type /XRef" in head and b"/Prev %d" % base.startxref in head


def test_poppler_reads_the_learners_version_of_every_replaced_object(people: list[Sealed], tmp_path: Path) -> None:
    """The base's blank record, title and empty learner layer are still in the file, superseded by the update."""
    path = tmp_path / "S-0.pdf"
    pdf = certificate_pdfs(people[:1])[0]
    assert isinstance(pdf, bytes)
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Micro-credential in Sustainability: Ευαγγελία Nováková$", info, re.M)
    assert re.search(r"^Pages:\s+2$", info, re.M)
    listed = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert listed.split("\n", 1)[1].strip() == "1: S-0.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(tmp_path / "record.json"), str(path)], check=True)
    assert (tmp_path / "record.json").read_bytes() == people[0].record.canonical_json()
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Ευαγγελία Nováková" in text


def test_learners_of_one_base_share_its_bytes_and_differ_only_in_their_updates(people: list[Sealed]) -> None:
    pdfs = certificate_pdfs(people)
    base = render.shared_base(people[0].record).base
    assert all(isinstance(pdf, bytes) and pdf.startswith(base.pdf) for pdf in pdfs)
    assert len({pdf[len(base.pdf):] for pdf in pdfs if isinstance(pdf, bytes)}) == len(people)
    identifiers = set()
    for pdf, person in zip(pdfs, people, strict=True):
        assert isinstance(pdf, bytes)
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            assert list(doc.attachments) == [f"{person.record.learner.learner_id}.json"]
            assert not doc.check_pdf_syntax()
            identifiers.add(bytes(doc.trailer.ID[0]))
    assert len(identifiers) == len(people)  # each a document of its own, not a version of the base


def test_fonts_read_once_per_process_give_the_bytes_of_fonts_read_for_each_layer(
        people: list[Sealed], monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.pdf.fonts import Font

    monkeypatch.setattr(paint, "RECORDING", False)  # every text painted, none replayed: each asks for its fonts
    certificate_pdfs(people)  # every font of these learners read and kept
    kept = certificate_pdfs(people)
    fresh_reads = []

    def read_now(pango_font: Any, key: Any, description: Any, size: float) -> Any:
        fresh_reads.append(key)
        return Font(pango_font, description, size)

    monkeypatch.setattr(paint, "_font", read_now)
    assert certificate_pdfs(people) == kept
    assert fresh_reads  # the layers were painted again, each font read anew


def test_open_arrays_hold_the_values_weasyprint_asks_for() -> None:
    from weasyprint.text.ffi import ffi

    arrays = paint._OpenArrays(ffi)
    array = arrays.new("hb_codepoint_t[3]", [7, 1, 65535])
    assert ffi.typeof(array) is ffi.typeof("hb_codepoint_t[]") and len(array) == 3 and list(array) == [7, 1, 65535]
    assert ffi.typeof(arrays.new("char[4]")) is ffi.typeof("char[4]")  # an array to fill: its size stays
    assert arrays.NULL is ffi.NULL


def test_text_boxes_replayed_from_recordings_give_the_bytes_of_painting_them(
        approved: Consortium, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [*PEOPLE, ("Jean-Baptiste Emmanuel", "Lefèvre d'Ormesson du Plessis"), ("A", "B"),
             ("<b>Ann</b> & {{ evil }}", "../../etc/passwd"), ("Αικατερίνη", "Παπαδοπούλου-Χατζηγεωργίου"),
             ("Guðrún", "Guðmundsdóttir"), ("Oğuz", "Yıldırım")]
    cohort = [sealed(approved, keys, given, family, 100 + n) for n, (given, family) in enumerate(names)]
    certificate_pdfs(cohort)  # each box painted once ...
    certificate_pdfs(cohort)  # ... recorded the second time ...
    replays = []
    use_glyphs = paint._use_glyphs
    monkeypatch.setattr(paint, "_use_glyphs", lambda fonts, glyphs: replays.append(1) or use_glyphs(fonts, glyphs))
    replayed = certificate_pdfs(cohort)  # ... and replayed from then on
    assert len(replays) >= 5 * len(cohort)  # labels and fixed texts, on both pages
    monkeypatch.setattr(paint, "RECORDING", False)
    assert certificate_pdfs(cohort) == replayed


def test_fonts_subset_once_give_the_bytes_of_fonts_subset_for_each_layer(
        people: list[Sealed], monkeypatch: pytest.MonkeyPatch) -> None:
    class Forgetful(dict[Any, Any]):
        def __setitem__(self, key: Any, value: Any) -> None:
            pass

    certificate_pdfs(people)
    assert paint._SUBSETS  # the fonts of these learners' layers, subset and kept
    kept = certificate_pdfs(people)
    monkeypatch.setattr(paint, "_SUBSETS", Forgetful())
    assert certificate_pdfs(people) == kept


def _painted_fonts(html: str, stylesheets: list[Any], font_config: Any, stream_class: Any = None) -> dict[Any, Any]:
    """The fonts a learner layer's stream (or another) holds after painting the first page of ``html``."""
    import weasyprint

    document = weasyprint.HTML(string=html).render(stylesheets=stylesheets, font_config=font_config)
    page, fonts = document.pages[0], {}
    stream = (stream_class or paint.layer_stream())(
        fonts, (0, 0, page.width, page.height), {"ExtGState": {}, "XObject": {}, "Pattern": {}, "Shading": {}}, {},
        None, {}, None)
    page.paint(stream, 0.75)
    return fonts


def test_faces_with_one_description_keep_their_own_files() -> None:
    """Two @font-face rules split by unicode-range: one family, weight and style, two files."""
    import hashlib

    import weasyprint
    from weasyprint.pdf.stream import Stream
    from weasyprint.text.fonts import FontConfiguration

    regular = render.template_dir() / "fonts" / "NotoSans-Regular.ttf"
    other = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core (.ci/run installs it)
    config = FontConfiguration()
    css = weasyprint.CSS(string=f"""
        @font-face {{ font-family: Split; src: url({regular.as_uri()}); unicode-range: U+0000-00FF }}
        @font-face {{ font-family: Split; src: url({other.as_uri()}); unicode-range: U+0370-03FF }}
        p {{ font-family: Split }}""", font_config=config)

    def files(html: str, stream_class: Any = None) -> list[bytes]:
        fonts = _painted_fonts(html, [css], config, stream_class)
        return [hashlib.sha256(font.file_content).digest() for font in fonts.values()]

    greek, latin = files("<p>αβγ</p>", Stream), files("<p>Hello</p>", Stream)  # WeasyPrint alone
    assert greek != latin
    assert files("<p>αβγ</p>") == greek  # read first, under the description the Latin text has too ...
    assert files("<p>Hello</p>") == latin  # ... and not taken for the Latin text's file


def test_fonts_of_one_collection_are_each_subset_from_their_own_face(tmp_path: Path) -> None:
    """A .ttc holds several faces in one file: a subset kept for one face is not another's."""
    import sys

    from fontTools.ttLib import TTCollection, TTFont

    fonts_dir = render.template_dir() / "fonts"
    collection = TTCollection()
    collection.fonts = [TTFont(fonts_dir / "NotoSans-Regular.ttf"), TTFont(fonts_dir / "NotoSans-Bold.ttf")]
    for font in collection.fonts:
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = "Collected Sans"
    (tmp_path / "fonts").mkdir()
    collection.save(tmp_path / "fonts" / "collected.ttc")
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{tmp_path / "fonts"}</dir>'
        f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    script = """
import io, sys
import pydyf
from fontTools.ttLib import TTFont
from weasyprint import DEFAULT_OPTIONS
from weasyprint.pdf.fonts import build_fonts_dictionary
from weasyprint.text.fonts import FontConfiguration
from tests.certificate.test_stamp import _painted_fonts
for weight in ("normal", "bold"):  # the same glyphs of the same file, one face after the other
    fonts = _painted_fonts(f'<p style="font-family: Collected Sans; font-weight: {weight}">Hello</p>', [],
                           FontConfiguration())
    build_fonts_dictionary(pydyf.PDF(), fonts, False, True, DEFAULT_OPTIONS)
    (font,) = fonts.values()
    print(font.index, TTFont(io.BytesIO(font.file_content))["name"].getDebugName(2))
"""
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split("\n")[:2] == ["0 Regular", "1 Bold"]
