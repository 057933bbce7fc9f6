"""Verification: every reason, in the documented order, from tokens, links, images and PDFs."""

from __future__ import annotations

import json

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from tests.seal.conftest import BASE_URL, RECORD
from unadocs.errors import SealError
from unadocs.seal.keys import Signer
from unadocs.seal.payload import Payload, seal, verification_link
from unadocs.seal.qr import qr_png
from unadocs.seal.trust import Revocation, TrustedKey, TrustList
from unadocs.seal.verify import Reason, Verification, verify

MakePayload = Callable[..., Payload]


def _flip(text: str, index: int) -> str:
    return text[:index] + ("B" if text[index] != "B" else "C") + text[index + 1:]


def test_a_genuine_link_is_valid_with_its_fields(make_payload: MakePayload, signer: Signer, trust: TrustList) -> None:
    result = verify(verification_link(BASE_URL, seal(make_payload(), signer)), trust)
    assert (result.valid, result.reason) == (True, Reason.VALID)
    assert result.fields == {
        "name": "Zoë Łukasiewicz", "title": "Micro-credential in Sustainability", "issued": "2026-06-30",
        "ects": "10", "eqf": 7, "awarding": ["UH", "UNIBO", "UJ"], "issuer": "UH",
        "credential_id": "7c9e6679-7425-50de-944b-e07fc1f90ae7", "key_id": signer.key_id, "specimen": False,
        "sealed": "2026-07-01",
    }
    assert result.message.startswith("The seal is genuine")


def test_the_trust_list_may_be_given_as_a_path(make_payload: MakePayload, signer: Signer, trust: TrustList,
                                               tmp_path: Path) -> None:
    trust.save(tmp_path / "trust.json")
    token = seal(make_payload(), signer)
    assert verify(token, tmp_path / "trust.json").valid
    assert verify(token, str(tmp_path / "trust.json")).valid


def test_a_missing_trust_list_is_an_error_not_a_verdict(tmp_path: Path) -> None:
    with pytest.raises(SealError, match="trust list not found"):
        verify("abc", tmp_path / "none.json")


@pytest.mark.parametrize("index", [10, 40, 100])
def test_one_character_changed_in_the_payload_is_a_bad_signature(make_payload: MakePayload, signer: Signer,
                                                                 trust: TrustList, index: int) -> None:
    token = seal(make_payload(), signer)
    result = verify(_flip(token, index), trust)
    assert (result.valid, result.reason, result.fields) == (False, Reason.BAD_SIGNATURE, {})
    assert "tampered" in result.message


def test_one_character_changed_in_the_signature_is_a_bad_signature(make_payload: MakePayload, signer: Signer,
                                                                   trust: TrustList) -> None:
    token = seal(make_payload(), signer)
    assert verify(_flip(token, len(token) - 20), trust).reason is Reason.BAD_SIGNATURE


def test_another_issuers_key_is_unknown(make_payload: MakePayload, other_signer: Signer, trust: TrustList) -> None:
    result = verify(seal(make_payload(key_id=other_signer.key_id), other_signer), trust)
    assert (result.reason, result.fields) == (Reason.UNKNOWN_KEY, {})
    assert other_signer.key_id in result.message


