"""What a verifier is given: the token in a link, text, QR image or certificate PDF, and what else a PDF holds.

Everything here reads untrusted input. Sizes are bounded before anything is
decoded (the file, an image's pixels, an attachment's inflated bytes, the
objects of a PDF), and whatever a parsing library raises on a broken file
becomes :class:`MalformedToken` ("not readable"), never a crash.

For a PDF, :func:`read_input` also reports what was **added after unadocs
wrote it**: revisions appended after the one that holds the embedded record,
attachments besides the record, JavaScript or other active content, and
annotations other than the verification link. Without an eIDAS seal over
every byte such findings are warnings (``unadocs verify --strict`` makes them
an error): the QR code's seal binds the facts and the record, not the rest of
the file, and a file rewritten whole by another tool shows no trace of it.
A PDF with the university's PAdES seal is read as it was before the seal;
whatever changed after sealing breaks the seal, whose verdict
(:mod:`unadocs.seal.eseal_check`) then says so.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from unadocs.errors import CorruptPayload, MalformedToken
from unadocs.seal.payload import MAX_TOKEN_LENGTH, open_token
from unadocs.seal.vcjwt import looks_like_jwt

__all__ = ["MAX_IMAGE_PIXELS", "MAX_INPUT_BYTES", "MAX_JWT_LENGTH", "MAX_RECORD_BYTES", "Input", "read_input"]

#: Files larger than this are not certificates (a certificate PDF is well under 5 MB).
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: A phone photo is 12 to 50 megapixels; larger images are refused before they are decoded.
MAX_IMAGE_PIXELS = 64_000_000
#: An Open Badges VC-JWT (``<learner_id>.ob3.jwt``) is a few kB; longer text is not one.
MAX_JWT_LENGTH = 256 * 1024
#: A certificate record is a few kB; an attachment that inflates to more is not one.
MAX_RECORD_BYTES = 1024 * 1024
#: A certificate holds a few hundred objects; a PDF with more is not inspected object by object.
_MAX_OBJECTS = 100_000
#: How deep form XObjects are searched for the QR code's image.
_MAX_FORM_DEPTH = 4
#: Actions that run code, open files or send data.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/Rendition",
                   "/Movie", "/Sound", "/RichMediaExecute"}


class Input(NamedTuple):
    """What an input holds: the token, and for a PDF its JSON attachments, any conflict between its codes,
    and what was added to it after unadocs wrote it."""

    token: str
    records: list[bytes] | None = None
    conflict: str | None = None
    """Why the PDF's QR codes and verification links do not all carry the same token, if they do not."""
    additions: tuple[str, ...] = ()
    """What the PDF holds that unadocs did not write: later revisions, attachments, active content, annotations."""
    pdf: bytes | None = None
    """The whole PDF, when the input is one: its eIDAS seal is judged apart (:mod:`unadocs.seal.eseal_check`)."""


