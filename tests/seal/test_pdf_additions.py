"""What is added to a certificate PDF after unadocs wrote it: a warning, and with --strict a verdict."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from unadocs.cli import main
from unadocs.seal.verify import Reason, verify

LEGACY = ROOT / "tests" / "fixtures" / "legacy-0.1"
CERTIFICATE = (LEGACY / "UH-2026-0001.pdf").read_bytes()
TRUST = LEGACY / "trust.json"


def _overlay() -> bytes:
    """The certificate with a text drawn over its first page in an incremental update, as an editor would."""
    from pyhanko.pdf_utils.generic import StreamObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(CERTIFICATE))
    box = writer.add_object(StreamObject(stream_data=b"q 1 0 0 rg 100 400 200 40 re f Q"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rewritten(change: str) -> bytes:
    """The certificate rewritten by pikepdf with one addition."""
    with pikepdf.open(io.BytesIO(CERTIFICATE)) as pdf:
        if change == "javascript":
            action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))
            pdf.Root.OpenAction = pdf.make_indirect(action)
        elif change == "attachment":
            pdf.attachments["grades.xlsx"] = pikepdf.AttachedFileSpec(pdf, b"PK fake", filename="grades.xlsx")
        elif change == "annotation":
            note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FreeText, Rect=[0, 0, 99, 99],
                                      Contents=pikepdf.String("Grade: A+"))
            pdf.pages[0].obj.Annots.append(pdf.make_indirect(note))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def test_a_certificate_as_unadocs_wrote_it_has_no_warning() -> None:
    result = verify(CERTIFICATE, TRUST, strict=True)
    assert (result.reason, result.warnings) == (Reason.VALID, ())


@pytest.mark.parametrize(("make", "finding"), [
    (_overlay, "1 revision appended after the certificate was written"),
    (lambda: _rewritten("javascript"), "an action run when the document opens"),
    (lambda: _rewritten("attachment"), "an attached file 'grades.xlsx' besides the certificate record"),
    (lambda: _rewritten("annotation"), "a FreeText annotation"),
])
def test_what_was_added_later_is_a_warning_and_with_strict_not_valid(make: object, finding: str,
                                                                      tmp_path: Path) -> None:
    data = make()  # type: ignore[operator]
    result = verify(data, TRUST)
    assert result.valid and any(finding in warning for warning in result.warnings), result.warnings
    strict = verify(data, TRUST, strict=True)
    assert strict.reason is Reason.MODIFIED and finding in strict.message
    assert strict.message.startswith("The PDF was changed after the issuer wrote it.")

    path = tmp_path / "changed.pdf"
    path.write_bytes(data)
    shown = CliRunner().invoke(main, ["verify", str(path), "--trust", str(TRUST)])
    assert shown.exit_code == 0 and f"warning: added after unadocs wrote the PDF: {finding}" in shown.stdout
    strict_cli = CliRunner().invoke(main, ["verify", str(path), "--trust", str(TRUST), "--strict", "--json"])
    assert strict_cli.exit_code == 1 and json.loads(strict_cli.stdout)["reason"] == "modified"


def test_javascript_anywhere_in_the_file_is_found() -> None:
    with pikepdf.open(io.BytesIO(CERTIFICATE)) as pdf:
        link = pdf.pages[0].obj.Annots[0]
        link.AA = pikepdf.Dictionary(E=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x()")))
        out = io.BytesIO()
        pdf.save(out)
    warnings = verify(out.getvalue(), TRUST).warnings
    assert any("JavaScript" in w for w in warnings) and any("automatic actions" in w for w in warnings)