def test_a_key_listed_under_the_same_id_but_another_public_key_cannot_exist(signer: Signer,
                                                                            other_signer: Signer) -> None:
    forged = {"issuer": "UH", "key_id": signer.key_id, "public_key": other_signer.public_key,
              "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    with pytest.raises(SealError, match="is not the id of this public key"):
        TrustList.from_json(json.dumps({"format": "unadocs-trust-list/1", "keys": [forged]}))


@pytest.mark.parametrize("issued", [date(2025, 12, 31), date(2027, 1, 1)])
def test_issue_date_outside_the_keys_validity(make_payload: MakePayload, signer: Signer, trust: TrustList,
                                              issued: date) -> None:
    result = verify(seal(make_payload(issued=issued, sealed=issued), signer), trust, today=date(2027, 6, 1))
    assert result.reason is Reason.KEY_NOT_VALID_ON_DATE and not result.valid
    assert "valid 2026-01-01 to 2026-12-31" in result.message and result.fields["issued"] == issued.isoformat()


@pytest.mark.parametrize("issued", [date(2026, 1, 1), date(2026, 12, 31)])
def test_the_keys_first_and_last_days_are_valid(make_payload: MakePayload, signer: Signer, trust: TrustList,
                                                issued: date) -> None:
    assert verify(seal(make_payload(issued=issued, sealed=issued), signer), trust, today=date(2027, 6, 1)).valid


def test_a_revoked_credential(make_payload: MakePayload, signer: Signer, trust: TrustList) -> None:
    payload = make_payload()
    revoked = trust.with_revocation(Revocation(credential_id=payload.credential_id, reason="issued in error", date=date(2026, 7, 1)))
    result = verify(seal(payload, signer), revoked)
    assert (result.valid, result.reason) == (False, Reason.REVOKED)
    assert "(issued in error, on 2026-07-01)" in result.message
    assert verify(seal(make_payload(credential_id="another"), signer), revoked).valid


def test_a_specimen_is_never_valid(make_payload: MakePayload, signer: Signer, trust: TrustList) -> None:
    result = verify(seal(make_payload(specimen=True), signer), trust)
    assert (result.valid, result.reason, result.fields["specimen"]) == (False, Reason.SPECIMEN, True)


def test_a_record_is_checked_against_the_payload(make_payload: MakePayload, signer: Signer, trust: TrustList) -> None:
    token = seal(make_payload(), signer)
    assert verify(token, trust, record=RECORD).valid
    assert verify(token, trust, record=RECORD + b" ").reason is Reason.RECORD_MISMATCH


def test_checks_run_in_the_documented_order(make_payload: MakePayload, signer: Signer, trust: TrustList) -> None:
    """Expired key, revoked, specimen and a wrong record all at once: the key's validity wins, and so on."""
    payload = make_payload(issued=date(2027, 1, 1), sealed=date(2027, 1, 1), specimen=True)
    everything = trust.with_revocation(Revocation(credential_id=payload.credential_id))
    token = seal(payload, signer)
    assert verify(token, everything, record=b"x", today=date(2027, 6, 1)).reason is Reason.KEY_NOT_VALID_ON_DATE
    token = seal(make_payload(specimen=True), signer)
    assert verify(token, everything, record=b"x").reason is Reason.REVOKED
    assert verify(token, trust, record=b"x").reason is Reason.SPECIMEN
    assert verify(_flip(token, 20), TrustList()).reason is Reason.BAD_SIGNATURE  # unreadable: no key to look up


# -- images -----------------------------------------------------------------------


def _png(link: str) -> bytes:
    return qr_png(link, scale=4)


def test_a_png_of_the_qr_code_verifies(make_payload: MakePayload, signer: Signer, trust: TrustList,
                                       tmp_path: Path) -> None:
    path = tmp_path / "qr.png"
    path.write_bytes(_png(verification_link(BASE_URL, seal(make_payload(), signer))))
    assert verify(path, trust).valid
    assert verify(str(path), trust).valid
    assert verify(path.read_bytes(), trust).valid


def test_a_photo_like_jpeg_scan_verifies(make_payload: MakePayload, signer: Signer, trust: TrustList) -> None:
    """Greyish paper, a slight rotation, blur and JPEG artefacts, on a larger page."""
    code = Image.open(io.BytesIO(_png(verification_link(BASE_URL, seal(make_payload(), signer)))))
    page = Image.new("RGB", (code.width + 300, code.height + 400), (236, 232, 222))
    page.paste(code.convert("RGB"), (120, 200))
    photo = page.rotate(4, resample=Image.Resampling.BICUBIC, fillcolor=(236, 232, 222)).filter(
        ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=60)
    assert verify(buffer.getvalue(), trust).valid


def test_an_image_of_a_tampered_link_is_a_bad_signature(make_payload: MakePayload, signer: Signer,
                                                        trust: TrustList) -> None:
    link = verification_link(BASE_URL, seal(make_payload(), signer))
    assert verify(_png(_flip(link, len(BASE_URL) + 30)), trust).reason is Reason.BAD_SIGNATURE


def test_an_image_without_a_qr_code_is_malformed(trust: TrustList) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buffer, format="PNG")
    result = verify(buffer.getvalue(), trust)
    assert (result.reason, result.detail) == (Reason.MALFORMED, "no QR code found in the image")