def read_input(input: str | bytes | Path) -> Input:
    """The token text in ``input`` and, for a PDF, its embedded JSON records and later additions.

    ``str`` is a token, a link, or the path of an existing file; ``Path`` a
    file; ``bytes`` a file's content. :class:`MalformedToken` when the input
    holds no token.
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
        return _read_sealed_pdf(data)
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


# -- images ----------------------------------------------------------------------------


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


def _is_token_shaped(text: str) -> bool:
    try:
        open_token(text)
    except CorruptPayload:
        return True
    except MalformedToken:
        return False
    return True


def _fragment(text: str) -> str:
    return text.strip().split("#", 1)[-1]


# -- PDF -------------------------------------------------------------------------------


def _read_sealed_pdf(data: bytes) -> Input:
    """A PDF read as unadocs wrote it: for a PDF with an eIDAS seal, the part before the seal (what was
    rendered; what came after the seal is the seal's verdict, not an addition to report here)."""
    from unadocs.seal.eseal_check import unsealed_part

    end = unsealed_part(data)
    return _read_pdf(data[:end] if end is not None else data)._replace(pdf=data)


def _read_pdf(data: bytes) -> Input:
    """The token of a certificate PDF, its JSON attachments, whether its codes agree, and later additions.

    The token is read from the QR code images of the first two pages (what a
    phone sees), else from the link annotations. Every token-shaped link and
    code must carry the same token: a PDF whose printed code and link differ
    has been tampered with, and is a record mismatch.
    """
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            attachments = _attachments(pdf)
            links, annotations = _annotations(pdf)
            codes = [text for page in list(pdf.pages)[:2] for text in _page_codes(page)]
            active = _active_content(pdf)
            record_objects = [objgen for _, _, objgen in attachments if objgen is not None]
    except MalformedToken:
        raise
    except Exception as exc:  # noqa: BLE001
        # qpdf parses an untrusted file: whatever it raises means "not readable", never a crash.
        raise MalformedToken(f"the PDF cannot be read ({type(exc).__name__})") from None
    records = [content for name, content, _ in attachments if name.lower().endswith(".json")]
    token = _first_token(codes) or _first_token(links)
    if token is None:
        raise MalformedToken("the PDF carries no verification link or QR code")
    carried = {_fragment(t) for t in codes + links if _is_token_shaped(t)}
    conflict = "the PDF's QR codes and verification links carry different tokens" if len(carried) > 1 else None

    additions: list[str] = []
    later = _revisions_after(data, record_objects)
    if later is None:
        additions.append("a damaged revision structure (the file was repaired to be read)")
    elif later:
        additions.append(f"{later} revision{'s' if later > 1 else ''} appended after the certificate was written "
                         "(an edit, a form fill, an overlay or a signature)")
    extra = [name for name, _, _ in attachments if not name.lower().endswith(".json")] + [
        name for name, _, _ in attachments if name.lower().endswith(".json")][1:]
    additions += [f"an attached file {name!r} besides the certificate record" for name in extra]
    additions += active
    additions += [f"a {kind} annotation" for kind in annotations]
    additions += [f"a link to {uri[:80]!r}" for uri in links if not _is_token_shaped(uri)]
    return Input(token, records, conflict, tuple(dict.fromkeys(additions)))


def _attachments(pdf: Any) -> list[tuple[str, bytes, tuple[int, int] | None]]:
    """The embedded files (name, bytes at most :data:`MAX_RECORD_BYTES`, object id of the stream)."""
    out = []
    for name, spec in sorted(pdf.attachments.items()):
        stream = spec.obj.get("/EF", {}).get("/F")
        if stream is None:
            continue
        out.append((str(name), _bounded_stream(stream), stream.objgen if stream.is_indirect else None))
    return out


def _bounded_stream(stream: Any) -> bytes:
    """A stream's decoded bytes, inflating at most :data:`MAX_RECORD_BYTES` (a zip bomb stops there)."""
    import pikepdf

    filters = stream.get("/Filter")
    names = [str(filters)] if isinstance(filters, pikepdf.Name) else [str(f) for f in filters or []]
    raw: bytes = stream.read_raw_bytes()
    if not names:
        return raw[: MAX_RECORD_BYTES + 1]
    if names != ["/FlateDecode"] or stream.get("/DecodeParms") is not None:
        return b""  # unadocs embeds its record plainly deflated; any other encoding is not its record
    try:
        return zlib.decompressobj().decompress(raw, MAX_RECORD_BYTES + 1)
    except zlib.error:
        return b""


def _annotations(pdf: Any) -> tuple[list[str], list[str]]:
    """The URIs of the link annotations, and the subtypes of every other annotation."""
    links: list[str] = []
    others: list[str] = []
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            subtype = str(annot.get("/Subtype", "/Unknown"))
            action = annot.get("/A")
            uri = action.get("/URI") if action is not None else None
            if subtype == "/Link" and uri is not None and str(action.get("/S", "")) == "/URI":
                links.append(bytes(uri).decode("latin-1") if not isinstance(uri, str) else uri)
                continue
            others.append(subtype.lstrip("/"))
    return links, others


def _page_codes(page: Any) -> Iterator[str]:
    """The texts of the QR codes in a page's images, looking into form XObjects too."""
    yield from _codes_in(page.obj.get("/Resources", {}), depth=0, seen=set())


def _codes_in(resources: Any, depth: int, seen: set[tuple[int, int]]) -> Iterator[str]:
    from pikepdf import PdfImage

    for _, xobject in (resources.get("/XObject") or {}).items():
        key = xobject.objgen
        if key in seen or not hasattr(xobject, "read_raw_bytes"):
            continue
        seen.add(key)
        subtype = str(xobject.get("/Subtype", ""))
        if subtype == "/Form" and depth < _MAX_FORM_DEPTH:
            yield from _codes_in(xobject.get("/Resources") or {}, depth + 1, seen)
        elif subtype == "/Image":
            width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
            if not 0 < width * height <= MAX_IMAGE_PIXELS:
                continue
            try:
                yield _decode_qr(PdfImage(xobject).as_pil_image())
            except Exception:  # noqa: BLE001 - an undecodable image is just not the QR code
                continue


def _active_content(pdf: Any) -> list[str]:
    """Descriptions of JavaScript, automatic actions and other active content anywhere in the file.

    Every indirect object is looked into, and the dictionaries and arrays it
    holds directly (an annotation's action is often such a direct object).
    """
    import pikepdf

    found: list[str] = []
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        found.append("document-level JavaScript")
    if "/OpenAction" in pdf.Root:
        found.append("an action run when the document opens")
    visited = 0
    for obj in pdf.objects:
        pending = [(obj, 0)]
        while pending:
            item, depth = pending.pop()
            visited += 1
            if visited > _MAX_OBJECTS:
                return [*found, "more objects than a certificate holds; not all were inspected"]
            if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                found += _active_in(item)
                children = list(item.values()) if isinstance(item, pikepdf.Dictionary) else []
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            if depth < _MAX_FORM_DEPTH * 4:
                pending += [(child, depth + 1) for child in children
                            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect]
    return found


def _active_in(dictionary: Any) -> list[str]:
    """What one dictionary holds of active content: script, an automatic action, an action that runs or sends."""
    import pikepdf

    found = []
    if "/JS" in dictionary:
        found.append("JavaScript")
    if "/AA" in dictionary:
        found.append("automatic actions")
    kind = dictionary.get("/S")
    if isinstance(kind, pikepdf.Name) and str(kind) in _ACTIVE_ACTIONS and str(kind) != "/JavaScript":
        found.append(f"a {str(kind)[1:]} action")
    return found


def _revisions_after(data: bytes, record_objects: list[tuple[int, int]]) -> int | None:
    """How many revisions were appended after the last one that wrote the embedded record (pyHanko's reader);
    None when the revisions cannot be told apart."""
    from pyhanko.pdf_utils.generic import Reference
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        xrefs = PdfFileReader(io.BytesIO(data), strict=False).xrefs
        last: int = xrefs.total_revisions - 1
        if not record_objects:
            return 0
        written: int = max(xrefs.get_last_change(Reference(number, generation)) for number, generation in record_objects)
    except Exception:  # noqa: BLE001 - pyHanko reads an untrusted file that qpdf could only read by repairing it
        return None
    return max(0, last - written)
