"""The learner layer refilled into a cached layout looks exactly like WeasyPrint's own layout of it."""

from __future__ import annotations

import copy
import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.certificate.conftest import Keys, consortium_from
from unadocs.certificate import layer, render
from unadocs.issuing import sealed_certificate as seal_record
from unadocs.record import build_record
from unadocs.certificate.stamp import stamp
from unadocs.model import Consortium, Learner


def learner(given: str, family: str, *, issued: date = date(2026, 1, 20), grade: str | None = "pass",
            learner_id: str = "R-1") -> Learner:
    return Learner(learner_id=learner_id, given_names=given, family_name=family, issued=issued,
                   date_of_birth=date(1990, 5, 17), grade=grade)


class Layers:
    """Learner layers of one consortium and template: refilled, and laid out by WeasyPrint alone."""

    def __init__(self, consortium: Consortium, keys: Keys, directory: Path | None = None) -> None:
        self.consortium, self.keys = consortium, keys
        self.directory = (directory or render.template_dir()).resolve()
        self.fingerprint = render.template_fingerprint(self.directory)

    def html(self, person: Learner) -> tuple[str, Any]:
        sealed = seal_record(build_record(self.consortium, person), self.keys.signer,
                             self.consortium.certificate.verification_url)
        base = render.shared_base(sealed.record, self.directory)
        html = render.certificate_html(sealed.record, sealed.link, sealed.qr_png, density=base.density,
                                       directory=self.directory, layer="learner")
        return html, (base, sealed.record, render._head_metadata(html.partition("<body")[0]))

    def refilled(self, person: Learner) -> bytes | list[list[str]] | None:
        html, (base, record, metadata) = self.html(person)

        def write(document: Any, pages: Any, clipped: list[list[str]]) -> bytes | list[list[str]]:
            return clipped or stamp(base.base, document, pages, record, metadata)

        return layer.refilled(html, self.directory, self.fingerprint, write)

    def own(self, person: Learner) -> bytes | list[list[str]]:
        """The layer as WeasyPrint lays it out for this learner alone, stamped (or its overflowing boxes)."""
        html, (base, record, metadata) = self.html(person)
        document, ((pages, clipped),) = render._weasyprint_layers([html], self.directory)
        return clipped or stamp(base.base, document, pages, record, metadata)


@pytest.fixture(scope="module")
def layers(approved: Consortium, keys: Keys) -> Layers:
    shipped = Layers(approved, keys)
    shipped.refilled(learner("Ann", "Smith"))  # the first layout of the skeleton: every later one is refilled
    return shipped


NAMES = [
    ("Łukasz", "Yıldırım"),
    ("Αικατερίνη", "Παπαδοπούλου-Χατζηγεωργίου"),
    ("Анастасия", "Ёлкина-Щербакова"),
    ("<b>Ann</b> & {{ evil }}", "../../etc/passwd {% raw %}"),
    ("Jean-Baptiste Emmanuel", "Lefèvre d'Ormesson du Plessis"),  # the back page's line wraps
    ("Maximiliana Theodora Wilhelmina", "von " + "Hohenzollern-Sigmaringen " * 3 + "und Lothringen"),
    ("A", "B"),
]


@pytest.mark.parametrize(("given_names", "family_name"), NAMES)
def test_a_refilled_layer_is_byte_for_byte_weasyprints_own_layout(layers: Layers, given_names: str,
                                                                  family_name: str) -> None:
    person = learner(given_names, family_name)
    refilled = layers.refilled(person)
    assert refilled is not None
    assert refilled == layers.own(person)


# Names as a registrar's export may hold them: letters of several scripts, spaces, hyphens, apostrophes, markup.
NAME_TEXT = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                  "éèüöåłżçñßıİØÆ ΑΒΓΔαβγδωЖЩЁжщё -'<&{}./")),
                    min_size=1, max_size=60).map(str.strip).filter(bool)


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_names=NAME_TEXT, family_name=NAME_TEXT, grade=st.sampled_from(["pass", "merit", None]),
       day=st.integers(20, 22))
def test_any_name_refills_to_weasyprints_own_layout(layers: Layers, given_names: str, family_name: str,
                                                    grade: str | None, day: int) -> None:
    person = learner(given_names, family_name, grade=grade, issued=date(2026, 1, day))
    assert layers.refilled(person) == layers.own(person)


def test_a_value_too_wide_beside_its_label_moves_below_it_as_in_weasyprint(layers: Layers) -> None:
    # The back page's labels float left of the values: a word wider than the room beside the label goes below it.
    word = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohl"
    for length in (60, 72, 80, 88):
        person = learner("Ann", "Smith", grade=word[:length])
        assert layers.refilled(person) == layers.own(person), length


def test_a_verification_url_with_non_ascii_letters_links_as_weasyprint_encodes_it(
        approved_data: dict[str, Any], keys: Keys) -> None:
    data = copy.deepcopy(approved_data)
    data["certificate"]["verification_url"] = "https://prüfung.example/c/"
    umlaut = Layers(consortium_from(data), keys)
    for name in ["Ann", "Bea"]:
        refilled = umlaut.refilled(learner(name, "Jones"))
        assert refilled == umlaut.own(learner(name, "Jones"))
        assert isinstance(refilled, bytes)
        with pikepdf.open(io.BytesIO(refilled)) as pdf:
            assert str(pdf.pages[0].Annots[0].A.URI).startswith("https://pr%C3%BCfung.example/c/#")