def test_a_qr_code_of_something_else_is_malformed(trust: TrustList) -> None:
    assert verify(qr_png("https://example.org/not-a-certificate", scale=4), trust).reason is Reason.MALFORMED


def test_a_huge_image_is_refused_before_decoding(trust: TrustList) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 10_000, 10_000, 8, 0, 0, 0, 0)  # 100 megapixels, declared only
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    result = verify(png, trust)
    assert (result.reason, result.detail) == (Reason.MALFORMED, "the image is larger than 64 megapixels")


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\nbroken", b"\xff\xd8\xff\xe0broken", b"\x89PNG\r\n\x1a\n"])
def test_a_broken_image_is_malformed(trust: TrustList, data: bytes) -> None:
    result = verify(data, trust)
    assert (result.reason, result.detail) == (Reason.MALFORMED, "the image cannot be read")


# -- PDFs ---------------------------------------------------------------------------


def _pdf(link: str | None, attachments: dict[str, bytes], *, image: bytes | None = None) -> bytes:
    """A small PDF made with pikepdf: a page (showing ``image``), a link annotation and attachments."""
    import pikepdf

    if image is not None:
        buffer = io.BytesIO()
        Image.open(io.BytesIO(image)).convert("RGB").save(buffer, format="PDF")
        pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    else:
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(595, 842))
    if link is not None:
        action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(link))
        annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                        Rect=[50, 50, 150, 150], A=action)
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))
    for name, data in attachments.items():
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def link(make_payload: MakePayload, signer: Signer) -> str:
    return verification_link(BASE_URL, seal(make_payload(), signer))


def test_a_pdf_with_its_link_and_record_verifies(link: str, trust: TrustList, tmp_path: Path) -> None:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(_pdf(link, {"L-001.json": RECORD}))
    result = verify(path, trust)
    assert result.valid, result.message
    assert result.fields["name"] == "Zoë Łukasiewicz"


def test_a_pdf_whose_record_was_changed_is_a_record_mismatch(link: str, trust: TrustList) -> None:
    changed = RECORD.replace(b"Sustainability", b"Sustainabilitx")
    assert verify(_pdf(link, {"L-001.json": changed}), trust).reason is Reason.RECORD_MISMATCH


def test_a_pdf_without_a_record_is_a_record_mismatch(link: str, trust: TrustList) -> None:
    result = verify(_pdf(link, {"notes.txt": RECORD}), trust)
    assert (result.reason, result.detail) == (Reason.RECORD_MISMATCH, "the PDF carries no embedded JSON record")


def test_a_record_given_explicitly_takes_precedence_over_the_embedded_one(link: str, trust: TrustList) -> None:
    pdf = _pdf(link, {"L-001.json": RECORD})
    assert verify(pdf, trust, record=b"{}").reason is Reason.RECORD_MISMATCH


def test_a_pdf_with_a_tampered_link_is_a_bad_signature(link: str, trust: TrustList) -> None:
    assert verify(_pdf(_flip(link, len(BASE_URL) + 30), {"L-001.json": RECORD}), trust).reason is Reason.BAD_SIGNATURE


def test_a_pdf_with_only_the_qr_image_is_read_from_the_image(link: str, trust: TrustList) -> None:
    result = verify(_pdf(None, {"L-001.json": RECORD}, image=qr_png(link, scale=4)), trust)
    assert result.valid, result.message


