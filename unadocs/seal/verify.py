"""The verdict on a certificate: is its seal genuine, and does it still stand?

The checks run in this order, and the first that fails gives the reason:

1. **malformed**: the input holds no token: a link without one, text not
   shaped like a token, an image without a QR code, an unreadable file,
   a payload of another format version;
2. **bad-signature** when the token is shaped right but its payload cannot
   be read (it was altered after sealing; see :mod:`unadocs.seal.payload`);
3. **unknown-key**: the trust list has no key with the payload's key id;
4. **bad-signature**: the signature does not match the payload (tampered);
5. **key-not-valid-on-date**: the issue date is outside the key's validity;
6. **revoked**: the trust list revokes the credential id;
7. **specimen**: the payload is a specimen (draft agreement), never valid;
8. **record-mismatch**: the PDF's QR codes and verification links do not
   all carry the same token; or a record was given (or is embedded in the
   PDF) and its SHA-256 is not the one the payload binds; a PDF without an
   embedded JSON record also fails here.

Signature first, then the facts the signature vouches for: a verdict about
dates, revocation, specimen or the record is only reached for a genuine
payload, and only then are ``fields`` filled. The browser verifier applies
the same order, so both give the same reason (``tests/vectors``).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from unadocs.seal.payload import MAX_TOKEN_LENGTH, CorruptPayload, MalformedToken, Payload, open_token, record_digest
from unadocs.seal.trust import TrustList
from unadocs.seal.vcjwt import OpenedJwt, looks_like_jwt, open_jwt

__all__ = ["Input", "Reason", "Verification", "read_input", "verify"]

#: Files larger than this are not certificates (a certificate PDF is well under 5 MB).
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: A phone photo is 12 to 50 megapixels; larger images are refused before they are decoded.
MAX_IMAGE_PIXELS = 64_000_000
#: An Open Badges VC-JWT (``<learner_id>.ob3.jwt``) is a few kB; longer text is not one.
MAX_JWT_LENGTH = 256 * 1024


class Reason(StrEnum):
    """Why a certificate is or is not valid."""

    VALID = "valid"
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown-key"
    BAD_SIGNATURE = "bad-signature"
    KEY_NOT_VALID_ON_DATE = "key-not-valid-on-date"
    REVOKED = "revoked"
    SPECIMEN = "specimen"
    RECORD_MISMATCH = "record-mismatch"


_MESSAGES = {
    Reason.VALID: "The seal is genuine, the issuer's key was valid on the issue date "
                  "and the certificate is not revoked.",
    Reason.MALFORMED: "This is not a readable certificate code, link or file.",
    Reason.UNKNOWN_KEY: "It was sealed with a key that is not in the trust list: an unknown issuer key.",
    Reason.BAD_SIGNATURE: "The seal does not match the data: it was tampered with or corrupted.",
    Reason.KEY_NOT_VALID_ON_DATE: "The issuer's key was not valid on the certificate's issue date.",
    Reason.REVOKED: "The issuer has revoked this certificate.",
    Reason.SPECIMEN: "This is a specimen, issued under a draft agreement; it certifies nothing.",
    Reason.RECORD_MISMATCH: "The certificate's record does not match the sealed data.",
}


@dataclass(frozen=True)
class Verification:
    """The verdict. ``fields`` holds the payload's facts only once its signature is genuine, else it is empty."""

    reason: Reason
    detail: str = ""
    """A specific explanation, e.g. which key id was unknown; may be empty."""
    fields: dict[str, Any] = field(default_factory=dict)
    payload: Payload | None = None

    @property
    def valid(self) -> bool:
        return self.reason is Reason.VALID

    @property
    def message(self) -> str:
        """A plain-English explanation of the reason, with the detail when there is one."""
        base = _MESSAGES[self.reason]
        return f"{base} ({self.detail})" if self.detail else base

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: valid, reason, message, fields."""
        return {"valid": self.valid, "reason": str(self.reason), "message": self.message, "fields": self.fields}


def verify(
    input: str | bytes | Path, trust: TrustList | Path | str, *, record: bytes | None = None
) -> Verification:
    """Verify a certificate given as a token, a verification link, a QR image (PNG/JPEG) or a certificate PDF.

    ``input`` as ``str`` is the token or link, or the path of an existing
    file; ``Path`` is a file; ``bytes`` is a file's content. ``trust`` is a
    :class:`TrustList` or the path of one. ``record`` is the canonical record
    JSON to check against the payload; a PDF's embedded record is used when
    none is given.

    Never raises for bad *input* (that is the ``malformed`` verdict); a
    missing or broken trust list is a :class:`SealError`.
    """
    trust_list = trust if isinstance(trust, TrustList) else TrustList.load(trust)
    try:
        token, embedded_records, conflict = read_input(input)
        if looks_like_jwt(token):  # an Open Badges VC-JWT (three parts; a token has two)
            return _judge_jwt(open_jwt(token), trust_list, record)
        payload, signed, signature = open_token(token)
    except CorruptPayload as exc:
        return Verification(Reason.BAD_SIGNATURE, str(exc))
    except MalformedToken as exc:
        return Verification(Reason.MALFORMED, str(exc))
    if record is not None:
        embedded_records = [record]
    return _judge(payload, signed, signature, trust_list, embedded_records, conflict)


def _judge(
    payload: Payload, signed: bytes, signature: bytes, trust: TrustList, records: list[bytes] | None,
    conflict: str | None = None,
) -> Verification:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = trust.key(payload.key_id)
    if key is None:
        return Verification(Reason.UNKNOWN_KEY, f"key id {payload.key_id}")
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key_bytes).verify(signature, signed)
    except (InvalidSignature, ValueError):
        return Verification(Reason.BAD_SIGNATURE)

    fields = {
        "name": payload.name,
        "title": payload.title,
        "issued": payload.issued.isoformat(),
        "ects": payload.ects,
        "eqf": payload.eqf,
        "awarding": list(payload.awarding),
        "issuer": key.issuer,
        "credential_id": payload.credential_id,
        "key_id": payload.key_id,
        "specimen": payload.specimen,
    }

    def verdict(reason: Reason, detail: str = "") -> Verification:
        return Verification(reason, detail, fields, payload)

    if not key.valid_on(payload.issued):
        return verdict(
            Reason.KEY_NOT_VALID_ON_DATE,
            f"issued {payload.issued}; key {key.key_id} of {key.issuer} is valid {key.valid_from} to {key.valid_until}",
        )
    revocation = trust.revocation(payload.credential_id)
    if revocation is not None:
        why = ", ".join(x for x in (revocation.reason, revocation.date and f"on {revocation.date}") if x)
        return verdict(Reason.REVOKED, why)
    if payload.specimen:
        return verdict(Reason.SPECIMEN)
    if conflict is not None:
        return verdict(Reason.RECORD_MISMATCH, conflict)
    if records is not None:
        if not records:
            return verdict(Reason.RECORD_MISMATCH, "the PDF carries no embedded JSON record")
        if not any(record_digest(r) == payload.record_sha256 for r in records):
            return verdict(Reason.RECORD_MISMATCH)
    return verdict(Reason.VALID)


def _jwt_fields(opened: OpenedJwt, issuer: str) -> dict[str, Any]:
    """The facts of an Open Badges credential, named as a certificate's fields are."""
    vc = opened.credential
    subject = vc.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    names = [i.get("identityHash") for i in subject.get("identifier") or [] if i.get("identityType") == "name"]
    eqf = [a.get("targetCode") for a in achievement.get("alignment") or [] if a.get("targetCode")]
    credits = achievement.get("creditsAvailable")
    return {
        "name": names[0] if names else "",
        "title": achievement.get("name", ""),
        "issued": opened.issued.isoformat(),
        "ects": format(credits, "g") if isinstance(credits, int | float) else "",
        "eqf": int(eqf[0]) if eqf and str(eqf[0]).isdigit() else None,
        "awarding": [(vc.get("issuer") or {}).get("name", "")] + [
            (e.get("issuer") or {}).get("name", "") for e in achievement.get("endorsement") or []],
        "issuer": issuer,
        "credential_id": str(opened.claims.get("jti", "")).removeprefix("urn:uuid:"),
        "key_id": opened.key_id,
        "specimen": opened.claims["unadocs"]["specimen"],
    }


