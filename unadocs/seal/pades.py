"""PAdES seals on certificate PDFs: a CAdES signature over the whole file, made by pyHanko, in one update.

Each certificate gets the update of :mod:`~unadocs.seal.pdf_update` and, in
its ``/Contents``, a CMS signature container as PAdES baseline B-B requires
(ETSI EN 319 142-1: detached, the signing certificate referenced by the
signed ``signing-certificate-v2`` attribute, no ``signing-time`` attribute,
the claimed time in ``/M``) or, with a timestamp server, B-T (an RFC 3161
signature timestamp as an unsigned attribute).

pyHanko builds the container (:meth:`pyhanko.sign.signers.Signer.signed_attrs`
and :meth:`~pyhanko.sign.signers.Signer.async_sign_prescribed_attributes`).
Building one costs 20 to 30 ms, most of it in asn1crypto; a batch of
thousands would spend more time there than on everything else a certificate
needs. So pyHanko builds it once per batch, as a **template**, and each
certificate changes only what differs: the ``message-digest`` attribute, the
signature over the signed attributes, and the timestamp. The rest of the
container (the certificates, the ``signing-certificate-v2`` and
``cms-algorithm-protection`` attributes) is the same for every document
sealed with one key, and a test checks that a templated container is byte
for byte the one pyHanko makes for the same document. The signature itself
is pyHanko's signer's (:meth:`~pyhanko.sign.signers.Signer.async_sign_raw`),
in memory or in a PKCS#11 token, and the timestamps are requested together,
a few at a time, as they only wait on the server.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from unadocs.errors import SealError
from unadocs.seal.pdf_update import prepare_update

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko.sign.timestamps import TimeStamper

    from unadocs.seal.eseal import OpenSeal

__all__ = ["Template", "seal_pdf", "seal_pdfs", "signature_container", "timestamp_error"]

#: Timestamp requests in flight at once (a timestamp server is shared; be polite to it).
TIMESTAMPS_AT_ONCE = 8
#: Room beyond the template's size: an ECDSA signature's DER varies by a few bytes.
_SLACK = 64


@dataclass(frozen=True)
class Template:
    """A signature container pyHanko made for one seal, to be reused for every document it seals."""

    attributes: bytes
    """The signed attributes (DER, as a SET OF), with a placeholder message digest."""
    container: bytes
    """The whole CMS ``ContentInfo`` (DER)."""

    @classmethod
    async def of(cls, signer: Signer) -> Template:
        attributes = await signer.signed_attrs(bytes(32), "sha256", use_pades=True)
        container = await signer.async_sign_prescribed_attributes("sha256", attributes)
        return cls(attributes.dump(), container.dump())


#: The template of each seal certificate and chain (by their SHA-256) in this process: a worker seals chunk after
#: chunk with the same seal.
_TEMPLATES: dict[str, Template] = {}


async def _template(seal: OpenSeal) -> Template:
    key = hashlib.sha256(b"".join((seal.eseal.certificate_der, *seal.eseal.chain_der))).hexdigest()
    template = _TEMPLATES.get(key)
    if template is None:
        template = _TEMPLATES[key] = await Template.of(seal.signer)
    return template


async def signature_container(template: Template, signer: Signer, digest: bytes,
                              timestamper: TimeStamper | None = None) -> bytes:
    """The CMS signature container (DER) of a document whose byte ranges have the SHA-256 ``digest``."""
    container = await _signed(template, signer, digest)
    if timestamper is not None:
        await _timestamped(container, timestamper)
    return bytes(container.dump())


async def _signed(template: Template, signer: Signer, digest: bytes) -> Any:
    """The template with the document's message digest and the signature over its signed attributes."""
    from asn1crypto import cms, core

    attributes = cms.CMSAttributes.load(template.attributes)
    for attribute in attributes:
        if attribute["type"].native == "message_digest":
            attribute["values"] = [core.OctetString(digest)]
    signature = await signer.async_sign_raw(attributes.dump(), "sha256")
    container = cms.ContentInfo.load(template.container)
    info = container["content"]["signer_infos"][0]
    info["signed_attrs"] = attributes
    info["signature"] = signature
    return container


async def _timestamped(container: Any, timestamper: TimeStamper) -> None:
    """Add the signature timestamp of CAdES-T: a token over the signature value (RFC 3161 appendix A)."""
    from asn1crypto import cms

    info = container["content"]["signer_infos"][0]
    token = await timestamper.async_timestamp(hashlib.sha256(info["signature"].native).digest(), "sha256")
    info["unsigned_attrs"] = cms.CMSAttributes([
        cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})])


def seal_pdfs(seal: OpenSeal, pdfs: Sequence[bytes], when: datetime) -> list[bytes | SealError]:
    """Each PDF sealed at ``when``, or the :class:`SealError` that stopped it (a damaged PDF, no timestamp)."""
    if not pdfs:
        return []
    return asyncio.run(_seal_all(seal, pdfs, when))


def seal_pdf(seal: OpenSeal, pdf: bytes, when: datetime) -> bytes:
    """One PDF sealed at ``when``; :class:`SealError` when it cannot be."""
    (sealed,) = seal_pdfs(seal, [pdf], when)
    if isinstance(sealed, SealError):
        raise sealed
    return sealed


async def _seal_all(seal: OpenSeal, pdfs: Sequence[bytes], when: datetime) -> list[bytes | SealError]:
    """Sign every PDF in turn (a PKCS#11 session signs one thing at a time), then timestamp them together."""
    signer = seal.signer
    template = await _template(seal)
    reserved = len(template.container) + _SLACK + seal.eseal.timestamp_size
    salt = bytes.fromhex(seal.eseal.fingerprint)
    signed: list[tuple[Any, Any] | SealError] = []
    for pdf in pdfs:
        try:
            prepared = prepare_update(pdf, when, reserved, salt)
        except SealError as exc:
            signed.append(exc)
            continue
        signed.append((prepared, await _signed(template, signer, prepared.digest())))
    timestamper = seal.timestamper()
    if timestamper is not None:
        limit = asyncio.Semaphore(TIMESTAMPS_AT_ONCE)

        async def stamp(container: Any) -> None:
            async with limit:
                await _timestamped(container, timestamper)

        stamped = await asyncio.gather(*(stamp(item[1]) for item in signed if not isinstance(item, SealError)),
                                       return_exceptions=True)
        failures = iter(stamped)
        signed = [item if isinstance(item, SealError) else _timestamp_outcome(next(failures), item, seal.eseal.tsa)
                  for item in signed]
    return [item if isinstance(item, SealError) else _filled(*item) for item in signed]


def _filled(prepared: Any, container: Any) -> bytes | SealError:
    try:
        return bytes(prepared.filled(bytes(container.dump())))
    except SealError as exc:
        return exc


def _timestamp_outcome(result: None | BaseException, item: tuple[Any, Any], tsa: str | None
                       ) -> tuple[Any, Any] | SealError:
    return item if result is None else timestamp_error(result, tsa)


def timestamp_error(error: BaseException, tsa: str | None) -> SealError:
    """The document's failure when its timestamp request failed (the others may have their timestamps);
    any other error is a bug and is raised."""
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(error, (TimestampRequestError, OSError, asyncio.TimeoutError)):
        return SealError(f"the timestamp server {tsa} gave no timestamp ({type(error).__name__}); run again to seal "
                         "the rest")
    raise error
