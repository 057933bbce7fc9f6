"""The PAdES seal on a certificate PDF, checked by real clients: poppler's pdfsig and pyHanko's validator.

The certificates are the example learners' as a run writes them; the seals come from the test PKI, in RSA and
in ECDSA P-256. Tampered copies are made the ways a forger would: an attachment or JavaScript added in an
incremental update, the file rewritten by another tool, a byte changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from tests.seal.conftest import Issued
from tests.seal.pki import NOW, PASSWORD, Pki, Seal
from unadocs.errors import SealError
from unadocs.seal.eseal import ESeal, check_eseal, load_eseal
from unadocs.seal.eseal_check import check_pades
from unadocs.seal.pades import Template, seal_pdf, seal_pdfs, signature_container
from unadocs.seal.pdf_update import prepare_update
from unadocs.seal.verify import Reason, verify

WHEN = datetime(2026, 7, 1, 9, 30, tzinfo=timezone.utc)


def eseal_of(seal: Seal, tmp_path: Path, tsa: str | None = None) -> ESeal:
    return load_eseal(seal.p12(tmp_path / f"{seal.pki.kind}.p12"), PASSWORD, tsa=tsa)


def sealed(issued: Issued, seal: Seal, tmp_path: Path, number: int = 1, when: datetime = WHEN) -> bytes:
    with eseal_of(seal, tmp_path).open() as opened:
        return seal_pdf(opened, issued.pdf(number), when)


def pdfsig(pdf: Path) -> str:
    binary = shutil.which("pdfsig")
    if binary is None:  # a hard failure, not a skip: CI installs poppler-utils (.ci/run)
        pytest.fail("poppler's pdfsig is not installed (Debian: poppler-utils)")
    done = subprocess.run([binary, str(pdf)], capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


def pyhanko_status(data: bytes, roots: list[Any]) -> Any:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(r.public_bytes(Encoding.DER)) for r in roots],
                                allow_fetching=False, revocation_mode="soft-fail")
    return validate_pdf_signature(signature, signer_validation_context=context)


# -- real clients accept the seal ----------------------------------------------------------------------------------


def test_pdfsig_reports_a_valid_seal_of_type_cades_over_the_whole_document(issued: Issued, uh_seal: Seal,
                                                                           tmp_path: Path) -> None:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed(issued, uh_seal, tmp_path))
    report = pdfsig(path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Total document signed" in report
    assert "O=University of Helsinki" in report and "VATFI-03134717" in report
    assert "Signing Time: Jul 01 2026 09:30:00" in report


def test_pyhankos_validator_finds_the_seal_intact_valid_trusted_and_untouched(issued: Issued, uh_seal: Seal,
                                                                              tmp_path: Path) -> None:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    status = pyhanko_status(sealed(issued, uh_seal, tmp_path), [uh_seal.pki.ca])
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level is ModificationLevel.NONE
    assert status.signer_reported_dt == WHEN
    assert status.summary() == "INTACT:TRUSTED,UNTOUCHED"


def test_the_seal_is_an_update_that_keeps_the_certificate_and_its_pdfa_metadata(issued: Issued, uh_seal_rsa: Seal,
                                                                                tmp_path: Path) -> None:
    original = issued.pdf()
    data = sealed(issued, uh_seal_rsa, tmp_path)
    assert data.startswith(original)  # the rendered certificate, byte for byte, then the seal
    with pikepdf.open(io.BytesIO(original)) as before, pikepdf.open(io.BytesIO(data)) as after:
        assert dict(after.docinfo.items()) == dict(before.docinfo.items())  # Info and XMP still agree (PDF/A)
        assert after.Root.Metadata.read_bytes() == before.Root.Metadata.read_bytes()
        assert [str(i.S) for i in after.Root.OutputIntents] == ["/GTS_PDFA1"]
        assert sorted(after.attachments) == sorted(before.attachments)
        assert "/NeedAppearances" not in after.Root.AcroForm  # forbidden in PDF/A
        assert after.Root.AcroForm.SigFlags == 3
        assert after.Root.Extensions.ESIC.ExtensionLevel == 1  # the PAdES developer extension
        (field,) = after.Root.AcroForm.Fields
        assert (field.FT, field.Subtype, str(field.T)) == ("/Sig", "/Widget", "eSeal")
        assert [float(x) for x in field.Rect] == [0, 0, 0, 0]  # invisible
        assert int(field.F) == 132  # printable (PDF/A) and locked
        assert field.AP.N.Subtype == "/Form"
        assert field.V.SubFilter == "/ETSI.CAdES.detached" and field.V.Filter == "/Adobe.PPKLite"
        assert field.objgen in {a.objgen for a in after.pages[0].Annots}
        assert len(after.pages) == len(before.pages)


def test_a_sealed_certificate_still_verifies_by_its_qr_code_with_nothing_added(issued: Issued, uh_seal_rsa: Seal,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed(issued, uh_seal_rsa, tmp_path))
    verdict = verify(path, issued.trust, strict=True)  # strict: the seal itself is no addition
    assert verdict.reason is Reason.VALID, verdict.message
    assert verdict.warnings == ()
    assert verdict.eseal is not None and verdict.eseal.valid and verdict.eseal.trusted is None
    assert (verdict.eseal.form, verdict.eseal.level, verdict.eseal.signing_time) == ("PAdES", "B-B", WHEN)


def test_a_templated_signature_container_is_byte_for_byte_pyhankos_own(uh_seal: Seal, tmp_path: Path) -> None:
    """Each document's container is pyHanko's template with its digest and signature: the same bytes as
    pyHanko's Signer.async_sign gives for that document (RSA PKCS#1 v1.5 and ECDSA RFC 6979 are deterministic)."""
    digest = hashlib.sha256(b"a certificate's byte ranges").digest()
    with eseal_of(uh_seal, tmp_path).open() as opened:
        async def both() -> tuple[bytes, bytes]:
            template = await Template.of(opened.signer)
            ours = await signature_container(template, opened.signer, digest)
            theirs = await opened.signer.async_sign(digest, "sha256", use_pades=True)
            return ours, bytes(theirs.dump())

        ours, theirs = asyncio.run(both())
    assert ours == theirs