def _judge_jwt(opened: OpenedJwt, trust: TrustList, record: bytes | None) -> Verification:
    """The verdict on an Open Badges VC-JWT, in the same order of checks as a certificate token."""
    from unadocs.seal.vcjwt import verify_signature

    key = trust.key(opened.key_id)
    if key is None:
        return Verification(Reason.UNKNOWN_KEY, f"key id {opened.key_id}")
    if not verify_signature(opened, key.public_key):
        return Verification(Reason.BAD_SIGNATURE)
    fields = _jwt_fields(opened, key.issuer)

    def verdict(reason: Reason, detail: str = "") -> Verification:
        return Verification(reason, detail, fields)

    if not key.valid_on(opened.issued):
        return verdict(Reason.KEY_NOT_VALID_ON_DATE, f"issued {opened.issued}; key {key.key_id} of {key.issuer} "
                                                     f"is valid {key.valid_from} to {key.valid_until}")
    revocation = trust.revocation(fields["credential_id"])
    if revocation is not None:
        why = ", ".join(x for x in (revocation.reason, revocation.date and f"on {revocation.date}") if x)
        return verdict(Reason.REVOKED, why)
    if fields["specimen"]:
        return verdict(Reason.SPECIMEN)
    if record is not None and record_digest(record) != opened.claims["unadocs"].get("record_sha256"):
        return verdict(Reason.RECORD_MISMATCH)
    return verdict(Reason.VALID)


# -- reading the input ---------------------------------------------------------


