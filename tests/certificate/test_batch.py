"""Batch issuing: the same bytes as one certificate at a time, the same look as a full render, PDF/A facts,
resume after kill -9, executors (a process pool, Dask), the print file, streaming XLSX, progress."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops

import unadocs
from tests.certificate.conftest import Issued, Keys, flat, pdftotext
from tests.conftest import EXAMPLE_LEARNERS
from unadocs.certificate.combined import CombinedPdf
from unadocs.issuing import IssueResult, issue_certificates
from unadocs.issuing import sealed_certificate as seal_record
from unadocs.load.learners import read_learners
from unadocs._progress import plain_progress, show_progress, worker_pool
from unadocs.record import build_record
from unadocs.certificate.render import certificate_pdfs, direct_pdf
from unadocs.model import Consortium, Learner

VENV_BIN = Path(sys.executable).parent

GIVEN = ["Siobhán", "Αικατερίνη", "Дмитрий", "Łukasz", "Zoë", "Oğuz", "Ana María", "Eero"]
FAMILY = ["Ní Bhriain", "Παπαδοπούλου", "Кузнецов", "Żółkiewski", "O'Brien-Müller", "Yıldırım", "García", "Mäkinen"]


def cohort(count: int) -> list[Learner]:
    """Learners in several scripts, on three issue dates (so three shared bases), some with a grade."""
    return [Learner(learner_id=f"K-{i:04d}", given_names=GIVEN[i % 8], family_name=FAMILY[(i * 3) % 8],
                    issued=date(2026, 1, 20 + i % 3), grade="merit" if i % 4 == 0 else None)
            for i in range(count)]


def write_cohort_csv(path: Path, learners: list[Learner]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["learner_id", "given_names", "family_name", "issued", "grade"])
        for learner in learners:
            out.writerow([learner.learner_id, learner.given_names, learner.family_name, learner.issued.isoformat(),
                          learner.grade or ""])
    return path


def files_of(directory: Path) -> dict[str, bytes]:
    """The learners' files (PDF and JSON) of an output directory, by name."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.suffix in {".pdf", ".json"}}


# -- one path: the single-certificate API gives the batch's bytes --------------------------------------------------


def test_single_certificate_api_gives_the_batch_bytes(approved: Consortium, keys: Keys,
                                                      example_issued: Issued) -> None:
    learners = [row.learner for row in read_learners(EXAMPLE_LEARNERS) if row.learner is not None]
    assert len(learners) == len([r for r in example_issued.results if r.ok]) >= 5
    for learner in learners:
        single = unadocs.render_certificate(approved, learner, keys.signer)
        assert single == example_issued.pdf(learner.learner_id).read_bytes(), learner.learner_id


def test_a_certificate_does_not_depend_on_its_neighbours_in_a_chunk(approved: Consortium, keys: Keys) -> None:
    url = approved.certificate.verification_url
    sealed = [seal_record(build_record(approved, learner), keys.signer, url) for learner in cohort(7)]
    together = certificate_pdfs(sealed)
    alone = [certificate_pdfs([item])[0] for item in reversed(sealed)][::-1]
    assert together == alone
    assert len(set(together)) == 7


# -- the same look as a full render of the template -----------------------------------------------------------------

LOOKS = {
    "plain": ("L-1", "Ann", "Smith", None),
    "greek": ("L-2", "Αικατερίνη", "Παπαδοπούλου-Χατζηγεωργίου", "merit"),
    "cyrillic": ("L-3", "Анастасия", "Ёлкина-Щербакова", None),
    "120-character name": ("L-4", "Maximiliana Theodora Wilhelmina", "von " + "Hohenzollern-Sigmaringen " * 3
                           + "und Lothringen-Habsburg-Este", "pass with distinction"),
}


def _pages(pdf: bytes, directory: Path, stem: str) -> list[Image.Image]:
    path = directory / f"{stem}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(directory / stem)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(directory.glob(f"{stem}-*.png"))]