def test_a_pdf_whose_qr_code_and_link_agree_verifies(link: str, trust: TrustList) -> None:
    assert verify(_pdf(link, {"L-001.json": RECORD}, image=qr_png(link, scale=4)), trust).valid


def test_a_pdf_whose_printed_code_and_link_carry_different_tokens_is_a_mismatch(
    make_payload: MakePayload, signer: Signer, link: str, trust: TrustList
) -> None:
    """Both genuine, for two learners: the printed code is what a phone sees, so it is the one judged."""
    other = verification_link(BASE_URL, seal(make_payload(credential_id="other", name="Someone Else"), signer))
    result = verify(_pdf(other, {"L-001.json": RECORD}, image=qr_png(link, scale=4)), trust)
    assert (result.reason, result.fields["name"]) == (Reason.RECORD_MISMATCH, "Zoë Łukasiewicz")
    assert result.detail == "the PDF's QR codes and verification links carry different tokens"


def test_a_pdf_without_link_or_code_is_malformed(trust: TrustList) -> None:
    result = verify(_pdf("https://example.org/", {}), trust)
    assert (result.reason, result.detail) == (Reason.MALFORMED, "the PDF carries no verification link or QR code")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF"])
def test_a_broken_pdf_is_malformed(trust: TrustList, data: bytes) -> None:
    assert verify(data, trust).reason is Reason.MALFORMED


# -- anything else --------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02", b"\xff" * 10, b"hello", "é".encode("latin-1")])
def test_other_bytes_are_malformed(trust: TrustList, data: bytes) -> None:
    assert verify(data, trust).reason is Reason.MALFORMED


def test_a_token_in_a_text_file_verifies(link: str, trust: TrustList, tmp_path: Path) -> None:
    path = tmp_path / "token.txt"
    path.write_text(link + "\n", encoding="utf-8")
    assert verify(path, trust).valid


def test_an_unreadable_path_is_malformed(trust: TrustList, tmp_path: Path) -> None:
    assert verify(tmp_path / "missing.png", trust).reason is Reason.MALFORMED
    assert verify(tmp_path, trust).reason is Reason.MALFORMED


def test_the_verdict_serialises_for_tools(link: str, trust: TrustList) -> None:
    result = verify(link, trust)
    assert result.as_dict() == {"valid": True, "reason": "valid", "message": result.message, "fields": result.fields,
                                "warnings": [], "link": link}
    assert Verification(Reason.MALFORMED).as_dict()["fields"] == {}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_verdict_never_an_exception(data: bytes) -> None:
    trust = TrustList()
    for candidate in (data, b"%PDF-" + data, b"\x89PNG\r\n\x1a\n" + data, b"\xff\xd8\xff" + data):
        assert isinstance(verify(candidate, trust), Verification)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gives_a_verdict_never_an_exception(text: str) -> None:
    assert verify(BASE_URL + "#" + text, TrustList()).reason in {Reason.MALFORMED, Reason.BAD_SIGNATURE,
                                                                 Reason.UNKNOWN_KEY}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_changed_character_never_verifies_as_a_different_payload(data: st.DataObject) -> None:
    signer = Signer.from_seed(b"U" * 32, "UH", valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    trust = TrustList().with_key(signer.trusted_key())
    payload = Payload(credential_id="c-1", name="Zoë Łukasiewicz", title="T", issued=date(2026, 6, 30), ects="10",
                      eqf=7, awarding=("UH",), issuer="UH", key_id=signer.key_id, sealed=date(2026, 7, 1),
                      record_sha256="A" * 43)
    token = seal(payload, signer)
    index = data.draw(st.integers(0, len(token) - 1))
    char = data.draw(st.sampled_from("ABCabc019-_."))
    result = verify(token[:index] + char + token[index + 1:], trust)
    assert result.reason is not Reason.VALID or result.payload == payload
