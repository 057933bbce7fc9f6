"""The certificate's seal, end to end: QR scan round trip, verification of the PDF, specimens, PDF/A-3."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from PIL import Image

import unadocs
from tests.certificate.conftest import Issued, Keys, flat, pdftotext
from unadocs.model import Consortium, Learner


def page_one_png(pdf: Path, dpi: int = 150) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(pdf)],
                         check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(png))


def test_qr_printed_on_page_one_scans_at_150_dpi_and_verifies(example_issued: Issued, keys: Keys) -> None:
    image = page_one_png(example_issued.pdf("UH-2025-0001"))
    codes = [r for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if r.valid]
    assert len(codes) == 1
    link = codes[0].text
    assert link.startswith("https://verify.una-europa.eu/c/#")
    result = unadocs.verify(link, keys.trust_path)
    assert result.valid, result.message
    assert result.fields["name"] == "Siobhán Ní Bhriain"
    assert result.fields["awarding"] == ["UH", "UNIBO", "UJ"]


def test_qr_is_at_least_30_mm_wide(example_issued: Issued) -> None:
    dpi = 150
    image = page_one_png(example_issued.pdf("UH-2025-0001"), dpi)
    code = next(r for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    xs = [code.position.top_left.x, code.position.top_right.x]
    width_mm = (max(xs) - min(xs)) / dpi * 25.4
    assert width_mm >= 30


def test_certificate_pdf_verifies_with_its_embedded_record(example_issued: Issued, keys: Keys) -> None:
    for result in example_issued.results:
        assert result.pdf is not None
        verdict = unadocs.verify(result.pdf, keys.trust_path)
        assert verdict.valid, (result.learner_id, verdict.message)


def test_json_beside_the_pdf_is_the_embedded_record(example_issued: Issued) -> None:
    result = example_issued.results[0]
    assert result.pdf is not None and result.json is not None
    with pikepdf.open(result.pdf) as pdf:
        embedded = pdf.attachments[f"{result.learner_id}.json"].get_file().read_bytes()
    assert embedded == result.json.read_bytes()
    assert json.loads(embedded)["credential_id"] == result.credential_id


def test_a_different_record_does_not_match_the_seal(example_issued: Issued, keys: Keys) -> None:
    first, second = example_issued.results[:2]
    assert first.pdf is not None and second.json is not None
    verdict = unadocs.verify(first.pdf, keys.trust_path, record=second.json.read_bytes())
    assert verdict.reason == "record-mismatch"


def test_render_certificate_output_verifies(approved: Consortium, keys: Keys) -> None:
    learner = Learner(learner_id="API-1", given_names="Αλέξανδρος", family_name="Παπαδόπουλος",
                      issued=date(2026, 3, 2))
    pdf = unadocs.render_certificate(approved, learner, keys.signer)
    assert pdf.startswith(b"%PDF-")
    verdict = unadocs.verify(pdf, keys.trust_path)
    assert verdict.valid, verdict.message
    assert verdict.fields["name"] == "Αλέξανδρος Παπαδόπουλος"


@pytest.fixture(scope="module")
def specimen_pdf(draft: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    learner = Learner(learner_id="S-1", given_names="Ana", family_name="Draft", issued=date(2026, 1, 20))
    path = tmp_path_factory.mktemp("specimen") / "S-1.pdf"
    path.write_bytes(unadocs.render_certificate(draft, learner, keys.signer))
    return path


def test_draft_agreement_gives_a_visible_specimen(specimen_pdf: Path) -> None:
    front = flat(pdftotext(specimen_pdf, 1))
    assert "SPECIMEN · not a valid certificate" in front


def test_draft_agreement_certificate_verifies_as_specimen(specimen_pdf: Path, keys: Keys) -> None:
    verdict = unadocs.verify(specimen_pdf, keys.trust_path)
    assert not verdict.valid
    assert verdict.reason == "specimen"
    assert verdict.fields["specimen"] is True


def test_approved_agreement_certificate_has_no_specimen_mark(example_issued: Issued) -> None:
    assert "SPECIMEN" not in pdftotext(example_issued.pdf("UH-2025-0001"))


# -- PDF/A-3 --------------------------------------------------------------------------


def test_certificate_is_pdf_a_3_with_the_record_attached(example_issued: Issued) -> None:
    result = example_issued.results[0]
    assert result.pdf is not None and result.json is not None
    with pikepdf.open(result.pdf) as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
        assert 'pdfaid:part="3"' in xmp
        assert 'pdfaid:conformance="B"' in xmp
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        assert intents[0].DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        af = pdf.Root.AF
        assert len(af) == 1
        spec = af[0]
        assert spec.AFRelationship == "/Data"
        assert str(spec.UF) == "UH-2025-0001.json"
        assert spec.EF.F.Subtype == "/application#2fjson" or str(spec.EF.F.Subtype) == "/application/json"
        assert spec.EF.F.read_bytes() == result.json.read_bytes()


def test_metadata_title_author_and_dates_come_from_the_record(example_issued: Issued) -> None:
    with pikepdf.open(example_issued.pdf("UH-2025-0005")) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "Micro-credential in Sustainability: Aleksi Mäkäräinen"
        assert str(info.Author) == "University of Helsinki"
        assert str(info.CreationDate).startswith("D:20260203000000")
        assert str(info.ModDate).startswith("D:20260203000000")
        attachment = pdf.Root.AF[0].EF.F.Params
        assert str(attachment.CreationDate).startswith("D:20260203000000")


def test_qr_image_is_drawn_with_crisp_edges(example_issued: Issued) -> None:
    with pikepdf.open(example_issued.pdf("UH-2025-0001")) as pdf:
        images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert images
        assert all(image.get("/Interpolate") is False for image in images)


# -- accessions -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def acceded(approved_data: dict) -> Consortium:  # type: ignore[type-arg]
    from copy import deepcopy

    from tests.certificate.conftest import consortium_from

    data = deepcopy(approved_data)
    data["partners"].append({
        "id": "UCM", "member": "madrid",
        "coordinator": {"name": "Lucía Pérez", "email": "lucia.perez@ucm.es"},
        "signatory": {"name": "Joaquín Goyache", "title": "Rector"},
    })
    data["accession"]["accessions"] = [{"partner": "UCM", "date": "2026-02-01"}]
    return consortium_from(data)


@pytest.mark.parametrize(("issued", "listed"), [(date(2026, 1, 31), False), (date(2026, 2, 1), True)])
def test_partner_is_an_awarding_body_only_from_its_accession(
    acceded: Consortium, keys: Keys, tmp_path: Path, issued: date, listed: bool
) -> None:
    learner = Learner(learner_id="ACC-1", given_names="Marta", family_name="Ruiz", issued=issued)
    path = tmp_path / "acc.pdf"
    path.write_bytes(unadocs.render_certificate(acceded, learner, keys.signer))
    text = flat(pdftotext(path))
    assert ("Complutense University of Madrid" in text) is listed
    assert ("Spain" in text) is listed
    verdict = unadocs.verify(path, keys.trust_path)
    assert verdict.valid
    assert ("UCM" in verdict.fields["awarding"]) is listed