@pytest.mark.parametrize("case", [*LOOKS, "specimen"])
def test_a_stamped_certificate_looks_exactly_like_a_full_render(case: str, approved: Consortium, draft: Consortium,
                                                                keys: Keys, tmp_path: Path) -> None:
    learner_id, given, family, grade = LOOKS["greek" if case == "specimen" else case]
    learner = Learner(learner_id=learner_id, given_names=given, family_name=family, issued=date(2026, 1, 20),
                      date_of_birth=date(1990, 5, 17), grade=grade)
    if case == "120-character name":
        assert len(learner.full_name) >= 120
    consortium = draft if case == "specimen" else approved
    sealed = seal_record(build_record(consortium, learner), keys.signer, consortium.certificate.verification_url)
    (stamped,) = certificate_pdfs([sealed])
    assert isinstance(stamped, bytes)
    direct = direct_pdf(sealed.record, sealed.link, sealed.qr_png)
    assert stamped != direct  # two different PDFs ...
    stamped_pages, direct_pages = _pages(stamped, tmp_path, "stamped"), _pages(direct, tmp_path, "direct")
    assert len(stamped_pages) == len(direct_pages) == 2
    for number, (one, other) in enumerate(zip(stamped_pages, direct_pages, strict=True), start=1):
        assert one.size == other.size
        assert ImageChops.difference(one, other).getbbox() is None, f"page {number} differs"  # ... one look
    if case == "specimen":
        assert "SPECIMEN" in pdftotext(tmp_path / "stamped.pdf", 1)


# -- still PDF/A-3 with the learner's own record and metadata -------------------------------------------------------


@pytest.fixture(scope="module")
def stamped_and_direct(approved: Consortium, keys: Keys) -> tuple[bytes, bytes, bytes]:
    learner = Learner(learner_id="M-1", given_names="Ευαγγελία", family_name="Nováková", issued=date(2026, 2, 3),
                      grade="merit")
    sealed = seal_record(build_record(approved, learner), keys.signer, approved.certificate.verification_url)
    (stamped,) = certificate_pdfs([sealed])
    assert isinstance(stamped, bytes)
    return stamped, direct_pdf(sealed.record, sealed.link, sealed.qr_png), sealed.record.canonical_json()


def test_document_information_and_xmp_are_the_learners_and_agree(stamped_and_direct: tuple[bytes, bytes, bytes]
                                                                 ) -> None:
    stamped, direct, _ = stamped_and_direct
    facts = ["/Title", "/Author", "/Subject", "/Creator", "/CreationDate", "/ModDate"]
    with pikepdf.open(io.BytesIO(stamped)) as one, pikepdf.open(io.BytesIO(direct)) as other:
        assert {k: str(one.docinfo[k]) for k in facts} == {k: str(other.docinfo[k]) for k in facts}
        assert str(one.docinfo.Title) == "Micro-credential in Sustainability: Ευαγγελία Nováková"
        assert str(one.docinfo.CreationDate) == "D:20260203000000Z"
        with one.open_metadata() as xmp:  # PDF/A: the XMP packet says what /Info says
            assert xmp["dc:title"] == str(one.docinfo.Title)
            assert xmp["dc:creator"] == [str(one.docinfo.Author)]
            assert xmp["dc:description"] == str(one.docinfo.Subject)
            assert xmp["xmp:CreatorTool"] == str(one.docinfo.Creator)
            assert xmp["pdf:Producer"] == str(one.docinfo.Producer)
            assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"] == "2026-02-03T00:00:00Z"
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B"


def test_the_embedded_record_is_the_learners_own_canonical_json(stamped_and_direct: tuple[bytes, bytes, bytes]
                                                                ) -> None:
    stamped, _, record = stamped_and_direct
    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        assert list(pdf.attachments) == ["M-1.json"]
        spec = pdf.attachments["M-1.json"]
        assert spec.get_file().read_bytes() == record
        assert spec.obj.AFRelationship == "/Data" and spec.obj.UF == "M-1.json"
        assert [a.UF for a in pdf.Root.AF] == ["M-1.json"]
        params = spec.obj.EF.F.Params
        assert int(params.Size) == len(record)
        assert bytes(params.CheckSum) == hashlib.md5(record).digest()  # noqa: S324 (the PDF's checksum is MD5)
        assert str(params.ModDate) == "D:20260203000000Z"