def test_justified_names_are_refilled_without_an_earlier_names_spacing(approved: Consortium, keys: Keys,
                                                                      tmp_path: Path) -> None:
    directory = _template_copy(tmp_path, ".name p { width: 170mm;", ".name p { text-align: justify; width: 110mm;",
                               "certificate.css")
    justified = Layers(approved, keys, directory)
    for given_names, family_name in [("Ann", "Smith"), ("Christopher Maximilian", "Wellington"),
                                     ("Christopher Max", "Wellington Smith"), ("Al Bo Cy Di Ed Fu", "Go Hu Ix Jo Ka")]:
        person = learner(given_names, family_name)
        assert justified.refilled(person) == justified.own(person), given_names


def test_learners_of_one_class_are_refilled_without_a_new_layout(layers: Layers,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    layouts: list[str] = []
    real = render._render_html

    def counted(html: str, directory: Path) -> Any:  # the real layout, counted
        layouts.append(html)
        return real(html, directory)

    monkeypatch.setattr(render, "_render_html", counted)
    for number, name in enumerate(["Bea", "Carl", "Dana <&>", "Eve"]):
        assert isinstance(layers.refilled(learner(name, "Smith", learner_id=f"R-{number}")), bytes)
    assert layouts == []


def _template_copy(tmp_path: Path, old: str, new: str, name: str = render.TEMPLATE) -> Path:
    directory = tmp_path / "template"
    shutil.copytree(render.template_dir(), directory)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return directory


def test_a_name_that_does_not_fit_its_box_is_still_refused(approved: Consortium, keys: Keys,
                                                           tmp_path: Path) -> None:
    # A narrow name box: a long name wraps onto more lines than the box holds.
    directory = _template_copy(tmp_path, ".name p { width: 170mm;", ".name p { width: 40mm;", "certificate.css")
    edited = Layers(approved, keys, directory)
    assert isinstance(edited.refilled(learner("Ann", "Smith")), bytes)
    for given_names in ["Maximiliana Theodora Wilhelmina", "Maximiliano Teodoro Guillermo"]:
        person = learner(given_names, "von Hohenzollern-Sigmaringen")
        refilled = edited.refilled(person)
        assert isinstance(refilled, list) and any("name" in classes for classes in refilled)
        assert refilled == edited.own(person)


def test_a_name_in_a_box_sized_by_its_content_is_laid_out_anew(approved: Consortium, keys: Keys,
                                                                tmp_path: Path) -> None:
    # An inline-block is as wide as its text: a longer name would move it, so the name cannot be refilled.
    directory = _template_copy(tmp_path, '<p>{{ r.learner.full_name }}</p>',
                               '<p style="display: inline-block">{{ r.learner.full_name }}</p>')
    edited = Layers(approved, keys, directory)
    edited.refilled(learner("Ann", "Smith"))
    for name in ["Bartholomew", "Zoë"]:
        person = learner(name, "Smith")
        assert edited.refilled(person) == edited.own(person)


def test_a_template_the_standard_parser_reads_differently_is_rendered_by_weasyprint(
        approved: Consortium, keys: Keys, tmp_path: Path) -> None:
    # A comment inside the name: WeasyPrint's tree has a child there, the standard library's parser does not.
    directory = _template_copy(tmp_path, '<p>{{ r.learner.full_name }}</p>',
                               '<p>{{ r.learner.full_name }}<!-- the name --></p>')
    edited = Layers(approved, keys, directory)
    assert edited.refilled(learner("Ann", "Smith")) is None
    person = learner("Bea", "Jones")
    sealed = seal_record(build_record(approved, person), keys.signer, approved.certificate.verification_url)
    (pdf,) = render.certificate_pdfs([sealed], directory)
    assert isinstance(pdf, bytes)
    assert pdf == render.certificate_pdfs([sealed], directory)[0]


def test_parts_leave_the_learner_out_of_the_skeleton() -> None:
    page = ('<html><head><title>T: {name}</title><meta name="description" content="{id}"></head>'
            '<body class="density-0"><div class="box name"><p>{name}</p></div>'
            '<div class="qr"><a href="https://v.example/c/#{id}"><img src="data:image/png;base64,{id}"></a>'
            '<div>Verify at v.example</div></div><div class="issued">On <strong>1 May</strong>.</div></body></html>')
    one = layer.parts(page.format(name="Ann &amp; &lt;b&gt;", id="A1"))
    other = layer.parts(page.format(name="Bea", id="B2"))
    assert one.skeleton == other.skeleton
    assert one.texts == ("Ann & <b>", "Verify at v.example", "1 May")
    assert one.images == ("data:image/png;base64,A1",)
    assert one.links == ("https://v.example/c/#A1",)
    assert layer.parts(page.replace("density-0", "density-1").format(name="Ann", id="A1")).skeleton != one.skeleton


@pytest.mark.parametrize("text", ["a\r\nb", "a\rb", "a\x00b", "&lt;b&gt; &amp;amp; &#123;&#123;", "Zo&euml; &nbsp;x"])
def test_parts_read_texts_as_weasyprints_html_parser_does(text: str) -> None:
    import tinyhtml5

    html = f"<html><head><title>t</title></head><body><div><p>{text}</p></div></body></html>"
    paragraph = tinyhtml5.parse(html).find(".//{http://www.w3.org/1999/xhtml}p")
    assert paragraph is not None
    assert layer.parts(html).texts == (paragraph.text,)
