"""The QR code of a verification link.

Always error correction level M (15 % of the code may be damaged), at most
version 20 (97 × 97 modules: at 30 mm wide, a module is 0.3 mm, which phone
cameras and 150 dpi scans read) and a quiet zone of four modules.

zxing-cpp (C++, already the decoder of ``unadocs verify``) encodes it: about
2 ms for a version 15 code against 20 ms for segno, which made encoding the
largest pure-Python cost of a certificate. It picks the mask itself,
deterministically, so the same link always gives the same image.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from unadocs.errors import SealError

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["MAX_LINK_BYTES", "MAX_VERSION", "QUIET_ZONE", "qr_image", "qr_png"]

MAX_VERSION = 20
QUIET_ZONE = 4
#: Byte capacity of a version 20 code at level M (ISO/IEC 18004, table 7).
MAX_LINK_BYTES = 666


def _too_long(link: str) -> SealError:
    return SealError(
        f"the verification link is {len(link.encode('utf-8'))} bytes; a QR code of at most version {MAX_VERSION} "
        f"at error correction M holds {MAX_LINK_BYTES}. Shorten the title or the verification_url."
    )


def qr_image(link: str) -> Image.Image:
    """The link's QR code as a 1-bit image, one pixel per module, with its quiet zone.

    :class:`SealError` when the link needs more than version 20 at level M.
    """
    import zxingcpp
    from PIL import Image

    if len(link.encode("utf-8")) > MAX_LINK_BYTES:
        raise _too_long(link)
    try:
        code = zxingcpp.create_barcode(link, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    except (ValueError, RuntimeError):
        raise _too_long(link) from None
    modules = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]  # a buffer
    height, width = modules.shape or (0, 0)
    if width > 17 + 4 * MAX_VERSION or code.ec_level != "M":
        raise _too_long(link)
    symbol = Image.frombytes("L", (width, height), modules.tobytes()).point(lambda v: 255 if v > 127 else 0, "1")
    image = Image.new("1", (width + 2 * QUIET_ZONE, height + 2 * QUIET_ZONE), 1)
    image.paste(symbol, (QUIET_ZONE, QUIET_ZONE))
    return image


def qr_png(link: str, *, scale: int = 1) -> bytes:
    """A black-on-white greyscale PNG of the link's QR code, ``scale`` pixels per module, with its quiet zone.

    One pixel per module is enough for a PDF: the certificate scales it up
    with ``image-rendering: crisp-edges``. Greyscale, not 1-bit: WeasyPrint
    writes a 1-bit image as RGB, three times the data to compress for every
    certificate; a greyscale one it writes as it is.
    """
    from PIL import Image

    image = qr_image(link)
    if scale != 1:
        image = image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)
    image = image.convert("L")
    out = io.BytesIO()
    # Light compression: the PNG only carries the code into the certificate's HTML, which WeasyPrint
    # decodes and compresses again for the PDF; 0.3 ms per certificate instead of 0.65.
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