def test_stamped_certificate_keeps_the_pdfa_structure(stamped_and_direct: tuple[bytes, bytes, bytes]) -> None:
    stamped, _, _ = stamped_and_direct
    assert stamped.startswith(b"%PDF-1.7\n")
    assert stamped.count(b"startxref") == 1 and b"/Prev" not in stamped  # one revision, no incremental update
    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        assert not pdf.is_encrypted
        assert [str(i.S) for i in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]
        profile = pdf.Root.OutputIntents[0].DestOutputProfile  # our own sRGB profile, byte for byte
        assert int(profile.N) == 3
        assert profile.read_bytes() == (Path(unadocs.__file__).parent / "data" / "sRGB2014.icc").read_bytes()
        assert "/Filter" not in pdf.Root.Metadata  # readable XMP
        assert len(pdf.trailer.ID) == 2
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                assert int(annotation.F) & 4  # printable, as PDF/A requires
        link = pdf.pages[0].Annots[0]
        assert str(link.A.URI).startswith("https://verify.una-europa.eu/") and "#" in str(link.A.URI)
        for annotation in pdf.pages[0].Annots:  # the QR code itself is the link: 34 mm is 96 pt
            left, bottom, right, top = map(float, annotation.Rect)
            assert abs(right - left) > 90 and abs(top - bottom) > 90 and annotation.A.URI == link.A.URI
        assert not pdf.check_pdf_syntax()  # qpdf finds no syntax or structure problem


def test_stamped_certificate_verifies(stamped_and_direct: tuple[bytes, bytes, bytes], keys: Keys,
                                      tmp_path: Path) -> None:
    path = tmp_path / "M-1.pdf"
    path.write_bytes(stamped_and_direct[0])
    assert unadocs.verify(path, keys.trust_path).valid


# -- resume ---------------------------------------------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [str(VENV_BIN / "unadocs"), "certificates", *args]


def test_a_run_killed_with_sigkill_resumes_to_the_same_files_as_a_clean_run(
        approved: Consortium, approved_data: dict, keys: Keys, write_spec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def, type-arg]
    count = 70  # three chunks of at most 32: killed at the first certificate, at least one chunk is unfinished
    learners = write_cohort_csv(tmp_path / "learners.csv", cohort(count))
    spec = write_spec(approved_data)
    out = tmp_path / "out"
    command = _cli(str(spec), str(learners), "--key", str(keys.key_path), "-o", str(out),
                   "--combined", str(out / "print.pdf"), "--jobs", "2", "--quiet")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while not list(out.glob("K-*.pdf")):  # some certificates are written, others are being rendered
            assert process.poll() is None, "the run ended before it could be killed"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its workers, as a crash would
        process.wait()
    written = len(list(out.glob("K-*.pdf")))
    assert 1 <= written < count
    assert not (out / "print.pdf").exists()

    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    issued, unchanged = re.search(r"(\d+) issued, (\d+) unchanged, 0 failed", rerun.stdout).groups()  # type: ignore[union-attr]
    assert int(issued) + int(unchanged) == count and int(issued) >= count - written
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left

    clean = tmp_path / "clean"
    with worker_pool(2) as executor:
        results = list(issue_certificates(approved, learners, keys.signer, clean, combined=clean / "print.pdf",
                                          executor=executor))
    assert all(r.ok for r in results)
    assert files_of(out) == files_of(clean)  # every certificate and record, byte for byte
    assert len(files_of(out)) == 2 * count + 1
    for pdf in sorted(out.glob("K-*.pdf"))[::9]:
        assert unadocs.verify(pdf, keys.trust_path).valid