def test_the_same_certificate_seal_and_time_give_the_same_bytes(issued: Issued, uh_seal: Seal,
                                                                tmp_path: Path) -> None:
    """Reproducible where the algorithm allows: RSA PKCS#1 v1.5, and ECDSA with RFC 6979 nonces."""
    first, again = sealed(issued, uh_seal, tmp_path), sealed(issued, uh_seal, tmp_path)
    assert first == again
    assert sealed(issued, uh_seal, tmp_path, when=WHEN + timedelta(seconds=1)) != first


def test_a_batch_seals_every_pdf_and_fails_only_the_one_that_cannot_be(issued: Issued, uh_seal_rsa: Seal,
                                                                       tmp_path: Path) -> None:
    with eseal_of(uh_seal_rsa, tmp_path).open() as opened:
        out = seal_pdfs(opened, [issued.pdf(1), b"%PDF-1.7\nnot really a PDF", issued.pdf(2)], WHEN)
    assert isinstance(out[1], SealError) and "cannot be sealed" in str(out[1])
    for data in (out[0], out[2]):
        assert isinstance(data, bytes)
        check = check_pades(data)
        assert check is not None and check.valid


def test_an_encrypted_pdf_is_not_sealed(issued: Issued, tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(issued.pdf())) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="", R=6))
    with pytest.raises(SealError, match="encrypted"):
        prepare_update(out.getvalue(), WHEN, 8192, b"salt")