class Input(NamedTuple):
    """What an input holds: the token, and for a PDF its JSON attachments and any conflict between its codes."""

    token: str
    records: list[bytes] | None = None
    conflict: str | None = None
    """Why the PDF's QR codes and verification links do not all carry the same token, if they do not."""


def read_input(input: str | bytes | Path) -> Input:
    """The token text in ``input`` and, for a PDF, its embedded JSON records.

    :class:`MalformedToken` when the input holds no token.
    """
    if isinstance(input, str):
        if len(input) < 4096 and _is_file(Path(input)):
            input = Path(input)
        else:
            return Input(input)
    if isinstance(input, Path):
        try:
            with input.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise MalformedToken(f"cannot read {input}: {exc.strerror or exc}") from None
    elif isinstance(input, (bytes, bytearray, memoryview)):
        data = bytes(input)
    else:
        raise MalformedToken(f"cannot verify a {type(input).__name__}")
    if len(data) > MAX_INPUT_BYTES:
        raise MalformedToken("the file is too large to be a certificate")
    if data.startswith(b"%PDF-"):
        return _read_pdf(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return Input(_read_image(data))
    if len(data) <= MAX_JWT_LENGTH and looks_like_jwt(text := data.decode("ascii", errors="replace")):
        return Input(text.strip())
    if len(data) <= MAX_TOKEN_LENGTH:
        try:
            return Input(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    raise MalformedToken("not a token, verification link, QR image (PNG or JPEG) or certificate PDF")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read_image(data: bytes) -> str:
    import warnings

    from PIL import Image

    too_large = MalformedToken(f"the image is larger than {MAX_IMAGE_PIXELS // 1_000_000} megapixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise too_large
                image.load()
                return _decode_qr(image)
    except MalformedToken:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise too_large from None
    except Exception:  # noqa: BLE001
        # Pillow and zxing-cpp parse an untrusted file: whatever they raise means "not readable", never a crash.
        raise MalformedToken("the image cannot be read") from None


def _decode_qr(image: Any) -> str:
    """The text of the QR code in a PIL image that holds a token; the first such code if there are several."""
    import zxingcpp

    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    texts = [r.text for r in zxingcpp.read_barcodes(image, formats=qr_only) if r.valid]
    if not texts:
        raise MalformedToken("no QR code found in the image")
    return _first_token(texts) or texts[0]


def _first_token(candidates: list[str]) -> str | None:
    """The first candidate that opens as a token, else the first shaped like one (a tampered token), else None."""
    shaped = None
    for text in candidates:
        try:
            open_token(text)
        except CorruptPayload:
            shaped = shaped or text
            continue
        except MalformedToken:
            continue
        return text
    return shaped


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's repair warnings while reading an untrusted PDF.

    The verdict already says whether the file is readable; pypdf's notes
    ("EOF marker not found") would only reach the user as stray stderr lines.
    """
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(data: bytes) -> Input:
    """The token of a certificate PDF, its JSON attachments, and whether its codes agree.

    The token is read from the QR code images of the first two pages (what a
    phone sees), else from the link annotations. Every token-shaped link and
    code must carry the same token: a PDF whose printed code and link differ
    has been tampered with, and is a record mismatch.
    """
    from pypdf import PdfReader

    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            records = [
                content
                for name, contents in sorted(reader.attachments.items())
                if name.lower().endswith(".json")
                for content in contents
            ]
            links: list[str] = []
            for page in reader.pages:
                for annot in page.get("/Annots") or []:
                    obj = annot.get_object()
                    action = obj.get("/A")
                    uri = action.get_object().get("/URI") if action is not None else None
                    if isinstance(uri, (str, bytes)):
                        links.append(uri.decode("latin-1") if isinstance(uri, bytes) else str(uri))
            codes = _tokens_from_pdf_images(reader)
    except MalformedToken:
        raise
    except Exception as exc:  # noqa: BLE001
        # pypdf parses an untrusted file: whatever it raises means "not readable", never a crash.
        raise MalformedToken(f"the PDF cannot be read ({type(exc).__name__})") from None
    token = _first_token(codes) or _first_token(links)
    if token is None:
        raise MalformedToken("the PDF carries no verification link or QR code")
    carried = {_fragment(t) for t in codes + links if _is_token_shaped(t)}
    conflict = "the PDF's QR codes and verification links carry different tokens" if len(carried) > 1 else None
    return Input(token, records, conflict)


def _fragment(text: str) -> str:
    return text.strip().split("#", 1)[-1]


def _is_token_shaped(text: str) -> bool:
    try:
        open_token(text)
    except CorruptPayload:
        return True
    except MalformedToken:
        return False
    return True


def _tokens_from_pdf_images(reader: Any) -> list[str]:
    """The texts of the QR codes in the images of the first two pages (front and back)."""
    texts: list[str] = []
    for page in reader.pages[:2]:
        for image in page.images:
            try:
                texts.append(_decode_qr(image.image))
            except Exception:  # noqa: BLE001 - an undecodable image is just not the QR code
                continue
    return texts