def test_a_rerun_skips_finished_learners_and_reissues_a_changed_row(approved: Consortium, keys: Keys,
                                                                   tmp_path: Path) -> None:
    learners = cohort(5)
    out = tmp_path / "out"
    first = list(issue_certificates(approved, learners, keys.signer, out))
    assert [r.skipped for r in first] == [False] * 5
    before = files_of(out)
    learners[2] = learners[2].model_copy(update={"grade": "distinction"})
    (out / "K-0004.pdf").write_bytes(b"%PDF-1.7 damaged")  # a damaged file is issued again too
    (out / "K-0001.json").write_bytes(b"")  # so is a learner whose record a power cut left empty
    second = list(issue_certificates(approved, learners, keys.signer, out))
    assert [r.skipped for r in second] == [True, False, False, True, False]
    assert [r.ok for r in second] == [True] * 5
    after = files_of(out)
    assert after["K-0002.pdf"] != before["K-0002.pdf"] and after["K-0002.json"] != before["K-0002.json"]
    assert {k: v for k, v in after.items() if not k.startswith("K-0002")} == \
        {k: v for k, v in before.items() if not k.startswith("K-0002")}
    assert b'"grade":"distinction"' in after["K-0002.json"]


# -- executors --------------------------------------------------------------------------------------------------------


def test_a_process_pool_gives_the_same_files_as_this_process(approved: Consortium, keys: Keys,
                                                             tmp_path: Path) -> None:
    learners = cohort(40)
    local = list(issue_certificates(approved, learners, keys.signer, tmp_path / "local"))
    with worker_pool(2) as executor:
        pooled = list(issue_certificates(approved, learners, keys.signer, tmp_path / "pool", executor=executor,
                                         window=2))
    assert [(r.row, r.learner_id, r.ok) for r in pooled] == [(r.row, r.learner_id, r.ok) for r in local]
    assert files_of(tmp_path / "pool") == files_of(tmp_path / "local")


def test_a_dask_cluster_gives_the_same_files_as_this_process(approved: Consortium, keys: Keys,
                                                             example_issued: Issued, tmp_path: Path) -> None:
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        results = list(issue_certificates(approved, EXAMPLE_LEARNERS, keys.signer, tmp_path / "dask",
                                          combined=tmp_path / "dask" / "print.pdf", executor=client.get_executor()))
    assert [r.learner_id for r in results] == [r.learner_id for r in example_issued.results]
    assert files_of(tmp_path / "dask") == files_of(example_issued.out_dir)


# -- the print file ---------------------------------------------------------------------------------------------------


def test_every_certificate_starts_on_an_odd_page_of_the_print_file(example_issued: Issued, tmp_path: Path) -> None:
    issued = [r.pdf for r in example_issued.results if r.pdf is not None]
    single = pikepdf.new()
    single.add_blank_page(page_size=(595.28, 841.89))
    odd = tmp_path / "one-page.pdf"
    single.save(odd)
    with CombinedPdf(tmp_path / "print.pdf") as print_file:
        print_file.add(issued[0])
        print_file.add(odd)  # a one-page document is padded with a blank page ...
        for path in issued[1:]:
            print_file.add(path)
    with pikepdf.open(tmp_path / "print.pdf") as pdf:
        assert not pdf.check_pdf_syntax()
        assert len(pdf.pages) == 2 * len(issued) + 2
    for number in range(1, len(issued) + 2):
        page = 2 * number - 1
        text = flat(pdftotext(tmp_path / "print.pdf", page))
        if number == 2:
            assert text == ""  # ... so that the next certificate still starts on an odd page
        else:
            assert "This is to certify that" in text, page