def test_a_timestamped_seal_is_b_t_and_pyhanko_trusts_its_timestamp(issued: Issued, uh_seal_rsa: Seal,
                                                                    tsa_url: str, tmp_path: Path) -> None:
    eseal = check_eseal(eseal_of(uh_seal_rsa, tmp_path, tsa_url), issued.consortium.issuer, NOW)
    with eseal.open() as opened:
        data = seal_pdf(opened, issued.pdf(), WHEN)
    status = pyhanko_status(data, [uh_seal_rsa.pki.ca])
    stamp = status.timestamp_validity
    assert status.bottom_line and stamp is not None and (stamp.intact, stamp.valid, stamp.trusted) == (True,) * 3
    assert abs(stamp.timestamp - datetime.now(timezone.utc)) < timedelta(minutes=5)  # the TSA's time, not ours
    path = tmp_path / "b-t.pdf"
    path.write_bytes(data)
    assert "Signature is Valid." in pdfsig(path)
    verdict = verify(path, issued.trust, trust_roots=[uh_seal_rsa.pki.ca])
    assert verdict.valid and verdict.eseal is not None and verdict.eseal.level == "B-T"
    assert verdict.eseal.timestamp == stamp.timestamp


# -- what verify says of a sealed PDF ------------------------------------------------------------------------------


@pytest.mark.allow_log_warnings  # pyHanko logs why it found no path to the other root
def test_trust_roots_decide_whether_the_chain_is_trusted(issued: Issued, uh_seal: Seal, pki_rsa: Pki,
                                                         pki_ec: Pki, tmp_path: Path) -> None:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed(issued, uh_seal, tmp_path))
    own = uh_seal.pki.roots_pem(tmp_path / "own.pem")
    other = (pki_ec if uh_seal.pki is pki_rsa else pki_rsa).roots_pem(tmp_path / "other.pem")
    trusted = verify(path, issued.trust, trust_roots=own)
    assert trusted.valid and trusted.eseal is not None and trusted.eseal.trusted is True
    assert trusted.eseal.chain == "reaches a trust root"
    untrusted = verify(path, issued.trust, trust_roots=other)
    assert untrusted.reason is Reason.ESEAL_NOT_TRUSTED
    assert untrusted.eseal is not None and untrusted.eseal.trusted is False and untrusted.eseal.intact
    assert untrusted.fields["name"]  # the QR code's facts are still shown: both verdicts
    unchecked = verify(path, issued.trust)
    assert unchecked.valid and unchecked.eseal is not None and unchecked.eseal.chain.startswith("not checked")


def test_with_trust_roots_a_pdf_without_an_eseal_is_not_valid(issued: Issued, pki_rsa: Pki, tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(issued.pdf())
    assert verify(plain, issued.trust).valid  # a certificate issued without an eSeal, as before
    verdict = verify(plain, issued.trust, trust_roots=pki_rsa.roots_pem(tmp_path / "roots.pem"))
    assert verdict.reason is Reason.ESEAL_NOT_TRUSTED and "carries no eSeal" in verdict.detail


def test_a_seal_of_another_organisation_is_not_the_issuers(issued: Issued, pki_rsa: Pki, tmp_path: Path) -> None:
    bologna = pki_rsa.seal("University of Bologna", "VATIT-01131710376")
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed(issued, bologna, tmp_path))
    verdict = verify(path, issued.trust, trust_roots=[pki_rsa.ca])
    assert verdict.reason is Reason.ESEAL_NOT_TRUSTED
    assert ("sealed by 'University of Bologna', not by the certificate's issuer, University of Helsinki"
            in verdict.detail)


@pytest.mark.allow_log_warnings  # pyHanko logs why the certificate is not valid then
def test_a_seal_whose_certificate_had_expired_when_it_sealed_is_not_trusted(issued: Issued, pki_rsa: Pki,
                                                                           tmp_path: Path) -> None:
    old = pki_rsa.seal(not_after=WHEN - timedelta(days=1))  # sealed with it anyway, without unadocs' own check
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed(issued, old, tmp_path))
    verdict = verify(path, issued.trust)
    assert verdict.reason is Reason.ESEAL_NOT_TRUSTED
    assert verdict.eseal is not None and "not valid at the signing time" in verdict.eseal.problem


