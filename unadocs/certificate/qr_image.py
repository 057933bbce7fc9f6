"""The certificate's QR code as a PNG, encoded by zxing-cpp (C++), under the seal's rules.

Encoding the verification link was the largest pure-Python cost of a
certificate: segno needs about 20 ms for a version 15 code, zxing-cpp (already
a dependency, for decoding) about 2 ms. The rules stay those of
:mod:`unadocs.seal.qr`: error correction M, at most version 20, a quiet zone
of four modules; a link too long for that is the same :class:`SealError`.
zxing-cpp picks the mask itself (deterministically), which any reader accepts.
"""

from __future__ import annotations

import io

from unadocs.errors import SealError

__all__ = ["qr_png"]


def qr_png(link: str) -> bytes:
    """A black-on-white PNG of the link's QR code, one pixel per module, with its quiet zone."""
    import zxingcpp
    from PIL import Image

    from unadocs.seal.qr import MAX_VERSION, QUIET_ZONE, make_qr

    code = zxingcpp.create_barcode(link, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]  # a buffer
    height, width = modules.shape or (0, 0)
    if width > 17 + 4 * MAX_VERSION or code.ec_level != "M":
        make_qr(link)  # raises the seal's message for a link that does not fit
        raise SealError(f"the verification link does not fit a QR code of at most version {MAX_VERSION} at level M")
    symbol = Image.frombytes("L", (width, height), modules.tobytes()).point(lambda v: 255 if v > 127 else 0, "1")
    image = Image.new("1", (width + 2 * QUIET_ZONE, height + 2 * QUIET_ZONE), 1)
    image.paste(symbol, (QUIET_ZONE, QUIET_ZONE))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