def test_the_print_file_writes_a_variants_shared_objects_once(example_issued: Issued, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from unadocs.certificate import combined

    issued = [r.pdf for r in example_issued.results if r.pdf is not None]
    for name in ("once", "each"):
        if name == "each":  # every certificate read with pikepdf and all its objects written anew
            monkeypatch.setattr(combined, "_opening", lambda *args: None)
        with CombinedPdf(tmp_path / f"{name}.pdf") as print_file:
            for path in issued:
                print_file.add(path)
    def font_programs(path: Path) -> set[int]:
        """The object numbers of the font programs the pages use (directly or through forms)."""
        with pikepdf.open(path) as pdf:
            assert not pdf.check_pdf_syntax()
            found, todo = set(), [page.obj for page in pdf.pages]
            while todo:
                resources = todo.pop().get("/Resources", {})
                found |= {f.DescendantFonts[0].FontDescriptor.FontFile2.objgen[0]
                          for f in resources.get("/Font", {}).values()}
                todo += [x for x in resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Form"]
            return found

    # A certificate shows the shared part's regular and bold and, for each face of its fields, the cohort's font
    # (written with the shared part, before the page tree) or one of the learner's own glyphs.
    own = 0
    for path in issued:
        with pikepdf.open(path) as pdf:
            tree = pdf.Root.Pages.objgen[0]
        shown = font_programs(path)
        assert len(shown) == 4
        own += sum(1 for number in shown if number > tree)
    assert len(font_programs(tmp_path / "each.pdf")) == 4 * len(issued)
    assert len(font_programs(tmp_path / "once.pdf")) == 4 + own
    for name in ("once", "each"):
        with pikepdf.open(tmp_path / f"{name}.pdf") as pdf:
            assert len(pdf.pages) == 2 * len(issued)
    assert pdftotext(tmp_path / "once.pdf") == pdftotext(tmp_path / "each.pdf")
    once, each = _pages(tmp_path.joinpath("once.pdf").read_bytes(), tmp_path, "o"), \
        _pages(tmp_path.joinpath("each.pdf").read_bytes(), tmp_path, "e")
    assert all(ImageChops.difference(a, b).getbbox() is None for a, b in zip(once, each, strict=True))
    assert (tmp_path / "once.pdf").stat().st_size < (tmp_path / "each.pdf").stat().st_size


def _pdfs_opening_alike(tmp_path: Path, texts: list[bytes]) -> list[Path]:
    """PDFs whose bytes are the same up to their page tree, where an object before the tree (the page's
    resources) names a form after it, which draws ``text``."""
    from unadocs.certificate.pdf import xref_and_trailer

    paths = []
    for n, text in enumerate(texts):
        content = b"BT /Helv 12 Tf 10 50 Td (" + text + b") Tj ET"
        bodies = [b"<< /XObject << /F 3 0 R >> >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                  b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 100] /Length %d >>\nstream\n%s\nendstream"
                  % (len(content), content),
                  b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources 1 0 R /Contents 5 0 R >>",
                  b"<< /Length 5 >>\nstream\n/F Do\nendstream", b"<< /Type /Catalog /Pages 2 0 R >>"]
        out = bytearray(b"%PDF-1.7\n")
        offsets = {}
        for number, body in enumerate(bodies, start=1):
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        paths.append(tmp_path / f"copy-{n}.pdf")
        table = [-1, *(offsets[n] for n in range(1, 7))]
        paths[-1].write_bytes(bytes(out + xref_and_trailer(table, len(out), b"/Root 6 0 R")))
    return paths


def test_an_object_before_the_page_tree_that_refers_to_a_later_one_is_read_again_for_each_pdf(tmp_path: Path
                                                                                              ) -> None:
    paths = _pdfs_opening_alike(tmp_path, [b"first", b"second", b"third"])
    with CombinedPdf(tmp_path / "print.pdf") as print_file:
        for path in paths:
            print_file.add(path)
        assert not print_file._shared[next(iter(print_file._shared))]  # nothing kept of that opening
    with pikepdf.open(tmp_path / "print.pdf") as pdf:
        forms = [page.Resources.XObject.F.read_bytes() for page in pdf.pages if "/Resources" in page
                 and "/XObject" in page.Resources]
    assert [form.split(b"(")[1].split(b")")[0] for form in forms] == [b"first", b"second", b"third"]


def test_the_print_file_shares_the_cohorts_common_objects(example_issued: Issued) -> None:
    issued = [r.pdf for r in example_issued.results if r.pdf is not None]
    total = sum(path.stat().st_size for path in issued)
    assert (example_issued.out_dir / "print.pdf").stat().st_size < total / 2


# -- streaming input, progress ------------------------------------------------------------------------------------------


def test_an_xlsx_of_10000_rows_is_read_as_a_stream(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["learner_id", "given_names", "family_name", "issued"])
    for i in range(10_000):
        sheet.append([f"X-{i}", "Ana", f"Row {i}", date(2026, 1, 20)])
    path = tmp_path / "learners.xlsx"
    book.save(path)
    tracemalloc.start()
    try:
        count = 0
        for row in read_learners(path):
            assert row.learner is not None and row.row == count + 2
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert peak < 8 * 2**20  # a read-only workbook: rows are parsed one at a time, never held together


def _results(count: int) -> Iterator[IssueResult]:
    for i in range(count):
        yield IssueResult(i + 2, f"P-{i}", Path(f"P-{i}.pdf"))


def test_plain_progress_prints_count_rate_and_time_left() -> None:
    stream = io.StringIO()
    passed = list(plain_progress(_results(3), 3, stream, every=0.0))
    assert [r.learner_id for r in passed] == ["P-0", "P-1", "P-2"]
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("certificates: 1/3 (") and "/s" in lines[0] and "s left" in lines[0]


def test_quiet_progress_prints_nothing() -> None:
    stream = io.StringIO()
    assert len(list(show_progress(_results(3), 3, quiet=True, stream=stream))) == 3
    assert stream.getvalue() == ""


def test_a_cohort_issued_over_several_days_shares_one_base(approved: Consortium) -> None:
    from unadocs.certificate.render import shared_part_of

    records = [build_record(approved, learner.model_copy(update={"grade": None})) for learner in cohort(3)]
    assert len({r.issued for r in records}) == 3
    assert shared_part_of(records[0]) is shared_part_of(records[1]) is shared_part_of(records[2])
    graded = build_record(approved, cohort(1)[0].model_copy(update={"grade": "merit"}))
    assert shared_part_of(graded) is not shared_part_of(records[0])  # the grade's label is shared, when there is one


def test_a_template_that_prints_the_date_in_a_shared_box_gets_each_learners_date(
        approved: Consortium, keys: Keys, tmp_path: Path) -> None:
    import shutil

    from unadocs.certificate.render import template_dir

    template = tmp_path / "dated"
    shutil.copytree(template_dir(), template)
    html = (template / "certificate.html").read_text(encoding="utf-8")
    html = html.replace('{{ say("front.kind") }}', "Joint certificate of {{ r.issued_text }}")
    (template / "certificate.html").write_text(html, encoding="utf-8")
    for day in (20, 21):
        learner = Learner(learner_id=f"D-{day}", given_names="Ann", family_name="Day", issued=date(2026, 1, day))
        path = tmp_path / f"{day}.pdf"
        path.write_bytes(unadocs.render_certificate(approved, learner, keys.signer, template=template))
        assert f"JOINT CERTIFICATE OF {day} JANUARY 2026" in flat(pdftotext(path, 1))


def test_a_template_that_prints_learner_details_in_a_shared_box_is_refused(approved: Consortium, keys: Keys,
                                                                          tmp_path: Path) -> None:
    import shutil

    from unadocs.certificate.render import template_dir
    from unadocs.errors import TemplateError

    template = tmp_path / "leaky"
    shutil.copytree(template_dir(), template)
    html = (template / "certificate.html").read_text(encoding="utf-8")
    html = html.replace('{{ say("front.certify") }}', "This is to certify that {{ r.learner.given_names }}")
    (template / "certificate.html").write_text(html, encoding="utf-8")
    learner = Learner(learner_id="T-1", given_names="Ann", family_name="Smith", issued=date(2026, 1, 20))
    with pytest.raises(TemplateError, match="outside the learner fields"):
        unadocs.render_certificate(approved, learner, keys.signer, template=template)