def _with_attachment(data: bytes) -> bytes:
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    embed.embed_file(writer, embed.FileSpec(file_spec_string="payroll.xlsx.exe",
                                            embedded_data=embed.EmbeddedFileObject.from_file_data(writer, b"MZ")))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_javascript(data: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    action = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/S"): generic.pdf_name("/JavaScript"),
        generic.pdf_name("/JS"): generic.pdf_string("app.launchURL('https://evil.example/');")}))
    writer.root["/OpenAction"] = action
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rewritten(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out)  # qpdf writes the whole file anew: same objects, new offsets
        return out.getvalue()


def _title_changed(data: bytes) -> bytes:
    """A byte of the rendered certificate (its document title) changed in place, lengths kept."""
    at = data.index(b"/Title")
    changed = bytearray(data)
    changed[at + 10] ^= 0x01
    return bytes(changed)


@pytest.mark.allow_log_warnings  # pyHanko logs its reasons for rejecting the changed files
@pytest.mark.parametrize(("change", "reason"), [
    (_with_attachment, r"the file was changed after sealing: .*(EmbeddedFiles|unexplained xrefs)"),
    (_with_javascript, r"the file was changed after sealing: .*/OpenAction"),
    (_rewritten, r"the seal does not match the file"),
    (_title_changed, r"the seal does not match the file"),
], ids=["attachment", "javascript", "rewritten", "byte-changed"])
def test_a_pdf_changed_after_sealing_is_not_valid(change: Any, reason: str, issued: Issued, uh_seal_rsa: Seal,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "changed.pdf"
    path.write_bytes(change(sealed(issued, uh_seal_rsa, tmp_path)))
    verdict = verify(path, issued.trust, trust_roots=[uh_seal_rsa.pki.ca])
    assert verdict.reason is Reason.MODIFIED, verdict.message
    assert verdict.eseal is not None and not verdict.eseal.valid
    assert re.search(reason, verdict.eseal.problem), verdict.eseal.problem
    assert verdict.detail.startswith("its eSeal: ")


@pytest.mark.allow_log_warnings
def test_pdfsig_also_sees_a_pdf_changed_after_sealing(issued: Issued, uh_seal_rsa: Seal, tmp_path: Path) -> None:
    path = tmp_path / "changed.pdf"
    path.write_bytes(_title_changed(sealed(issued, uh_seal_rsa, tmp_path)))
    assert "Signature is Invalid" in pdfsig(path) or "Digest Mismatch" in pdfsig(path)


def test_a_seal_that_cannot_be_read_is_not_taken_for_no_seal(issued: Issued, uh_seal_rsa: Seal,
                                                              tmp_path: Path) -> None:
    """A forger who breaks the signature container does not get an unsealed certificate's verdict."""
    data = bytearray(sealed(issued, uh_seal_rsa, tmp_path))
    start = data.index(b"/Contents <", len(issued.pdf())) + len(b"/Contents <")
    data[start: start + 64] = b"F" * 64  # the container's first bytes: no longer DER
    path = tmp_path / "broken.pdf"
    path.write_bytes(bytes(data))
    verdict = verify(path, issued.trust)
    assert verdict.reason is Reason.MODIFIED
    assert verdict.eseal is not None and "cannot be read" in verdict.eseal.problem


def test_trust_roots_must_be_pem_certificates(tmp_path: Path) -> None:
    from unadocs.seal.eseal_check import load_trust_roots

    for content in (b"", b"not PEM", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"):
        path = tmp_path / "roots.pem"
        path.write_bytes(content)
        with pytest.raises(SealError, match="not a PEM file of certificates"):
            load_trust_roots(path)
    with pytest.raises(SealError, match="larger than 4 MB"):
        load_trust_roots("/dev/zero")


def test_many_revisions_after_the_seal_are_a_change_not_analysed_one_by_one(issued: Issued, uh_seal_rsa: Seal,
                                                                           tmp_path: Path) -> None:
    """A forger cannot make the verifier run pyHanko's difference analysis over thousands of revisions."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = sealed(issued, uh_seal_rsa, tmp_path)
    for _ in range(20):
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        writer.update_root()
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    check = check_pades(data)
    assert check is not None and not check.valid and "20 revisions were appended" in check.problem
